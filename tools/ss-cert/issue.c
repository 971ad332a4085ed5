/*
 * issue, renew, revoke: certificates from an ACME CA for the device's
 * names, and what is needed to renew them unattended.
 *
 * Each ACME-managed certificate has a renewal file next to the account:
 *   STATE/acme/certs/NAME.json  {"domains":[...], "directory":...,
 *                                "challenge":..., "revoked":false,
 *                                "window_start":..., "window_end":...,
 *                                "renew_at":...}
 * The last three, RFC 3339 times, are the CA's renewal window for the
 * current certificate and the moment chosen in it; a file without them
 * (none known, or written before they existed) loads as well.
 */
#define _GNU_SOURCE		/* asprintf */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#include "secret.h"
#include "time64.h"

#define ISSUE_SYNOPSIS	"issue [--domain name]... [--staging] [--reuse-key]" \
	" [--challenge http-01|dns-01] [--agree-tos] [--force] [--dry-run]" \
	" [--run-hooks] [--json]"
#define RENEW_SYNOPSIS	"renew [--days n] [--force] [--deploy-hook command]" \
	" [--dry-run] [--run-hooks] [--json]"
#define REVOKE_SYNOPSIS	"revoke name [--reason reason] [--json]"
#define MAX_DOMAINS	100
#define WHY_MAX		(PATH_MAX + 1024)	/* a failure's reason */
/*
 * A CA stamps notBefore from its own clock, which may run ahead of the
 * device's (pebble uses the second of issuance): a certificate just issued
 * is checked as of this many seconds from now.
 */
#define ISSUED_SKEW	300

struct renewal {
	char			 name[256];
	char			*domains[MAX_DOMAINS + 1];
	char			*directory;
	int			 dns;
	int			 revoked;
	struct renewal_window	 window;
};

/* The renewal window's members of a renewal file, in the file's order. */
static const char *const window_keys[] = { "renew_at", "window_end",
    "window_start" };

/* The line of TEXT where KEY is a member's name, 0 when not found. */
static int
renewal_line(const char *text, const char *key)
{
	char		 quoted[64];
	const char	*p;
	int		 line = 1;

	snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	if ((p = strstr(text, quoted)) == NULL)
		return 0;
	for (; p > text; p--)
		if (p[-1] == '\n')
			line++;
	return line;
}

int
issue_renewal_window(const char *path, const char *text, const json_t *j,
    struct renewal_window *w)
{
	const char	*v[3], *some = NULL;
	int64_t		 t[3] = { 0, 0, 0 };
	size_t		 i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < 3; i++) {
		v[i] = json_string_value(json_object_get(j, window_keys[i]));
		if (json_object_get(j, window_keys[i]) != NULL)
			some = window_keys[i];
	}
	if (some == NULL)
		return 0;
	for (i = 0; i < 3; i++) {
		if (json_object_get(j, window_keys[i]) == NULL) {
			log_err("%s:%d: %s without %s", path,
			    renewal_line(text, some), some, window_keys[i]);
			return EX_DATAERR;
		}
		if (v[i] == NULL || !time64_parse_rfc3339(v[i], &t[i])) {
			log_err("%s:%d: %s: not an RFC 3339 time such as "
			    "2027-03-01T12:00:00Z", path,
			    renewal_line(text, window_keys[i]), window_keys[i]);
			return EX_DATAERR;
		}
	}
	if (t[2] > t[1] || t[0] < t[2] || t[0] > t[1]) {
		log_err("%s:%d: renew_at: not inside the window from "
		    "window_start to window_end", path,
		    renewal_line(text, "renew_at"));
		return EX_DATAERR;
	}
	w->known = 1;
	w->at = t[0];
	w->end = t[1];
	w->start = t[2];
	return 0;
}

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
    json_t **j, char **textp)
{
	struct fs_dir	 d;
	json_error_t	 e;
	char		 file[NAME_MAX + 1];
	char		*text = NULL;
	size_t		 len;
	int		 rc;

	*j = NULL;
	*textp = NULL;
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
	if (rc == 0)
		*textp = text;
	else
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
	char		*text = NULL;
	size_t		 i, n = 0;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if ((rc = issue_renewal_path(c, name, path, sizeof(path))) != 0 ||
	    (rc = renewal_json(c, name, path, &j, &text)) != 0)
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
	rc = issue_renewal_window(path, text, j, &r->window);
	goto out;
oom:
	log_err("out of memory");
	rc = EX_OSERR;
out:
	json_decref(j);
	free(text);
	if (rc != 0)
		renewal_free(r);
	return rc;
}

static json_t *
renewal_time(int64_t t)
{
	char	buf[TIME64_TEXT_MAX];

	time64_rfc3339(buf, sizeof(buf), t);
	return json_string(buf);
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
	if (j != NULL && r->window.known) {
		json_object_set_new(j, "window_start",
		    renewal_time(r->window.start));
		json_object_set_new(j, "window_end",
		    renewal_time(r->window.end));
		json_object_set_new(j, "renew_at", renewal_time(r->window.at));
	}
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
 * R's window set to START..END from the CA.  RFC 9773 has the moment to
 * renew chosen once, at random inside the window: it is kept while the
 * window stays as it was, and chosen again when the CA moves it.
 * Returns whether R changed.
 */
static int
window_take(struct renewal *r, int64_t start, int64_t end)
{
	unsigned int	rnd;

	if (r->window.known && r->window.start == start &&
	    r->window.end == end)
		return 0;
	if (secret_random(&rnd, sizeof(rnd)) != 0)
		rnd = 0;
	r->window.known = 1;
	r->window.start = start;
	r->window.end = end;
	r->window.at = start + (end > start ?
	    (int64_t)(rnd % (uint64_t)(end - start)) : 0);
	return 1;
}

/*
 * The CA's window for LEAF into R, asked through A; a CA that gives none
 * has R's forgotten.  Returns whether R changed, *got whether the CA gave
 * one.
 */
static int
window_ask(struct acme *a, struct renewal *r, X509 *leaf, int *got)
{
	int64_t	 start, end;
	char	*id = NULL;

	if (cert_ari_id(leaf, &id) != 0) {
		log_warn("%s: no renewal information from the CA; going by "
		    "renew_days", r->name);
		*got = 0;
	} else
		*got = acme_renewal_window(a, id, &start, &end) == 0;
	free(id);
	if (*got)
		return window_take(r, start, end);
	if (!r->window.known)
		return 0;
	memset(&r->window, 0, sizeof(r->window));
	return 1;
}

/*
 * The CA's answer, checked before it can replace anything: our key, our
 * names, and a chain that holds together.
 */
static int
accept_chain(const char *name, const char *pem, size_t len, EVP_PKEY *key,
    char *const *domains, X509 **leafp, STACK_OF(X509) **chainp, char *whyp,
    size_t whylen)
{
	STACK_OF(X509)	*certs = NULL, *chain = NULL;
	X509		*leaf;
	char		 what[300], why[512];
	char *const	*d;
	int		 i, rc;

	snprintf(what, sizeof(what), "certificate for %s from the CA", name);
	if ((rc = cert_parse(what, pem, len, &certs)) != 0) {
		snprintf(whyp, whylen, "the CA's answer is not a certificate");
		return rc;
	}
	rc = EX_DATAERR;
	leaf = sk_X509_value(certs, 0);
	if (!cert_matches_key(leaf, key)) {
		snprintf(why, sizeof(why), "not for the key we sent");
		goto bad;
	}
	for (d = domains; *d != NULL; d++)
		if (!cert_matches_host(leaf, *d)) {
			snprintf(why, sizeof(why), "does not cover %s", *d);
			goto bad;
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
		goto bad;
	default:
		rc = EX_SOFTWARE;
		goto out;
	}
	X509_up_ref(leaf);
	*leafp = leaf;
	*chainp = chain;
	chain = NULL;
	rc = 0;
	goto out;
bad:
	log_err("%s: %s", what, why);
	snprintf(whyp, whylen, "%s: %s", what, why);
out:
	cert_chain_free(chain);
	cert_chain_free(certs);
	return rc;
}

/* What one order came to. */
struct outcome {
	int	 version;	/* installed as, 0 in a dry run */
	int64_t	 not_after;
	char	 why[WHY_MAX];	/* why it failed */
};

/*
 * One certificate from the CA through the account A, stored as the next
 * version of NAME unless DRY_RUN; the current one stays active until
 * then.  EVENT is its audit line's.  The store lock is the caller's.
 */
static int
issue_one(const struct ss_conf *c, struct acme *a, struct renewal *r,
    int reuse_key, int dry_run, const char *event, struct outcome *res)
{
	struct acme_order	 o;
	struct cert_info	 ci;
	EVP_PKEY		*key = NULL;
	X509			*leaf = NULL;
	STACK_OF(X509)		*chain = NULL;
	unsigned char		*csr = NULL;
	char			 keyfile[PATH_MAX], *pem = NULL;
	size_t			 csrlen = 0, pemlen = 0;
	int			 rc, type, got;

	res->why[0] = '\0';
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
	if ((rc = acme_issue(a, &o, &pem, &pemlen)) != 0) {
		if (acme_why(a) != NULL)
			snprintf(res->why, sizeof(res->why), "%s", acme_why(a));
		goto out;
	}
	if ((rc = accept_chain(r->name, pem, pemlen, key, r->domains, &leaf,
	    &chain, res->why, sizeof(res->why))) != 0)
		goto out;
	if (cert_info(leaf, &ci) == 0) {
		res->not_after = ci.not_after;
		cert_info_free(&ci);
	}
	if (dry_run) {
		log_info("%s: the CA issued a certificate and it checks out; "
		    "dry run: not saved", r->name);
		goto out;
	}
	if ((rc = store_install_x509(c, r->name, leaf, chain, key,
	    &res->version)) != 0)
		goto out;
	store_audit(event, r->name, leaf, NULL);
	r->revoked = 0;
	/* The window kept was the old certificate's. */
	(void)window_ask(a, r, leaf, &got);
	if ((rc = renewal_save(c, r)) != 0)
		goto out;
	log_info("issued %s, version %d", r->name, res->version);
out:
	EVP_PKEY_free(key);
	X509_free(leaf);
	cert_chain_free(chain);
	free(csr);
	free(pem);
	return rc;
}

/*
 * One order, taken again once with a new account when the CA no longer
 * knows ours; its reason made up from the exit code when nothing better
 * was said.
 */
static int
order_one(const struct ss_conf *c, struct acme *a, const char *directory,
    int agree, struct renewal *r, int reuse_key, int dry_run,
    const char *event, struct outcome *res)
{
	int	rc;

	rc = issue_one(c, a, r, reuse_key, dry_run, event, res);
	if (rc != 0 && acme_account_gone(a)) {
		if ((rc = account_reregister(c, directory, agree, a)) == 0)
			rc = issue_one(c, a, r, reuse_key, dry_run, event, res);
		else
			snprintf(res->why, sizeof(res->why), "the CA no longer "
			    "knows the account, and registering a new one "
			    "failed");
		if (rc != 0 && acme_account_gone(a))
			log_err("%s", res->why);
	}
	if (rc == 0)
		return 0;
	if (res->why[0] == '\0')
		snprintf(res->why, sizeof(res->why), "%s", rc ==
		    EX_UNAVAILABLE ? "the CA could not be reached" :
		    rc == EX_TEMPFAIL ? "the CA asks to try again later" :
		    "see the errors above");
	if (!dry_run)
		log_err("%s: no new certificate; the current one stays active",
		    r->name);
	return rc;
}

/* The links an install replaces, and the renewal file, into PATHS. */
static void
issue_paths(const struct ss_conf *c, const char *name, json_t *paths)
{
	static const char *const links[] = { "fullchain.pem", "privkey.pem",
	    "cert.pem", "chain.pem" };
	char	p[PATH_MAX];
	size_t	i;

	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s/%s", c->certs.dir, name,
		    links[i]);
		json_array_append_new(paths, json_string(p));
	}
	if (issue_renewal_path(c, name, p, sizeof(p)) == 0)
		json_array_append_new(paths, json_string(p));
}

/* NOT_AFTER as RFC 3339 into O's "not_after", when known. */
static void
issue_json_time(json_t *o, int64_t not_after)
{
	char	t[32];

	if (not_after == 0)
		return;
	time64_rfc3339(t, sizeof(t), not_after);
	json_object_set_new(o, "not_after", json_string(t));
}

/* Whether the names of A and B are the same set (case aside). */
static int
same_names(char *const *a, char *const *b)
{
	size_t	i, j, na = 0, nb = 0;

	while (a[na] != NULL)
		na++;
	while (b[nb] != NULL)
		nb++;
	if (na != nb)
		return 0;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (strcasecmp(a[i], b[j]) == 0)
				break;
		if (j == nb)
			return 0;
	}
	return 1;
}

/*
 * Whether WANT is issued already and may stay, as certbot keeps a
 * certificate that is not due: a renewal file for the same names at the
 * same CA, not revoked, its certificate readable and not due (more than
 * renew_days left, and the CA's chosen moment, if any, still ahead).
 * 1 with *NOT_AFTER set, 0 when an order is to be made, or an error code
 * (> 1, logged) when what is there cannot be read.
 */
static int
issue_kept(const struct ss_conf *c, const struct renewal *want,
    int64_t *not_after)
{
	struct renewal		 r;
	struct cert_info	 ci;
	struct fs_dir		 d;
	struct stat		 st;
	STACK_OF(X509)		*certs = NULL;
	char			 file[NAME_MAX + 1], path[PATH_MAX];
	int64_t			 now = time64_now();
	int			 rc, found;

	if ((rc = renewal_dir(c, 0, &d)) != 0)
		return rc == EX_NOINPUT ? 0 : rc;
	found = (size_t)snprintf(file, sizeof(file), "%s.json", want->name) <
	    sizeof(file) && fstatat(d.fd, file, &st, AT_SYMLINK_NOFOLLOW) == 0;
	fs_dir_close(&d);
	if (!found)
		return 0;
	if ((rc = renewal_load(c, want->name, &r)) != 0)
		return rc;
	rc = 0;
	if (r.revoked || strcmp(r.directory, want->directory) != 0 ||
	    !same_names(r.domains, want->domains) ||
	    certdir_file(c, r.name, "cert.pem", path, sizeof(path)) != 0 ||
	    cert_load(path, &certs) != 0)
		goto out;
	if (cert_days_left(sk_X509_value(certs, 0), now) >
	    c->certs.renew_days && (!r.window.known || r.window.at > now) &&
	    cert_info(sk_X509_value(certs, 0), &ci) == 0) {
		*not_after = ci.not_after;
		cert_info_free(&ci);
		rc = 1;
	}
out:
	cert_chain_free(certs);
	renewal_free(&r);
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
		{ "dry-run",	no_argument,		NULL, 'n' },
		{ "run-hooks",	no_argument,		NULL, 'H' },
		{ "force",	no_argument,		NULL, 'f' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct fs_dir	 rdir;
	struct renewal	 r;
	struct outcome	 res;
	struct hooks	 h;
	struct acme	*a = NULL;
	json_t		*o, *paths;
	const char	*chal = NULL, *name, *directory;
	char		 until[32], why[WHY_MAX];
	size_t		 n = 0;
	int		 ch, rc, prc, staging = 0, reuse = 0, agree = 0;
	int		 dry = e->dry_run, run_hooks = 0, json = 0, lockfd = -1;
	int		 ordered = 0, force = 0, kept = 0;

	memset(&r, 0, sizeof(r));
	memset(&res, 0, sizeof(res));
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
		case 'n':
			dry = 1;
			break;
		case 'H':
			run_hooks = 1;
			break;
		case 'f':
			force = 1;
			break;
		case 'j':
			json = 1;
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
	/* A dry run is a whole order at the staging CA, then nothing kept. */
	directory = dry ? e->conf->acme.staging_directory : r.directory;
	if (!force) {
		if ((rc = issue_kept(e->conf, &r, &res.not_after)) > 1)
			goto out;
		if ((kept = rc) == 1) {
			rc = 0;
			time64_date(until, sizeof(until), res.not_after);
			log_info("%s: issued already for these names by %s, "
			    "valid until %s and not due; %s (--force orders a "
			    "new one)", r.name, r.directory, until, dry ?
			    "a real run would keep it" : "nothing changed");
			/* A dry run still tries an order, to test the CA. */
			if (!dry)
				goto report;
		}
	}
	if (dry)
		log_info("dry run: ordering %s from %s (%s); nothing will be "
		    "saved", r.name, directory, chal);
	else {
		/* Where the renewal file goes is checked before the CA. */
		if ((rc = store_lock(e->conf, &lockfd)) != 0 ||
		    (rc = renewal_dir(e->conf, 1, &rdir)) != 0)
			goto out;
		fs_dir_close(&rdir);
	}
	hooks_init(&h, e->conf, !dry || run_hooks, NULL);
	if ((rc = account_open(e->conf, directory, agree, &a, NULL)) != 0) {
		snprintf(res.why, sizeof(res.why), "no account at %s",
		    directory);
		goto report;
	}
	if ((rc = hooks_pre(&h, res.why, sizeof(res.why))) != 0)
		goto post;
	ordered = 1;
	if ((rc = order_one(e->conf, a, directory, agree, &r, reuse, dry,
	    "certificate issued", &res)) != 0)
		goto post;
	rc = hooks_deploy(&h, r.name, r.domains, res.why, sizeof(res.why));
post:
	if ((prc = hooks_post(&h, why, sizeof(why))) != 0) {
		log_err("%s; the certificate stays", why);
		if (rc == 0) {
			rc = prc;
			snprintf(res.why, sizeof(res.why), "%s", why);
		}
	}
report:
	if (json) {
		paths = json_array();
		if (res.version > 0)
			issue_paths(e->conf, r.name, paths);
		o = tool_result(!kept && ((dry && rc == 0) || res.version > 0),
		    rc != 0 ? "failed" : kept ? "unchanged" : dry ?
		    "would-issue" : "issued", paths, dry);
		if (o != NULL && json_object_update_new(o, json_pack(
		    "{s:s, s:s}", "name", r.name, "directory", directory)) == 0) {
			if (res.version > 0)
				json_object_set_new(o, "version",
				    json_integer(res.version));
			issue_json_time(o, res.not_after);
			if (rc != 0)
				json_object_set_new(o, "reason",
				    json_string(res.why));
		} else {
			json_decref(o);
			o = NULL;
		}
		tool_print_json(o);
	} else if (rc == 0 && !kept) {
		time64_date(until, sizeof(until), res.not_after);
		if (dry)
			printf("%s: dry run: issued by %s and checked, valid "
			    "until %s; nothing saved\n", r.name, directory,
			    until);
		else
			printf("%s: issued, valid until %s\n", r.name, until);
	} else if (ordered)
		log_err("%s: %s failed (%s)", r.name, dry ? "dry run" :
		    "issue", res.why);
out:
	acme_close(a);
	if (lockfd != -1)
		fs_unlock(lockfd);
	renewal_free(&r);
	return rc;
}

/*
 * Whether NAME is due.  RFC 9773: with a window from the CA, renew once
 * the moment chosen inside it has come; without one, renew_days decides.
 * A is NULL when the CA is not asked (a dry run); *changed says whether
 * R's window changed.
 */
static int
is_due(struct acme *a, struct renewal *r, X509 *leaf, long days,
    int *changed, char *why, size_t len)
{
	int64_t		 now = time64_now();
	long		 left = cert_days_left(leaf, now);
	char		 when[32];
	int		 due = left <= days, got;

	*changed = 0;
	snprintf(why, len, "%ld days left", left);
	if (r->revoked) {
		snprintf(why, len, "revoked");
		return 1;
	}
	if (a == NULL)
		return due;
	*changed = window_ask(a, r, leaf, &got);
	if (!got)
		return due;
	time64_text(when, sizeof(when), r->window.start);
	snprintf(why, len, "%ld days left, CA's renewal window from %s", left,
	    when);
	return now >= r->window.at;
}

/* What renew does, for every certificate. */
struct renew_run {
	const struct ss_conf	*conf;
	struct hooks		 hooks;
	long			 days;
	int			 force;
	int			 dry_run;
	int			 json;
	json_t			*results;
	json_t			*paths;
	int			 changed;
	int			 recorded;	/* a renewal window only */
	int			 would;	/* dry run: an order worked */
};

/* NAME's entry of renew's report, and its line when not --json. */
static void
renew_result(struct renew_run *rr, const char *name, const char *action,
    const char *reason, int64_t not_after)
{
	json_t	*o;
	char	 until[32];

	if (strcmp(action, "would-renew") == 0)
		rr->would = 1;
	if (!rr->json) {
		time64_date(until, sizeof(until), not_after);
		if (strcmp(action, "renewed") == 0)
			printf("%s: renewed, valid until %s\n", name, until);
		else if (strcmp(action, "would-renew") == 0)
			printf("%s: dry run: renewed by %s and checked, valid "
			    "until %s; nothing saved (%s)\n", name,
			    rr->conf->acme.staging_directory, until, reason);
		else if (strcmp(action, "skipped") == 0)
			printf("%s: not due (%s)\n", name, reason);
		else
			printf("%s: renewal failed (%s)\n", name, reason);
		return;
	}
	if ((o = json_pack("{s:s, s:s, s:s}", "name", name, "action", action,
	    "reason", reason)) == NULL)
		return;
	issue_json_time(o, not_after);
	json_array_append_new(rr->results, o);
}

/* R with its new renewal window, noted in RR's paths. */
static int
window_save(struct renew_run *rr, const struct renewal *r)
{
	char	path[PATH_MAX], at[TIME64_TEXT_MAX];
	int	rc;

	if ((rc = renewal_save(rr->conf, r)) != 0)
		return rc;
	rr->recorded = 1;
	if (issue_renewal_path(rr->conf, r->name, path, sizeof(path)) == 0)
		json_array_append_new(rr->paths, json_string(path));
	if (r->window.known) {
		time64_text(at, sizeof(at), r->window.at);
		log_info("%s: recorded the CA's renewal window; renewal at "
		    "%s", r->name, at);
	} else
		log_info("%s: the CA gives no renewal window now; forgot the "
		    "one recorded", r->name);
	return 0;
}

static int
renew_one(struct renew_run *rr, const char *name)
{
	const struct ss_conf	*c = rr->conf;
	struct renewal		 r;
	struct outcome		 res;
	struct cert_info	 ci;
	struct acme		*a = NULL;
	STACK_OF(X509)		*certs = NULL;
	const char		*directory;
	char			 path[PATH_MAX], why[160];
	int64_t			 not_after = 0;
	int			 rc, arc, due, moved = 0;

	memset(&res, 0, sizeof(res));
	if ((rc = renewal_load(c, name, &r)) != 0) {
		renew_result(rr, name, "failed", "unreadable renewal file", 0);
		return rc;
	}
	directory = rr->dry_run ? c->acme.staging_directory : r.directory;
	/* One connection serves both the renewal window and the order. */
	arc = account_open(c, directory, 0, &a, NULL);
	if ((rc = certdir_file(c, name, "cert.pem", path, sizeof(path))) != 0) {
		renew_result(rr, name, "failed", "no current certificate", 0);
		goto out;
	}
	if (cert_load(path, &certs) != 0) {
		due = 1;
		snprintf(why, sizeof(why), "the current certificate is "
		    "unreadable");
	} else {
		if (cert_info(sk_X509_value(certs, 0), &ci) == 0) {
			not_after = ci.not_after;
			cert_info_free(&ci);
		}
		/* The staging CA knows nothing of the certificate. */
		due = is_due(rr->dry_run ? NULL : a, &r,
		    sk_X509_value(certs, 0), rr->days, &moved, why,
		    sizeof(why));
		if (rr->force)
			snprintf(why, sizeof(why), "--force");
	}
	if (!due && !rr->force && !rr->dry_run) {
		if (moved && (rc = window_save(rr, &r)) != 0)
			renew_result(rr, name, "failed", "the renewal window "
			    "could not be recorded", not_after);
		else
			renew_result(rr, name, "skipped", why, not_after);
		goto out;
	}
	if (rr->dry_run)
		log_info("%s: dry run at %s (%s%s)", name, directory,
		    due || rr->force ? "" : "not due yet: ", why);
	else
		log_info("%s: renewing (%s)", name, why);
	if ((rc = arc) != 0) {
		snprintf(res.why, sizeof(res.why), "no account at %s",
		    directory);
		goto failed;
	}
	if ((rc = hooks_pre(&rr->hooks, res.why, sizeof(res.why))) != 0 ||
	    (rc = order_one(c, a, directory, 0, &r, 0, rr->dry_run,
	    "certificate renewed", &res)) != 0)
		goto failed;
	if (!rr->dry_run) {
		rr->changed = 1;
		issue_paths(c, name, rr->paths);
	}
	if ((rc = hooks_deploy(&rr->hooks, name, r.domains, res.why,
	    sizeof(res.why))) != 0)
		goto failed;
	if (rr->dry_run) {
		snprintf(path, sizeof(path), "%s%s", due || rr->force ?
		    "due: " : "not due yet: ", why);
		renew_result(rr, name, "would-renew", path, res.not_after);
	} else
		renew_result(rr, name, "renewed", why, res.not_after);
	goto out;
failed:
	/* The current certificate stays, and so does what the CA said. */
	if (moved && !rr->dry_run && res.version == 0)
		(void)window_save(rr, &r);
	renew_result(rr, name, "failed", res.why, not_after);
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

/* The word for what renew did as a whole. */
static const char *
renew_action(const struct renew_run *rr, int rc)
{
	if (rr->changed)
		return "renewed";
	if (rr->recorded && rc == 0)
		return "recorded";
	if (rr->would && rc == 0)
		return "would-renew";
	return rc != 0 ? "failed" : "unchanged";
}

int
cmd_renew(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "days",		required_argument,	NULL, 'd' },
		{ "force",		no_argument,		NULL, 'f' },
		{ "deploy-hook",	required_argument,	NULL, 'H' },
		{ "dry-run",		no_argument,		NULL, 'n' },
		{ "run-hooks",		no_argument,		NULL, 'r' },
		{ "json",		no_argument,		NULL, 'j' },
		{ NULL,			0,			NULL, 0 }
	};
	struct renew_run rr;
	json_t		*o;
	const char	*hook = NULL;
	char		**names = NULL, why[WHY_MAX];
	size_t		 n = 0, i;
	int		 ch, rc, first_rc = 0, run_hooks = 0, lockfd = -1;

	memset(&rr, 0, sizeof(rr));
	rr.days = -1;
	rr.dry_run = e->dry_run;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (tool_num("--days", optarg, 0, 36500, &rr.days) != 0)
				return EX_USAGE;
			break;
		case 'f':
			rr.force = 1;
			break;
		case 'H':
			hook = optarg;
			break;
		case 'n':
			rr.dry_run = 1;
			break;
		case 'r':
			run_hooks = 1;
			break;
		case 'j':
			rr.json = 1;
			break;
		default:
			return tool_usage(RENEW_SYNOPSIS);
		}
	}
	if (optind != argc)
		return tool_usage(RENEW_SYNOPSIS);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	rr.conf = e->conf;
	if (rr.days == -1)
		rr.days = e->conf->certs.renew_days;
	hooks_init(&rr.hooks, e->conf, !rr.dry_run || run_hooks, hook);
	if ((rr.results = json_array()) == NULL ||
	    (rr.paths = json_array()) == NULL) {
		rc = EX_OSERR;
		goto out;
	}
	if (!rr.dry_run && (rc = store_lock(e->conf, &lockfd)) != 0)
		goto out;
	if ((rc = renewal_names(e->conf, &names, &n)) != 0)
		goto out;
	if (n == 0)
		log_info("no certificates from an ACME CA to renew");
	for (i = 0; i < n; i++) {
		rc = renew_one(&rr, names[i]);
		if (rc != 0 && first_rc == 0)
			first_rc = rc;
	}
	/* After the last order, also a failed one; the certificates stay. */
	if ((rc = hooks_post(&rr.hooks, why, sizeof(why))) != 0) {
		log_err("%s; the certificates stay", why);
		if (first_rc == 0)
			first_rc = rc;
	}
	rc = first_rc;
	if (!rr.changed && !rr.recorded && rc == 0 && !rr.dry_run && n > 0)
		log_info("nothing was due; nothing changed");
	if (rr.json) {
		o = tool_result(rr.changed || rr.recorded || rr.would,
		    renew_action(&rr, rc),
		    json_incref(rr.paths), rr.dry_run);
		if (o != NULL && json_object_set(o, "certificates",
		    rr.results) == -1) {
			json_decref(o);
			o = NULL;
		}
		if (tool_print_json(o) != 0 && rc == 0)
			rc = EX_OSERR;
	}
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	json_decref(rr.results);
	json_decref(rr.paths);
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
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct renewal	 r;
	struct acme	*a = NULL;
	STACK_OF(X509)	*certs = NULL;
	json_t		*o, *paths;
	unsigned char	*der = NULL;
	char		 path[PATH_MAX];
	size_t		 len = 0;
	int		 ch, rc, reason = 0, lockfd = -1, json = 0;

	memset(&r, 0, sizeof(r));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'j') {
			json = 1;
			continue;
		}
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
	if (r.revoked) {
		log_info("%s: revoked already; nothing changed ('ss-cert "
		    "renew' replaces it)", r.name);
		if (json)
			rc = tool_print_json(tool_result(0, "unchanged", NULL,
			    e->dry_run));
		goto out;
	}
	if (e->dry_run)
		log_info("would revoke %s", path);
	else if ((rc = store_lock(e->conf, &lockfd)) != 0 ||
	    (rc = account_open(e->conf, r.directory, 0, &a, NULL)) != 0 ||
	    (rc = acme_revoke(a, der, len, reasons[reason].code)) != 0)
		goto out;
	else {
		store_audit("certificate revoked", r.name,
		    sk_X509_value(certs, 0), reasons[reason].name);
		/* The next renew replaces it, whatever its dates say. */
		r.revoked = 1;
		if ((rc = renewal_save(e->conf, &r)) != 0)
			goto out;
	}
	if (json) {
		paths = json_array();
		if (issue_renewal_path(e->conf, r.name, path,
		    sizeof(path)) == 0)
			json_array_append_new(paths, json_string(path));
		o = tool_result(1, e->dry_run ? "would-revoke" : "revoked",
		    paths, e->dry_run);
		if (o != NULL && json_object_update_new(o, json_pack(
		    "{s:s, s:s}", "name", r.name, "reason",
		    reasons[reason].name)) == -1) {
			json_decref(o);
			o = NULL;
		}
		rc = tool_print_json(o);
	} else if (!e->dry_run)
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
