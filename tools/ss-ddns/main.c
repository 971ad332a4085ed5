/*
 * ss-ddns: the device's DNS name follows its external address.
 */
#include "extern.h"

static const char *const synopsis[] = {
	"[-hnqvV] [-c file] command [options]",
	"ip [-4 | -6]",
	"update [--force] [--if-enabled] [--name fqdn] [--json]",
	"status [--name fqdn] [--json]",
	"check [-4 | -6] [--name fqdn] [--json]",
	"retry [--name fqdn] [--json]",
	"txt set | clear name value",
	NULL
};

static const struct tool_cmd cmds[] = {
	{ "ip",		cmd_ip },
	{ "update",	cmd_update },
	{ "status",	cmd_status },
	{ "check",	cmd_check },
	{ "txt",	cmd_txt },
	{ "retry",	cmd_retry },
};

int
main(int argc, char *argv[])
{
	return tool_main(argc, argv, synopsis, cmds,
	    sizeof(cmds) / sizeof(cmds[0]));
}
