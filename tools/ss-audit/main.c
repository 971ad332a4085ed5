/*
 * ss-audit: the device's security posture in one report, with the
 * monitoring-plugin exit codes.
 */
#include "extern.h"

static const char *const synopsis[] = {
	"[-hnqtTvV] [-c file] [command [options]]",
	"check [--json] [--only id,...] [--skip id,...]",
	NULL
};

static const struct tool_opt check_opts[] = {
	{ "--json", NULL, "print one JSON object with every finding" },
	{ "--only", "id,...", "run these checks only" },
	{ "--skip", "id,...", "leave these checks out" },
	{ NULL, NULL, NULL }
};

static const struct tool_cmd cmds[] = {
	{ "check", cmd_check,
	    "report every finding; exit with the worst (0 to 3)",
	    check_opts, 0 },
};

int
main(int argc, char *argv[])
{
	return tool_main_default(argc, argv, synopsis, cmds,
	    sizeof(cmds) / sizeof(cmds[0]), "check");
}
