/*
 * certs: certs.conf names the certificate nginx serves; reload: test and
 * reload after the files behind it changed (ss-cert's deploy hook).
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cert.h"
#include "certdir.h"
#include "extern.h"
#include "key.h"
#include "log.h"

#define CERTS_SYNOPSIS	"certs [--name name | --self] [--dry-run] [--json]"
#define RELOAD_SYNOPSIS	"reload [--dry-run] [--json]"

/*
 * A certificate that is not there yet gets the command that makes it,
 * not only the error of the file that is missing.
 */
static int
check_present(const char *name, const char *crt)
{
	struct stat	st;

	if (lstat(crt, &st) == 0 || errno != ENOENT)
		return 0;
	if (strcmp(name, CERTDIR_SELF) == 0)
		log_err("%s: no certificate yet; run: ss-cert selfsigned", crt);
	else
		log_err("%s: no certificate %s yet; install it with ss-cert "
		    "install --name %s (ss-cert list shows those there are)",
		    crt, name, name);
	return EX_NOINPUT;
}

/*
 * The pair must load and belong together before nginx ever sees it: its
 * own error would only say that it failed to start.
 */
static int
check_pair(const char *crt, const char *key)
{
	STACK_OF(X509)	*certs = NULL;
	EVP_PKEY	*pkey = NULL;
	int		 rc;

	if ((rc = cert_load(crt, &certs)) != 0 ||
	    (rc = key_load(key, &pkey)) != 0)
		goto out;
	if (!cert_matches_key(sk_X509_value(certs, 0), pkey)) {
		log_err("%s: key does not match the certificate in %s", key,
		    crt);
		rc = EX_DATAERR;
	}
out:
	EVP_PKEY_free(pkey);
	cert_chain_free(certs);
	return rc;
}

int
cmd_certs(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "name",	required_argument,	NULL, 'N' },
		{ "self",	no_argument,		NULL, 's' },
		{ "dry-run",	no_argument,		NULL, 'n' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct result	 r;
	struct text	 t;
	const char	*name_arg = NULL;
	char		 name[256], crt[PATH_MAX], key[PATH_MAX];
	char		 dh[PATH_MAX];
	int		 ch, rc, self = 0, json = 0;

	memset(&t, 0, sizeof(t));
	result_init(&r);
	while ((ch = getopt_long(argc, argv, "n", longopts, NULL)) != -1) {
		switch (ch) {
		case 'N':
			name_arg = optarg;
			break;
		case 's':
			self = 1;
			break;
		case 'n':
			e->dry_run = 1;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return tool_usage(CERTS_SYNOPSIS);
		}
	}
	if (optind != argc || (self && name_arg != NULL))
		return tool_usage(CERTS_SYNOPSIS);
	if (name_arg != NULL && !certdir_name_ok(name_arg)) {
		log_err("--name: '%s' is not a certificate name", name_arg);
		return EX_USAGE;
	}
	if ((rc = tool_conf(e)) != 0)
		return rc;
	if (self)
		snprintf(name, sizeof(name), "%s", CERTDIR_SELF);
	else if (name_arg != NULL)
		snprintf(name, sizeof(name), "%s", name_arg);
	else if ((rc = certdir_active(e->conf, name, sizeof(name))) != 0)
		return rc;
	if ((rc = certdir_cert_file(e->conf, name, crt, sizeof(crt))) != 0 ||
	    (rc = certdir_key_file(e->conf, name, key, sizeof(key))) != 0 ||
	    (rc = certdir_path(dh, sizeof(dh), e->conf, NULL,
	    "dhparam.pem")) != 0 ||
	    (rc = nginx_word(e->conf, "certs", "dir", crt)) != 0 ||
	    (rc = check_present(name, crt)) != 0 ||
	    (rc = check_pair(crt, key)) != 0)
		return rc;

	text_add(&t, "# Written by ss-nginxconf certs: the certificate nginx "
	    "serves (%s).\n", name);
	text_add(&t, "ssl_certificate %s;\n", crt);
	text_add(&t, "ssl_certificate_key %s;\n", key);
	if (access(dh, R_OK) == 0)
		text_add(&t, "ssl_dhparam %s;\n", dh);
	if (t.failed) {
		log_err("out of memory");
		rc = EX_OSERR;
	} else if ((rc = nginx_apply(e->conf, e->conf->nginx.certs_conf,
	    t.buf, t.len, e->dry_run, &r)) == 0)
		rc = report(&r, e->dry_run, json, "certificate", name);
	result_free(&r);
	text_free(&t);
	return rc;
}

int
cmd_reload(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "dry-run",	no_argument,	NULL, 'n' },
		{ "json",	no_argument,	NULL, 'j' },
		{ NULL,		0,		NULL, 0 }
	};
	struct result	r;
	int		ch, rc, json = 0;

	while ((ch = getopt_long(argc, argv, "n", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			e->dry_run = 1;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return tool_usage(RELOAD_SYNOPSIS);
		}
	}
	if (optind != argc)
		return tool_usage(RELOAD_SYNOPSIS);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	result_init(&r);
	if ((rc = nginx_test_reload(e->conf, e->dry_run, &r)) == 0)
		rc = report(&r, e->dry_run, json, NULL, NULL);
	result_free(&r);
	return rc;
}
