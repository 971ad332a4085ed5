/*
 * https: where the checks reach nginx's HTTPS port, and whether the
 * configuration opens it to other hosts.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <string.h>

#include "extern.h"
#include "ipaddr.h"

void
https_target(const struct ss_conf *c, struct https_target *t)
{
	char *const	*a;
	const char	*host = "127.0.0.1";

	memset(t, 0, sizeof(*t));
	/* A loopback address nginx listens on, else the first. */
	if (*c->nginx.listen != NULL)
		host = *c->nginx.listen;
	for (a = c->nginx.listen; *a != NULL; a++)
		if (ipaddr_loopback_text(*a)) {
			host = *a;
			break;
		}
	snprintf(t->host, sizeof(t->host), "%s", host);
	snprintf(t->port, sizeof(t->port), "%ld", c->nginx.https_port);
	snprintf(t->where, sizeof(t->where), strchr(host, ':') != NULL ?
	    "[%s]:%s" : "%s:%s", t->host, t->port);
}

const char *
https_exposed(const struct ss_conf *c)
{
	char *const	*a;

	if (*c->nginx.listen == NULL)
		return "every address";
	for (a = c->nginx.listen; *a != NULL; a++)
		if (!ipaddr_loopback_text(*a))
			return *a;
	return NULL;
}
