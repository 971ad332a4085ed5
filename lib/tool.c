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
#include "tool.h"

static int	show_conf(struct tool_env *, int);

static void
usage(FILE *f, const char *const *lines)
{
	const char *const	*l;

	for (l = lines; *l != NULL; l++)
		fprintf(f, "%s %s %s\n", l == lines ? "usage:" : "      ",
		    log_progname(), *l);
}

int
tool_usage(const char *synopsis)
{
	fprintf(stderr, "usage: %s %s\n", log_progname(), synopsis);
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
	struct tool_env	 e;
	size_t		 i;
	int		 ch, rc, show = 0, verbosity = LOG_LEVEL_INFO;

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
			usage(stdout, lines);
			return 0;
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
			usage(stderr, lines);
			return EX_USAGE;
		}
	}
	log_set_level(verbosity);
	argc -= optind;
	argv += optind;
	if (show != 0)
		return show_conf(&e, show);
	if (argc == 0) {
		usage(stderr, lines);
		return EX_USAGE;
	}
	for (i = 0; i < ncmds; i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			break;
	if (i == ncmds) {
		log_err("unknown command '%s'", argv[0]);
		usage(stderr, lines);
		return EX_USAGE;
	}
	optind = 0;	/* glibc: full reinitialisation for the subcommand */
	rc = cmds[i].fn(&e, argc, argv);
	conf_free(e.conf);
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
