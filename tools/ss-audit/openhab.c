/*
 * openhab: the automation server listens on loopback only, so that it is
 * reached through the proxy and its authentication.  openHAB itself
 * listens on every address unless its defaults file says otherwise.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "extern.h"
#include "ipaddr.h"
#include "openhab.h"

void
openhab_check(struct report *r)
{
	const char		*path = r->c->openhab.defaults_file;
	struct openhab_defaults	 d;
	char			*addr = NULL;
	int			 rc;

	if (access(path, F_OK) == -1 && errno == ENOENT) {
		report_add(r, CHECK_OK, "openhab", NULL, "no automation "
		    "server defaults file (%s)", path);
		return;
	}
	if ((rc = openhab_load(path, &d)) != 0) {
		if (rc == EX_DATAERR)
			report_add(r, CHECK_UNKNOWN, "openhab", NULL, "%s:%d: "
			    "not a NAME=value line; the automation server's "
			    "address cannot be read", path, d.badline);
		else
			report_add(r, CHECK_UNKNOWN, "openhab", NULL, "%s "
			    "cannot be read", path);
		return;
	}
	if (openhab_get(&d, OPENHAB_ADDRESS_VAR, &addr) != 0)
		report_add(r, CHECK_UNKNOWN, "openhab", NULL, "%s: out of "
		    "memory", path);
	else if (addr == NULL || *addr == '\0')
		report_add(r, CHECK_CRITICAL, "openhab", "ss-nginxconf bind",
		    "%s does not set %s: the automation server listens on "
		    "every address, reachable without the proxy", path,
		    OPENHAB_ADDRESS_VAR);
	else if (!ipaddr_loopback_text(addr))
		report_add(r, CHECK_CRITICAL, "openhab", "ss-nginxconf bind",
		    "%s binds the automation server to %s, reachable without "
		    "the proxy", path, addr);
	else
		report_add(r, CHECK_OK, "openhab", NULL, "%s binds the "
		    "automation server to %s", path, addr);
	free(addr);
	openhab_free(&d);
}
