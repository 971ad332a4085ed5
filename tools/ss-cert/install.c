/*
 * install: a certificate from the owner's own or private CA.  Everything
 * is checked before the first byte is written.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "cert.h"
#include "certdir.h"
#include "extern.h"
#include "fs.h"
#include "key.h"
#include "log.h"
#include "time64.h"

#define SYNOPSIS "install --cert file --key file [--chain file] [--ca file]" \
	" [--name name] [--json]"

/* Appends the certificates of FROM not yet in TO (TO takes the references). */
static int
chain_add(STACK_OF(X509) *to, STACK_OF(X509) *from, X509 *leaf)
{
	X509	*x;
	int	 i, j, dup;

	for (i = 0; i < sk_X509_num(from); i++) {
		x = sk_X509_value(from, i);
		dup = X509_cmp(x, leaf) == 0;
		for (j = 0; !dup && j < sk_X509_num(to); j++)
			dup = X509_cmp(x, sk_X509_value(to, j)) == 0;
		if (dup)
			continue;
		if (!X509_up_ref(x) || !sk_X509_push(to, x)) {
			log_err("out of memory");
			return EX_OSERR;
		}
	}
	return 0;
}

/* What to give when the chain BUILT stops short of a trust anchor. */
static void
hint_gap(STACK_OF(X509) *built)
{
	char	issuer[CERT_NAME_MAX];

	switch (cert_chain_gap(built, issuer, sizeof(issuer))) {
	case -1:
		break;
	case 0:
		log_err("the intermediate certificate (%s) is missing; give "
		    "it with --chain FILE", issuer);
		break;
	default:
		log_err("%s is not a trusted CA; give its certificate with "
		    "--ca FILE", issuer);
		break;
	}
}

/*
 * The checks a browser would make, and that the key belongs to the
 * certificate.  HOST is NULL when the names are not to be checked.
 */
static int
validate(const char *certfile, const char *keyfile, X509 *leaf,
    EVP_PKEY *key, STACK_OF(X509) *chain, const char *cafile,
    const char *host, int64_t *not_after)
{
	STACK_OF(X509)	*built = NULL;
	char		 why[512], when[64];
	int64_t		 now = time64_now();
	struct cert_info ci;
	int		 rc = EX_DATAERR;

	if (cert_info(leaf, &ci) != 0)
		return EX_DATAERR;
	if (!cert_matches_key(leaf, key)) {
		log_err("%s: key does not match the certificate in %s",
		    keyfile, certfile);
		goto out;
	}
	if (ci.not_before > now) {
		time64_text(when, sizeof(when), ci.not_before);
		log_err("%s: not valid before %s", certfile, when);
		goto out;
	}
	if (ci.not_after < now) {
		time64_text(when, sizeof(when), ci.not_after);
		log_err("%s: expired on %s", certfile, when);
		goto out;
	}
	switch (cert_verify_chain(leaf, chain, cafile, (time_t)now, &built,
	    why, sizeof(why))) {
	case 1:
		break;
	case 0:
		log_err("%s: chain does not verify to %s: %s", certfile,
		    cafile != NULL ? cafile : "the system trust store", why);
		hint_gap(built);
		goto out;
	default:
		rc = EX_SOFTWARE;
		goto out;
	}
	if (host != NULL && !cert_matches_host(leaf, host)) {
		log_err("%s: the certificate's names do not cover %s "
		    "(use --name to install it under another name)",
		    certfile, host);
		goto out;
	}
	*not_after = ci.not_after;
	rc = 0;
out:
	cert_chain_free(built);
	cert_info_free(&ci);
	return rc;
}

/* The --json report: what is (or would be) installed where. */
static int
print_json(const struct tool_env *e, const char *name, int same, int version,
    X509 *leaf, int64_t not_after)
{
	json_t	*paths, *o;
	char	 path[PATH_MAX], file[64], until[TIME64_TEXT_MAX];
	char	 fp[CERT_FINGERPRINT_MAX];
	size_t	 i;
	int	 link;

	if ((paths = json_array()) == NULL)
		return tool_print_json(NULL);
	for (link = 0; !same && link < 2; link++)
		for (i = 0; i < STORE_NKINDS; i++) {
			if (link)
				snprintf(file, sizeof(file), "%s.pem",
				    store_kinds[i]);
			else
				snprintf(file, sizeof(file), "%s-%d.pem",
				    store_kinds[i], version);
			if (certdir_path(path, sizeof(path), e->conf, name,
			    file) == 0)
				result_path(paths, path);
		}
	time64_rfc3339(until, sizeof(until), not_after);
	if (cert_fingerprint(leaf, fp, sizeof(fp)) != 0)
		fp[0] = '\0';
	o = json_pack("{s:s, s:i, s:s, s:s}", "name", name, "version", version,
	    "not_after", until, "fingerprint_sha256", fp);
	return result_print(e, !same, same ? "unchanged" : "installed", paths,
	    o);
}

int
cmd_install(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "cert",	required_argument,	NULL, 'C' },
		{ "key",	required_argument,	NULL, 'k' },
		{ "chain",	required_argument,	NULL, 'i' },
		{ "ca",		required_argument,	NULL, 'a' },
		{ "name",	required_argument,	NULL, 'N' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	const char		*certfile = NULL, *keyfile = NULL;
	const char		*chainfile = NULL, *cafile = NULL;
	const char		*name = NULL;
	STACK_OF(X509)		*certs = NULL, *extra = NULL, *chain = NULL;
	EVP_PKEY		*key = NULL;
	X509			*leaf = NULL;
	char			 until[64];
	int64_t			 not_after;
	long			 left;
	int			 ch, rc, version, same, json = 0, lockfd = -1;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			certfile = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'i':
			chainfile = optarg;
			break;
		case 'a':
			cafile = optarg;
			break;
		case 'N':
			name = optarg;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return tool_usage(SYNOPSIS);
		}
	}
	if (optind != argc || certfile == NULL || keyfile == NULL)
		return tool_usage(SYNOPSIS);
	if (name != NULL && (!certdir_name_ok(name) ||
	    strcmp(name, CERTDIR_SELF) == 0)) {
		log_err("--name: '%s' cannot name a certificate directory "
		    "(letters, digits, '.', '-', '_'; not \"%s\")", name,
		    CERTDIR_SELF);
		return EX_USAGE;
	}
	if ((rc = tool_conf(e)) != 0)
		return rc;

	if ((rc = cert_load(certfile, &certs)) != 0 ||
	    (rc = key_load(keyfile, &key)) != 0 ||
	    (chainfile != NULL &&
	    (rc = cert_load(chainfile, &extra)) != 0))
		goto out;
	leaf = sk_X509_value(certs, 0);
	if ((chain = sk_X509_new_null()) == NULL) {
		rc = EX_OSERR;
		goto out;
	}
	if ((rc = chain_add(chain, certs, leaf)) != 0 ||
	    (extra != NULL && (rc = chain_add(chain, extra, leaf)) != 0))
		goto out;
	if ((rc = validate(certfile, keyfile, leaf, key, chain, cafile,
	    name == NULL ? e->conf->fqdn : NULL, &not_after)) != 0)
		goto out;
	if (name == NULL)
		name = e->conf->fqdn;
	if (!certdir_name_ok(name)) {
		log_err("%s: fqdn '%s' cannot name a certificate directory",
		    e->conf->file, name);
		rc = EX_CONFIG;
		goto out;
	}

	left = cert_days_left(leaf, time64_now());
	if (left <= e->conf->certs.renew_days)
		log_warn("%s: expires in %ld days", certfile, left);
	/* The dry run takes no lock: it reads what is there now. */
	if ((!e->dry_run && (rc = store_lock(e->conf, &lockfd)) != 0) ||
	    (rc = store_plan_x509(e->conf, name, leaf, chain, key, &same,
	    &version)) != 0)
		goto out;
	if (same)
		log_info("%s is installed as %s already, version %d; nothing "
		    "changed", certfile, name, version);
	else if (e->dry_run)
		log_info("would install %s as %s, version %d (%d chain "
		    "certificates)", certfile, name, version,
		    sk_X509_num(chain));
	else {
		if ((rc = store_install_x509(e->conf, name, leaf, chain, key,
		    &version)) != 0)
			goto out;
		store_audit("certificate installed", name, leaf, NULL);
		time64_date(until, sizeof(until), not_after);
		log_info("installed %s as %s, version %d (until %s, %ld days)",
		    certfile, name, version, until, left);
	}
	if (json)
		rc = print_json(e, name, same, version, leaf, not_after);
out:
	if (lockfd != -1)
		fs_unlock(lockfd);
	EVP_PKEY_free(key);
	cert_chain_free(certs);
	cert_chain_free(extra);
	cert_chain_free(chain);
	return rc;
}
