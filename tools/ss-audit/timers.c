/*
 * timers: the renewal timer, and the DDNS timer when [ddns] is enabled,
 * enabled and active, and their services' last run a success, as
 * systemctl shows them.  Without systemd there is nothing to ask: the
 * finding says so and counts as OK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"
#include "run.h"

#define SYSTEMD_DIR	"/run/systemd/system"	/* sd_booted(3) */
#define SHOW_TIMEOUT	10	/* seconds for systemctl to answer */
#define SHOW_MAX	1024

struct unit_show {
	char	file[32];	/* UnitFileState: enabled, disabled, ... */
	char	active[32];	/* ActiveState */
	char	result[32];	/* Result of the service's last run */
	char	status[16];	/* ExecMainStatus: its exit status */
};

/* KEY=VALUE from systemctl show's OUT into BUF ("" when absent). */
static void
show_value(const char *out, const char *key, char *buf, size_t len)
{
	const char	*p = out, *nl;
	size_t		 klen = strlen(key);

	*buf = '\0';
	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			snprintf(buf, len, "%.*s", (int)((nl != NULL ? nl :
			    p + strlen(p)) - p - (ptrdiff_t)klen - 1),
			    p + klen + 1);
			return;
		}
		if (nl == NULL)
			return;
	}
}

/* systemctl show of UNIT into U; -1 when it did not answer (logged). */
static int
timers_show(const char *unit, struct unit_show *u)
{
	char	cmd[160], out[SHOW_MAX];
	size_t	len;

	snprintf(cmd, sizeof(cmd), "systemctl show -p UnitFileState,"
	    "ActiveState,Result,ExecMainStatus %s", unit);
	if (run_command_output("systemctl show", cmd, SHOW_TIMEOUT, out,
	    sizeof(out) - 1, &len) != 0)
		return -1;
	out[len] = '\0';
	show_value(out, "UnitFileState", u->file, sizeof(u->file));
	show_value(out, "ActiveState", u->active, sizeof(u->active));
	show_value(out, "Result", u->result, sizeof(u->result));
	show_value(out, "ExecMainStatus", u->status, sizeof(u->status));
	return 0;
}

/* The timer NAME.timer and the last run of NAME.service. */
static void
timers_one(struct report *r, const char *name)
{
	struct unit_show	t, s;
	char			fix[128], timer[64], service[64];
	int			bad = 0;

	snprintf(timer, sizeof(timer), "%s.timer", name);
	snprintf(service, sizeof(service), "%s.service", name);
	if (timers_show(timer, &t) != 0 || timers_show(service, &s) != 0) {
		report_add(r, CHECK_UNKNOWN, "timers", NULL, "systemctl show "
		    "%s did not answer", timer);
		return;
	}
	snprintf(fix, sizeof(fix), "systemctl enable --now %s", timer);
	if (strcmp(t.file, "enabled") != 0) {
		report_add(r, CHECK_WARNING, "timers", fix, "%s is not enabled "
		    "(%s)", timer, *t.file != '\0' ? t.file : "not installed");
		bad = 1;
	} else if (strcmp(t.active, "active") != 0) {
		report_add(r, CHECK_WARNING, "timers", fix, "%s is enabled "
		    "but %s", timer, t.active);
		bad = 1;
	}
	if (strcmp(s.result, "success") != 0 || (*s.status != '\0' &&
	    strcmp(s.status, "0") != 0)) {
		snprintf(fix, sizeof(fix), "journalctl -u %s", service);
		report_add(r, CHECK_CRITICAL, "timers", fix, "the last run of "
		    "%s failed (result %s, exit status %s)", service,
		    s.result, *s.status != '\0' ? s.status : "unknown");
		bad = 1;
	}
	if (!bad)
		report_add(r, CHECK_OK, "timers", NULL, "%s is enabled and "
		    "active; %s has no failed run", timer, service);
}

void
timers_check(struct report *r)
{
	if (access(SYSTEMD_DIR, F_OK) != 0) {
		report_add(r, CHECK_OK, "timers", NULL, "systemd is not "
		    "running (no " SYSTEMD_DIR "): the timers are not checked");
		return;
	}
	timers_one(r, "ss-cert-renew");
	if (r->c->ddns.enabled)
		timers_one(r, "ss-ddns");
}
