/*
 * hostport: HOST[:PORT] split into its parts (see hostport.h).
 */
#include <string.h>

#include "hostport.h"

static int
port_parse(const char *s, long *port)
{
	long	n = 0;

	if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
		return 0;
	for (; *s != '\0'; s++)
		if ((n = n * 10 + (*s - '0')) > 65535)
			return 0;
	if (n == 0)
		return 0;
	*port = n;
	return 1;
}

int
hostport_parse(const char *arg, long defport, char *host, size_t hostlen,
    long *port)
{
	const char	*h = arg, *end, *p = NULL;
	size_t		 hl;

	if (*arg == '[') {
		if ((end = strchr(arg, ']')) == NULL ||
		    (end[1] != '\0' && end[1] != ':'))
			return 0;
		h = arg + 1;
		hl = (size_t)(end - h);
		if (end[1] == ':')
			p = end + 2;
	} else if ((end = strchr(arg, ':')) != NULL &&
	    strchr(end + 1, ':') == NULL) {
		hl = (size_t)(end - arg);
		p = end + 1;
	} else
		hl = strlen(arg);
	if (hl == 0 || hl >= hostlen || memchr(h, '[', hl) != NULL ||
	    memchr(h, ']', hl) != NULL)
		return 0;
	if (p != NULL) {
		if (!port_parse(p, port))
			return 0;
	} else if (defport == 0)
		return 0;
	else
		*port = defport;
	memcpy(host, h, hl);
	host[hl] = '\0';
	return 1;
}
