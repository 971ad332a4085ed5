/*
 * checks: the table of what ss-audit looks at, in the order it reports.
 */
#include "extern.h"

const struct audit_check audit_checks[] = {
	{ "dns", "the DNS names against the external address", dns_check },
	{ "timers", "the renewal and DDNS timers", timers_check },
	{ "button", "the Connect button's password recovery", button_check },
};

const size_t audit_nchecks = sizeof(audit_checks) / sizeof(audit_checks[0]);
_Static_assert(sizeof(audit_checks) / sizeof(audit_checks[0]) <= CHECKS_MAX,
    "more checks than CHECKS_MAX");
