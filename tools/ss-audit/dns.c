/*
 * dns: the device's name and each [ddns:FQDN] answer the external
 * address, at the system resolver and at the zone's authoritative
 * servers, as ss-ddns check judges it (lib/dnscheck); a provider that
 * stopped taking updates leaves the name to go stale.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddnsname.h"
#include "ddnsstate.h"
#include "dnscheck.h"
#include "extern.h"

#define FIX_UPDATE	"ss-ddns update --force"
#define FIX_RETRY	"fix the account at the provider, then ss-ddns retry"

/* A stop the provider ordered, from the name's state file. */
static void
dns_stop(struct report *r, const struct ddns_name *n)
{
	struct ddns_state	s;

	if (ddnsstate_load(n, &s) != 0) {
		report_add(r, CHECK_UNKNOWN, "dns", NULL, "%s: the DDNS state "
		    "cannot be read", n->fqdn);
		return;
	}
	if (s.provider == PROVIDER_STOPPED)
		report_add(r, CHECK_CRITICAL, "dns", FIX_RETRY, "%s: the DDNS "
		    "provider stopped taking updates (%s)", n->fqdn,
		    s.stop_reason);
	ddnsstate_free(&s);
}

/* One finding for what DNS answers for the name D looked at. */
static void
dns_verdict(struct report *r, const struct dnscheck *d)
{
	char	seen[FINDING_SEEN];
	size_t	len;
	int	i;

	if (d->check.status == CHECK_OK) {
		snprintf(seen, sizeof(seen), "%s resolves to", d->fqdn);
		for (i = 0; i < d->nfam; i++) {
			len = strlen(seen);
			snprintf(seen + len, sizeof(seen) - len, "%s %s",
			    i > 0 ? " and" : "", d->fam[i].ext.text);
		}
		report_add(r, CHECK_OK, "dns", NULL, "%s, the external "
		    "address, at the system resolver and at %d authoritative "
		    "server%s", seen, d->nservers, d->nservers == 1 ? "" : "s");
		return;
	}
	snprintf(seen, sizeof(seen), "%s:", d->fqdn);
	for (i = 0; i < d->check.nproblems; i++) {
		len = strlen(seen);
		snprintf(seen + len, sizeof(seen) - len, "%s %s", i > 0 ?
		    ";" : "", d->check.problems[i]);
	}
	report_add(r, d->check.status, "dns", d->check.status ==
	    CHECK_CRITICAL ? FIX_UPDATE : NULL, "%s", seen);
}

void
dns_check(struct report *r)
{
	const struct ss_conf	*c = r->c;
	struct ddns_name	*names = NULL;
	struct checkip_addr	 ext[2];
	struct dnscheck		*d;
	size_t			 n = 0, i;
	int			 fams[2], nfam;

	if (!c->ddns.enabled && *c->device.domain == '\0' &&
	    c->nnames == 0) {
		report_add(r, CHECK_OK, "dns", NULL, "no DNS name configured "
		    "([ddns] enabled = no, no [device] domain)");
		return;
	}
	if (ddnsname_get(c, NULL, &names, &n) != 0) {
		report_add(r, CHECK_UNKNOWN, "dns", NULL, "the DNS names of %s "
		    "cannot be listed", c->file);
		return;
	}
	nfam = dnscheck_external(c, 0, fams, ext);
	for (i = 0; i < n; i++) {
		dns_stop(r, &names[i]);
		if ((d = dnscheck_name(&names[i], fams, nfam, ext)) == NULL) {
			report_add(r, CHECK_UNKNOWN, "dns", NULL, "%s: out of "
			    "memory", names[i].fqdn);
			break;
		}
		dns_verdict(r, d);
		free(d);
	}
	free(names);
}
