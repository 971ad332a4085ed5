/*
 * ddnsname: the names ss-ddns keeps up to date.  The device's own
 * (hostname.domain, with [ddns]'s provider) comes first, then each
 * [ddns:FQDN] in the file's order.  A name is handed to the providers,
 * the state and the checks as a copy of the configuration in which fqdn
 * and [ddns]'s provider keys are the name's own: they read c->fqdn and
 * c->ddns.server whichever name they serve, while enabled, checkip,
 * ip_version, force_days and flap_threshold stay [ddns]'s for all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "ddnsname.h"
#include "log.h"

/* The view of C for extra name X. */
static void
name_view(const struct ss_conf *c, const struct ss_conf_ddns_name *x,
    struct ddns_name *n)
{
	n->conf = *c;
	n->conf.fqdn = x->fqdn;
#define NAME_KEY(s, k, t, min, max, choices, def)	n->conf.ddns.k = x->k;
	CONF_DDNS_NAME(NAME_KEY)
#undef NAME_KEY
	n->fqdn = x->fqdn;
	n->device = 0;
	snprintf(n->section, sizeof(n->section), "[ddns:%s]", x->fqdn);
	snprintf(n->state, sizeof(n->state), "%s.state", x->fqdn);
}

const char *
ddnsname_section(const struct ss_conf *c)
{
	static char	buf[272];
	size_t		i;

	/* A view's fqdn is its [ddns:FQDN]'s own string. */
	for (i = 0; i < c->nnames; i++) {
		if (c->fqdn == c->names[i].fqdn) {
			snprintf(buf, sizeof(buf), "[ddns:%s]", c->fqdn);
			return buf;
		}
	}
	return "[ddns]";
}

static void
ddnsname_list(const struct ddns_name *n, size_t nn, char *buf, size_t len)
{
	size_t	i;

	buf[0] = '\0';
	for (i = 0; i < nn; i++) {
		if (i > 0)
			strncat(buf, ", ", len - strlen(buf) - 1);
		strncat(buf, n[i].fqdn, len - strlen(buf) - 1);
	}
}

int
ddnsname_get(const struct ss_conf *c, const char *only, struct ddns_name **out,
    size_t *nout)
{
	struct ddns_name	*n;
	char			 list[1024];
	size_t			 nn = 0, i;
	int			 device;

	*out = NULL;
	*nout = 0;
	/* Without a domain the device has no name of its own to keep. */
	device = *c->device.domain != '\0' || c->nnames == 0;
	if ((n = calloc(c->nnames + 1, sizeof(*n))) == NULL) {
		log_err("out of memory");
		return EX_OSERR;
	}
	if (device) {
		n[0].conf = *c;
		n[0].fqdn = c->fqdn;
		n[0].device = 1;
		snprintf(n[0].section, sizeof(n[0].section), "[ddns]");
		snprintf(n[0].state, sizeof(n[0].state), "state");
		nn++;
	}
	for (i = 0; i < c->nnames; i++)
		name_view(c, &c->names[i], &n[nn++]);
	if (only == NULL) {
		*out = n;
		*nout = nn;
		return 0;
	}
	for (i = 0; i < nn; i++) {
		if (strcasecmp(n[i].fqdn, only) == 0) {
			memmove(&n[0], &n[i], sizeof(n[0]));
			*out = n;
			*nout = 1;
			return 0;
		}
	}
	ddnsname_list(n, nn, list, sizeof(list));
	log_err("--name %s: no such name in %s; the names are: %s", only,
	    c->file, list);
	free(n);
	return EX_USAGE;
}
int
ddnsname_zone(const struct ss_conf *c, char *buf, size_t len)
{
	const char	*zone = c->ddns.zone;
	const char	*fqdn = c->fqdn, *dot;

	if (*zone == '\0') {
		if ((dot = strchr(fqdn, '.')) == NULL || dot[1] == '\0') {
			log_err("%s: %s has no domain: set %s zone or "
			    "[device] domain", c->file, fqdn,
			    ddnsname_section(c));
			return EX_CONFIG;
		}
		zone = dot + 1;
	}
	if (snprintf(buf, len, "%s", zone) >= (int)len) {
		log_err("%s: %s zone is too long", c->file,
		    ddnsname_section(c));
		return EX_CONFIG;
	}
	return 0;
}
