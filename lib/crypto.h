/*
 * crypto: the one place that speaks OpenSSL (EVP API only).  Tools hold
 * EVP_PKEY and X509 pointers as handles and hand them back here.
 *
 * Functions returning int return 0 or a sysexits(3) code and have logged
 * why, unless said otherwise.
 */
#ifndef SEC_CRYPTO_H
#define SEC_CRYPTO_H

#include <stddef.h>
#include <time.h>
#include <openssl/types.h>
#include <openssl/safestack.h>
#include <openssl/x509.h>

enum key_type {
	KEY_EC256,
	KEY_EC384,
	KEY_RSA2048,
	KEY_RSA3072,
	KEY_RSA4096
};

/* "ec256" ... "rsa4096" to enum key_type; -1 when unknown. */
int	 crypto_key_type_parse(const char *);
const char *crypto_key_type_name(enum key_type);

/* Fresh key of that type, or NULL (logged). */
EVP_PKEY *crypto_key_new(enum key_type);
/* Unencrypted PKCS#8 PEM of the private key; *pem freed by secret_free. */
int	 crypto_key_pem(EVP_PKEY *, char **pem, size_t *len);

/* PEM of one certificate, or of the leaf followed by the chain. */
int	 crypto_cert_pem(X509 *, char **pem, size_t *len);
int	 crypto_chain_pem(X509 *leaf, STACK_OF(X509) *chain, char **pem,
	    size_t *len);

struct selfsigned_req {
	const char	 *cn;		/* subject CN */
	char *const	 *dns;		/* NULL-terminated DNS SANs */
	char *const	 *ips;		/* NULL-terminated IP SANs (v4 or v6) */
	int		  days;
};
/*
 * Self-signed server certificate: 128-bit random serial, CA:FALSE,
 * keyUsage digitalSignature (+ keyEncipherment for RSA), serverAuth,
 * subject key identifier, SHA-256 signature.
 */
X509	*crypto_selfsigned(EVP_PKEY *, const struct selfsigned_req *);

/*
 * Every certificate in a PEM file, in file order (EX_NOINPUT missing,
 * EX_NOPERM unreadable, EX_DATAERR when it holds no certificate or
 * something that does not parse).  *out freed with crypto_chain_free.
 */
int	 crypto_load_certs(const char *path, STACK_OF(X509) **out);
int	 crypto_parse_certs(const char *what, const char *pem, size_t len,
	    STACK_OF(X509) **out);
void	 crypto_chain_free(STACK_OF(X509) *);
/* Private key from a PEM file (same codes; EX_DATAERR if encrypted). */
int	 crypto_load_key(const char *path, EVP_PKEY **out);

/* 1 when the private key belongs to the certificate's public key. */
int	 crypto_key_matches(X509 *, EVP_PKEY *);

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
	time_t	  not_before;
	time_t	  not_after;
	int	  self_signed;			/* issuer == subject, own signature */
	int	  is_ca;
	char	**sans;	/* NULL-terminated "DNS:name" / "IP:addr" */
};
int	 crypto_cert_info(X509 *, struct cert_info *);
void	 crypto_cert_info_free(struct cert_info *);

/*
 * Whole days from NOW to the end of validity, rounded down (negative when
 * expired; LONG_MIN, logged, when the end date does not parse).
 */
long	 crypto_days_left(X509 *, time_t now);

/*
 * 1 when the certificate is valid for HOST (a DNS name, wildcards as
 * RFC 6125, or an IP address literal), 0 otherwise.
 */
int	 crypto_cert_matches_host(X509 *, const char *host);

/*
 * Builds and verifies the chain from LEAF through UNTRUSTED to a trust
 * anchor: CAFILE when given, else the system store.  Validity is checked
 * at time NOW.  Returns 1 when it verifies, with *built (if not NULL)
 * holding the verified chain leaf first; 0 when it does not, with the
 * reason in WHY and *built holding as much as could be assembled.
 * -1 on internal error (logged).
 */
int	 crypto_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted,
	    const char *cafile, time_t now, STACK_OF(X509) **built,
	    char *why, size_t whylen);

/*
 * PEM DH parameters (PKCS#3, generator 2) of BITS bits, generated now.
 * Callers hold deployments to >= 2048; 512 is accepted for tests.
 */
int	 crypto_dhparam_pem(int bits, char **pem, size_t *len);

/* Bits of the DH parameters in PATH; 0 when absent or not DH parameters. */
int	 crypto_dhparam_bits(const char *path);

/*
 * PKCS#12 (DER) of KEY, CERT and CHAIN with friendly name ALIAS under
 * PASSWORD, AES-256-CBC / PBKDF2 / SHA-256 MAC, as keytool reads it.
 */
int	 crypto_pkcs12(EVP_PKEY *, X509 *, STACK_OF(X509) *chain,
	    const char *alias, const char *password, unsigned char **der,
	    size_t *len);

/*
 * ACME (RFC 8555) building blocks.  Strings returned through char ** are
 * malloc'd and NUL-terminated; the caller frees them.
 */

/* base64 with padding (RFC 4648 section 4), malloc'd, or NULL (logged). */
char	*crypto_b64(const void *, size_t);
/* base64url without padding (RFC 4648 section 5), and back. */
char	*crypto_b64url(const void *, size_t);
int	 crypto_b64url_decode(const char *, unsigned char **out, size_t *len);

/* SHA-256 of the bytes. */
int	 crypto_sha256(const void *, size_t, unsigned char out[32]);

/*
 * JWK (RFC 7517) of the public half of an EC P-256/P-384 or RSA key, as
 * compact JSON with the required members only, in lexicographic order:
 * that string is also the input of the RFC 7638 thumbprint.
 */
int	 crypto_jwk(EVP_PKEY *, char **json);
/* base64url(SHA-256(JWK)), the thumbprint in key authorizations. */
int	 crypto_jwk_thumbprint(EVP_PKEY *, char **b64);
/* "ES256", "ES384" or "RS256" for the key; NULL for other keys. */
const char *crypto_jws_alg(EVP_PKEY *);

/*
 * Flattened JWS JSON serialization (RFC 7515 section 7.2.2):
 * {"protected":b64u(PROTECTED),"payload":b64u(PAYLOAD),"signature":...}
 * PROTECTED is the header JSON as the caller built it; PAYLOAD "" makes a
 * POST-as-GET body.  ECDSA signatures are raw r||s (RFC 7518 3.4).
 */
int	 crypto_jws(EVP_PKEY *, const char *protected, const char *payload,
	    char **out);
/* The same with HS256 under a MAC key, for external account binding. */
int	 crypto_jws_hmac(const unsigned char *key, size_t keylen,
	    const char *protected, const char *payload, char **out);

/* PKCS#10 request (DER) for DOMAINS (NULL-terminated; CN = the first). */
int	 crypto_csr(EVP_PKEY *, char *const *domains, unsigned char **der,
	    size_t *len);

/*
 * The ACME Renewal Information certificate identifier (RFC 9773):
 * base64url(authority key identifier) "." base64url(serial DER content).
 */
int	 crypto_ari_cert_id(X509 *, char **id);

/* DER of a certificate (what revokeCert takes). */
int	 crypto_cert_der(X509 *, unsigned char **der, size_t *len);

/*
 * What a CA just sent: LEAF is issued by the first certificate of CHAIN,
 * each one by the next, all valid at NOW; the top of CHAIN stands in for
 * the trust anchor, since a test or private CA's root is in no store.
 * 1 when it holds, 0 with the reason in WHY (an empty CHAIN is a
 * truncated chain), -1 on internal error.
 */
int	 crypto_verify_issued(X509 *leaf, STACK_OF(X509) *chain, time_t now,
	    char *why, size_t whylen);

/* Private key from PEM text (same codes as crypto_load_key). */
int	 crypto_parse_key(const char *what, const char *pem, size_t len,
	    EVP_PKEY **out);

/* The reason of the last OpenSSL error (static text); empties the queue. */
const char *crypto_last_error(void);
/* 1 when S is an IPv4 or IPv6 address literal. */
int	 crypto_is_ip(const char *);

#endif
