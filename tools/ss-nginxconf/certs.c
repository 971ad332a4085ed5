/*
 * certs: certs.conf names the certificate nginx serves; reload: test and
 * reload after the files behind it changed (ss-cert's deploy hook).
 */
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

#define CERTS_SYNOPSIS	"certs [--name name | --self] [--dry-run]"

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
		{ NULL,		0,			NULL, 0 }
	};
	struct text	 t;
	const char	*name_arg = NULL;
	char		 name[256], crt[PATH_MAX], key[PATH_MAX];
	char		 dh[PATH_MAX];
	int		 ch, rc, self = 0;

	memset(&t, 0, sizeof(t));
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
	} else
		rc = nginx_apply(e->conf, e->conf->nginx.certs_conf, t.buf,
		    t.len, e->dry_run);
	text_free(&t);
	return rc;
}

int
cmd_reload(struct tool_env *e, int argc, char *argv[])
{
	int	rc;

	(void)argv;
	if (argc != 1)
		return tool_usage("reload");
	if ((rc = tool_conf(e)) != 0)
		return rc;
	if (e->dry_run) {
		log_info("would run '%s', then '%s'",
		    e->conf->nginx.test_command, e->conf->nginx.reload_command);
		return 0;
	}
	return nginx_test_reload(e->conf);
}
