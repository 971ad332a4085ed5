/*
 * ddnsname: the names ss-ddns keeps up to date, each seen through a copy
 * of the configuration whose fqdn and provider keys ([ddns]'s keys that
 * [ddns:FQDN] may set) are the name's.
 */
#ifndef SEC_DDNSNAME_H
#define SEC_DDNSNAME_H

#include <stddef.h>

#include "conf.h"

/*
 * The device's own name comes first (left out when [device] domain is
 * empty and [ddns:FQDN] names exist), with the state file it always had.
 * ONLY (--name, or NULL for all) picks one: EX_USAGE, with the names
 * listed, when there is no such name.  *OUT is the caller's to free.
 */
struct ddns_name {
	struct ss_conf	 conf;
	const char	*fqdn;
	int		 device;	/* the device's own name */
	char		 section[272];	/* "[ddns]", "[ddns:FQDN]" */
	char		 state[272];	/* its file in STATE/ddns */
};
int	 ddnsname_get(const struct ss_conf *, const char *only,
	    struct ddns_name **out, size_t *nout);
/* "[ddns]" or "[ddns:FQDN]": where the provider keys of view C are set. */
const char *ddnsname_section(const struct ss_conf *c);
/*
 * The zone of view C into BUF: [ddns] zone, else the fqdn without its
 * first label; EX_CONFIG (logged) when there is none or it is too long.
 */
int	 ddnsname_zone(const struct ss_conf *c, char *buf, size_t len);

#endif
