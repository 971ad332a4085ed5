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

struct tool_cmd {
	const char	*name;
	int		(*fn)(struct tool_env *, int, char **);
};

/*
 * Parses -c FILE, -n, -q, -v, -h, -V (and their long forms), then runs
 * the subcommand named next with argc/argv starting at its name and
 * getopt reset; -t checks the configuration and -T prints it, instead of
 * any subcommand.  USAGE holds the synopsis lines, NULL-terminated.
 * Returns the exit status.
 */
int	tool_main(int argc, char *argv[], const char *const *usage,
	    const struct tool_cmd *cmds, size_t ncmds);

/* "usage: PROG SYNOPSIS" on stderr; returns EX_USAGE. */
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

#endif
