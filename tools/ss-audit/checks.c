/*
 * checks: the table of what ss-audit looks at, in the order it reports.
 */
#include "extern.h"

const struct audit_check audit_checks[] = {
	{ "listeners", "sockets listening beyond loopback", listeners_check },
	{ "openhab", "the automation server bound to loopback", openhab_check },
	{ "factory-password", "the factory password still in use",
	    factory_check },
	{ "certificate", "the certificate nginx serves", certificate_check },
	{ "tls", "the TLS protocols and ciphers nginx accepts", tls_check },
	{ "proxy", "the reverse proxy: authentication, allow list, HSTS",
	    proxy_check },
	{ "dns", "the DNS names against the external address", dns_check },
	{ "timers", "the renewal and DDNS timers", timers_check },
	{ "files", "modes and owners of keys and secrets", files_check },
	{ "ssh", "root login with a password over SSH", ssh_check },
	{ "button", "the Connect button's password recovery", button_check },
};

const size_t audit_nchecks = sizeof(audit_checks) / sizeof(audit_checks[0]);
_Static_assert(sizeof(audit_checks) / sizeof(audit_checks[0]) <= CHECKS_MAX,
    "more checks than CHECKS_MAX");
