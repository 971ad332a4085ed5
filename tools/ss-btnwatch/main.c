/*
 * ss-btnwatch: the Connect button held for 20 seconds restores the
 * factory password and reboots the device.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "extern.h"

#define SYNOPSIS_RUN	"run [--simulate]"

static const char *const synopsis[] = {
	"[-hnqtTvV] [-c file] [command [options]]",
	SYNOPSIS_RUN,
	"enable [--json]",
	"disable [--yes] [--json]",
	"status [--json]",
	NULL
};

static int
cmd_run(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "simulate",	no_argument,	NULL, 's' },
		{ NULL,		0,		NULL, 0 }
	};
	int	ch, simulate = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 's')
			return tool_usage(SYNOPSIS_RUN);
		simulate = 1;
	}
	if (optind != argc)
		return tool_usage(SYNOPSIS_RUN);
	return simulate ? sim_run(e, stdin, stdout) : watch_run(e);
}

static const struct tool_opt run_opts[] = {
	{ "--simulate", NULL,
	    "read events from stdin, print actions on stdout" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt disable_opts[] = {
	{ "--yes", NULL, "do not ask" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt status_opts[] = {
	{ "--json", NULL, "print one JSON object instead" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt enable_opts[] = {
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_cmd cmds[] = {
	{ "run", cmd_run,
	    "watch the button (what runs without a command)", run_opts, 0 },
	{ "enable", cmd_enable,
	    "turn the factory reset by the button on", enable_opts, 0 },
	{ "disable", cmd_disable,
	    "turn the factory reset by the button off", disable_opts, 0 },
	{ "status", cmd_status,
	    "print whether the reset is on, and the settings", status_opts, 0 },
};

int
main(int argc, char *argv[])
{
	/* Without a command the daemon runs, as systemd starts it. */
	return tool_main_default(argc, argv, synopsis, cmds,
	    sizeof(cmds) / sizeof(cmds[0]), "run");
}
