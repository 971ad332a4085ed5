/*
 * update: tells the DNS provider the external address when it changed,
 * when force_days have passed (providers expire names that are never
 * refreshed), or when asked to; never while the provider asked for a
 * pause or refused for good: hammering it gets the account blocked.
 */
#include <sys/socket.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "audit.h"
#include "extern.h"
#include "fs.h"
#include "log.h"
#include "time64.h"

#define UPDATE_SYNOPSIS	"update [--force] [--if-enabled]"
#define BACKOFF_SECONDS	(30 * 60)
#define FLAP_WINDOW	3600
#define ADDRS_MAX	(2 * INET6_ADDRSTRLEN + 2)

static const struct provider *const providers[] = {
	&provider_dyndns2,
	&provider_rfc2136,
};

/* What one run found out and sends: family 0 where there is nothing. */
struct run {
	struct addr	 a4;
	struct addr	 a6;
	int		 missing;	/* a wanted family had no address */
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

/* Settings without which nothing can be sent. */
static int
settings_ready(const struct ss_conf *c)
{
	if (!c->ddns.enabled) {
		log_err("dynamic DNS is disabled ([ddns] enabled = no in %s): "
		    "nothing sent", c->file);
		return EX_CONFIG;
	}
	if (*c->device.domain == '\0') {
		log_err("[device] domain is not set in %s: the device has no "
		    "DNS name to update", c->file);
		return EX_CONFIG;
	}
	if (*c->ddns.server == '\0') {
		log_err("[ddns] server is not set in %s", c->file);
		return EX_CONFIG;
	}
	return 0;
}

/*
 * Whether the provider lets us ask now.  A stop holds until the settings
 * change; then the next request is sent whatever the address, since only
 * the provider can say whether the new settings are right.
 */
static int
provider_gate(const struct ss_conf *c, struct ddns_state *st, int64_t now,
    int *force)
{
	char	until[32], hash[65];
	int	rc;

	if (st->provider == PROVIDER_STOPPED) {
		if ((rc = state_config_hash(c, hash)) != 0)
			return rc;
		if (strcmp(st->stop_config, hash) == 0) {
			log_err("updates stopped: %s; change the [ddns] "
			    "settings in %s", st->stop_reason, c->file);
			return EX_UNAVAILABLE;
		}
		log_info("the [ddns] settings changed since the provider "
		    "refused with %s: trying again", st->stop_reason);
		st->provider = PROVIDER_OK;
		*force = 1;
	}
	if (st->provider == PROVIDER_BACKOFF && now < st->backoff_until) {
		time64_text(until, sizeof(until), st->backoff_until);
		log_warn("the provider asked to back off: no update until %s",
		    until);
		return EX_TEMPFAIL;
	}
	return 0;
}

static int
lookup(const struct ss_conf *c, struct run *r)
{
	struct addr	 a;
	int		 fam[2], n, i, rc;

	memset(r, 0, sizeof(*r));
	n = ip_families(c, fam);
	for (i = 0; i < n; i++) {
		if ((rc = ip_external(c, fam[i], &a)) == EX_TEMPFAIL) {
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
sent_changes(const struct ss_conf *c, struct ddns_state *st,
    const struct run *r, int64_t now, int *changes)
{
	const struct addr	*a[2] = { &r->a4, &r->a6 };
	char			*last[2] = { st->last4, st->last6 };
	int			 changed[2], i, rc;

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
		if ((rc = state_history_add(st, now, a[i])) != 0)
			return rc;
		(*changes)++;
	}
	return state_save(c, st);
}

static void
flap_check(const struct ss_conf *c, const struct ddns_state *st, int64_t now)
{
	int	n;

	if ((n = state_history_count(st, now - FLAP_WINDOW)) <=
	    c->ddns.flap_threshold)
		return;
	log_warn("the external address changed %d times in the last hour: "
	    "no fixed address (a cellular SIM without a static IP?), and DNS "
	    "cannot keep up: resolvers cache the old address for the TTL", n);
}

/* Records what the provider said; returns the exit status. */
static int
outcome(const struct ss_conf *c, struct ddns_state *st, const struct run *r,
    enum presult res, const char *detail, int64_t now)
{
	const char	*fqdn = c->fqdn;
	char		 addrs[ADDRS_MAX], until[32];
	int		 rc, changes;

	addr_list(r, addrs, sizeof(addrs));
	switch (res) {
	case UPDATE_OK:
		if ((rc = sent_changes(c, st, r, now, &changes)) != 0)
			return rc;
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
		return (rc = state_save(c, st)) != 0 ? rc : EX_TEMPFAIL;
	case UPDATE_STOP:
		st->provider = PROVIDER_STOPPED;
		snprintf(st->stop_reason, sizeof(st->stop_reason), "%.*s",
		    (int)sizeof(st->stop_reason) - 1, detail);
		/* The settings refused; a change to them lifts the stop. */
		if ((rc = state_config_hash(c, st->stop_config)) != 0)
			return rc;
		snprintf(st->result, sizeof(st->result), "%.*s",
		    (int)sizeof(st->result) - 1, detail);
		log_err("%s: the provider refused the update: %s; no more "
		    "requests until the [ddns] settings in %s are fixed", fqdn,
		    detail, c->file);
		if ((rc = state_save(c, st)) != 0)
			return rc;
		audit_warning("ddns provider stopped", "host", fqdn,
		    "protocol", c->ddns.protocol, "server", c->ddns.server,
		    "reason", detail);
		return EX_UNAVAILABLE;
	}
	return EX_SOFTWARE;
}

int
cmd_update(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "force",	no_argument,	NULL, 'f' },
		{ "if-enabled",	no_argument,	NULL, 'e' },
		{ NULL,		0,		NULL, 0 }
	};
	const struct provider	*p;
	const struct ss_conf	*c;
	struct ddns_state	 st;
	struct run		 r;
	enum presult		 res;
	char			 detail[256], addrs[ADDRS_MAX];
	int64_t			 now;
	int			 ch, force = 0, if_enabled = 0, fd = -1, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'f')
			force = 1;
		else if (ch == 'e')
			if_enabled = 1;
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
		return 0;
	}
	if ((rc = settings_ready(c)) != 0)
		return rc;
	if ((p = provider_find(c->ddns.protocol)) == NULL) {
		log_err("[ddns] protocol in %s: no such provider",
		    c->file);
		return EX_CONFIG;
	}
	if ((rc = state_lock(c, &fd)) != 0)
		return rc;
	now = time64_now();
	if ((rc = state_load(c, &st)) != 0 ||
	    (rc = provider_gate(c, &st, now, &force)) != 0 ||
	    (rc = lookup(c, &r)) != 0)
		goto out;
	addr_list(&r, addrs, sizeof(addrs));
	if (!force && (r.a4.family == 0 || strcmp(r.a4.text, st.last4) == 0) &&
	    (r.a6.family == 0 || strcmp(r.a6.text, st.last6) == 0) &&
	    now - st.updated < c->ddns.force_days * TIME64_DAY) {
		log_info("%s: unchanged (%s)", c->fqdn, addrs);
		rc = r.missing ? EX_TEMPFAIL : 0;
		goto out;
	}
	if (e->dry_run) {
		log_info("%s: would send %s over %s (dry run)", c->fqdn,
		    addrs, p->name);
		goto out;
	}
	detail[0] = '\0';
	if ((rc = p->update(c, r.a4.family ? &r.a4 : NULL,
	    r.a6.family ? &r.a6 : NULL, &res, detail, sizeof(detail))) != 0)
		goto out;
	rc = outcome(c, &st, &r, res, detail, now);
out:
	state_free(&st);
	fs_unlock(fd);
	return rc;
}
