/*
 * ss-nginxconf: nginx serves the chosen certificate and a safe reverse
 * proxy for the automation server, and is never left broken.
 */
#include "extern.h"

static const char *const synopsis[] = {
	"[-hnqvV] [-c file] command [options]",
	"certs [--name name | --self] [--dry-run] [--json]",
	"reload [--dry-run] [--json]",
	"proxy [--allow-no-auth] [--allow-exposed] [--dry-run] [--json]",
	"bind [--dry-run] [--json]",
	"ports [--json]",
	NULL
};

static const struct tool_cmd cmds[] = {
	{ "certs",	cmd_certs },
	{ "reload",	cmd_reload },
	{ "proxy",	cmd_proxy },
	{ "bind",	cmd_bind },
	{ "ports",	cmd_ports },
};

int
main(int argc, char *argv[])
{
	return tool_main(argc, argv, synopsis, cmds,
	    sizeof(cmds) / sizeof(cmds[0]));
}
