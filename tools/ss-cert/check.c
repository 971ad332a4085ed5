/*
 * check: what a public SSL checker reports, for a file or a live server,
 * with monitoring-plugin exit codes.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "cert.h"
#include "certcheck.h"
#include "certdir.h"
#include "check.h"
#include "extern.h"
#include "hostport.h"
#include "log.h"
#include "time64.h"

#define SYNOPSIS "check [path | --connect host:port] [--hostname name]" \
	" [--ca file] [--chain file] [--warn-days n] [--crit-days n] [--json]"
#define CONNECT_TIMEOUT	10

/*
 * A certificate directory stands for the file that holds its chain
 * (*dir 1), anything else for itself.
 */
static int
resolve_path(const char *arg, char *buf, size_t len, int *dir)
{
	const char	*file = NULL;
	char		 probe[PATH_MAX];

	snprintf(probe, sizeof(probe), "%s/fullchain.pem", arg);
	if (access(probe, F_OK) == 0)
		file = "fullchain.pem";
	snprintf(probe, sizeof(probe), "%s/server.crt", arg);
	if (file == NULL && access(probe, F_OK) == 0)
		file = "server.crt";
	*dir = file != NULL;
	if (file == NULL)
		return snprintf(buf, len, "%s", arg) < (int)len;
	return snprintf(buf, len, "%s/%s", arg, file) < (int)len;
}

/*
 * What to do about a chain that stops short, on standard error: the
 * certificate checked was got from SOURCE, which is how to give it what
 * is missing.
 */
enum source { FROM_SERVER, FROM_FILE, FROM_INSTALLED };

static void
hint_gap(const struct certcheck *r, enum source source)
{
	const char	*issuer = r->gap_issuer;

	if (r->chain_state == CERTCHECK_CHAIN_UNTRUSTED)
		log_warn("%s is not a trusted CA; give its certificate with "
		    "--ca FILE", issuer);
	if (r->chain_state != CERTCHECK_CHAIN_INCOMPLETE)
		return;
	if (source == FROM_FILE)
		log_warn("the intermediate certificate (%s) is missing; give "
		    "it with --chain FILE", issuer);
	else if (source == FROM_INSTALLED)
		log_warn("the intermediate certificate (%s) is missing; "
		    "install the certificate again with it: ss-cert install "
		    "--cert FILE --key FILE --chain FILE", issuer);
	else
		log_warn("the server does not send the intermediate "
		    "certificate (%s); it must serve the full chain (on an "
		    "ss device: ss-cert install ... --chain FILE)", issuer);
}

static void
summary(FILE *f, const struct certcheck *r)
{
	char	until[32];
	int	i;

	fprintf(f, "CERT %s - ", check_status_name(r->check.status));
	if (r->check.nproblems == 0) {
		time64_date(until, sizeof(until), r->ci.not_after);
		fprintf(f, "%s valid until %s (%ld days)\n", r->ci.cn, until,
		    r->days_left);
		return;
	}
	fprintf(f, "%s: ", r->ci.cn);
	for (i = 0; i < r->check.nproblems; i++)
		fprintf(f, "%s%s", i ? "; " : "", r->check.problems[i]);
	fputc('\n', f);
}

static void
print_text(const struct certcheck *r)
{
	struct cert_info ci;
	char		 from[32], until[32];
	char *const	*san;
	int		 i;

	summary(stdout, r);
	time64_text(from, sizeof(from), r->ci.not_before);
	time64_text(until, sizeof(until), r->ci.not_after);
	printf("Common name:    %s\n", r->ci.cn);
	printf("Issuer:         %s\n", r->ci.issuer);
	printf("Valid from:     %s\n", from);
	printf("Valid until:    %s\n", until);
	printf("Days left:      %ld\n", r->days_left);
	printf("Key:            %s %d bits%s%s%s\n", r->ci.key_type,
	    r->ci.key_bits, *r->ci.curve ? " (" : "", r->ci.curve,
	    *r->ci.curve ? ")" : "");
	printf("Signature:      %s\n", r->ci.sigalg);
	printf("Serial:         %s\n", r->ci.serial);
	printf("Names:         ");
	for (san = r->ci.sans; *san != NULL; san++)
		printf(" %s%s", *san, san[1] != NULL ? "," : "");
	printf("\n");
	if (r->host == NULL)
		printf("Hostname:       not checked\n");
	else
		printf("Hostname:       %s %s\n", r->host,
		    r->host_match ? "matches" : "DOES NOT MATCH");
	if (r->chain_state == CERTCHECK_CHAIN_OK)
		printf("Chain:          complete and trusted\n");
	else if (r->ci.self_signed)
		printf("Chain:          self-signed\n");
	else
		printf("Chain:          does not verify: %s\n", r->chain_why);
	for (i = 0; i < sk_X509_num(r->chain); i++) {
		if (cert_info(sk_X509_value(r->chain, i), &ci) != 0)
			continue;
		time64_text(from, sizeof(from), ci.not_before);
		time64_text(until, sizeof(until), ci.not_after);
		printf("  %d subject:    %s\n", i, ci.subject);
		printf("    issuer:     %s\n", ci.issuer);
		printf("    valid:      %s to %s\n", from, until);
		cert_info_free(&ci);
	}
}

static json_t *
chain_json(STACK_OF(X509) *chain)
{
	struct cert_info ci;
	char		 from[32], until[32];
	json_t		*a = json_array();
	int		 i;

	for (i = 0; a != NULL && i < sk_X509_num(chain); i++) {
		if (cert_info(sk_X509_value(chain, i), &ci) != 0)
			continue;
		time64_rfc3339(from, sizeof(from), ci.not_before);
		time64_rfc3339(until, sizeof(until), ci.not_after);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}",
		    "subject", ci.subject, "issuer", ci.issuer,
		    "not_before", from, "not_after", until));
		cert_info_free(&ci);
	}
	return a;
}

static int
print_json(const struct certcheck *r)
{
	json_t	*sans;
	char	 from[32], until[32];
	char *const *san;

	sans = json_array();
	for (san = r->ci.sans; sans != NULL && *san != NULL; san++)
		json_array_append_new(sans, json_string(*san));
	time64_rfc3339(from, sizeof(from), r->ci.not_before);
	time64_rfc3339(until, sizeof(until), r->ci.not_after);
	return tool_print_json(json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:I, "
	    "s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o}",
	    "status", check_status_name(r->check.status),
	    "problems", check_problems_json(&r->check),
	    "cn", r->ci.cn,
	    "issuer", r->ci.issuer,
	    "not_before", from,
	    "not_after", until,
	    "days_left", (json_int_t)r->days_left,
	    "key_type", r->ci.key_type,
	    "key_bits", r->ci.key_bits,
	    "curve", r->ci.curve,
	    "signature", r->ci.sigalg,
	    "serial", r->ci.serial,
	    "sans", sans,
	    "hostname", r->host != NULL ? json_string(r->host) : json_null(),
	    "hostname_match", r->host != NULL ? json_boolean(r->host_match) :
	    json_null(),
	    "chain_complete", r->chain_state == CERTCHECK_CHAIN_OK,
	    "chain", chain_json(r->chain)));
}

/*
 * Whether a configuration is needed: not for a file or server named on the
 * command line when none was asked for and the default one is absent.
 */
static int
want_conf(const struct tool_env *e, int explicit_target)
{
	const char	*env = getenv("SS_CONFIG");

	if (!explicit_target || e->conf_opt != NULL ||
	    (env != NULL && *env != '\0'))
		return 1;
	return access(CONF_DEFAULT_PATH, F_OK) == 0 || errno != ENOENT;
}

int
cmd_check(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "connect",	required_argument,	NULL, 'C' },
		{ "hostname",	required_argument,	NULL, 'H' },
		{ "ca",		required_argument,	NULL, 'a' },
		{ "chain",	required_argument,	NULL, 'i' },
		{ "warn-days",	required_argument,	NULL, 'w' },
		{ "crit-days",	required_argument,	NULL, 'c' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct certcheck	 r;
	STACK_OF(X509)	*certs = NULL, *rest = NULL, *extra = NULL;
	X509		*leaf;
	char		 host[256], port[8], path[PATH_MAX], name[256];
	char		 why[512];
	const char	*connect = NULL, *hostname = NULL, *cafile = NULL;
	const char	*chainfile = NULL;
	enum source	 source = FROM_INSTALLED;
	long		 warn = -1, crit = 7, portnum;
	int		 ch, json = 0, i, dir, rc;

	memset(&r, 0, sizeof(r));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			connect = optarg;
			break;
		case 'H':
			hostname = optarg;
			break;
		case 'a':
			cafile = optarg;
			break;
		case 'i':
			chainfile = optarg;
			break;
		case 'w':
			if (tool_num("--warn-days", optarg, 0, 36500, &warn))
				return CHECK_UNKNOWN;
			break;
		case 'c':
			if (tool_num("--crit-days", optarg, 0, 36500, &crit))
				return CHECK_UNKNOWN;
			break;
		case 'j':
			json = 1;
			break;
		default:
			tool_usage(SYNOPSIS);
			return CHECK_UNKNOWN;
		}
	}
	if (argc - optind > 1 || (connect != NULL && (optind != argc ||
	    chainfile != NULL))) {
		tool_usage(SYNOPSIS);
		return CHECK_UNKNOWN;
	}
	if (connect != NULL) {
		if (!hostport_parse(connect, 0, host, sizeof(host), &portnum)) {
			log_err("--connect: '%s' is not host:port", connect);
			return CHECK_UNKNOWN;
		}
		snprintf(port, sizeof(port), "%ld", portnum);
	}
	if (want_conf(e, connect != NULL || optind < argc) &&
	    tool_conf(e) != 0)
		return CHECK_UNKNOWN;
	if (warn == -1)
		warn = e->conf != NULL ?
		    e->conf->certs.renew_days : 30;

	if (connect != NULL) {
		source = FROM_SERVER;
		if (hostname == NULL)
			hostname = host;
		if (certcheck_probe(host, port, hostname, CONNECT_TIMEOUT,
		    &certs, why, sizeof(why)) != 0) {
			printf("CERT CRITICAL - %s\n", why);
			return CHECK_CRITICAL;
		}
	} else {
		if (optind < argc) {
			if (!resolve_path(argv[optind], path, sizeof(path),
			    &dir)) {
				log_err("%s: path too long", argv[optind]);
				return CHECK_UNKNOWN;
			}
			if (!dir)
				source = FROM_FILE;
		} else if ((rc = certdir_active_file(e->conf, name,
		    sizeof(name), path, sizeof(path))) != 0) {
			if (rc == EX_NOINPUT)
				printf("CERT UNKNOWN - no certificate in %s "
				    "yet\n", e->conf->certs.dir);
			return CHECK_UNKNOWN;
		}
		if (hostname == NULL && e->conf != NULL)
			hostname = e->conf->fqdn;
		if (cert_load(path, &certs) != 0) {
			printf("CERT UNKNOWN - %s: cannot be read\n", path);
			return CHECK_UNKNOWN;
		}
		if (chainfile != NULL && cert_load(chainfile, &extra) != 0) {
			printf("CERT UNKNOWN - %s: cannot be read\n",
			    chainfile);
			goto fail;
		}
	}

	leaf = sk_X509_value(certs, 0);
	if ((rest = sk_X509_new_null()) == NULL)
		goto unknown;
	for (i = 1; i < sk_X509_num(certs); i++)
		if (!sk_X509_push(rest, sk_X509_value(certs, i)))
			goto unknown;
	for (i = 0; i < sk_X509_num(extra); i++)
		if (!sk_X509_push(rest, sk_X509_value(extra, i)))
			goto unknown;
	if (certcheck_judge(&r, leaf, rest, hostname, cafile, warn,
	    crit) != 0)
		goto unknown;
	if (json ? print_json(&r) != 0 : (print_text(&r), 0))
		goto unknown;
	hint_gap(&r, source);
	goto out;
unknown:
	printf("CERT UNKNOWN - the certificate could not be examined\n");
fail:
	r.check.status = CHECK_UNKNOWN;
out:
	certcheck_free(&r);
	sk_X509_free(rest);
	cert_chain_free(extra);
	cert_chain_free(certs);
	return r.check.status;
}
