/*
 * ss-ddns: the device's DNS name follows its external address.
 */
#include "extern.h"

static const char *const synopsis[] = {
	"[-hnqtTvV] [-c file] command [options]",
	"ip [-4 | -6]",
	"update [--force] [--if-enabled] [--name fqdn] [--json]",
	"status [--name fqdn] [--json]",
	"check [-4 | -6] [--name fqdn] [--json]",
	"retry [--name fqdn] [--json]",
	"txt set | clear name value",
	NULL
};

static const struct tool_opt ip_opts[] = {
	{ "-4", NULL, "the IPv4 address" },
	{ "-6", NULL, "the IPv6 address" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt update_opts[] = {
	{ "--force", NULL, "send the address even when DNS has it" },
	{ "--if-enabled", NULL,
	    "exit 0 when dynamic DNS is off (enabled = no)" },
	{ "--name", "fqdn", "only this name ([device] or a [ddns:FQDN])" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt status_opts[] = {
	{ "--name", "fqdn", "only this name ([device] or a [ddns:FQDN])" },
	{ "--json", NULL, "print one JSON object instead" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt check_opts[] = {
	{ "-4", NULL, "check IPv4 only" },
	{ "-6", NULL, "check IPv6 only" },
	{ "--name", "fqdn", "only this name ([device] or a [ddns:FQDN])" },
	{ "--json", NULL, "print one JSON object instead" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt retry_opts[] = {
	{ "--name", "fqdn", "only this name ([device] or a [ddns:FQDN])" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_cmd cmds[] = {
	{ "ip", cmd_ip, "print the external address", ip_opts, 0 },
	{ "update", cmd_update,
	    "give DNS the external address, if it needs it", update_opts, 0 },
	{ "status", cmd_status,
	    "print where the device's name stands", status_opts, 0 },
	{ "check", cmd_check,
	    "check that DNS answers the external address (exit 0 to 3)",
	    check_opts, 0 },
	{ "txt", cmd_txt,
	    "set or clear a TXT record for dns-01 (ss-cert's dns_hook)",
	    NULL, 1 },
	{ "retry", cmd_retry,
	    "lift a provider's stop once it is fixed there", retry_opts, 0 },
};

int
main(int argc, char *argv[])
{
	return tool_main(argc, argv, synopsis, cmds,
	    sizeof(cmds) / sizeof(cmds[0]));
}
