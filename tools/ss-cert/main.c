/*
 * ss-cert: certificates for the device: self-signed, custom, from an
 * ACME CA, and checks.
 */
#include "extern.h"

static const char *const synopsis[] = {
	"[-hnqtTvV] [-c file] command [options]",
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
	    "[--challenge http-01|dns-01] [--force] [--dry-run] [--run-hooks] "
	    "[--json]",
	"renew [--days n] [--force] [--deploy-hook command] [--dry-run] "
	    "[--run-hooks] [--json]",
	"revoke name [--reason reason] [--json]",
	"account [--staging] [--agree-tos] [--rotate-key] [--json]",
	NULL
};

static const struct tool_opt selfsigned_opts[] = {
	{ "--key-type", "ec256|ec384|rsa2048|rsa3072|rsa4096",
	    "the type of the new key (default: key_type)" },
	{ "--days", "n", "valid for n days, 1 to 36500 (default: self_days)" },
	{ "--force", NULL, "replace the certificate even if it would be kept" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt install_opts[] = {
	{ "--cert", "file",
	    "the certificate, maybe followed by intermediates" },
	{ "--key", "file", "its private key, not encrypted" },
	{ "--chain", "file", "more intermediate certificates" },
	{ "--ca", "file",
	    "verify the chain against the CA certificates in file" },
	{ "--name", "name", "install into dir/name instead of dir/fqdn" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt check_opts[] = {
	{ "--connect", "host:port",
	    "check what a TLS server sends, not a file" },
	{ "--hostname", "name",
	    "check that the certificate's names cover name" },
	{ "--ca", "file",
	    "verify the chain against the CA certificates in file" },
	{ "--chain", "file", "intermediates of a file checked apart from it" },
	{ "--warn-days", "n",
	    "WARNING with n days left or fewer (renew_days)" },
	{ "--crit-days", "n", "CRITICAL with n days left or fewer (7)" },
	{ "--json", NULL, "print one JSON object instead of the report" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt list_opts[] = {
	{ "--json", NULL, "print a JSON array instead" },
	{ "--names", NULL, "print the names only, one a line" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt dhparam_opts[] = {
	{ "--bits", "n", "2048 to 8192 bits (default: dhparam_bits)" },
	{ "--force", NULL, "replace a file of n bits too" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt export_opts[] = {
	{ "--pkcs12", "file", "the keystore to write" },
	{ "--alias", "alias", "the name of the entry, keytool's alias" },
	{ "--name", "name",
	    "export dir/name instead; self: the self-signed one" },
	{ "--password-fd", "n",
	    "read the keystore password from descriptor n" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt issue_opts[] = {
	{ "--domain", "name",
	    "ask for name; once for each name (default: fqdn)" },
	{ "--staging", NULL, "use the CA's staging_directory" },
	{ "--reuse-key", NULL, "keep the key of the current certificate" },
	{ "--agree-tos", NULL, "agree to the CA's terms of service" },
	{ "--challenge", "http-01|dns-01",
	    "prove control of the names this way, not challenge's" },
	{ "--force", NULL, "order even when a good one is there, not due" },
	{ "--dry-run", NULL,
	    "a whole order at staging_directory, nothing saved" },
	{ "--run-hooks", NULL, "run the hooks in a dry run too" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt renew_opts[] = {
	{ "--days", "n",
	    "due within n days of expiry if the CA gives no window" },
	{ "--force", NULL, "renew every certificate, due or not" },
	{ "--deploy-hook", "command", "run command instead of deploy_hook" },
	{ "--dry-run", NULL,
	    "a whole order at staging_directory, nothing saved" },
	{ "--run-hooks", NULL, "run the hooks in a dry run too" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt revoke_opts[] = {
	{ "--reason", "reason",
	    "why, by name or number (default: unspecified)" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt account_opts[] = {
	{ "--staging", NULL, "use the CA's staging_directory" },
	{ "--agree-tos", NULL, "agree to the CA's terms of service" },
	{ "--rotate-key", NULL, "change the account's key to a new one" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_cmd cmds[] = {
	{ "selfsigned", cmd_selfsigned,
	    "make the device's self-signed certificate, or keep a good one",
	    selfsigned_opts, 0 },
	{ "install", cmd_install,
	    "install a certificate and its key issued elsewhere",
	    install_opts, 0 },
	{ "check", cmd_check,
	    "check a certificate as monitoring plugins do (exit 0 to 3)",
	    check_opts, 0 },
	{ "list", cmd_list,
	    "list the certificates with their expiry and status",
	    list_opts, 0 },
	{ "dhparam", cmd_dhparam,
	    "write Diffie-Hellman parameters to dir/dhparam.pem",
	    dhparam_opts, 0 },
	{ "export", cmd_export,
	    "write the active certificate and key as a PKCS#12 keystore",
	    export_opts, 0 },
	{ "issue", cmd_issue,
	    "get a certificate from the ACME CA and install it",
	    issue_opts, 0 },
	{ "renew", cmd_renew,
	    "renew the certificates from the ACME CA that are due",
	    renew_opts, 0 },
	{ "revoke", cmd_revoke,
	    "revoke a certificate made by issue at its CA", revoke_opts, 0 },
	{ "account", cmd_account,
	    "register with the ACME CA, or find the account; print its URL",
	    account_opts, 0 },
};

int
main(int argc, char *argv[])
{
	return tool_main(argc, argv, synopsis, cmds,
	    sizeof(cmds) / sizeof(cmds[0]));
}
