/*
 * tool: what every ss- program's main() shares: global options, usage,
 * dispatch to subcommands, the configuration, strict numbers.
 */
#ifndef SEC_TOOL_H
#define SEC_TOOL_H

#include <stddef.h>

#include "conf.h"

struct tool_env {
	const char	*conf_opt;	/* -c FILE, or NULL */
	struct ss_conf	*conf;		/* NULL until tool_conf() */
	int		 dry_run;	/* -n */
};

/*
 * One option of a subcommand as its help shows it: "--days", "-4" or
 * both as "-n, --dry-run", the name of its argument (NULL when it takes
 * none; choices are written "on|off") and one line about it.  A table
 * ends with a NULL flag.
 */
struct tool_opt {
	const char	*flag;
	const char	*arg;
	const char	*help;
};

struct tool_cmd {
	const char		*name;
	int			(*fn)(struct tool_env *, int, char **);
	const char		*summary;	/* one line for help */
	const struct tool_opt	*opts;		/* every option it takes */
	int			 in_order;	/* options end at the first
						 * operand: getopt's "+" */
};

/*
 * Parses -c FILE, -n, -q, -v, -h, -V (and their long forms), then runs
 * the subcommand named next with argc/argv starting at its name and
 * getopt reset; -t checks the configuration and -T prints it, instead of
 * any subcommand.  USAGE holds the synopsis lines, NULL-terminated: the
 * tool's first, then one or more per subcommand, each starting with its
 * name.  "help [COMMAND]", and -h or --help among a subcommand's
 * options, print help on stdout instead.  Returns the exit status.
 */
int	tool_main(int argc, char *argv[], const char *const *usage,
	    const struct tool_cmd *cmds, size_t ncmds);

/*
 * tool_main() for a tool with a command it runs when none is named:
 * DFLT goes in where the global options end, unless a word that is not
 * an option stands there (a command, or a misspelt one).
 */
int	tool_main_default(int argc, char *argv[], const char *const *usage,
	    const struct tool_cmd *cmds, size_t ncmds, const char *dflt);

/*
 * 1 when ARGV (a subcommand's, from its name) asks for help: -h or --help
 * among its options, read as CMD's table describes them, so that the
 * argument of an option is not taken for one; none after "--".
 */
int	tool_wants_help(const struct tool_cmd *cmd, int argc, char *argv[]);
/* "usage: PROG SYNOPSIS" logged as an error; returns EX_USAGE. */
int	tool_usage(const char *synopsis);
/* Loads the configuration once (-c, $SS_CONFIG, default). */
int	tool_conf(struct tool_env *);
/* A decimal option argument within MIN..MAX, or EX_USAGE (logged). */
int	tool_num(const char *opt, const char *arg, long min, long max,
	    long *out);

/*
 * The --json report O on stdout, indented, with a newline; O is freed.
 * 0, EX_IOERR when stdout fails, EX_OSERR (logged) when O is NULL: the
 * report could not be built.
 */
struct json_t;
int	tool_print_json(struct json_t *o);

/*
 * The head of the --json report of a command that changes something, the
 * same for every tool: "changed", "action", "paths" (PATHS is taken;
 * NULL: none) and, in a dry run, "dry_run": true, where "changed" says
 * what would change.  NULL when out of memory (PATHS freed).
 */
struct json_t *tool_result(int changed, const char *action,
	    struct json_t *paths, int dry_run);

#endif
