/*
 * ss-passwd: the device's passwords: the system user's in the shadow
 * file, the CMS users' argon2id hashes, resets by mail, the factory
 * password, and nginx's htpasswd file.
 */
#include "extern.h"

static const char *const synopsis[] = {
	"[-hnqtTvV] [-c file] command [options]",
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

static const struct tool_opt system_opts[] = {
	{ "--password-fd", "n",
	    "read the passwords from descriptor n, one a line" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt user_opts[] = {
	{ "--also-system", NULL,
	    "then offer to change the system password too" },
	{ "--password-fd", "n",
	    "read the passwords from descriptor n, one a line" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt useradd_opts[] = {
	{ "--role", "owner|admin|user", "the user's role; required" },
	{ "--email", "address", "the address for reset and forgot" },
	{ "--random", NULL, "make a password and mail it instead of asking" },
	{ "--password-fd", "n",
	    "read the passwords from descriptor n, one a line" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt usermod_opts[] = {
	{ "--role", "owner|admin|user", "the user's new role" },
	{ "--email", "address", "the new address; empty removes it" },
	{ "--recovery", "on|off", "whether forgot may mail a new password" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt list_opts[] = {
	{ "--json", NULL, "print a JSON array instead" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt reset_opts[] = {
	{ "--as", "owner", "the owner who asks, whose password is asked" },
	{ "--password-fd", "n",
	    "read the passwords from descriptor n, one a line" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt factory_reset_opts[] = {
	{ "--yes", NULL, "do not ask" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt verify_opts[] = {
	{ "--password-fd", "n", "read the password from descriptor n" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt htpasswd_opts[] = {
	{ "--password-fd", "n",
	    "read the passwords from descriptor n, one a line" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt json_opts[] = {
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_cmd cmds[] = {
	{ "system", cmd_system, "change the system password", system_opts, 0 },
	{ "user", cmd_user,
	    "change a CMS user's password (default: system_user)",
	    user_opts, 0 },
	{ "useradd", cmd_useradd, "add a CMS user", useradd_opts, 0 },
	{ "usermod", cmd_usermod,
	    "change a CMS user's role, address or recovery", usermod_opts, 0 },
	{ "userdel", cmd_userdel,
	    "delete a CMS user, unless the last owner", json_opts, 0 },
	{ "unlock", cmd_unlock,
	    "lift a CMS user's lockout after failed logins", json_opts, 0 },
	{ "list", cmd_list,
	    "list the CMS users, their role and status", list_opts, 0 },
	{ "reset", cmd_reset,
	    "mail a user a new password on an owner's word", reset_opts, 0 },
	{ "forgot", cmd_forgot,
	    "mail a new password to a user who forgot theirs", json_opts, 0 },
	{ "factory-reset", cmd_factory_reset,
	    "restore the factory system password", factory_reset_opts, 0 },
	{ "verify", cmd_verify,
	    "check a CMS user's password as a login does", verify_opts, 0 },
	{ "htpasswd", cmd_htpasswd,
	    "set a password in htpasswd_file for nginx", htpasswd_opts, 0 },
};

int
main(int argc, char *argv[])
{
	return tool_main(argc, argv, synopsis, cmds,
	    sizeof(cmds) / sizeof(cmds[0]));
}
