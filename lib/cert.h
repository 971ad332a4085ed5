/*
 * cert: certificates read, written and checked (names, validity, key,
 * chain).  Tools hold X509 pointers as handles and hand them back here.
 *
 * Functions returning int return 0 or a sysexits(3) code and have logged
 * why, unless said otherwise.
 */
#ifndef SEC_CERT_H
#define SEC_CERT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <openssl/x509.h>

/*
 * Every certificate in a PEM file, in file order (EX_NOINPUT missing,
 * EX_NOPERM unreadable, EX_DATAERR when it holds no certificate or
 * something that does not parse).  *out freed with cert_chain_free.
 */
int	 cert_load(const char *path, STACK_OF(X509) **out);
int	 cert_parse(const char *what, const char *pem, size_t len,
	    STACK_OF(X509) **out);
void	 cert_chain_free(STACK_OF(X509) *);

/* PEM of one certificate, or of the leaf followed by the chain. */
int	 cert_pem(X509 *, char **pem, size_t *len);
int	 cert_chain_pem(X509 *leaf, STACK_OF(X509) *chain, char **pem,
	    size_t *len);
/* DER of a certificate (what revokeCert takes). */
int	 cert_der(X509 *, unsigned char **der, size_t *len);

/* 1 when the private key belongs to the certificate's public key. */
int	 cert_matches_key(X509 *, EVP_PKEY *);

#define CERT_NAME_MAX	256
struct cert_info {
	char	  subject[CERT_NAME_MAX];	/* one-line RFC 2253 */
	char	  issuer[CERT_NAME_MAX];
	char	  cn[CERT_NAME_MAX];		/* subject CN, "" if none */
	char	  issuer_cn[CERT_NAME_MAX];
	char	  serial[80];			/* hex, colon-free */
	char	  sigalg[64];			/* "ecdsa-with-SHA256" */
	char	  key_type[16];			/* "EC", "RSA", ... */
	char	  curve[32];			/* "prime256v1" for EC */
	int	  key_bits;
	int64_t	  not_before;			/* lib/time64 */
	int64_t	  not_after;
	int	  self_signed;	/* issuer == subject, own signature */
	int	  is_ca;
	char	**sans;	/* NULL-terminated "DNS:name" / "IP:addr" */
};
int	 cert_info(X509 *, struct cert_info *);
void	 cert_info_free(struct cert_info *);

/*
 * Whole days from NOW to the end of validity, rounded down (negative when
 * expired; LONG_MIN, logged, when the end date does not parse).
 */
long	 cert_days_left(X509 *, int64_t now);

/*
 * 1 when the certificate is valid for HOST (a DNS name, wildcards as
 * RFC 6125, or an IP address literal), 0 otherwise.
 */
int	 cert_matches_host(X509 *, const char *host);

/*
 * Builds and verifies the chain from LEAF through UNTRUSTED to a trust
 * anchor: CAFILE when given, else the system store.  Validity is checked
 * at time NOW, the kernel's time_t (OpenSSL compares it with the
 * certificate's times as ASN1_TIME, so those may lie past 2038).
 * Returns 1 when it verifies, with *built (if not NULL) holding the
 * verified chain leaf first; 0 when it does not, with the
 * reason in WHY and *built holding as much as could be assembled.
 * -1 on internal error (logged).
 */
int	 cert_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted,
	    const char *cafile, time_t now, STACK_OF(X509) **built,
	    char *why, size_t whylen);

/*
 * Where a chain that did not verify stops short, given BUILT as
 * cert_verify_chain left it: -1 when it reaches a self-signed
 * certificate (the trouble is elsewhere), else the index of its last
 * certificate, whose issuer was found neither in the chain nor among the
 * trust anchors, with that issuer's name (one-line RFC 2253) in ISSUER.
 * Index 0 means an intermediate certificate is missing.
 */
int	 cert_chain_gap(STACK_OF(X509) *built, char *issuer, size_t len);

/*
 * The SHA-256 fingerprint of the certificate's DER as `openssl x509
 * -fingerprint -sha256` prints it, "AB:CD:...", in BUF.
 */
#define CERT_FINGERPRINT_MAX	(32 * 3)
int	 cert_fingerprint(X509 *, char *buf, size_t len);

/*
 * What a CA just sent: LEAF is issued by the first certificate of CHAIN,
 * each one by the next, all valid at NOW; the top of CHAIN stands in for
 * the trust anchor, since a test or private CA's root is in no store.
 * 1 when it holds, 0 with the reason in WHY (an empty CHAIN is a
 * truncated chain), -1 on internal error.
 */
int	 cert_verify_issued(X509 *leaf, STACK_OF(X509) *chain, time_t now,
	    char *why, size_t whylen);

/*
 * The ACME Renewal Information certificate identifier (RFC 9773):
 * base64url(authority key identifier) "." base64url(serial DER content),
 * malloc'd.
 */
int	 cert_ari_id(X509 *, char **id);

#endif
