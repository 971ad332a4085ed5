/*
 * ss-cert: certificates for the device: self-signed, custom, checks.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "extern.h"
#include "log.h"

static const struct {
	const char	*name;
	int		(*fn)(struct env *, int, char **);
} cmds[] = {
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

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: ss-cert [-hnqvV] [-c file] command [options]\n"
	    "       ss-cert selfsigned [--key-type type] [--days n] [--force]\n"
	    "       ss-cert install --cert file --key file [--chain file]"
	    " [--ca file] [--name name]\n"
	    "       ss-cert check [path | --connect host:port]"
	    " [--hostname name] [--ca file]\n"
	    "                     [--warn-days n] [--crit-days n] [--json]\n"
	    "       ss-cert list [--json]\n"
	    "       ss-cert dhparam [--bits n] [--force]\n"
	    "       ss-cert export --pkcs12 file --alias alias [--name name]"
	    " [--password-fd n]\n"
	    "       ss-cert issue [--domain name]... [--staging] [--reuse-key]"
	    " [--agree-tos]\n"
	    "                     [--challenge http-01|dns-01]\n"
	    "       ss-cert renew [--days n] [--force] [--deploy-hook command]\n"
	    "       ss-cert revoke name [--reason reason]\n"
	    "       ss-cert account [--staging] [--agree-tos] [--rotate-key]\n");
}

int
usage_sub(const char *synopsis)
{
	fprintf(stderr, "usage: ss-cert %s\n", synopsis);
	return EX_USAGE;
}

/* Strict decimal option argument within MIN..MAX. */
int
opt_num(const char *opt, const char *arg, long min, long max, long *out)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || n < min || n > max) {
		log_err("%s: '%s' is not a number from %ld to %ld", opt, arg,
		    min, max);
		return EX_USAGE;
	}
	*out = n;
	return 0;
}

int
env_conf(struct env *e)
{
	if (e->conf != NULL)
		return 0;
	return conf_load(conf_path(e->conf_opt), &e->conf);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL, 'c' },
		{ "dry-run",	no_argument,		NULL, 'n' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	struct env	 e;
	size_t		 i;
	int		 ch, rc, verbosity = LOG_LEVEL_INFO;

	log_init(argv[0]);
	memset(&e, 0, sizeof(e));
	while ((ch = getopt_long(argc, argv, "+c:hnqvV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			e.conf_opt = optarg;
			break;
		case 'n':
			e.dry_run = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'q':
			verbosity = LOG_LEVEL_ERR;
			break;
		case 'v':
			verbosity++;
			break;
		case 'V':
			printf("ss-cert %s\n", SS_VERSION);
			return 0;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	log_set_level(verbosity);
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return EX_USAGE;
	}

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0])) {
		log_err("unknown command '%s'", argv[0]);
		usage(stderr);
		return EX_USAGE;
	}
	optind = 0;	/* glibc: full reinitialisation for the subcommand */
	rc = cmds[i].fn(&e, argc, argv);
	conf_free(e.conf);
	return rc;
}
