/*
 * status: where each name stands, for the owner at the console: the
 * external address now (found once), what DNS answers for the name, the
 * last update, what the provider allows, and how often the address moved.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "extern.h"
#include "time64.h"

#define STATUS_SYNOPSIS	"status [--name fqdn] [--json]"
#define DNS_MAX		16

/* The external address, found once for every name. */
struct external {
	int			 fam[2];
	int			 nfam;
	struct checkip_addr	 ext[2];
	int			 ext_ok[2];
};

struct report {
	const struct ddns_name *n;
	const char	*fqdn;
	const struct external *x;
	char		 dns[DNS_MAX][INET6_ADDRSTRLEN];
	int		 ndns;
	const char	*dns_error;	/* NULL when DNS answered */
	struct ddns_state st;
	const char	*pstate;	/* ok, backoff, stopped, retry */
	int		 settings_changed;	/* since the provider stopped */
	int		 changes;	/* in the last 24 hours */
};

/* The addresses the system resolver gives for the name, each once. */
static void
resolve(struct report *r)
{
	struct addrinfo	 hints, *res, *ai;
	char		 text[INET6_ADDRSTRLEN];
	const void	*bin;
	int		 i, err;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((err = getaddrinfo(r->fqdn, NULL, &hints, &res)) != 0) {
		r->dns_error = gai_strerror(err);
		return;
	}
	for (ai = res; ai != NULL && r->ndns < DNS_MAX; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			bin = &((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		else if (ai->ai_family == AF_INET6)
			bin = &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		else
			continue;
		if (inet_ntop(ai->ai_family, bin, text, sizeof(text)) == NULL)
			continue;
		for (i = 0; i < r->ndns && strcmp(r->dns[i], text) != 0; i++)
			;
		if (i == r->ndns)
			memcpy(r->dns[r->ndns++], text, sizeof(text));
	}
	freeaddrinfo(res);
}

static int
gather(const struct ddns_name *n, const struct external *x,
    struct report *r)
{
	const struct ss_conf	*c = &n->conf;
	char			 hash[65];
	int64_t			 now = time64_now();
	int			 rc;

	memset(r, 0, sizeof(*r));
	r->n = n;
	r->fqdn = n->fqdn;
	r->x = x;
	if ((rc = ddnsstate_load(n, &r->st)) != 0)
		return rc;
	r->changes = ddnsstate_history_count(&r->st, now - TIME64_DAY);
	r->pstate = "ok";
	if (r->st.provider == PROVIDER_STOPPED) {
		r->pstate = "stopped";
		if (ddnsstate_config_hash(c, hash) == 0)
			r->settings_changed = strcmp(hash,
			    r->st.stop_config) != 0;
	} else if (r->st.provider == PROVIDER_BACKOFF &&
	    now < r->st.backoff_until)
		r->pstate = "backoff";
	else if (r->st.provider == PROVIDER_RETRY)
		r->pstate = "retry";
	resolve(r);
	return 0;
}

static void
external_find(const struct ss_conf *c, struct external *x)
{
	int	i;

	memset(x, 0, sizeof(*x));
	x->nfam = checkip_families(c, x->fam);
	for (i = 0; i < x->nfam; i++)
		x->ext_ok[i] = checkip_external(c, x->fam[i], &x->ext[i]) == 0;
}

static void
print_text(const struct report *r)
{
	const struct ss_conf	*c = &r->n->conf;
	const struct external	*x = r->x;
	char			 when[32];
	int			 i;

	printf("name:            %s\n", r->fqdn);
	printf("dynamic DNS:     %s\n", c->ddns.enabled ?
	    c->ddns.protocol : "off");
	for (i = 0; i < x->nfam; i++)
		printf("external IPv%d:   %s\n", x->fam[i] == AF_INET ? 4 : 6,
		    x->ext_ok[i] ? x->ext[i].text :
		    "unknown (no checkip source answered)");
	printf("DNS answers:     ");
	if (r->dns_error != NULL)
		printf("nothing (%s)", r->dns_error);
	for (i = 0; i < r->ndns; i++)
		printf("%s%s", i > 0 ? ", " : "", r->dns[i]);
	printf("\nlast update:     ");
	if (r->st.updated == 0)
		printf("never");
	else {
		time64_text(when, sizeof(when), r->st.updated);
		printf("%s", when);
	}
	if (r->st.result[0] != '\0')
		printf(" (last result: %s)", r->st.result);
	printf("\nprovider:        ");
	if (strcmp(r->pstate, "stopped") == 0)
		printf("stopped: %s%s\n", r->st.stop_reason,
		    r->settings_changed ? " (the settings changed since: the "
		    "next update tries again)" : "");
	else if (strcmp(r->pstate, "backoff") == 0) {
		time64_text(when, sizeof(when), r->st.backoff_until);
		printf("backing off until %s\n", when);
	} else if (strcmp(r->pstate, "retry") == 0)
		printf("ok (a stop was lifted with retry: the next update "
		    "asks the provider)\n");
	else
		printf("ok\n");
	printf("changes in 24 h: %d\n", r->changes);
}

static json_t *
external_json(const struct external *x)
{
	json_t	*ext;
	int	 i;

	if ((ext = json_object()) == NULL)
		return NULL;
	for (i = 0; i < x->nfam; i++)
		json_object_set_new(ext, x->fam[i] == AF_INET ? "ipv4" : "ipv6",
		    x->ext_ok[i] ? json_string(x->ext[i].text) : json_null());
	return ext;
}

static json_t *
report_json(const struct report *r)
{
	json_t	*o, *dns;
	char	 when[32], path[4096];
	int	 i;

	if (ddnsstate_path(r->n, path, sizeof(path)) != 0)
		path[0] = '\0';
	o = json_pack("{s:s, s:s, s:s, s:i, s:s}", "fqdn", r->fqdn,
	    "protocol", r->n->conf.ddns.protocol, "provider", r->pstate,
	    "changes_24h", r->changes, "state_file", path);
	dns = json_array();
	if (o == NULL || dns == NULL) {
		json_decref(o);
		json_decref(dns);
		return NULL;
	}
	for (i = 0; i < r->ndns; i++)
		json_array_append_new(dns, json_string(r->dns[i]));
	json_object_set_new(o, "dns", dns);
	if (r->dns_error != NULL)
		json_object_set_new(o, "dns_error", json_string(r->dns_error));
	time64_rfc3339(when, sizeof(when), r->st.updated);
	json_object_set_new(o, "last_update", r->st.updated != 0 ?
	    json_string(when) : json_null());
	json_object_set_new(o, "result", r->st.result[0] != '\0' ?
	    json_string(r->st.result) : json_null());
	if (strcmp(r->pstate, "backoff") == 0) {
		time64_rfc3339(when, sizeof(when), r->st.backoff_until);
		json_object_set_new(o, "backoff_until", json_string(when));
	} else if (strcmp(r->pstate, "stopped") == 0) {
		json_object_set_new(o, "stop_reason",
		    json_string(r->st.stop_reason));
		json_object_set_new(o, "settings_changed",
		    json_boolean(r->settings_changed));
	}
	return o;
}

int
cmd_status(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "name",	required_argument,	NULL, 'N' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct ddns_name	*names = NULL;
	struct external		 x;
	struct report		 r;
	json_t			*o = NULL, *jnames = NULL;
	const char		*only = NULL;
	size_t			 n = 0, i;
	int			 ch, json = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'N')
			only = optarg;
		else if (ch == 'j')
			json = 1;
		else
			return tool_usage(STATUS_SYNOPSIS);
	}
	if (optind != argc)
		return tool_usage(STATUS_SYNOPSIS);
	if ((rc = tool_conf(e)) != 0 ||
	    (rc = ddnsname_get(e->conf, only, &names, &n)) != 0)
		return rc;
	external_find(e->conf, &x);
	if (json && ((o = json_pack("{s:b, s:o}", "enabled",
	    e->conf->ddns.enabled, "external", external_json(&x))) == NULL ||
	    (jnames = json_array()) == NULL)) {
		rc = tool_print_json(NULL);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((rc = gather(&names[i], &x, &r)) != 0)
			goto out;
		if (json)
			json_array_append_new(jnames, report_json(&r));
		else {
			if (i > 0)
				putchar('\n');
			print_text(&r);
		}
		ddnsstate_free(&r.st);
	}
	if (json) {
		json_object_set_new(o, "names", jnames);
		jnames = NULL;
		rc = tool_print_json(o);
		o = NULL;
	}
	if (fflush(stdout) == EOF)
		rc = EX_IOERR;
out:
	json_decref(o);
	json_decref(jnames);
	free(names);
	return rc;
}
