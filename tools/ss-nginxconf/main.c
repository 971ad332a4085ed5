/*
 * ss-nginxconf: nginx serves the chosen certificate and a safe reverse
 * proxy for the automation server, and is never left broken.
 */
#include "extern.h"

static const char *const synopsis[] = {
	"[-hnqtTvV] [-c file] command [options]",
	"certs [--name name | --self] [--dry-run] [--json]",
	"reload [--dry-run] [--json]",
	"proxy [--allow-no-auth] [--allow-exposed] [--dry-run] [--json]",
	"bind [--dry-run] [--json]",
	"ports [--json]",
	NULL
};

static const struct tool_opt certs_opts[] = {
	{ "--name", "name", "serve the certificate in dir/name" },
	{ "--self", NULL, "serve the self-signed certificate" },
	{ "-n, --dry-run", NULL, "as the global -n: change nothing" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt proxy_opts[] = {
	{ "--allow-no-auth", NULL,
	    "warn about auth = none instead of refusing" },
	{ "--allow-exposed", NULL,
	    "warn about a backend not on loopback, not refuse" },
	{ "-n, --dry-run", NULL, "as the global -n: change nothing" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt bind_opts[] = {
	{ "-n, --dry-run", NULL, "as the global -n: change nothing" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt ports_opts[] = {
	{ "--json", NULL, "print a JSON array instead" },
	{ NULL, NULL, NULL }
};

static const struct tool_opt reload_opts[] = {
	{ "-n, --dry-run", NULL, "as the global -n: change nothing" },
	{ "--json", NULL, "print what was done as one JSON object" },
	{ NULL, NULL, NULL }
};

static const struct tool_cmd cmds[] = {
	{ "certs", cmd_certs,
	    "point nginx at a certificate (certs_conf)", certs_opts, 0 },
	{ "reload", cmd_reload,
	    "test nginx's configuration, then reload it", reload_opts, 0 },
	{ "proxy", cmd_proxy,
	    "write the reverse proxy to the automation server (site_conf)",
	    proxy_opts, 0 },
	{ "bind", cmd_bind,
	    "make the automation server listen on loopback", bind_opts, 0 },
	{ "ports", cmd_ports,
	    "print the forwardings the NAT router needs", ports_opts, 0 },
};

int
main(int argc, char *argv[])
{
	return tool_main(argc, argv, synopsis, cmds,
	    sizeof(cmds) / sizeof(cmds[0]));
}
