/*
 * tool: the main() that every ss- program shares.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "log.h"
#include "suggest.h"
#include "tool.h"

/* What `help` shows of the options tool_main() parses. */
static const struct tool_opt globals[] = {
	{ "-c, --config", "file", "read the configuration from file" },
	{ "-n, --dry-run", NULL, "change nothing, say what would change" },
	{ "-q, --quiet", NULL, "print errors only" },
	{ "-v, --verbose", NULL, "print more; twice for debugging output" },
	{ "-t, --check-config", NULL, "check the configuration file, run "
	    "nothing" },
	{ "-T, --show-config", NULL, "print every setting with its origin" },
	{ "-h, --help", NULL, "print the usage and exit" },
	{ "-V, --version", NULL, "print the version and exit" },
	{ NULL, NULL, NULL }
};

static const struct tool_cmd help_cmd = {
	"help", NULL, "list the commands, or describe one", NULL, 0
};
static const char *const help_lines[] = { "help [command]", NULL };

#define TOOL_OPT_COL	22	/* a longer option has its help below */

static void
tool_usage_print(const char *const *lines)
{
	const char *const	*l;

	for (l = lines; *l != NULL; l++)
		printf("%s %s %s\n", l == lines ? "usage:" : "      ",
		    log_progname(), *l);
}

/* The same as an error: under the journal each line gets its priority. */
static void
tool_usage_log(const char *const *lines)
{
	const char *const	*l;

	for (l = lines; *l != NULL; l++)
		log_err("%s %s %s", l == lines ? "usage:" : "      ",
		    log_progname(), *l);
}

/* 1 when the synopsis line L is one of the command NAME's. */
static int
tool_line_of(const char *l, const char *name)
{
	size_t	n = strlen(name);

	return strncmp(l, name, n) == 0 && (l[n] == ' ' || l[n] == '\0');
}

static size_t
tool_opt_width(const struct tool_opt *o)
{
	return strlen(o->flag) + (o->arg != NULL ? 1 + strlen(o->arg) : 0);
}

static void
tool_opts_print(const struct tool_opt *opts)
{
	const struct tool_opt	*o;
	size_t			 w = 0;

	for (o = opts; o->flag != NULL; o++)
		if (tool_opt_width(o) <= TOOL_OPT_COL && tool_opt_width(o) > w)
			w = tool_opt_width(o);
	for (o = opts; o->flag != NULL; o++) {
		printf("  %s%s%s", o->flag, o->arg != NULL ? " " : "",
		    o->arg != NULL ? o->arg : "");
		if (tool_opt_width(o) > w)
			printf("\n%*s", (int)w + 2, "");
		else
			printf("%*s", (int)(w - tool_opt_width(o)), "");
		printf("  %s\n", o->help);
	}
}

/* `TOOL CMD --help`: its synopsis, what it does, its options. */
static void
tool_help_cmd(const char *const *lines, const struct tool_cmd *c)
{
	const char *const	*l;
	int			 first = 1;

	for (l = lines; *l != NULL; l++) {
		if (!tool_line_of(*l, c->name))
			continue;
		printf("%s %s %s\n", first ? "usage:" : "      ",
		    log_progname(), *l);
		first = 0;
	}
	if (first)
		printf("usage: %s %s\n", log_progname(), c->name);
	printf("\n%s\n", c->summary);
	if (c->opts != NULL && c->opts[0].flag != NULL) {
		printf("\noptions:\n");
		tool_opts_print(c->opts);
	}
}

/* `TOOL help`: the global options and one line per command. */
static void
tool_help_list(const char *const *lines, const struct tool_cmd *cmds,
    size_t ncmds)
{
	size_t	i, w = strlen(help_cmd.name);

	printf("usage: %s %s\n\nglobal options:\n", log_progname(),
	    lines[0]);
	tool_opts_print(globals);
	for (i = 0; i < ncmds; i++)
		if (strlen(cmds[i].name) > w)
			w = strlen(cmds[i].name);
	printf("\ncommands:\n");
	for (i = 0; i < ncmds; i++)
		printf("  %-*s  %s\n", (int)w, cmds[i].name, cmds[i].summary);
	printf("  %-*s  %s\n", (int)w, help_cmd.name, help_cmd.summary);
	printf("\n'%s help COMMAND' describes a command and its options.\n",
	    log_progname());
}

/* 0, or EX_IOERR when what went to stdout did not get there. */
static int
tool_flushed(void)
{
	return fflush(stdout) == EOF || ferror(stdout) ? EX_IOERR : 0;
}

static const struct tool_cmd *
tool_find(const char *name, const struct tool_cmd *cmds, size_t ncmds)
{
	size_t	i;

	for (i = 0; i < ncmds; i++)
		if (strcmp(name, cmds[i].name) == 0)
			return &cmds[i];
	return NULL;
}

static int
tool_unknown(const char *name, const struct tool_cmd *cmds, size_t ncmds)
{
	struct suggest	 s;
	size_t		 i;

	suggest_init(&s, name);
	for (i = 0; i < ncmds; i++)
		suggest_try(&s, cmds[i].name);
	suggest_try(&s, help_cmd.name);
	if (suggest_best(&s) != NULL)
		log_err("unknown command '%s'; did you mean '%s'?", name,
		    suggest_best(&s));
	else
		log_err("unknown command '%s'; '%s help' lists the commands",
		    name, log_progname());
	return EX_USAGE;
}

/* `TOOL help [COMMAND]`; ARGV starts at "help". */
static int
tool_help(int argc, char *argv[], const char *const *lines,
    const struct tool_cmd *cmds, size_t ncmds)
{
	const struct tool_cmd	*c;

	if (argc == 1) {
		tool_help_list(lines, cmds, ncmds);
		return tool_flushed();
	}
	if (argc > 2)
		return tool_usage(help_lines[0]);
	if (strcmp(argv[1], help_cmd.name) == 0 ||
	    strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		tool_help_cmd(help_lines, &help_cmd);
		return tool_flushed();
	}
	if ((c = tool_find(argv[1], cmds, ncmds)) == NULL)
		return tool_unknown(argv[1], cmds, ncmds);
	tool_help_cmd(lines, c);
	return tool_flushed();
}

int
tool_wants_help(const struct tool_cmd *cmd, int argc, char *argv[])
{
	const struct tool_opt	*o;
	struct option		*lo = NULL;
	const char		*l;
	char			*so = NULL, **args = NULL;
	size_t			 n = 0, nl = 0, ns = 0;
	int			 ch, help = 0;

	for (o = cmd->opts; o != NULL && o->flag != NULL; o++)
		n++;
	if ((lo = calloc(n + 2, sizeof(*lo))) == NULL ||
	    (so = malloc(2 * n + 3)) == NULL ||
	    (args = calloc((size_t)argc + 1, sizeof(*args))) == NULL)
		goto out;
	if (cmd->in_order)
		so[ns++] = '+';
	so[ns++] = 'h';
	for (o = cmd->opts; o != NULL && o->flag != NULL; o++) {
		if ((l = strstr(o->flag, "--")) != NULL) {
			lo[nl].name = l + 2;
			lo[nl].has_arg = o->arg != NULL ? required_argument :
			    no_argument;
			lo[nl++].val = 1;
		}
		if (o->flag[0] == '-' && o->flag[1] != '-' &&
		    o->flag[1] != 'h') {
			so[ns++] = o->flag[1];
			if (o->arg != NULL)
				so[ns++] = ':';
		}
	}
	so[ns] = '\0';
	lo[nl].name = "help";
	lo[nl].val = 'h';
	/* A copy: GNU getopt reorders what it scans. */
	memcpy(args, argv, (size_t)argc * sizeof(*args));
	opterr = 0;
	optind = 0;
	while (!help && (ch = getopt_long(argc, args, so, lo, NULL)) != -1)
		help = ch == 'h';
	opterr = 1;
	optind = 0;
out:
	free(args);
	free(so);
	free(lo);
	return help;
}

int
tool_usage(const char *synopsis)
{
	log_err("usage: %s %s", log_progname(), synopsis);
	return EX_USAGE;
}

int
tool_conf(struct tool_env *e)
{
	if (e->conf != NULL)
		return 0;
	return conf_load(conf_path(e->conf_opt), &e->conf);
}

int
tool_num(const char *opt, const char *arg, long min, long max, long *out)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || n < min || n > max) {
		log_err("%s: '%s' is not a number from %ld to %ld", opt, arg,
		    min, max);
		return EX_USAGE;
	}
	*out = n;
	return 0;
}

/*
 * A line of -T, after its section's header when it is the first.  The
 * origin follows as an inline comment, so the output loads as it is.
 */
static int
show_setting(const struct conf_setting *s, void *arg)
{
	int	*n = arg;

	if (s->first)
		printf("%s[%s]\n", (*n)++ == 0 ? "" : "\n", s->section);
	if (s->file != NULL)
		printf("%s = %s ; %s:%d\n", s->key, s->value, s->file,
		    s->line);
	else
		printf("%s = %s ; default\n", s->key, s->value);
	return 0;
}

/*
 * -t: the configuration checked, and no command run even when one is
 * named; -T: and every setting on stdout with where it came from, as
 * sshd -T and nginx -T show theirs.
 */
static int
show_conf(struct tool_env *e, int opt)
{
	int	n = 0, rc;

	if ((rc = tool_conf(e)) != 0)
		return rc;
	if (opt == 't')
		log_info("%s: configuration OK", e->conf->file);
	else if (conf_each(e->conf, show_setting, &n) != 0 ||
	    fflush(stdout) == EOF || ferror(stdout))
		rc = EX_IOERR;
	conf_free(e->conf);
	return rc;
}

int
tool_main(int argc, char *argv[], const char *const *lines,
    const struct tool_cmd *cmds, size_t ncmds)
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL, 'c' },
		{ "dry-run",	no_argument,		NULL, 'n' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "check-config", no_argument,		NULL, 't' },
		{ "show-config", no_argument,		NULL, 'T' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	const struct tool_cmd	*c;
	struct tool_env		 e;
	int			 ch, rc, show = 0, verbosity = LOG_LEVEL_INFO;

	log_init(argv[0]);
	memset(&e, 0, sizeof(e));
	while ((ch = getopt_long(argc, argv, "+c:hnqtTvV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			e.conf_opt = optarg;
			break;
		case 'n':
			e.dry_run = 1;
			break;
		case 'h':
			tool_usage_print(lines);
			printf("'%s help COMMAND' describes a command and its "
			    "options.\n", log_progname());
			return tool_flushed();
		case 'q':
			verbosity = LOG_LEVEL_ERR;
			break;
		case 't':
		case 'T':
			show = ch;
			break;
		case 'v':
			verbosity++;
			break;
		case 'V':
			printf("%s %s\n", log_progname(), SS_VERSION);
			return 0;
		default:
			tool_usage_log(lines);
			return EX_USAGE;
		}
	}
	log_set_level(verbosity);
	argc -= optind;
	argv += optind;
	if (show != 0)
		return show_conf(&e, show);
	if (argc == 0) {
		tool_usage_log(lines);
		return EX_USAGE;
	}
	if (strcmp(argv[0], help_cmd.name) == 0)
		return tool_help(argc, argv, lines, cmds, ncmds);
	if ((c = tool_find(argv[0], cmds, ncmds)) == NULL)
		return tool_unknown(argv[0], cmds, ncmds);
	if (tool_wants_help(c, argc, argv)) {
		tool_help_cmd(lines, c);
		return tool_flushed();
	}
	optind = 0;	/* glibc: full reinitialisation for the subcommand */
	rc = c->fn(&e, argc, argv);
	conf_free(e.conf);
	return rc;
}

json_t *
tool_result(int changed, const char *action, json_t *paths, int dry_run)
{
	json_t	*o;

	if (paths == NULL && (paths = json_array()) == NULL)
		return NULL;
	o = json_pack("{s:b, s:s, s:o}", "changed", changed, "action", action,
	    "paths", paths);
	if (o != NULL && dry_run &&
	    json_object_set_new(o, "dry_run", json_true()) == -1) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

/*
 * Where the global options of ARGV end: the first argument that is not
 * one of them (-c takes the next argument along), or ARGC.
 */
static int
globals_end(int argc, char *argv[])
{
	static const char *const longs[] = { "--dry-run", "--help",
	    "--quiet", "--check-config", "--show-config", "--verbose",
	    "--version", NULL };
	const char *const	*l;
	const char		*a;
	int			 i;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0)
			return i;
		if (strcmp(a, "--config") == 0) {
			i++;
			continue;
		}
		if (strncmp(a, "--config=", 9) == 0)
			continue;
		for (l = longs; *l != NULL; l++)
			if (strcmp(a, *l) == 0)
				break;
		if (*l != NULL)
			continue;
		if (a[0] != '-' || a[1] == '-' || a[1] == '\0')
			return i;
		for (a++; *a != '\0' && strchr("hnqtTvV", *a) != NULL; a++)
			continue;
		if (*a == 'c') {
			if (a[1] == '\0')
				i++;
			continue;
		}
		if (*a != '\0')
			return i;
	}
	return argc;
}

int
tool_main_default(int argc, char *argv[], const char *const *lines,
    const struct tool_cmd *cmds, size_t ncmds, const char *dflt)
{
	char	**args;
	int	  at, rc;

	at = globals_end(argc, argv);
	if (at < argc && argv[at][0] != '-')
		return tool_main(argc, argv, lines, cmds, ncmds);
	if ((args = calloc((size_t)argc + 2, sizeof(*args))) == NULL) {
		log_init(argv[0]);
		log_err("%s", strerror(errno));
		return EX_OSERR;
	}
	memcpy(args, argv, (size_t)at * sizeof(*args));
	args[at] = (char *)dflt;
	memcpy(args + at + 1, argv + at, (size_t)(argc - at) * sizeof(*args));
	rc = tool_main(argc + 1, args, lines, cmds, ncmds);
	free(args);
	return rc;
}

int
tool_print_json(json_t *o)
{
	int	rc = 0;

	if (o == NULL) {
		log_err("out of memory");
		return EX_OSERR;
	}
	if (json_dumpf(o, stdout, JSON_INDENT(2)) == -1 || putchar('\n') == EOF)
		rc = EX_IOERR;
	json_decref(o);
	return rc;
}

