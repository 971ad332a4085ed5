/*
 * ss-cert: certificates for the device: self-signed, custom, from an
 * ACME CA, and checks.
 */
#include "extern.h"

static const char *const synopsis[] = {
	"[-hnqvV] [-c file] command [options]",
	"selfsigned [--key-type type] [--days n] [--force] [--json]",
	"install --cert file --key file [--chain file] [--ca file] "
	    "[--name name] [--json]",
	"check [path | --connect host:port] [--hostname name] [--ca file] "
	    "[--chain file] [--warn-days n] [--crit-days n] [--json]",
	"list [--json | --names]",
	"dhparam [--bits n] [--force] [--json]",
	"export --pkcs12 file --alias alias [--name name] [--password-fd n] "
	    "[--json]",
	"issue [--domain name]... [--staging] [--reuse-key] [--agree-tos] "
	    "[--challenge http-01|dns-01] [--dry-run] [--run-hooks] [--json]",
	"renew [--days n] [--force] [--deploy-hook command] [--dry-run] "
	    "[--run-hooks] [--json]",
	"revoke name [--reason reason] [--json]",
	"account [--staging] [--agree-tos] [--rotate-key] [--json]",
	NULL
};

static const struct tool_cmd cmds[] = {
	{ "selfsigned",	cmd_selfsigned },
	{ "install",	cmd_install },
	{ "check",	cmd_check },
	{ "list",	cmd_list },
	{ "dhparam",	cmd_dhparam },
	{ "export",	cmd_export },
	{ "issue",	cmd_issue },
	{ "renew",	cmd_renew },
	{ "revoke",	cmd_revoke },
	{ "account",	cmd_account },
};

int
main(int argc, char *argv[])
{
	return tool_main(argc, argv, synopsis, cmds,
	    sizeof(cmds) / sizeof(cmds[0]));
}
