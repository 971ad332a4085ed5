/*
 * The ACME exchange (RFC 8555): directory, nonces, signed requests,
 * account, order, authorizations, challenges, finalization, download,
 * revocation, key change, and renewal information (RFC 9773).
 *
 * Nothing here writes a file or holds a certificate key: challenges are
 * set up through challenge.c, and the caller stores what comes back.
 */
#define _GNU_SOURCE		/* asprintf */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "base64.h"
#include "extern.h"
#include "http.h"
#include "jose.h"
#include "log.h"
#include "time64.h"

#define ERR_PREFIX	"urn:ietf:params:acme:error:"
#define NONCE_TRIES	20	/* badNonce answers taken before giving up */
#define HTTP_TIMEOUT	30	/* seconds for one request at most */
#define POLL_FIRST_MS	100
#define POLL_MAX_MS	5000

struct acme {
	const struct ss_conf *conf;
	struct http	*http;
	EVP_PKEY	*key;
	const char	*alg;
	json_t		*jwk;
	char		*kid;		/* account URL once known */
	char		*nonce;
	json_t		*dir;		/* the directory object */
	int		 gone;		/* the CA said accountDoesNotExist */
	char		 why[512];	/* the first failure of an order */
};

/* Logs an error, and keeps the first of an order as its reason. */
static void __attribute__((format(printf, 2, 3)))
acme_fail(struct acme *a, const char *fmt, ...)
{
	va_list	ap;
	char	text[sizeof(a->why)];

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_err("%s", text);
	if (a->why[0] == '\0')
		snprintf(a->why, sizeof(a->why), "%s", text);
}

/* A URL from the directory, or NULL when the server does not offer it. */
static const char *
dir_url(const struct acme *a, const char *name)
{
	return json_string_value(json_object_get(a->dir, name));
}

/*
 * Whether U can take a path appended: http:// or https://, a host, and
 * nothing libcurl would refuse or that would swallow the path.
 */
static int
url_base_usable(const char *u)
{
	const char	*p;

	if (u == NULL)
		return 0;
	if (strncmp(u, "https://", 8) == 0)
		p = u + 8;
	else if (strncmp(u, "http://", 7) == 0)
		p = u + 7;
	else
		return 0;
	if (*p == '\0' || *p == '/')
		return 0;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '?' ||
		    *p == '#')
			return 0;
	return 1;
}

/* Monotonic milliseconds, for deadlines. */
static long long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(long long ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* JSON body of a response, or NULL with the reason logged. */
static json_t *
body_json(const char *what, const struct http_resp *r)
{
	json_error_t	 e;
	json_t		*j;

	j = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL)
		log_err("%s: the server's answer is not JSON (%s, line %d)",
		    what, e.text, e.line);
	else if (!json_is_object(j)) {
		log_err("%s: the server's answer is not a JSON object", what);
		json_decref(j);
		j = NULL;
	}
	return j;
}

/* The problem type without its URN prefix. */
static const char *
problem_type(json_t *p)
{
	const char	*t = json_string_value(json_object_get(p, "type"));

	if (t == NULL)
		return "unknown";
	if (strncmp(t, ERR_PREFIX, strlen(ERR_PREFIX)) == 0)
		t += strlen(ERR_PREFIX);
	return t;
}

/*
 * Logs a problem document (RFC 7807 / RFC 8555 6.7) with its
 * subproblems and returns the exit code its type calls for: try again
 * later for load and rate limits, "unavailable" when the CA could not
 * validate a name, bad data for everything the server refused.
 */
static int
problem_report(struct acme *a, const char *what, json_t *p)
{
	static const char *const later[] = { "rateLimited", "serverInternal",
	    "badNonce", NULL };
	static const char *const reach[] = { "connection", "dns",
	    "incorrectResponse", "unauthorized", "tls", "caa", NULL };
	const char *const	*t;
	const char		*type = problem_type(p), *detail, *ident;
	json_t			*sub;
	size_t			 i;

	detail = json_string_value(json_object_get(p, "detail"));
	acme_fail(a, "%s: %s: %s", what, type, detail != NULL ? detail :
	    "(no detail)");
	json_array_foreach(json_object_get(p, "subproblems"), i, sub) {
		ident = json_string_value(json_object_get(json_object_get(sub,
		    "identifier"), "value"));
		detail = json_string_value(json_object_get(sub, "detail"));
		log_err("  %s: %s: %s", ident != NULL ? ident : "?",
		    problem_type(sub), detail != NULL ? detail : "(no detail)");
	}
	for (t = later; *t != NULL; t++)
		if (strcmp(type, *t) == 0)
			return EX_TEMPFAIL;
	for (t = reach; *t != NULL; t++)
		if (strcmp(type, *t) == 0)
			return EX_UNAVAILABLE;
	return EX_DATAERR;
}

/* An error status: its problem document, or what the status says. */
static int
status_report(struct acme *a, const char *what, const struct http_resp *r)
{
	json_t	*p;
	int	 rc;

	if (r->content_type != NULL &&
	    strncmp(r->content_type, "application/problem+json", 24) == 0 &&
	    (p = body_json(what, r)) != NULL) {
		rc = problem_report(a, what, p);
		json_decref(p);
		return rc;
	}
	acme_fail(a, "%s: HTTP status %ld", what, r->status);
	return r->status >= 500 || r->status == 429 ? EX_TEMPFAIL : EX_DATAERR;
}

/* Whether R is a problem document of TYPE (without the URN prefix). */
static int
is_problem(const struct http_resp *r, const char *type)
{
	json_t	*p;
	int	 is;

	if (r->status < 400 || r->content_type == NULL ||
	    strncmp(r->content_type, "application/problem+json", 24) != 0)
		return 0;
	if ((p = json_loadb(r->body, r->len, 0, NULL)) == NULL)
		return 0;
	is = strcmp(problem_type(p), type) == 0;
	json_decref(p);
	return is;
}

static int
new_nonce(struct acme *a)
{
	struct http_resp	 r;
	const char		*url = dir_url(a, "newNonce");
	int			 rc;

	memset(&r, 0, sizeof(r));
	if ((rc = http_request(a->http, "HEAD", url, NULL, NULL, 0, &r)) != 0)
		return rc;
	if (r.nonce == NULL || r.status >= 400) {
		log_err("%s: no Replay-Nonce in the answer (HTTP %ld)", url,
		    r.status);
		http_resp_free(&r);
		return EX_DATAERR;
	}
	free(a->nonce);
	a->nonce = r.nonce;
	r.nonce = NULL;
	http_resp_free(&r);
	return 0;
}

/*
 * A JWS-signed POST (RFC 8555 6.2) with the account URL as kid, or with
 * the JWK before there is an account.  PAYLOAD NULL makes a POST-as-GET.
 * A rejected nonce is retried with the fresh one that came with the
 * rejection.  Any HTTP status comes back in *R for the caller to judge.
 */
static int
acme_post(struct acme *a, const char *url, const char *payload,
    const char *accept, struct http_resp *r)
{
	const char	*hdrs[3];
	json_t		*prot = NULL;
	char		*ps = NULL, *jws = NULL;
	int		 rc = EX_SOFTWARE, tries;

	hdrs[0] = "Content-Type: application/jose+json";
	hdrs[1] = accept;
	hdrs[2] = NULL;
	memset(r, 0, sizeof(*r));
	for (tries = 0; tries < NONCE_TRIES; tries++) {
		if (a->nonce == NULL && (rc = new_nonce(a)) != 0)
			return rc;
		prot = json_pack("{s:s, s:s, s:s}", "alg", a->alg, "nonce",
		    a->nonce, "url", url);
		if (prot == NULL || (a->kid != NULL ?
		    json_object_set_new(prot, "kid", json_string(a->kid)) :
		    json_object_set(prot, "jwk", a->jwk)) != 0 ||
		    (ps = json_dumps(prot, JSON_COMPACT)) == NULL) {
			log_err("%s: cannot build the request", url);
			rc = EX_SOFTWARE;
			goto out;
		}
		if ((rc = jose_jws(a->key, ps, payload != NULL ? payload :
		    "", &jws)) != 0)
			goto out;
		free(a->nonce);
		a->nonce = NULL;
		rc = http_request(a->http, "POST", url, hdrs, jws, strlen(jws),
		    r);
		free(jws);
		jws = NULL;
		free(ps);
		ps = NULL;
		json_decref(prot);
		prot = NULL;
		if (rc != 0)
			goto out;
		if (r->nonce != NULL) {
			a->nonce = r->nonce;
			r->nonce = NULL;
		}
		if (!is_problem(r, "badNonce")) {
			if (a->kid != NULL &&
			    is_problem(r, "accountDoesNotExist"))
				a->gone = 1;
			goto out;
		}
		log_debug("%s: nonce rejected, trying again", url);
		http_resp_free(r);
	}
	log_err("%s: the server rejected %d nonces in a row", url, NONCE_TRIES);
	rc = EX_TEMPFAIL;
out:
	json_decref(prot);
	free(ps);
	free(jws);
	return rc;
}

/* A POST whose answer must be a JSON object with a 2xx status. */
static int
acme_post_json(struct acme *a, const char *what, const char *url,
    const char *payload, json_t **out, char **location)
{
	struct http_resp	r;
	int			rc;

	*out = NULL;
	if ((rc = acme_post(a, url, payload, NULL, &r)) != 0)
		return rc;
	if (a->gone) {
		/* The caller may register again: its say, not an error yet. */
		log_debug("%s: the CA no longer knows account %s", what,
		    a->kid);
		snprintf(a->why, sizeof(a->why), "%s: accountDoesNotExist",
		    what);
		rc = EX_NOUSER;
	} else if (r.status < 200 || r.status > 299)
		rc = status_report(a, what, &r);
	else if ((*out = body_json(what, &r)) == NULL)
		rc = EX_DATAERR;
	else if (location != NULL) {
		if (r.location == NULL) {
			log_err("%s: no Location in the answer", what);
			json_decref(*out);
			*out = NULL;
			rc = EX_DATAERR;
		} else {
			*location = r.location;
			r.location = NULL;
		}
	}
	http_resp_free(&r);
	return rc;
}

int
acme_open(const struct ss_conf *c, const char *directory, EVP_PKEY *key,
    struct acme **out)
{
	struct http_resp	 r;
	struct acme		*a;
	static const char *const need[] = { "newNonce", "newAccount",
	    "newOrder", NULL };
	const char *const	*n;
	char			*jwk = NULL;
	json_error_t		 e;
	int			 rc;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		log_err("out of memory");
		return EX_OSERR;
	}
	a->conf = c;
	rc = EX_SOFTWARE;
	if (EVP_PKEY_up_ref(key) != 1)
		goto out;
	a->key = key;
	if ((a->alg = jose_jws_alg(key)) == NULL ||
	    jose_jwk(key, &jwk) != 0 ||
	    (a->jwk = json_loads(jwk, 0, &e)) == NULL)
		goto out;
	if ((a->http = http_new("ss-cert/" SS_VERSION,
	    c->acme.ca_file, c->device.proxy, c->acme.timeout < HTTP_TIMEOUT ?
	    c->acme.timeout : HTTP_TIMEOUT)) == NULL)
		goto out;
	if ((rc = http_request(a->http, "GET", directory, NULL, NULL, 0,
	    &r)) != 0)
		goto out;
	if (r.status != 200) {
		rc = status_report(a, directory, &r);
		goto out;
	}
	if ((a->dir = body_json(directory, &r)) == NULL) {
		rc = EX_DATAERR;
		goto out;
	}
	for (n = need; *n != NULL; n++) {
		if (dir_url(a, *n) == NULL) {
			log_err("%s: the directory has no %s URL", directory,
			    *n);
			rc = EX_DATAERR;
			goto out;
		}
	}
	/* A broken optional URL costs the feature, not the renewal. */
	if (json_object_get(a->dir, "renewalInfo") != NULL &&
	    !url_base_usable(dir_url(a, "renewalInfo"))) {
		log_warn("%s: renewalInfo is not a usable URL; going without "
		    "the CA's renewal windows", directory);
		json_object_del(a->dir, "renewalInfo");
	}
	rc = 0;
out:
	http_resp_free(&r);
	free(jwk);
	if (rc != 0)
		acme_close(a);
	else
		*out = a;
	return rc;
}

void
acme_close(struct acme *a)
{
	if (a == NULL)
		return;
	http_free(a->http);
	EVP_PKEY_free(a->key);
	json_decref(a->jwk);
	json_decref(a->dir);
	free(a->kid);
	free(a->nonce);
	free(a);
}

/*
 * The account for our key: the URL we remember, or newAccount, which
 * answers with the existing account when the key already has one.
 */
int
acme_login(struct acme *a, const char *url, const struct acme_account *acct,
    char **new_url)
{
	json_t		*meta, *req = NULL, *resp = NULL, *eab;
	const char	*terms, *nurl = dir_url(a, "newAccount");
	char		*payload = NULL, *prot = NULL, *jwk = NULL, *mac = NULL;
	char		 contact[320];
	int		 rc = EX_SOFTWARE;

	*new_url = NULL;
	free(a->kid);
	a->kid = NULL;
	a->gone = 0;
	if (url != NULL && *url != '\0') {
		if ((a->kid = strdup(url)) == NULL)
			return EX_OSERR;
		return 0;
	}
	meta = json_object_get(a->dir, "meta");
	terms = json_string_value(json_object_get(meta, "termsOfService"));
	if (terms != NULL && !acct->agree_tos) {
		log_err("the CA asks to agree to its terms of service at %s: "
		    "read them, then set agree_tos = yes in [acme] or pass "
		    "--agree-tos", terms);
		return EX_CONFIG;
	}
	if (json_is_true(json_object_get(meta, "externalAccountRequired")) &&
	    *acct->eab_kid == '\0') {
		log_err("the CA requires external account binding: set eab_kid "
		    "and eab_hmac_file in [acme]");
		return EX_CONFIG;
	}
	if ((req = json_pack("{s:b}", "termsOfServiceAgreed",
	    acct->agree_tos)) == NULL)
		goto out;
	if (*acct->email != '\0') {
		snprintf(contact, sizeof(contact), "mailto:%s", acct->email);
		json_object_set_new(req, "contact", json_pack("[s]", contact));
	}
	if (*acct->eab_kid != '\0') {
		/* RFC 8555 7.3.4: the account key, MACed with the CA's key. */
		if ((jwk = json_dumps(a->jwk, JSON_COMPACT)) == NULL ||
		    (eab = json_pack("{s:s, s:s, s:s}", "alg", "HS256", "kid",
		    acct->eab_kid, "url", nurl)) == NULL)
			goto out;
		prot = json_dumps(eab, JSON_COMPACT);
		json_decref(eab);
		if (prot == NULL || (rc = jose_jws_hmac(acct->eab_key,
		    acct->eab_len, prot, jwk, &mac)) != 0)
			goto out;
		rc = EX_SOFTWARE;
		if (json_object_set_new(req, "externalAccountBinding",
		    json_loads(mac, 0, NULL)) != 0)
			goto out;
	}
	if ((payload = json_dumps(req, JSON_COMPACT)) == NULL)
		goto out;
	if ((rc = acme_post_json(a, "newAccount", nurl, payload, &resp,
	    new_url)) != 0)
		goto out;
	if ((a->kid = strdup(*new_url)) == NULL)
		rc = EX_OSERR;
	log_info("account %s", *new_url);
out:
	if (rc != 0) {
		free(*new_url);
		*new_url = NULL;
	}
	json_decref(req);
	json_decref(resp);
	free(payload);
	free(prot);
	free(jwk);
	free(mac);
	return rc;
}

/*
 * RFC 8555 7.3.5: an inner JWS signed by the new key, carried in a
 * request signed by the old one.  The caller keeps the new key on disk
 * only once this succeeded.
 */
int
acme_key_change(struct acme *a, EVP_PKEY *new_key, int *answered)
{
	const char	*url = dir_url(a, "keyChange");
	struct http_resp r;
	json_t		*prot = NULL, *inner = NULL, *newjwk = NULL;
	char		*ps = NULL, *is = NULL, *jws = NULL, *jwk = NULL;
	const char	*alg;
	int		 rc = EX_SOFTWARE;

	*answered = 0;
	if (url == NULL) {
		log_err("the CA's directory offers no keyChange");
		return EX_UNAVAILABLE;
	}
	if ((alg = jose_jws_alg(new_key)) == NULL ||
	    jose_jwk(new_key, &jwk) != 0 ||
	    (newjwk = json_loads(jwk, 0, NULL)) == NULL)
		goto out;
	prot = json_pack("{s:s, s:O, s:s}", "alg", alg, "jwk", newjwk, "url",
	    url);
	inner = json_pack("{s:s, s:O}", "account", a->kid, "oldKey", a->jwk);
	if (prot == NULL || inner == NULL ||
	    (ps = json_dumps(prot, JSON_COMPACT)) == NULL ||
	    (is = json_dumps(inner, JSON_COMPACT)) == NULL ||
	    (rc = jose_jws(new_key, ps, is, &jws)) != 0)
		goto out;
	/* Servers answer with the account or with nothing: the status tells. */
	if ((rc = acme_post(a, url, jws, NULL, &r)) != 0)
		goto out;
	*answered = 1;
	if (r.status < 200 || r.status > 299)
		rc = status_report(a, "keyChange", &r);
	http_resp_free(&r);
out:
	json_decref(prot);
	json_decref(inner);
	json_decref(newjwk);
	free(ps);
	free(is);
	free(jws);
	free(jwk);
	return rc;
}

/*
 * POST-as-GET of URL until its status leaves the PENDING list, waiting
 * as Retry-After says (or backing off) up to DEADLINE.
 */
static int
poll_until(struct acme *a, const char *what, const char *url,
    const char *const *pending, long long deadline, json_t **out)
{
	struct http_resp	 r;
	const char *const	*p;
	const char		*status;
	char			 was[32];
	long long		 wait = POLL_FIRST_MS, left;
	int64_t			 retry_after;
	int			 rc;

	*out = NULL;
	for (;;) {
		if ((rc = acme_post(a, url, NULL, NULL, &r)) != 0)
			return rc;
		if (r.status < 200 || r.status > 299) {
			rc = status_report(a, what, &r);
			http_resp_free(&r);
			return rc;
		}
		retry_after = r.retry_after;
		*out = body_json(what, &r);
		http_resp_free(&r);
		if (*out == NULL)
			return EX_DATAERR;
		if ((status = json_string_value(json_object_get(*out,
		    "status"))) == NULL) {
			log_err("%s: the answer has no status", what);
			json_decref(*out);
			*out = NULL;
			return EX_DATAERR;
		}
		for (p = pending; *p != NULL; p++)
			if (strcmp(status, *p) == 0)
				break;
		if (*p == NULL)
			return 0;
		/* The answer goes; the status it gave stays for the log. */
		snprintf(was, sizeof(was), "%s", status);
		json_decref(*out);
		*out = NULL;
		/* Compared in seconds first: a CA may ask for any number. */
		left = deadline - now_ms();
		if (retry_after >= 0 && retry_after > left / 1000) {
			acme_fail(a, "%s: still %s, and the CA asks to wait "
			    "%lld s, more than the %lld s left of [acme] "
			    "timeout",
			    what, was, (long long)retry_after,
			    left > 0 ? left / 1000 : 0);
			return EX_TEMPFAIL;
		}
		if (retry_after >= 0)
			wait = retry_after * 1000LL;
		if (wait > left) {
			acme_fail(a, "%s: still %s when [acme] timeout ran out",
			    what, was);
			return EX_TEMPFAIL;
		}
		log_debug("%s: %s, asking again in %lld ms", what, was, wait);
		sleep_ms(wait);
		if (retry_after < 0 && (wait *= 2) > POLL_MAX_MS)
			wait = POLL_MAX_MS;
	}
}

/* The challenge of TYPE in an authorization, or NULL. */
static json_t *
find_challenge(json_t *authz, const char *type)
{
	json_t	*ch;
	size_t	 i;

	json_array_foreach(json_object_get(authz, "challenges"), i, ch) {
		const char *t = json_string_value(json_object_get(ch, "type"));

		if (t != NULL && strcmp(t, type) == 0)
			return ch;
	}
	return NULL;
}

/* Why an authorization failed: the problem of its failed challenge. */
static int
authz_failure(struct acme *a, const char *domain, json_t *authz)
{
	json_t	*ch, *err;
	size_t	 i;
	char	 what[300];

	snprintf(what, sizeof(what), "validation of %s", domain);
	json_array_foreach(json_object_get(authz, "challenges"), i, ch) {
		if ((err = json_object_get(ch, "error")) != NULL)
			return problem_report(a, what, err);
	}
	acme_fail(a, "%s: authorization is %s", what,
	    json_string_value(json_object_get(authz, "status")));
	return EX_UNAVAILABLE;
}

struct pending {
	char		*authz_url;
	char		*domain;
	char		*chall_url;
	struct chall	 chall;
	int		 set;
};

/*
 * Sets up one challenge for every authorization that needs it, answers
 * them all, then waits for each.  Challenges are cleared whatever
 * happened.
 */
static int
authorize(struct acme *a, const struct acme_order *o, json_t *authzs,
    long long deadline)
{
	static const char *const pending_states[] = { "pending", NULL };
	struct pending	*pv = NULL;
	json_t		*authz = NULL, *ch, *res;
	const char	*url, *status, *domain, *token;
	const char	*type = o->dns ? "dns-01" : "http-01";
	char		*thumb = NULL, *keyauth = NULL;
	size_t		 i, n = json_array_size(authzs), used = 0;
	int		 rc = 0;

	if (n == 0)
		return 0;
	if ((pv = calloc(n, sizeof(*pv))) == NULL ||
	    jose_jwk_thumbprint(a->key, &thumb) != 0) {
		rc = EX_SOFTWARE;
		goto out;
	}
	for (i = 0; i < n && rc == 0; i++) {
		if ((url = json_string_value(json_array_get(authzs, i))) ==
		    NULL) {
			log_err("newOrder: an authorization URL is not a "
			    "string");
			rc = EX_DATAERR;
			break;
		}
		if ((rc = acme_post_json(a, "authorization", url, NULL, &authz,
		    NULL)) != 0)
			break;
		status = json_string_value(json_object_get(authz, "status"));
		domain = json_string_value(json_object_get(json_object_get(
		    authz, "identifier"), "value"));
		if (status == NULL || domain == NULL) {
			log_err("%s: authorization without status or "
			    "identifier", url);
			rc = EX_DATAERR;
		} else if (strcmp(status, "valid") == 0) {
			log_debug("%s: already authorized", domain);
		} else if (strcmp(status, "pending") != 0) {
			rc = authz_failure(a, domain, authz);
		} else if ((ch = find_challenge(authz, type)) == NULL) {
			acme_fail(a, "%s: the CA offers no %s challenge",
			    domain, type);
			rc = EX_UNAVAILABLE;
		} else if ((token = json_string_value(json_object_get(ch,
		    "token"))) == NULL || json_string_value(json_object_get(ch,
		    "url")) == NULL) {
			log_err("%s: %s challenge without token or URL", domain,
			    type);
			rc = EX_DATAERR;
		} else if (asprintf(&keyauth, "%s.%s", token, thumb) == -1) {
			keyauth = NULL;
			rc = EX_OSERR;
		} else {
			struct pending *p = &pv[used++];

			p->authz_url = strdup(url);
			p->domain = strdup(domain);
			p->chall_url = strdup(json_string_value(
			    json_object_get(ch, "url")));
			if (p->authz_url == NULL || p->domain == NULL ||
			    p->chall_url == NULL)
				rc = EX_OSERR;
			else if ((rc = challenge_set(a->conf, o->dns, domain,
			    token, keyauth, &p->chall)) == 0)
				p->set = 1;
			free(keyauth);
			keyauth = NULL;
		}
		json_decref(authz);
		authz = NULL;
	}
	if (rc == 0 && o->dns && used > 0 &&
	    a->conf->acme.dns_wait > 0) {
		if (a->conf->acme.dns_wait >= o->timeout) {
			log_err("dns_wait (%ld s) must be shorter than "
			    "[acme] timeout (%ld s)", a->conf->acme.dns_wait,
			    o->timeout);
			rc = EX_CONFIG;
		} else if (a->conf->acme.dns_wait * 1000LL > deadline -
		    now_ms()) {
			log_err("waiting dns_wait (%ld s) would pass [acme] "
			    "timeout", a->conf->acme.dns_wait);
			rc = EX_TEMPFAIL;
		} else {
			log_info("waiting %ld s for the TXT records to spread",
			    a->conf->acme.dns_wait);
			sleep_ms(a->conf->acme.dns_wait * 1000LL);
		}
	}
	/* RFC 8555 7.5.1: an empty object says "validate now". */
	for (i = 0; i < used && rc == 0; i++) {
		if ((rc = acme_post_json(a, "challenge", pv[i].chall_url, "{}",
		    &res, NULL)) == 0)
			json_decref(res);
	}
	for (i = 0; i < used && rc == 0; i++) {
		if ((rc = poll_until(a, pv[i].domain, pv[i].authz_url,
		    pending_states, deadline, &authz)) != 0)
			break;
		status = json_string_value(json_object_get(authz, "status"));
		if (strcmp(status, "valid") != 0)
			rc = authz_failure(a, pv[i].domain, authz);
		else
			log_info("%s: validated (%s)", pv[i].domain, type);
		json_decref(authz);
		authz = NULL;
	}
out:
	for (i = 0; pv != NULL && i < used; i++) {
		if (pv[i].set)
			challenge_clear(a->conf, &pv[i].chall);
		free(pv[i].authz_url);
		free(pv[i].domain);
		free(pv[i].chall_url);
	}
	free(pv);
	free(thumb);
	return rc;
}

static int
order_failure(struct acme *a, const char *what, json_t *order)
{
	json_t	*err;

	if ((err = json_object_get(order, "error")) != NULL)
		return problem_report(a, what, err);
	acme_fail(a, "%s: order is %s", what,
	    json_string_value(json_object_get(order, "status")));
	return EX_DATAERR;
}

/*
 * Polls the order until it leaves pending/processing; anything but WANT
 * then is a failure, reported with the order's problem.
 */
static int
order_wait(struct acme *a, const char *what, const char *url,
    const char *want, long long deadline, json_t **order)
{
	static const char *const busy[] = { "pending", "processing", NULL };
	int	rc;

	json_decref(*order);
	if ((rc = poll_until(a, what, url, busy, deadline, order)) != 0)
		return rc;
	if (strcmp(json_string_value(json_object_get(*order, "status")),
	    want) != 0)
		return order_failure(a, what, *order);
	return 0;
}

/* A copy of the string member KEY of OBJ, which the server must send. */
static int
member_dup(json_t *obj, const char *key, const char *what, char **out)
{
	const char	*v = json_string_value(json_object_get(obj, key));

	if (v == NULL) {
		log_err("%s: no %s in the answer", what, key);
		return EX_DATAERR;
	}
	if ((*out = strdup(v)) == NULL)
		return EX_OSERR;
	return 0;
}

int
acme_issue(struct acme *a, const struct acme_order *o, char **chain,
    size_t *len)
{
	struct http_resp	 r;
	json_t			*req = NULL, *order = NULL, *ids, *res = NULL;
	char			*payload = NULL, *order_url = NULL, *csr = NULL;
	char			*finalize = NULL, *cert = NULL;
	char *const		*d;
	long long		 deadline = now_ms() + o->timeout * 1000LL;
	int			 rc = EX_SOFTWARE;

	*chain = NULL;
	a->why[0] = '\0';
	a->gone = 0;
	memset(&r, 0, sizeof(r));
	if ((ids = json_array()) == NULL)
		goto out;
	for (d = o->domains; *d != NULL; d++)
		json_array_append_new(ids, json_pack("{s:s, s:s}", "type",
		    "dns", "value", *d));
	if ((req = json_pack("{s:o}", "identifiers", ids)) == NULL ||
	    (payload = json_dumps(req, JSON_COMPACT)) == NULL)
		goto out;
	if ((rc = acme_post_json(a, "newOrder", dir_url(a, "newOrder"),
	    payload, &order, &order_url)) != 0 ||
	    (rc = authorize(a, o, json_object_get(order, "authorizations"),
	    deadline)) != 0)
		goto out;

	/* All names are ours: the order is (or soon will be) ready. */
	if ((rc = order_wait(a, "order", order_url, "ready", deadline,
	    &order)) != 0 ||
	    (rc = member_dup(order, "finalize", "order", &finalize)) != 0)
		goto out;
	free(payload);
	payload = NULL;
	json_decref(req);
	rc = EX_SOFTWARE;
	if ((csr = base64_urlencode(o->csr, o->csrlen)) == NULL ||
	    (req = json_pack("{s:s}", "csr", csr)) == NULL ||
	    (payload = json_dumps(req, JSON_COMPACT)) == NULL)
		goto out;
	if ((rc = acme_post_json(a, "finalize", finalize, payload, &res,
	    NULL)) != 0 ||
	    (rc = order_wait(a, "finalize", order_url, "valid", deadline,
	    &order)) != 0 ||
	    (rc = member_dup(order, "certificate", "order", &cert)) != 0)
		goto out;
	if ((rc = acme_post(a, cert, NULL,
	    "Accept: application/pem-certificate-chain", &r)) != 0)
		goto out;
	if (r.status != 200) {
		rc = status_report(a, "certificate", &r);
		goto out;
	}
	*chain = r.body;
	*len = r.len;
	r.body = NULL;
	rc = 0;
out:
	http_resp_free(&r);
	json_decref(req);
	json_decref(order);
	json_decref(res);
	free(payload);
	free(order_url);
	free(finalize);
	free(cert);
	free(csr);
	return rc;
}

int
acme_revoke(struct acme *a, const unsigned char *der, size_t len, int reason)
{
	struct http_resp	 r;
	const char		*url = dir_url(a, "revokeCert");
	json_t			*req = NULL;
	char			*b64 = NULL, *payload = NULL;
	int			 rc = EX_SOFTWARE;

	if (url == NULL) {
		log_err("the CA's directory offers no revokeCert");
		return EX_UNAVAILABLE;
	}
	if ((b64 = base64_urlencode(der, len)) == NULL ||
	    (req = json_pack("{s:s, s:i}", "certificate", b64, "reason",
	    reason)) == NULL || (payload = json_dumps(req, JSON_COMPACT)) ==
	    NULL)
		goto out;
	if ((rc = acme_post(a, url, payload, NULL, &r)) != 0)
		goto out;
	if (r.status != 200)
		rc = status_report(a, "revokeCert", &r);
	http_resp_free(&r);
out:
	json_decref(req);
	free(b64);
	free(payload);
	return rc;
}

/*
 * RFC 9773: the CA's suggested renewal window for a certificate.
 * EX_UNAVAILABLE when the CA offers none, so the caller falls back to
 * renew_days.
 */
int
acme_renewal_window(struct acme *a, const char *cert_id, int64_t *start,
    int64_t *end)
{
	struct http_resp	 r;
	const char		*base = dir_url(a, "renewalInfo");
	json_t			*info = NULL, *win;
	char			*url = NULL;
	int			 rc;

	if (base == NULL)
		return EX_UNAVAILABLE;
	if (asprintf(&url, "%s%s%s", base, base[strlen(base) - 1] == '/' ?
	    "" : "/", cert_id) == -1)
		return EX_OSERR;
	memset(&r, 0, sizeof(r));
	if ((rc = http_request(a->http, "GET", url, NULL, NULL, 0, &r)) != 0)
		goto out;
	if (r.status != 200) {
		rc = status_report(a, "renewalInfo", &r);
		goto out;
	}
	if ((info = body_json("renewalInfo", &r)) == NULL) {
		rc = EX_DATAERR;
		goto out;
	}
	win = json_object_get(info, "suggestedWindow");
	if (!time64_parse_rfc3339(json_string_value(json_object_get(win,
	    "start")), start) || !time64_parse_rfc3339(json_string_value(
	    json_object_get(win, "end")), end) || *end < *start) {
		log_err("renewalInfo: no usable suggestedWindow");
		rc = EX_DATAERR;
	}
out:
	json_decref(info);
	http_resp_free(&r);
	free(url);
	return rc;
}

const char *
acme_why(const struct acme *a)
{
	return a->why[0] != '\0' ? a->why : NULL;
}

int
acme_account_gone(const struct acme *a)
{
	return a->gone;
}

const char *
acme_terms(const struct acme *a)
{
	return json_string_value(json_object_get(json_object_get(a->dir,
	    "meta"), "termsOfService"));
}

/* A POST-as-GET of the account asks whether the CA still knows it. */
int
acme_account_check(struct acme *a)
{
	json_t	*acct = NULL;
	int	 rc;

	a->gone = 0;
	rc = acme_post_json(a, "account", a->kid, NULL, &acct, NULL);
	json_decref(acct);
	return rc;
}
