/*
 * update: tells the DNS provider the external address when it changed,
 * when force_days have passed (providers expire names that are never
 * refreshed), or when asked to; never while the provider asked for a
 * pause or refused for good: hammering it gets the account blocked.
 * Every name is judged on its own (its state, its provider's answer);
 * the external address is found once per run, for all of them.
 */
#include <sys/socket.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "extern.h"
#include "fs.h"
#include "log.h"
#include "time64.h"

#define UPDATE_SYNOPSIS	\
	"update [--force] [--if-enabled] [--name fqdn] [--json]"
#define BACKOFF_SECONDS	(30 * 60)
#define FLAP_WINDOW	3600
#define ADDRS_MAX	(2 * INET6_ADDRSTRLEN + 2)

static const struct provider *const providers[] = {
	&provider_dyndns2,
	&provider_rfc2136,
};

/* What one run found out and sends: family 0 where there is nothing. */
struct run {
	struct checkip_addr	 a4;
	struct checkip_addr	 a6;
	int			 missing;	/* a wanted family had none */
};

/* One name in this run. */
struct job {
	const struct ddns_name	*n;
	const struct provider	*p;
	struct ddns_state	 st;
	int			 ready;		/* may be sent now */
	int			 force;
	int			 rc;		/* its exit status */
	const char		*action;	/* updated, unchanged,
	    stopped, failed */
	int			 changed;	/* at the provider or on disk */
	int			 sent;		/* addresses were looked up */
	char			 answer[256];	/* the provider's */
};

static const struct provider *
provider_find(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		if (strcmp(providers[i]->name, name) == 0)
			return providers[i];
	return NULL;
}

/* Settings without which nothing can be sent for the name. */
static int
settings_ready(const struct ddns_name *n, const struct provider **p)
{
	const struct ss_conf	*c = &n->conf;

	if (n->device && *c->device.domain == '\0') {
		log_err("[device] domain is not set in %s: the device has no "
		    "DNS name to update", c->file);
		return EX_CONFIG;
	}
	if (*c->ddns.server == '\0') {
		log_err("%s server is not set in %s", n->section, c->file);
		return EX_CONFIG;
	}
	if ((*p = provider_find(c->ddns.protocol)) == NULL) {
		log_err("%s protocol in %s: no such provider", n->section,
		    c->file);
		return EX_CONFIG;
	}
	return 0;
}

/* " --name FQDN" for a name other than the device's, for commands. */
static const char *
name_opt(const struct ddns_name *n, char *buf, size_t len)
{
	if (n->device)
		return "";
	snprintf(buf, len, " --name %s", n->fqdn);
	return buf;
}

/*
 * Whether the provider lets us ask now.  A stop holds until the settings
 * change or `ss-ddns retry` lifts it; then the next request is sent
 * whatever the address, since only the provider can say whether it is
 * right now.
 */
static int
provider_gate(const struct ddns_name *n, struct ddns_state *st, int64_t now,
    int *force)
{
	const struct ss_conf	*c = &n->conf;
	char			 until[32], hash[65], opt[300];
	int			 rc;

	if (st->provider == PROVIDER_STOPPED) {
		if ((rc = ddnsstate_config_hash(c, hash)) != 0)
			return rc;
		if (strcmp(st->stop_config, hash) == 0) {
			log_err("%s: updates stopped: %s; change the %s "
			    "settings in %s, or fix it at the provider and run "
			    "ss-ddns retry%s", n->fqdn, st->stop_reason,
			    n->section, c->file, name_opt(n, opt, sizeof(opt)));
			return EX_UNAVAILABLE;
		}
		log_info("%s: the %s settings changed since the provider "
		    "refused with %s: trying again", n->fqdn, n->section,
		    st->stop_reason);
		st->provider = PROVIDER_OK;
		*force = 1;
	}
	if (st->provider == PROVIDER_RETRY) {
		log_info("%s: the stop was lifted (ss-ddns retry): asking the "
		    "provider again", n->fqdn);
		st->provider = PROVIDER_OK;
		*force = 1;
	}
	if (st->provider == PROVIDER_BACKOFF && now < st->backoff_until) {
		time64_text(until, sizeof(until), st->backoff_until);
		log_warn("%s: the provider asked to back off: no update until "
		    "%s", n->fqdn, until);
		return EX_TEMPFAIL;
	}
	return 0;
}

static int
lookup(const struct ss_conf *c, struct run *r)
{
	struct checkip_addr	 a;
	int			 fam[2], n, i, rc;

	memset(r, 0, sizeof(*r));
	n = checkip_families(c, fam);
	for (i = 0; i < n; i++) {
		if ((rc = checkip_external(c, fam[i], &a)) == EX_TEMPFAIL) {
			r->missing = 1;
			continue;
		}
		if (rc != 0)
			return rc;
		if (a.family == AF_INET)
			r->a4 = a;
		else
			r->a6 = a;
	}
	return r->a4.family == 0 && r->a6.family == 0 ? EX_TEMPFAIL : 0;
}

/* "ADDR4, ADDR6" of what is sent, for messages. */
static void
addr_list(const struct run *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", r->a4.text,
	    r->a4.family && r->a6.family ? ", " : "", r->a6.text);
}

static int
sent_changes(const struct ddns_name *n, struct ddns_state *st,
    const struct run *r, int64_t now, int *changes)
{
	const struct checkip_addr	*a[2] = { &r->a4, &r->a6 };
	char				*last[2] = { st->last4, st->last6 };
	int				 changed[2], i, rc;

	*changes = 0;
	for (i = 0; i < 2; i++) {
		changed[i] = a[i]->family != 0 &&
		    strcmp(a[i]->text, last[i]) != 0;
		if (a[i]->family != 0)
			memcpy(last[i], a[i]->text, sizeof(a[i]->text));
	}
	st->updated = now;
	snprintf(st->result, sizeof(st->result), "good");
	st->provider = PROVIDER_OK;
	st->backoff_until = 0;
	st->stop_reason[0] = st->stop_config[0] = '\0';
	for (i = 0; i < 2; i++) {
		if (!changed[i])
			continue;
		if ((rc = ddnsstate_history_add(st, now, a[i])) != 0)
			return rc;
		(*changes)++;
	}
	return ddnsstate_save(n, st);
}

static void
flap_check(const struct ss_conf *c, const struct ddns_state *st, int64_t now)
{
	int	n;

	if ((n = ddnsstate_history_count(st, now - FLAP_WINDOW)) <=
	    c->ddns.flap_threshold)
		return;
	log_warn("the external address changed %d times in the last hour: "
	    "no fixed address (a cellular SIM without a static IP?), and DNS "
	    "cannot keep up: resolvers cache the old address for the TTL", n);
}

/* Records what the provider said for J; returns the exit status. */
static int
outcome(struct job *j, const struct run *r, enum presult res,
    const char *detail, int64_t now)
{
	const struct ddns_name	*n = j->n;
	const struct ss_conf	*c = &n->conf;
	struct ddns_state	*st = &j->st;
	const char		*fqdn = n->fqdn;
	char			 addrs[ADDRS_MAX], until[32], opt[300];
	int			 rc, changes;

	addr_list(r, addrs, sizeof(addrs));
	j->action = "failed";
	switch (res) {
	case UPDATE_OK:
		if ((rc = sent_changes(n, st, r, now, &changes)) != 0)
			return rc;
		j->action = "updated";
		j->changed = 1;
		log_info("%s: %s %s", fqdn, changes > 0 ? "updated to" :
		    "refreshed at", addrs);
		if (changes > 0)
			flap_check(c, st, now);
		return r->missing ? EX_TEMPFAIL : 0;
	case UPDATE_RETRY:
		log_err("%s: update to %s failed: %s; the next run tries "
		    "again", fqdn, addrs, detail);
		return EX_TEMPFAIL;
	case UPDATE_BACKOFF:
		st->provider = PROVIDER_BACKOFF;
		st->backoff_until = now + BACKOFF_SECONDS;
		snprintf(st->result, sizeof(st->result), "%.*s",
		    (int)sizeof(st->result) - 1, detail);
		time64_text(until, sizeof(until), st->backoff_until);
		log_warn("%s: the provider answered %s: backing off, no "
		    "update until %s", fqdn, detail, until);
		if ((rc = ddnsstate_save(n, st)) != 0)
			return rc;
		j->changed = 1;
		return EX_TEMPFAIL;
	case UPDATE_STOP:
		st->provider = PROVIDER_STOPPED;
		snprintf(st->stop_reason, sizeof(st->stop_reason), "%.*s",
		    (int)sizeof(st->stop_reason) - 1, detail);
		/* The settings refused; a change to them lifts the stop. */
		if ((rc = ddnsstate_config_hash(c, st->stop_config)) != 0)
			return rc;
		snprintf(st->result, sizeof(st->result), "%.*s",
		    (int)sizeof(st->result) - 1, detail);
		log_err("%s: the provider refused the update: %s; no more "
		    "requests until the %s settings in %s are fixed, or until "
		    "ss-ddns retry%s once it is fixed at the provider", fqdn,
		    detail, n->section, c->file, name_opt(n, opt, sizeof(opt)));
		if ((rc = ddnsstate_save(n, st)) != 0)
			return rc;
		j->action = "stopped";
		j->changed = 1;
		audit_warning("ddns provider stopped", "host", fqdn,
		    "protocol", c->ddns.protocol, "server", c->ddns.server,
		    "reason", detail);
		return EX_UNAVAILABLE;
	}
	return EX_SOFTWARE;
}

/* Before the address is known: settings, state, the provider's word. */
static void
job_prepare(struct job *j, int64_t now)
{
	if ((j->rc = ddnsstate_load(j->n, &j->st)) != 0)
		return;
	if ((j->rc = provider_gate(j->n, &j->st, now, &j->force)) != 0) {
		j->action = "stopped";
		return;
	}
	j->ready = 1;
}

/* With the address known: unchanged, or sent. */
static void
job_send(struct job *j, const struct run *r, int64_t now, int dry_run)
{
	const struct ddns_name	*n = j->n;
	const struct ddns_state	*st = &j->st;
	enum presult		 res;
	char			 addrs[ADDRS_MAX];

	j->sent = 1;
	addr_list(r, addrs, sizeof(addrs));
	if (!j->force &&
	    (r->a4.family == 0 || strcmp(r->a4.text, st->last4) == 0) &&
	    (r->a6.family == 0 || strcmp(r->a6.text, st->last6) == 0) &&
	    now - st->updated < n->conf.ddns.force_days * TIME64_DAY) {
		log_info("%s: unchanged (%s)", n->fqdn, addrs);
		j->action = "unchanged";
		j->rc = r->missing ? EX_TEMPFAIL : 0;
		return;
	}
	if (dry_run) {
		log_info("%s: would send %s over %s (dry run)", n->fqdn,
		    addrs, j->p->name);
		j->action = "updated";
		j->changed = 1;
		return;
	}
	if ((j->rc = j->p->update(&n->conf, r->a4.family ? &r->a4 : NULL,
	    r->a6.family ? &r->a6 : NULL, &res, j->answer,
	    sizeof(j->answer))) != 0)
		return;
	j->rc = outcome(j, r, res, j->answer, now);
}

static json_t *
job_json(const struct job *j, const struct run *r)
{
	json_t	*o, *addrs;
	char	 path[4096], when[32];

	if (ddnsstate_path(j->n, path, sizeof(path)) != 0)
		path[0] = '\0';
	if ((addrs = json_array()) == NULL)
		return NULL;
	if (j->sent && r->a4.family != 0)
		json_array_append_new(addrs, json_string(r->a4.text));
	if (j->sent && r->a6.family != 0)
		json_array_append_new(addrs, json_string(r->a6.text));
	time64_rfc3339(when, sizeof(when), j->st.updated);
	o = json_pack("{s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:s}",
	    "fqdn", j->n->fqdn,
	    "protocol", j->n->conf.ddns.protocol,
	    "action", j->action,
	    "changed", j->changed,
	    "addresses", addrs,
	    "answer", j->answer[0] != '\0' ? json_string(j->answer) :
	    json_null(),
	    "last_update", j->st.updated != 0 ? json_string(when) :
	    json_null(),
	    "state_file", path);
	return o;
}

/* The --json report of the whole run. */
static int
print_json(const struct job *jobs, size_t n, const struct run *r,
    int dry_run)
{
	json_t		*o, *names, *paths;
	const char	*action = "unchanged";
	char		 path[4096];
	size_t		 i;
	int		 changed = 0;

	names = json_array();
	paths = json_array();
	if (names == NULL || paths == NULL) {
		json_decref(names);
		json_decref(paths);
		return tool_print_json(NULL);
	}
	for (i = 0; i < n; i++) {
		json_array_append_new(names, job_json(&jobs[i], r));
		if (jobs[i].changed && ddnsstate_path(jobs[i].n, path,
		    sizeof(path)) == 0)
			json_array_append_new(paths, json_string(path));
		changed |= jobs[i].changed;
		if (strcmp(jobs[i].action, "updated") == 0)
			action = "updated";
		else if (strcmp(action, "updated") != 0 &&
		    strcmp(jobs[i].action, "unchanged") != 0 &&
		    strcmp(action, "failed") != 0)
			action = jobs[i].action;
	}
	o = tool_result(changed, action, paths, dry_run);
	if (o != NULL && json_object_set(o, "names", names) == -1) {
		json_decref(o);
		o = NULL;
	}
	json_decref(names);
	return tool_print_json(o);
}

int
cmd_update(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "force",	no_argument,		NULL, 'f' },
		{ "if-enabled",	no_argument,		NULL, 'e' },
		{ "name",	required_argument,	NULL, 'N' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	const struct ss_conf	*c;
	struct ddns_name	*names = NULL;
	struct job		*jobs = NULL;
	struct run		 r;
	const char		*only = NULL;
	size_t			 n = 0, i, ready = 0;
	int64_t			 now;
	int			 ch, force = 0, if_enabled = 0, json = 0;
	int			 fd = -1, rc, lrc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'f')
			force = 1;
		else if (ch == 'e')
			if_enabled = 1;
		else if (ch == 'N')
			only = optarg;
		else if (ch == 'j')
			json = 1;
		else
			return tool_usage(UPDATE_SYNOPSIS);
	}
	if (optind != argc)
		return tool_usage(UPDATE_SYNOPSIS);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	c = e->conf;
	/* The timer runs on every device, whether it uses DDNS or not. */
	if (if_enabled && !c->ddns.enabled) {
		log_info("dynamic DNS is disabled ([ddns] enabled = no in %s): "
		    "nothing to do", c->file);
		return json ? print_json(NULL, 0, NULL, e->dry_run) : 0;
	}
	if (!c->ddns.enabled) {
		log_err("dynamic DNS is disabled ([ddns] enabled = no in %s): "
		    "nothing sent", c->file);
		return EX_CONFIG;
	}
	if ((rc = ddnsname_get(c, only, &names, &n)) != 0)
		return rc;
	if ((jobs = calloc(n, sizeof(*jobs))) == NULL) {
		log_err("out of memory");
		rc = EX_OSERR;
		goto out;
	}
	for (i = 0; i < n; i++) {
		jobs[i].n = &names[i];
		jobs[i].force = force;
		jobs[i].action = "failed";
		jobs[i].rc = settings_ready(&names[i], &jobs[i].p);
		if (jobs[i].rc == 0)
			ready++;
	}
	/* A dry run leaves even the lock file alone. */
	if (ready > 0 && !e->dry_run && (rc = ddnsstate_lock(c, &fd)) != 0)
		goto out;
	now = time64_now();
	memset(&r, 0, sizeof(r));
	for (ready = 0, i = 0; i < n; i++) {
		if (jobs[i].rc == 0)
			job_prepare(&jobs[i], now);
		ready += jobs[i].ready;
	}
	lrc = ready > 0 ? lookup(c, &r) : 0;
	rc = 0;
	for (i = 0; i < n; i++) {
		if (jobs[i].ready && lrc != 0)
			jobs[i].rc = lrc;
		else if (jobs[i].ready)
			job_send(&jobs[i], &r, now, e->dry_run);
		if (rc == 0)
			rc = jobs[i].rc;
	}
	if (json && (lrc = print_json(jobs, n, &r, e->dry_run)) != 0 &&
	    rc == 0)
		rc = lrc;
out:
	for (i = 0; jobs != NULL && i < n; i++)
		ddnsstate_free(&jobs[i].st);
	free(jobs);
	free(names);
	fs_unlock(fd);
	return rc;
}
