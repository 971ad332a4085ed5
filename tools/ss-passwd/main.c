/*
 * ss-passwd: the device's passwords: the system user's in the shadow
 * file, the CMS users' argon2id hashes, resets by mail, the factory
 * password, and nginx's htpasswd file.
 */
#include "extern.h"

static const char *const synopsis[] = {
	"[-hnqvV] [-c file] command [options]",
	"system [--password-fd n] [--json]",
	"user [name] [--also-system] [--password-fd n] [--json]",
	"useradd name --role owner|admin|user [--email address] [--random] "
	    "[--password-fd n] [--json]",
	"usermod name [--role role] [--email address] [--recovery on|off] "
	    "[--json]",
	"userdel name [--json]",
	"unlock name [--json]",
	"list [--json]",
	"reset name --as owner [--password-fd n] [--json]",
	"forgot name [--json]",
	"factory-reset [--yes] [--json]",
	"verify name [--password-fd n]",
	"htpasswd name [--password-fd n] [--json]",
	NULL
};

static const struct tool_cmd cmds[] = {
	{ "system",		cmd_system },
	{ "user",		cmd_user },
	{ "useradd",		cmd_useradd },
	{ "usermod",		cmd_usermod },
	{ "userdel",		cmd_userdel },
	{ "unlock",		cmd_unlock },
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
