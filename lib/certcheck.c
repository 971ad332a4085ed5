/*
 * certcheck: a certificate judged as a public SSL checker would, and the
 * chain a server presents.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "cert.h"
#include "certcheck.h"
#include "check.h"
#include "net.h"
#include "time64.h"

int
certcheck_key_status(const char *key_type, int key_bits)
{
	if (strcmp(key_type, "RSA") == 0)
		return key_bits < 1024 ? CHECK_CRITICAL :
		    key_bits < 2048 ? CHECK_WARNING : CHECK_OK;
	if (strcmp(key_type, "EC") == 0)
		return key_bits < 224 ? CHECK_CRITICAL :
		    key_bits < 256 ? CHECK_WARNING : CHECK_OK;
	return CHECK_OK;
}

static void
judge_dates(struct certcheck *r, X509 *leaf, int64_t now, long warn,
    long crit)
{
	r->days_left = cert_days_left(leaf, now);
	r->not_yet_valid = r->ci.not_before > now;
	if (r->not_yet_valid)
		check_problem(&r->check, CHECK_CRITICAL, "not valid yet");
	if (r->ci.not_after < now || r->days_left <= crit)
		r->expiry = CHECK_CRITICAL;
	else if (r->days_left <= warn)
		r->expiry = CHECK_WARNING;
	else
		r->expiry = CHECK_OK;
	if (r->ci.not_after < now)
		check_problem(&r->check, CHECK_CRITICAL, "expired %ld days ago",
		    -r->days_left);
	else if (r->expiry != CHECK_OK)
		check_problem(&r->check, r->expiry, "expires in %ld days",
		    r->days_left);
}

static void
judge_chain(struct certcheck *r, X509 *leaf, STACK_OF(X509) *rest,
    const char *cafile, int64_t now)
{
	int	v, gap;

	v = cert_verify_chain(leaf, rest, cafile, (time_t)now, &r->chain,
	    r->chain_why, sizeof(r->chain_why));
	if (v == 1) {
		r->chain_state = CERTCHECK_CHAIN_OK;
		return;
	}
	if (v == -1) {
		r->chain_state = CERTCHECK_CHAIN_UNKNOWN;
		check_problem(&r->check, CHECK_UNKNOWN,
		    "chain could not be checked");
		return;
	}
	if (r->ci.self_signed) {
		r->chain_state = CERTCHECK_CHAIN_SELF;
		check_problem(&r->check, CHECK_WARNING,
		    "self-signed, not trusted");
		return;
	}
	gap = cert_chain_gap(r->chain, r->gap_issuer, sizeof(r->gap_issuer));
	r->chain_state = gap == 0 ? CERTCHECK_CHAIN_INCOMPLETE :
	    gap > 0 ? CERTCHECK_CHAIN_UNTRUSTED : CERTCHECK_CHAIN_BAD;
	check_problem(&r->check, CHECK_CRITICAL, "chain does not verify: %s",
	    r->chain_why);
}

int
certcheck_judge(struct certcheck *r, X509 *leaf, STACK_OF(X509) *rest,
    const char *host, const char *cafile, long warn, long crit)
{
	int64_t	now = time64_now();

	memset(r, 0, sizeof(*r));
	if (cert_info(leaf, &r->ci) != 0)
		return -1;
	r->have_info = 1;
	judge_dates(r, leaf, now, warn, crit);
	r->host = host;
	if (host != NULL) {
		r->host_match = cert_matches_host(leaf, host);
		if (!r->host_match)
			check_problem(&r->check, CHECK_CRITICAL,
			    "not valid for %s", host);
	}
	judge_chain(r, leaf, rest, cafile, now);
	r->key_status = certcheck_key_status(r->ci.key_type, r->ci.key_bits);
	if (r->key_status != CHECK_OK)
		check_problem(&r->check, r->key_status,
		    "weak %s key (%d bits)", r->ci.key_type, r->ci.key_bits);
	r->sha1 = strstr(r->ci.sigalg, "sha1") != NULL ||
	    strstr(r->ci.sigalg, "SHA1") != NULL;
	if (r->sha1)
		check_problem(&r->check, CHECK_WARNING, "SHA-1 signature");
	return 0;
}

void
certcheck_free(struct certcheck *r)
{
	if (r->have_info)
		cert_info_free(&r->ci);
	r->have_info = 0;
	cert_chain_free(r->chain);
	r->chain = NULL;
}

int
certcheck_probe(const char *host, const char *port, const char *name,
    int seconds, STACK_OF(X509) **out, char *why, size_t whylen)
{
	struct timespec	 deadline;
	struct conn	*c;
	int		 rc;

	*out = NULL;
	net_deadline(&deadline, seconds);
	if ((rc = net_open(host, port, name, &deadline, &c, why, whylen)) != 0)
		return rc;
	if ((*out = net_peer_chain(c)) == NULL) {
		snprintf(why, whylen, "%s:%s: the server sent no certificate",
		    host, port);
		rc = EX_UNAVAILABLE;
	}
	net_close(c);
	return rc;
}
