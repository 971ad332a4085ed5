/*
 * retry: lifts a provider's stop (badauth, nohost, abuse...) once the
 * owner fixed the cause at the provider, without touching the settings.
 * The next update then asks the provider again, whatever the address.
 * A back-off the provider asked for (911, dnserr) is not lifted: it ends
 * by itself, and asking sooner is what gets an account blocked.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "audit.h"
#include "extern.h"
#include "fs.h"
#include "log.h"

#define RETRY_SYNOPSIS	"retry [--name fqdn] [--json]"

/* One name: lifted, unchanged. */
static int
retry_one(const struct ddns_name *n, int dry_run, json_t *names,
    json_t *paths, int *changed)
{
	struct ddns_state	 st;
	char			 path[4096], reason[128];
	const char		*action = "unchanged";
	int			 rc, lift;

	if ((rc = ddnsstate_load(n, &st)) != 0 ||
	    (rc = ddnsstate_path(n, path, sizeof(path))) != 0)
		goto out;
	lift = st.provider == PROVIDER_STOPPED;
	snprintf(reason, sizeof(reason), "%s", st.stop_reason);
	if (!lift) {
		log_info("%s: not stopped (%s): nothing to lift", n->fqdn,
		    st.provider == PROVIDER_BACKOFF ? "backing off as the "
		    "provider asked; that ends by itself" : "updates go ahead");
	} else if (dry_run) {
		log_info("%s: would lift the stop (%s) (dry run)", n->fqdn,
		    reason);
		action = "lifted";
	} else {
		st.provider = PROVIDER_RETRY;
		st.stop_reason[0] = st.stop_config[0] = '\0';
		if ((rc = ddnsstate_save(n, &st)) != 0)
			goto out;
		log_info("%s: lifted the stop (%s): the next update asks the "
		    "provider again", n->fqdn, reason);
		audit_notice("ddns stop lifted", "host", n->fqdn, "reason",
		    reason);
		action = "lifted";
	}
	if (lift) {
		*changed = 1;
		json_array_append_new(paths, json_string(path));
	}
	json_array_append_new(names, json_pack("{s:s, s:s, s:b, s:o}",
	    "fqdn", n->fqdn, "action", action, "changed", lift,
	    "stop_reason", lift ? json_string(reason) : json_null()));
out:
	ddnsstate_free(&st);
	return rc;
}

int
cmd_retry(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "name",	required_argument,	NULL, 'N' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct ddns_name	*names = NULL;
	json_t			*jnames = NULL, *paths = NULL, *o;
	const char		*only = NULL;
	size_t			 n = 0, i;
	int			 ch, json = 0, changed = 0, fd = -1, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'N')
			only = optarg;
		else if (ch == 'j')
			json = 1;
		else
			return tool_usage(RETRY_SYNOPSIS);
	}
	if (optind != argc)
		return tool_usage(RETRY_SYNOPSIS);
	if ((rc = tool_conf(e)) != 0 ||
	    (rc = ddnsname_get(e->conf, only, &names, &n)) != 0)
		return rc;
	if ((jnames = json_array()) == NULL || (paths = json_array()) == NULL) {
		log_err("out of memory");
		rc = EX_OSERR;
		goto out;
	}
	if (!e->dry_run && (rc = ddnsstate_lock(e->conf, &fd)) != 0)
		goto out;
	for (i = 0; i < n; i++)
		if ((rc = retry_one(&names[i], e->dry_run, jnames, paths,
		    &changed)) != 0)
			goto out;
	if (!changed)
		log_info("no stop to lift: nothing changed");
	if (json) {
		o = tool_result(changed, changed ? "lifted" : "unchanged",
		    json_incref(paths), e->dry_run);
		if (o != NULL && json_object_set(o, "names", jnames) == -1) {
			json_decref(o);
			o = NULL;
		}
		rc = tool_print_json(o);
	}
out:
	json_decref(jnames);
	json_decref(paths);
	free(names);
	fs_unlock(fd);
	return rc;
}
