/*
 * certcheck: what a public SSL checker reports of a certificate, for
 * `ss-cert check` and ss-audit: days left, the name, the chain, the key
 * and the signature, each judged once, and the chain a server presents.
 */
#ifndef SEC_CERTCHECK_H
#define SEC_CERTCHECK_H

#include <stddef.h>

#include <openssl/x509.h>

#include "cert.h"
#include "check.h"

/* How far the chain got (certcheck_judge). */
enum certcheck_chain {
	CERTCHECK_CHAIN_OK,		/* complete and trusted */
	CERTCHECK_CHAIN_SELF,		/* a self-signed leaf, not trusted */
	CERTCHECK_CHAIN_INCOMPLETE,	/* an intermediate is missing */
	CERTCHECK_CHAIN_UNTRUSTED,	/* ends at a CA that is not trusted */
	CERTCHECK_CHAIN_BAD,		/* does not verify for another reason */
	CERTCHECK_CHAIN_UNKNOWN		/* could not be checked */
};

struct certcheck {
	struct cert_info ci;
	int		 have_info;
	long		 days_left;
	int		 expiry;	/* CHECK_OK, _WARNING or _CRITICAL */
	int		 not_yet_valid;
	const char	*host;		/* NULL: not checked */
	int		 host_match;
	enum certcheck_chain chain_state;
	char		 chain_why[512];
	/* The CA whose certificate is missing: _INCOMPLETE, _UNTRUSTED. */
	char		 gap_issuer[CERT_NAME_MAX];
	STACK_OF(X509)	*chain;		/* verified, or as much as we have */
	int		 key_status;	/* CHECK_OK, _WARNING or _CRITICAL */
	int		 sha1;		/* a SHA-1 signature */
	struct check	 check;		/* every problem, worded */
};

/*
 * Judges LEAF, its chain REST (untrusted) and, unless HOST is NULL, the
 * name HOST, at the time now: expiry within WARN days is a WARNING,
 * within CRIT days or past a CRITICAL; trust anchors from CAFILE, else the
 * system store.  Fills R (zeroed first; certcheck_free frees it) and its
 * problems.  0, or -1 when the certificate could not be examined.
 */
int	 certcheck_judge(struct certcheck *r, X509 *leaf, STACK_OF(X509) *rest,
	    const char *host, const char *cafile, long warn, long crit);
void	 certcheck_free(struct certcheck *);

/*
 * CHECK_OK for a key of at least 2048 bits RSA or 256 bits EC; a
 * WARNING below, CRITICAL under 1024 bits RSA or 224 bits EC.
 */
int	 certcheck_key_status(const char *key_type, int key_bits);

/*
 * What HOST:PORT presents in its TLS handshake with SNI for NAME, leaf
 * first, unverified, within SECONDS: net_open's codes, EX_UNAVAILABLE
 * too when the server sent no certificate, the reason in WHY.
 */
int	 certcheck_probe(const char *host, const char *port, const char *name,
	    int seconds, STACK_OF(X509) **out, char *why, size_t whylen);

#endif
