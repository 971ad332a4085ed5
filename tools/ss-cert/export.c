/*
 * export: the active certificate as a PKCS#12 keystore, for Jetty.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "cert.h"
#include "certdir.h"
#include "extern.h"
#include "fs.h"
#include "key.h"
#include "log.h"
#include "p12.h"
#include "prompt.h"
#include "secret.h"

#define SYNOPSIS "export --pkcs12 file --alias alias [--name name]" \
	" [--password-fd n] [--json]"
#define PASSWORD_MAX	256

/*
 * Whether the keystore at PATH must be written: *changed is 0 when it
 * opens with PASSWORD and holds this key, certificate, chain and alias.
 */
static int
same_store(const char *path, const char *password, EVP_PKEY *key, X509 *leaf,
    STACK_OF(X509) *chain, const char *alias, int *changed)
{
	char	*der = NULL;
	size_t	 len = 0;
	int	 rc;

	*changed = 1;
	if ((rc = fs_read_file(path, FS_MAX_READ, &der, &len)) != 0)
		return rc;
	*changed = !p12_holds((unsigned char *)der, len, password, key, leaf,
	    chain, alias);
	secret_free(der, len);
	return 0;
}

int
cmd_export(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "pkcs12",	required_argument,	NULL, 'p' },
		{ "alias",	required_argument,	NULL, 'a' },
		{ "name",	required_argument,	NULL, 'N' },
		{ "password-fd", required_argument,	NULL, 'F' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	STACK_OF(X509)	*certs = NULL, *chain = NULL;
	EVP_PKEY	*key = NULL;
	X509		*leaf;
	char		 name[256], crt[PATH_MAX], keyfile[PATH_MAX];
	char		 password[PASSWORD_MAX];
	const char	*out = NULL, *alias = NULL, *name_arg = NULL;
	unsigned char	*der = NULL;
	size_t		 len = 0;
	json_t		*paths;
	int		 ch, rc, i, fd = -1, json = 0, changed = 1, exists;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			out = optarg;
			break;
		case 'a':
			alias = optarg;
			break;
		case 'N':
			name_arg = optarg;
			break;
		case 'F':
			if ((rc = prompt_fd_option(optarg, &fd)) != 0)
				return rc;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return tool_usage(SYNOPSIS);
		}
	}
	if (optind != argc || out == NULL || alias == NULL || *alias == '\0')
		return tool_usage(SYNOPSIS);
	if (name_arg != NULL && !certdir_name_ok(name_arg)) {
		log_err("--name: '%s' is not a certificate name", name_arg);
		return EX_USAGE;
	}
	if ((rc = tool_conf(e)) != 0)
		return rc;
	if (name_arg != NULL)
		snprintf(name, sizeof(name), "%s", name_arg);
	else if ((rc = certdir_active_file(e->conf, name, sizeof(name), crt,
	    sizeof(crt))) != 0)
		return rc;
	if ((rc = certdir_cert_file(e->conf, name, crt, sizeof(crt))) != 0 ||
	    (rc = certdir_key_file(e->conf, name, keyfile,
	    sizeof(keyfile))) != 0)
		return rc;

	if ((rc = cert_load(crt, &certs)) != 0 ||
	    (rc = key_load(keyfile, &key)) != 0)
		goto out;
	leaf = sk_X509_value(certs, 0);
	if (!cert_matches_key(leaf, key)) {
		log_err("%s: key does not match the certificate in %s",
		    keyfile, crt);
		rc = EX_DATAERR;
		goto out;
	}
	if ((chain = sk_X509_new_null()) == NULL) {
		rc = EX_OSERR;
		goto out;
	}
	for (i = 1; i < sk_X509_num(certs); i++)
		if (!sk_X509_push(chain, sk_X509_value(certs, i))) {
			rc = EX_OSERR;
			goto out;
		}
	/* The password tells whether FILE holds this already. */
	exists = access(out, F_OK) == 0;
	if (exists || !e->dry_run) {
		/* A descriptor gives it once; a person types it twice. */
		rc = fd >= 0 ? prompt_secret("Keystore password: ", fd,
		    password, sizeof(password)) : prompt_secret_twice(
		    "Keystore password: ", -1, password, sizeof(password));
		if (rc != 0)
			goto out;
		if (*password == '\0') {
			log_err("the keystore password is empty");
			rc = EX_DATAERR;
			goto out;
		}
	}
	if (exists && (rc = same_store(out, password, key, leaf, chain,
	    alias, &changed)) != 0)
		goto out;
	if (!changed)
		log_info("%s holds %s with alias '%s' already; nothing "
		    "changed", out, crt, alias);
	else if (e->dry_run)
		log_info("would export %s as %s with alias '%s'", crt, out,
		    alias);
	else {
		if ((rc = p12_der(key, leaf, chain, alias, password, &der,
		    &len)) != 0 ||
		    (rc = fs_write_atomic(out, der, len, 0600)) != 0)
			goto out;
		log_info("exported %s to %s with alias '%s'", crt, out, alias);
	}
	if (json) {
		if ((paths = json_array()) != NULL && changed)
			result_path(paths, out);
		rc = result_print(e, changed, changed ? "exported" :
		    "unchanged", paths, json_pack("{s:s, s:s}", "name", name,
		    "alias", alias));
	}
out:
	secret_zero(password, sizeof(password));
	if (der != NULL)
		secret_free((char *)der, len);
	sk_X509_free(chain);
	EVP_PKEY_free(key);
	cert_chain_free(certs);
	return rc;
}
