/*
 * ss-passwd: the device's passwords: the system user's in the shadow
 * file, the CMS users' argon2id hashes, resets by mail, the factory
 * password, and nginx's htpasswd file.
 */
#include "extern.h"

static const char *const synopsis[] = {
	"[-hnqvV] [-c file] command [options]",
	"system [--password-fd n]",
	"user [name] [--also-system] [--password-fd n]",
	"useradd name --role owner|admin|user [--email address] [--random] "
	    "[--password-fd n]",
	"usermod name [--role role] [--email address] [--recovery on|off]",
	"userdel name",
	"list [--json]",
	"reset name --as owner [--password-fd n]",
	"forgot name",
	"factory-reset [--yes]",
	"verify name [--password-fd n]",
	"htpasswd name [--password-fd n]",
	NULL
};

static const struct tool_cmd cmds[] = {
	{ "system",		cmd_system },
	{ "user",		cmd_user },
	{ "useradd",		cmd_useradd },
	{ "usermod",		cmd_usermod },
	{ "userdel",		cmd_userdel },
	{ "list",		cmd_list },
	{ "reset",		cmd_reset },
	{ "forgot",		cmd_forgot },
	{ "factory-reset",	cmd_factory_reset },
	{ "verify",		cmd_verify },
	{ "htpasswd",		cmd_htpasswd },
};

int
main(int argc, char *argv[])
{
	return tool_main(argc, argv, synopsis, cmds,
	    sizeof(cmds) / sizeof(cmds[0]));
}
