/*
 * issue, renew, revoke: certificates from an ACME CA for the device's
 * names, and what is needed to renew them unattended.
 *
 * Each ACME-managed certificate has a renewal file next to the account:
 *   STATE/acme/certs/NAME.json  {"domains":[...], "directory":...,
 *                                "challenge":..., "revoked":false}
 */
#define _GNU_SOURCE		/* asprintf */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "cert.h"
#include "certdir.h"
#include "certgen.h"
#include "extern.h"
#include "fs.h"
#include "key.h"
#include "log.h"
#include "run.h"
#include "secret.h"
#include "time64.h"

#define ISSUE_SYNOPSIS	"issue [--domain name]... [--staging] [--reuse-key]" \
	" [--challenge http-01|dns-01] [--agree-tos]"
#define RENEW_SYNOPSIS	"renew [--days n] [--force] [--deploy-hook command]"
#define REVOKE_SYNOPSIS	"revoke name [--reason reason]"
#define MAX_DOMAINS	100
#define DEPLOY_TIMEOUT	300	/* seconds for the deploy hook */
/*
 * A CA stamps notBefore from its own clock, which may run ahead of the
 * device's (pebble uses the second of issuance): a certificate just issued
 * is checked as of this many seconds from now.
 */
#define ISSUED_SKEW	300

struct renewal {
	char	  name[256];
	char	 *domains[MAX_DOMAINS + 1];
	char	 *directory;
	int	  dns;
	int	  revoked;
};

static void
renewal_free(struct renewal *r)
{
	char	**d;

	for (d = r->domains; *d != NULL; d++)
		free(*d);
	free(r->directory);
	memset(r, 0, sizeof(*r));
}

int
issue_renewal_path(const struct ss_conf *c, const char *name, char *buf,
    size_t len)
{
	int	n;

	n = snprintf(buf, len, "%s/acme/certs%s%s%s", c->device.state_dir,
	    name != NULL ? "/" : "", name != NULL ? name : "",
	    name != NULL ? ".json" : "");
	if (n < 0 || (size_t)n >= len) {
		log_err("%s: path too long", c->device.state_dir);
		return EX_SOFTWARE;
	}
	return 0;
}

/*
 * STATE/acme/certs opened by descriptor into D, created 0700 when
 * CREATE; missing is EX_NOINPUT, not logged.
 */
static int
renewal_dir(const struct ss_conf *c, int create, struct fs_dir *d)
{
	return fs_dir_open(d, c->device.state_dir, "[device] state_dir",
	    0700, "acme/certs", create ? 0700 : 0);
}

/* NAME.json of STATE/acme/certs, read by descriptor and parsed. */
static int
renewal_json(const struct ss_conf *c, const char *name, const char *path,
    json_t **j)
{
	struct fs_dir	 d;
	json_error_t	 e;
	char		 file[NAME_MAX + 1];
	char		*text = NULL;
	size_t		 len;
	int		 rc;

	*j = NULL;
	if ((rc = renewal_dir(c, 0, &d)) != 0) {
		if (rc == EX_NOINPUT)
			log_err("%s: no such file", path);
		return rc;
	}
	if ((size_t)snprintf(file, sizeof(file), "%s.json", name) >=
	    sizeof(file)) {
		log_err("%s: path too long", path);
		rc = EX_SOFTWARE;
	} else if ((rc = fs_read_at(&d, file, FS_MAX_READ, &text,
	    &len)) == 0 && (*j = json_loadb(text, len, JSON_REJECT_DUPLICATES,
	    &e)) == NULL) {
		log_err("%s:%d: %s", path, e.line, e.text);
		rc = EX_DATAERR;
	}
	free(text);
	fs_dir_close(&d);
	return rc;
}

static int
renewal_load(const struct ss_conf *c, const char *name, struct renewal *r)
{
	char		 path[PATH_MAX];
	const char	*dir, *chal;
	json_t		*j = NULL, *d;
	size_t		 i, n = 0;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if ((rc = issue_renewal_path(c, name, path, sizeof(path))) != 0 ||
	    (rc = renewal_json(c, name, path, &j)) != 0)
		return rc;
	snprintf(r->name, sizeof(r->name), "%s", name);
	dir = json_string_value(json_object_get(j, "directory"));
	chal = json_string_value(json_object_get(j, "challenge"));
	rc = EX_DATAERR;
	if (dir == NULL || chal == NULL || (strcmp(chal, "http-01") != 0 &&
	    strcmp(chal, "dns-01") != 0) ||
	    !json_is_array(json_object_get(j, "domains"))) {
		log_err("%s: not a renewal file (directory, challenge, domains)",
		    path);
		goto out;
	}
	json_array_foreach(json_object_get(j, "domains"), i, d) {
		if (!json_is_string(d) || n == MAX_DOMAINS) {
			log_err("%s: bad domains", path);
			goto out;
		}
		if ((r->domains[n++] = strdup(json_string_value(d))) == NULL)
			goto oom;
	}
	if (n == 0) {
		log_err("%s: no domains", path);
		goto out;
	}
	if ((r->directory = strdup(dir)) == NULL)
		goto oom;
	r->dns = strcmp(chal, "dns-01") == 0;
	r->revoked = json_is_true(json_object_get(j, "revoked"));
	rc = 0;
	goto out;
oom:
	log_err("out of memory");
	rc = EX_OSERR;
out:
	json_decref(j);
	if (rc != 0)
		renewal_free(r);
	return rc;
}

static int
renewal_save(const struct ss_conf *c, const struct renewal *r)
{
	struct fs_dir	 dir;
	char		 file[NAME_MAX + 1];
	char *const	*d;
	json_t		*j, *doms;
	char		*text = NULL;
	int		 rc = EX_SOFTWARE;

	if ((doms = json_array()) == NULL)
		return EX_OSERR;
	for (d = r->domains; *d != NULL; d++)
		json_array_append_new(doms, json_string(*d));
	j = json_pack("{s:o, s:s, s:s, s:b}", "domains", doms, "directory",
	    r->directory, "challenge", r->dns ? "dns-01" : "http-01",
	    "revoked", r->revoked);
	if (j != NULL)
		text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (text != NULL && (size_t)snprintf(file, sizeof(file), "%s.json",
	    r->name) < sizeof(file) && (rc = renewal_dir(c, 1, &dir)) == 0) {
		rc = fs_write_at(&dir, file, text, strlen(text), 0600);
		fs_dir_close(&dir);
	}
	json_decref(j);
	free(text);
	return rc;
}

/*
 * The CA's answer, checked before it can replace anything: our key, our
 * names, and a chain that holds together.
 */
static int
accept_chain(const char *name, const char *pem, size_t len, EVP_PKEY *key,
    char *const *domains, X509 **leafp, STACK_OF(X509) **chainp)
{
	STACK_OF(X509)	*certs = NULL, *chain = NULL;
	X509		*leaf;
	char		 what[300], why[512];
	char *const	*d;
	int		 i, rc;

	snprintf(what, sizeof(what), "certificate for %s from the CA", name);
	if ((rc = cert_parse(what, pem, len, &certs)) != 0)
		return rc;
	rc = EX_DATAERR;
	leaf = sk_X509_value(certs, 0);
	if (!cert_matches_key(leaf, key)) {
		log_err("%s: not for the key we sent", what);
		goto out;
	}
	for (d = domains; *d != NULL; d++)
		if (!cert_matches_host(leaf, *d)) {
			log_err("%s: does not cover %s", what, *d);
			goto out;
		}
	if ((chain = sk_X509_new_null()) == NULL) {
		rc = EX_OSERR;
		goto out;
	}
	for (i = 1; i < sk_X509_num(certs); i++) {
		if (!sk_X509_push(chain, sk_X509_value(certs, i))) {
			rc = EX_OSERR;
			goto out;
		}
		X509_up_ref(sk_X509_value(certs, i));
	}
	switch (cert_verify_issued(leaf, chain, time(NULL) + ISSUED_SKEW, why,
	    sizeof(why))) {
	case 1:
		break;
	case 0:
		log_err("%s: %s", what, why);
		goto out;
	default:
		rc = EX_SOFTWARE;
		goto out;
	}
	X509_up_ref(leaf);
	*leafp = leaf;
	*chainp = chain;
	chain = NULL;
	rc = 0;
out:
	cert_chain_free(chain);
	cert_chain_free(certs);
	return rc;
}

/*
 * One certificate from the CA through the account A, stored as the next
 * version of NAME; the current one stays active until then.  EVENT is
 * its audit line's.  The store lock is the caller's.
 */
static int
issue_one(const struct ss_conf *c, struct acme *a, struct renewal *r,
    int reuse_key, const char *event, int64_t *not_after)
{
	struct acme_order	 o;
	struct cert_info	 ci;
	EVP_PKEY		*key = NULL;
	X509			*leaf = NULL;
	STACK_OF(X509)		*chain = NULL;
	unsigned char		*csr = NULL;
	char			 keyfile[PATH_MAX], *pem = NULL;
	size_t			 csrlen = 0, pemlen = 0;
	int			 rc, version, type;

	if (reuse_key) {
		if ((rc = certdir_key_file(c, r->name, keyfile,
		    sizeof(keyfile))) != 0 ||
		    (rc = key_load(keyfile, &key)) != 0)
			goto out;
	} else {
		type = key_type_parse(c->certs.key_type);
		if ((key = key_new(type)) == NULL) {
			rc = EX_SOFTWARE;
			goto out;
		}
	}
	if ((rc = certgen_csr(key, r->domains, &csr, &csrlen)) != 0)
		goto out;
	o.domains = r->domains;
	o.dns = r->dns;
	o.csr = csr;
	o.csrlen = csrlen;
	o.timeout = c->acme.timeout;
	if ((rc = acme_issue(a, &o, &pem, &pemlen)) != 0 ||
	    (rc = accept_chain(r->name, pem, pemlen, key, r->domains, &leaf,
	    &chain)) != 0)
		goto out;
	if ((rc = store_install_x509(c, r->name, leaf, chain, key,
	    &version)) != 0)
		goto out;
	store_audit(event, r->name, leaf, NULL);
	r->revoked = 0;
	if ((rc = renewal_save(c, r)) != 0)
		goto out;
	if (cert_info(leaf, &ci) == 0) {
		*not_after = ci.not_after;
		cert_info_free(&ci);
	}
	log_info("issued %s, version %d", r->name, version);
out:
	if (rc != 0)
		log_err("%s: no new certificate; the current one stays active",
		    r->name);
	EVP_PKEY_free(key);
	X509_free(leaf);
	cert_chain_free(chain);
	free(csr);
	free(pem);
	return rc;
}

int
cmd_issue(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "domain",	required_argument,	NULL, 'd' },
		{ "staging",	no_argument,		NULL, 's' },
		{ "reuse-key",	no_argument,		NULL, 'r' },
		{ "challenge",	required_argument,	NULL, 'C' },
		{ "agree-tos",	no_argument,		NULL, 'a' },
		{ NULL,		0,			NULL, 0 }
	};
	struct fs_dir	 rdir;
	struct renewal	 r;
	struct acme	*a = NULL;
	const char	*chal = NULL, *name;
	char		 until[32];
	int64_t		 not_after = 0;
	size_t		 n = 0;
	int		 ch, rc, staging = 0, reuse = 0, agree = 0;
	int		 lockfd = -1;

	memset(&r, 0, sizeof(r));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (n == MAX_DOMAINS) {
				log_err("--domain: at most %d names",
				    MAX_DOMAINS);
				rc = EX_USAGE;
				goto out;
			}
			if ((r.domains[n++] = strdup(optarg)) == NULL) {
				rc = EX_OSERR;
				goto out;
			}
			break;
		case 's':
			staging = 1;
			break;
		case 'r':
			reuse = 1;
			break;
		case 'C':
			chal = optarg;
			if (strcmp(chal, "http-01") != 0 &&
			    strcmp(chal, "dns-01") != 0) {
				log_err("--challenge: '%s' is not http-01 or "
				    "dns-01", chal);
				rc = EX_USAGE;
				goto out;
			}
			break;
		case 'a':
			agree = 1;
			break;
		default:
			rc = tool_usage(ISSUE_SYNOPSIS);
			goto out;
		}
	}
	if (optind != argc) {
		rc = tool_usage(ISSUE_SYNOPSIS);
		goto out;
	}
	if ((rc = tool_conf(e)) != 0)
		goto out;
	if (n == 0 && (r.domains[0] = strdup(e->conf->fqdn)) == NULL) {
		rc = EX_OSERR;
		goto out;
	}
	/* The first name names the directory; "*.x" is kept under "x". */
	name = r.domains[0];
	if (strncmp(name, "*.", 2) == 0)
		name += 2;
	if (!certdir_name_ok(name) || strcmp(name, CERTDIR_SELF) == 0) {
		log_err("'%s' cannot name a certificate directory", name);
		rc = EX_USAGE;
		goto out;
	}
	snprintf(r.name, sizeof(r.name), "%s", name);
	if (chal == NULL)
		chal = e->conf->acme.challenge;
	r.dns = strcmp(chal, "dns-01") == 0;
	if ((r.directory = strdup(account_directory(e->conf, staging))) ==
	    NULL) {
		rc = EX_OSERR;
		goto out;
	}
	if (e->dry_run) {
		log_info("would ask %s for %s (%s)", r.directory, r.name, chal);
		goto out;
	}
	/* Where the renewal file goes is checked before the CA is asked. */
	if ((rc = store_lock(e->conf, &lockfd)) != 0 ||
	    (rc = renewal_dir(e->conf, 1, &rdir)) != 0)
		goto out;
	fs_dir_close(&rdir);
	if ((rc = account_open(e->conf, r.directory, agree, &a)) != 0 ||
	    (rc = issue_one(e->conf, a, &r, reuse, "certificate issued",
	    &not_after)) != 0)
		goto out;
	time64_date(until, sizeof(until), not_after);
	printf("%s: issued, valid until %s\n", r.name, until);
out:
	acme_close(a);
	if (lockfd != -1)
		fs_unlock(lockfd);
	renewal_free(&r);
	return rc;
}

/*
 * Whether NAME is due.  RFC 9773: with a window from the CA, renew once a
 * random moment inside it has come; without one, renew_days decides.
 */
static int
is_due(struct acme *a, const struct renewal *r, X509 *leaf, long days,
    char *why, size_t len)
{
	int64_t		 start, end, now = time64_now(), at;
	unsigned int	 rnd;
	long		 left = cert_days_left(leaf, now);
	char		*id = NULL, when[32];
	int		 due = left <= days;

	snprintf(why, len, "%ld days left", left);
	if (r->revoked) {
		snprintf(why, len, "revoked");
		return 1;
	}
	if (a == NULL || cert_ari_id(leaf, &id) != 0) {
		if (!due)
			log_warn("%s: no renewal information from the CA; "
			    "going by renew_days", r->name);
		goto out;
	}
	if (acme_renewal_window(a, id, &start, &end) != 0)
		goto out;
	if (secret_random(&rnd, sizeof(rnd)) != 0)
		rnd = 0;
	at = start + (end > start ? (int64_t)(rnd % (uint64_t)(end - start)) :
	    0);
	due = now >= at;
	time64_text(when, sizeof(when), start);
	snprintf(why, len, "%ld days left, CA's renewal window from %s", left,
	    when);
out:
	free(id);
	return due;
}

static int
renew_one(const struct ss_conf *c, const char *name, long days, int force,
    int *renewed)
{
	struct renewal	 r;
	struct acme	*a = NULL;
	STACK_OF(X509)	*certs = NULL;
	char		 path[PATH_MAX], why[160], until[32];
	int64_t		 not_after = 0;
	int		 rc, arc;

	*renewed = 0;
	if ((rc = renewal_load(c, name, &r)) != 0)
		return rc;
	/* One connection serves both the renewal window and the order. */
	arc = account_open(c, r.directory, 0, &a);
	if ((rc = certdir_file(c, name, "cert.pem", path, sizeof(path))) != 0)
		goto out;
	if (cert_load(path, &certs) != 0) {
		snprintf(why, sizeof(why), "the current certificate is "
		    "unreadable");
	} else if (force)
		snprintf(why, sizeof(why), "--force");
	else if (!is_due(a, &r, sk_X509_value(certs, 0), days, why,
	    sizeof(why))) {
		printf("%s: not due (%s)\n", name, why);
		goto out;
	}
	log_info("%s: renewing (%s)", name, why);
	if ((rc = arc) != 0 || (rc = issue_one(c, a, &r, 0,
	    "certificate renewed", &not_after)) != 0) {
		printf("%s: renewal failed (%s)\n", name, why);
		goto out;
	}
	time64_date(until, sizeof(until), not_after);
	printf("%s: renewed, valid until %s\n", name, until);
	*renewed = 1;
out:
	acme_close(a);
	cert_chain_free(certs);
	renewal_free(&r);
	return rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the renewal files, sorted. */
static int
renewal_names(const struct ss_conf *c, char ***out, size_t *count)
{
	struct fs_dir	 dir;
	struct dirent	*de;
	char		**v = NULL, **nv;
	size_t		 n = 0, l;
	DIR		*d;
	int		 fd, rc;

	*out = NULL;
	*count = 0;
	if ((rc = renewal_dir(c, 0, &dir)) != 0)
		return rc == EX_NOINPUT ? 0 : rc;
	/* The descriptor goes to fdopendir, closed by closedir. */
	fd = dir.fd;
	if ((d = fdopendir(fd)) == NULL) {
		log_err("%s: %s", dir.path, strerror(errno));
		fs_dir_close(&dir);
		return EX_IOERR;
	}
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l <= 5 ||
		    strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		if ((nv = reallocarray(v, n + 1, sizeof(*v))) == NULL ||
		    (nv[n] = strndup(de->d_name, l - 5)) == NULL) {
			if (nv != NULL)
				v = nv;
			rc = EX_OSERR;
			break;
		}
		v = nv;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), by_name);
	*out = v;
	*count = n;
	return rc;
}

int
cmd_renew(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "days",		required_argument,	NULL, 'd' },
		{ "force",		no_argument,		NULL, 'f' },
		{ "deploy-hook",	required_argument,	NULL, 'H' },
		{ NULL,			0,			NULL, 0 }
	};
	const char	*hook = NULL;
	char		**names = NULL, *renamed = NULL, *p, *env[2];
	size_t		 n = 0, i;
	long		 days = -1;
	int		 ch, rc, first_rc = 0, force = 0, renewed, lockfd = -1;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (tool_num("--days", optarg, 0, 36500, &days) != 0)
				return EX_USAGE;
			break;
		case 'f':
			force = 1;
			break;
		case 'H':
			hook = optarg;
			break;
		default:
			return tool_usage(RENEW_SYNOPSIS);
		}
	}
	if (optind != argc)
		return tool_usage(RENEW_SYNOPSIS);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	if (days == -1)
		days = e->conf->certs.renew_days;
	if (hook == NULL)
		hook = e->conf->acme.deploy_hook;
	if (!e->dry_run && (rc = store_lock(e->conf, &lockfd)) != 0)
		return rc;
	if ((rc = renewal_names(e->conf, &names, &n)) != 0)
		goto out;
	if (n == 0)
		log_info("no certificates from an ACME CA to renew");
	for (i = 0; i < n; i++) {
		if (e->dry_run) {
			printf("%s: would be checked\n", names[i]);
			continue;
		}
		rc = renew_one(e->conf, names[i], days, force, &renewed);
		if (rc != 0 && first_rc == 0)
			first_rc = rc;
		if (!renewed)
			continue;
		p = renamed;
		if (asprintf(&renamed, "%s%s%s", p != NULL ? p : "",
		    p != NULL ? " " : "", names[i]) == -1)
			renamed = NULL;
		free(p);
	}
	/* Once, and only when something changed: a reload is not free. */
	if (renamed != NULL && *hook != '\0') {
		if (asprintf(&env[0], "RENEWED_NAMES=%s", renamed) == -1) {
			rc = EX_OSERR;
			goto out;
		}
		env[1] = NULL;
		log_info("running deploy hook for %s", renamed);
		if ((rc = run_command("deploy_hook", hook, NULL, env,
		    DEPLOY_TIMEOUT)) != 0 &&
		    first_rc == 0)
			first_rc = rc;
		free(env[0]);
	}
	rc = first_rc;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(renamed);
	if (lockfd != -1)
		fs_unlock(lockfd);
	return rc;
}

/* RFC 5280 5.3.1 reason codes that ACME accepts, and their names. */
static const struct {
	const char	*name;
	int		 code;
} reasons[] = {
	{ "unspecified", 0 },
	{ "keyCompromise", 1 },
	{ "affiliationChanged", 3 },
	{ "superseded", 4 },
	{ "cessationOfOperation", 5 },
};

/* The index of S (a name or a code) in reasons[], or -1. */
static int
reason_index(const char *s)
{
	size_t	i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcasecmp(s, reasons[i].name) == 0 ||
		    (s[0] - '0' == reasons[i].code && s[1] == '\0'))
			return (int)i;
	return -1;
}

int
cmd_revoke(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "reason",	required_argument,	NULL, 'r' },
		{ NULL,		0,			NULL, 0 }
	};
	struct renewal	 r;
	struct acme	*a = NULL;
	STACK_OF(X509)	*certs = NULL;
	unsigned char	*der = NULL;
	char		 path[PATH_MAX];
	size_t		 len = 0;
	int		 ch, rc, reason = 0, lockfd = -1;

	memset(&r, 0, sizeof(r));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'r' || (reason = reason_index(optarg)) == -1) {
			if (ch == 'r')
				log_err("--reason: '%s' is not one of "
				    "unspecified, keyCompromise, "
				    "affiliationChanged, superseded, "
				    "cessationOfOperation", optarg);
			return tool_usage(REVOKE_SYNOPSIS);
		}
	}
	if (argc - optind != 1)
		return tool_usage(REVOKE_SYNOPSIS);
	if (!certdir_name_ok(argv[optind]) ||
	    strcmp(argv[optind], CERTDIR_SELF) == 0) {
		log_err("'%s' is not a certificate name", argv[optind]);
		return EX_USAGE;
	}
	if ((rc = tool_conf(e)) != 0)
		return rc;
	if ((rc = renewal_load(e->conf, argv[optind], &r)) != 0) {
		log_err("%s: not a certificate from an ACME CA", argv[optind]);
		return rc;
	}
	if ((rc = certdir_file(e->conf, r.name, "cert.pem", path,
	    sizeof(path))) != 0 || (rc = cert_load(path, &certs)) != 0 ||
	    (rc = cert_der(sk_X509_value(certs, 0), &der, &len)) != 0)
		goto out;
	if (e->dry_run) {
		log_info("would revoke %s", path);
		goto out;
	}
	if ((rc = store_lock(e->conf, &lockfd)) != 0 ||
	    (rc = account_open(e->conf, r.directory, 0, &a)) != 0 ||
	    (rc = acme_revoke(a, der, len, reasons[reason].code)) != 0)
		goto out;
	store_audit("certificate revoked", r.name, sk_X509_value(certs, 0),
	    reasons[reason].name);
	/* The next renew replaces it, whatever its dates say. */
	r.revoked = 1;
	if ((rc = renewal_save(e->conf, &r)) != 0)
		goto out;
	printf("%s: revoked; 'ss-cert renew' replaces it\n", r.name);
out:
	if (lockfd != -1)
		fs_unlock(lockfd);
	acme_close(a);
	cert_chain_free(certs);
	free(der);
	renewal_free(&r);
	return rc;
}
