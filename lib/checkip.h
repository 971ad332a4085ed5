/*
 * checkip: the device's external address, from the [ddns] checkip
 * sources in order (URL, iface:NAME, cmd:COMMAND).
 */
#ifndef SEC_CHECKIP_H
#define SEC_CHECKIP_H

#include <netinet/in.h>
#include <stddef.h>

#include "conf.h"

/* An address of one family, as text written back by inet_ntop. */
struct checkip_addr {
	int	 family;	/* AF_INET or AF_INET6 */
	char	 text[INET6_ADDRSTRLEN];
};

/*
 * The external address of FAMILY.  Warns for private and CGNAT answers.
 * EX_TEMPFAIL when no source answered usably, EX_UNAVAILABLE when one of
 * them could not be asked because the proxy failed, EX_CONFIG when
 * [ddns] ca_file cannot be used; each source's failure logged.
 */
int	 checkip_external(const struct ss_conf *, int family,
	    struct checkip_addr *);
/* 1 when TEXT is exactly one address of FAMILY (blanks around allowed). */
int	 checkip_parse(const char *text, size_t len, int family,
	    struct checkip_addr *);
/* The families [ddns] ip_version asks for, into FAM; returns 1 or 2. */
int	 checkip_families(const struct ss_conf *, int fam[2]);

#endif
