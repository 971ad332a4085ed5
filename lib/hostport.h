/*
 * hostport: HOST[:PORT] as an operator writes it on a command line or in
 * security.conf.  HOST is a name or an IPv4 address, or an IPv6 address
 * in brackets ("[2001:db8::1]:853"); without a port, an IPv6 address may
 * also stand bare ("2001:db8::1").
 */
#ifndef SEC_HOSTPORT_H
#define SEC_HOSTPORT_H

#include <stddef.h>

/*
 * 1 with HOST (NUL-terminated, without brackets) and *PORT (1-65535, in
 * decimal digits only), or 0 when ARG is not of that form or HOST does
 * not fit HOSTLEN bytes.  DEFPORT is *PORT when ARG names none; 0 makes
 * the port required.
 */
int	hostport_parse(const char *arg, long defport, char *host,
	    size_t hostlen, long *port);

#endif
