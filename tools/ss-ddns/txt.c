/*
 * txt: ss-ddns txt set|clear NAME VALUE, the [acme] dns_hook of ss-cert
 * for dns-01 challenges: a TXT record added or removed by RFC 2136.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "extern.h"
#include "log.h"

#define SYNOPSIS	"txt set | clear name value"
#define WAIT_MS		10000
#define POLL_MS		200

static long
ms_since(const struct timespec *t0)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 +
	    (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * The CA asks the zone's servers right after the hook returns: wait
 * until the primary answers the new record, so that it finds it.
 */
static int
txt_wait(const char *server, const char *name, const char *value)
{
	struct timespec		 t0, pause = { 0, POLL_MS * 1000000L };
	struct ns_answer	 ans;
	char			 why[256] = "";
	int			 i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (ns_query(server, name, DNS_TXT, &ans, why,
		    sizeof(why)) == 0) {
			for (i = 0; i < ans.n; i++)
				if (strcmp(ans.value[i], value) == 0)
					return 0;
			snprintf(why, sizeof(why), "%s does not answer it yet",
			    server);
		}
		if (ms_since(&t0) + POLL_MS > WAIT_MS)
			break;
		nanosleep(&pause, NULL);
	}
	log_err("%s TXT \"%s\" was added but is not answered after %d s: %s",
	    name, value, WAIT_MS / 1000, why);
	return EX_TEMPFAIL;
}

int
cmd_txt(struct tool_env *e, int argc, char *argv[])
{
	const char	*name, *value;
	int		 add, rc;

	/* "+": VALUE is base64url and may start with '-'. */
	if (getopt(argc, argv, "+") != -1 || argc - optind != 3)
		return tool_usage(SYNOPSIS);
	if (strcmp(argv[optind], "set") == 0)
		add = 1;
	else if (strcmp(argv[optind], "clear") == 0)
		add = 0;
	else
		return tool_usage(SYNOPSIS);
	name = argv[optind + 1];
	value = argv[optind + 2];
	if ((rc = tool_conf(e)) != 0)
		return rc;
	if (strcmp(e->conf->ddns.protocol, "rfc2136") != 0) {
		log_err("%s: TXT records need [ddns] protocol = rfc2136 (with "
		    "server, zone and tsig_key_file)", e->conf->file);
		return EX_CONFIG;
	}
	if (e->dry_run) {
		log_info("would %s %s TXT \"%s\"", add ? "add" : "remove", name,
		    value);
		return 0;
	}
	if ((rc = rfc2136_txt(e->conf, add, name, value)) != 0 || !add)
		return rc;
	return txt_wait(e->conf->ddns.server, name, value);
}
