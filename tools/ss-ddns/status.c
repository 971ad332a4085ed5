/*
 * status: where the device's name stands, for the owner at the console:
 * the external address now, what DNS answers for the name, the last
 * update, what the provider allows, and how often the address moved.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "extern.h"
#include "time64.h"

#define STATUS_SYNOPSIS	"status [--json]"
#define DNS_MAX		16

struct report {
	const char	*fqdn;
	int		 fam[2];
	int		 nfam;
	struct addr	 ext[2];
	int		 ext_ok[2];
	char		 dns[DNS_MAX][INET6_ADDRSTRLEN];
	int		 ndns;
	const char	*dns_error;	/* NULL when DNS answered */
	struct ddns_state st;
	const char	*pstate;	/* ok, backoff, stopped */
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
gather(const struct ss_conf *c, struct report *r)
{
	char	hash[65];
	int64_t	now = time64_now();
	int	i, rc;

	memset(r, 0, sizeof(*r));
	r->fqdn = c->fqdn;
	if ((rc = state_load(c, &r->st)) != 0)
		return rc;
	r->changes = state_history_count(&r->st, now - TIME64_DAY);
	r->pstate = "ok";
	if (r->st.provider == PROVIDER_STOPPED) {
		r->pstate = "stopped";
		if (state_config_hash(c, hash) == 0)
			r->settings_changed = strcmp(hash,
			    r->st.stop_config) != 0;
	} else if (r->st.provider == PROVIDER_BACKOFF &&
	    now < r->st.backoff_until)
		r->pstate = "backoff";
	r->nfam = ip_families(c, r->fam);
	for (i = 0; i < r->nfam; i++)
		r->ext_ok[i] = ip_external(c, r->fam[i], &r->ext[i]) == 0;
	resolve(r);
	return 0;
}

static void
print_text(const struct ss_conf *c, const struct report *r)
{
	char	when[32];
	int	i;

	printf("name:            %s\n", r->fqdn);
	printf("dynamic DNS:     %s\n", c->ddns.enabled ?
	    c->ddns.protocol : "off");
	for (i = 0; i < r->nfam; i++)
		printf("external IPv%d:   %s\n", r->fam[i] == AF_INET ? 4 : 6,
		    r->ext_ok[i] ? r->ext[i].text :
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
	} else
		printf("ok\n");
	printf("changes in 24 h: %d\n", r->changes);
}

static json_t *
report_json(const struct ss_conf *c, const struct report *r)
{
	json_t	*o, *ext, *dns;
	char	 when[32];
	int	 i;

	o = json_pack("{s:s, s:b, s:s, s:s, s:i}", "fqdn", r->fqdn,
	    "enabled", c->ddns.enabled, "protocol",
	    c->ddns.protocol, "provider", r->pstate,
	    "changes_24h", r->changes);
	ext = json_object();
	dns = json_array();
	if (o == NULL || ext == NULL || dns == NULL) {
		json_decref(o);
		json_decref(ext);
		json_decref(dns);
		return NULL;
	}
	for (i = 0; i < r->nfam; i++)
		json_object_set_new(ext, r->fam[i] == AF_INET ? "ipv4" : "ipv6",
		    r->ext_ok[i] ? json_string(r->ext[i].text) : json_null());
	json_object_set_new(o, "external", ext);
	for (i = 0; i < r->ndns; i++)
		json_array_append_new(dns, json_string(r->dns[i]));
	json_object_set_new(o, "dns", dns);
	if (r->dns_error != NULL)
		json_object_set_new(o, "dns_error", json_string(r->dns_error));
	time64_text(when, sizeof(when), r->st.updated);
	json_object_set_new(o, "last_update", r->st.updated != 0 ?
	    json_string(when) : json_null());
	json_object_set_new(o, "result", r->st.result[0] != '\0' ?
	    json_string(r->st.result) : json_null());
	if (strcmp(r->pstate, "backoff") == 0) {
		time64_text(when, sizeof(when), r->st.backoff_until);
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
		{ "json",	no_argument,	NULL, 'j' },
		{ NULL,		0,		NULL, 0 }
	};
	struct report	 r;
	int		 ch, json = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'j')
			return tool_usage(STATUS_SYNOPSIS);
		json = 1;
	}
	if (optind != argc)
		return tool_usage(STATUS_SYNOPSIS);
	if ((rc = tool_conf(e)) != 0 || (rc = gather(e->conf, &r)) != 0)
		return rc;
	if (!json)
		print_text(e->conf, &r);
	else
		rc = tool_print_json(report_json(e->conf, &r));
	state_free(&r.st);
	return fflush(stdout) == EOF ? EX_IOERR : rc;
}
