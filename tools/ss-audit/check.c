/*
 * check: every check the owner did not leave out, one report, the worst
 * finding as the exit status (monitoring-plugin codes).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "extern.h"
#include "log.h"
#include "suggest.h"

#define SYNOPSIS	"check [--json] [--only id,...] [--skip id,...]"

/* The index of the check ID (LEN bytes), or -1 after saying so (WHERE). */
static int
check_index(const char *id, size_t len, const char *where)
{
	struct suggest	 s;
	char		 word[FINDING_ID];
	const char	*best;
	size_t		 i;

	for (i = 0; i < audit_nchecks; i++)
		if (strlen(audit_checks[i].id) == len &&
		    strncmp(audit_checks[i].id, id, len) == 0)
			return (int)i;
	snprintf(word, sizeof(word), "%.*s", (int)len, id);
	suggest_init(&s, word);
	for (i = 0; i < audit_nchecks; i++)
		suggest_try(&s, audit_checks[i].id);
	if ((best = suggest_best(&s)) != NULL)
		log_err("%s: no check '%.*s'; did you mean '%s'?", where,
		    (int)len, id, best);
	else
		log_err("%s: no check '%.*s' (see ss-audit help check)", where,
		    (int)len, id);
	return -1;
}

/* Sets PICK[i] to ON for each id of the comma-separated LIST. */
static int
mark_list(const char *list, int *pick, int on, const char *where)
{
	const char	*p = list, *end;
	size_t		 len;
	int		 i;

	while (*p != '\0') {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len > 0) {
			if ((i = check_index(p, len, where)) == -1)
				return -1;
			pick[i] = on;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	return 0;
}

int
cmd_check(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json",	no_argument,		NULL, 'j' },
		{ "only",	required_argument,	NULL, 'o' },
		{ "skip",	required_argument,	NULL, 's' },
		{ NULL,		0,			NULL, 0 }
	};
	static struct report	 r;
	const char		*only = NULL, *skip = NULL;
	char			 where[64];
	int			 pick[CHECKS_MAX], ch, json = 0;
	size_t			 i;
	char *const		*k;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'o':
			only = optarg;
			break;
		case 's':
			skip = optarg;
			break;
		default:
			tool_usage(SYNOPSIS);
			return CHECK_UNKNOWN;
		}
	}
	if (optind != argc) {
		tool_usage(SYNOPSIS);
		return CHECK_UNKNOWN;
	}
	if (tool_conf(e) != 0)
		return CHECK_UNKNOWN;
	for (i = 0; i < audit_nchecks; i++)
		pick[i] = only == NULL;
	if (only != NULL && mark_list(only, pick, 1, "--only") == -1)
		return CHECK_UNKNOWN;
	snprintf(where, sizeof(where), "%s: [audit] skip", e->conf->file);
	for (k = e->conf->audit.skip; *k != NULL; k++)
		if (mark_list(*k, pick, 0, where) == -1)
			return CHECK_UNKNOWN;
	if (skip != NULL && mark_list(skip, pick, 0, "--skip") == -1)
		return CHECK_UNKNOWN;
	memset(&r, 0, sizeof(r));
	r.c = e->conf;
	for (i = 0; i < audit_nchecks; i++)
		if (pick[i])
			audit_checks[i].run(&r);
	return report_print(&r, json);
}
