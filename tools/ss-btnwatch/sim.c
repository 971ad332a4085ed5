/*
 * sim: run --simulate.  Button events are lines "SECONDS press" and
 * "SECONDS release" on a fake clock; each action is printed as
 * "SECONDS led COLOR PATTERN" or "SECONDS run COMMAND".  The commands
 * still run (not with -n), so that a configuration can be tried whole.
 */
#define _GNU_SOURCE		/* getline */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "extern.h"
#include "log.h"
#include "run.h"

#define BLANKS	" \t\r\n"

struct sim {
	struct tool_env	*env;
	FILE		*out;
	int64_t		 now;
};

static void
sim_time(const struct sim *s)
{
	fprintf(s->out, "%" PRId64 ".%03" PRId64 " ", s->now / NS_PER_SEC,
	    s->now % NS_PER_SEC / NS_PER_MS);
}

static void
sim_led(void *arg, enum led_color color, enum led_pattern pattern)
{
	struct sim	*s = arg;

	sim_time(s);
	fprintf(s->out, "led %s %s\n", led_color_names[color],
	    led_pattern_names[pattern]);
	fflush(s->out);
}

static int
sim_cmd(void *arg, const char *what, const char *cmd)
{
	struct sim	*s = arg;

	sim_time(s);
	fprintf(s->out, "run %s\n", cmd);
	fflush(s->out);
	return s->env->dry_run ? 0 : run_command(what, cmd, NULL, NULL,
	    RUN_TIMEOUT);
}

/*
 * "SECONDS press|release", SECONDS with at most 9 digits before the
 * point and 9 after it.  Returns 0, or -1 when the line is not that.
 */
static int
sim_parse(const char *p, int64_t *when, enum hold_edge *edge)
{
	int64_t	sec = 0, frac = 0, scale = NS_PER_SEC;
	size_t	n;

	for (n = 0; *p >= '0' && *p <= '9' && n < 10; p++, n++)
		sec = sec * 10 + (*p - '0');
	if (n == 0 || n > 9)
		return -1;
	if (*p == '.') {
		for (p++, n = 0; *p >= '0' && *p <= '9' && n < 9; p++, n++)
			frac += (*p - '0') * (scale /= 10);
		if (n == 0)
			return -1;
	}
	if ((n = strspn(p, " \t")) == 0)
		return -1;
	p += n;
	n = strcspn(p, BLANKS);
	if (n == 5 && strncmp(p, "press", n) == 0)
		*edge = EDGE_PRESS;
	else if (n == 7 && strncmp(p, "release", n) == 0)
		*edge = EDGE_RELEASE;
	else
		return -1;
	p += n;
	if (p[strspn(p, BLANKS)] != '\0')
		return -1;
	*when = sec * NS_PER_SEC + frac;
	return 0;
}

/* The clock runs to UNTIL; what falls due on the way acts at its time. */
static void
sim_until(struct sim *s, struct hold *h, struct actor *a, int64_t until)
{
	int64_t	next;

	while ((next = hold_next(h)) < until) {
		if (next > s->now)
			s->now = next;
		act_hold(a, s->env->conf, hold_advance(h, s->now));
	}
}

int
sim_run(struct tool_env *e, FILE *in, FILE *out)
{
	struct sim	 s;
	struct hold	 h;
	struct actor	 a;
	enum hold_edge	 edge;
	char		*line = NULL, *p;
	size_t		 size = 0;
	long		 lineno = 0;
	int64_t		 when;
	int		 rc;

	if ((rc = tool_conf(e)) != 0)
		return rc;
	memset(&s, 0, sizeof(s));
	s.env = e;
	s.out = out;
	memset(&a, 0, sizeof(a));
	a.led = sim_led;
	a.run = sim_cmd;
	a.arg = &s;
	hold_init(&h);
	act_settings(&h, e->conf);

	while (getline(&line, &size, in) != -1) {
		lineno++;
		p = line + strspn(line, BLANKS);
		if (*p == '\0' || *p == '#')
			continue;
		if (sim_parse(p, &when, &edge) == -1) {
			p[strcspn(p, "\r\n")] = '\0';
			log_err("stdin:%ld: '%s' is not 'SECONDS press' or "
			    "'SECONDS release'", lineno, p);
			rc = EX_DATAERR;
			goto out;
		}
		if (when < s.now) {
			log_err("stdin:%ld: time goes back", lineno);
			rc = EX_DATAERR;
			goto out;
		}
		sim_until(&s, &h, &a, when);
		s.now = when;
		act_hold(&a, e->conf, hold_edge(&h, edge, when));
	}
	if (ferror(in)) {
		log_err("stdin: %s", strerror(errno));
		rc = EX_IOERR;
		goto out;
	}
	/* The input ends, the button stays as it is: a hold runs on. */
	sim_until(&s, &h, &a, HOLD_NEVER);
out:
	free(line);
	return rc;
}
