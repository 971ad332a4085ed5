/*
 * jose: the JSON Web Key and Signature pieces of ACME (RFC 7515, 7517,
 * 7638, 8555).  Strings returned through char ** are malloc'd and
 * NUL-terminated; the caller frees them.  Functions returning int return
 * 0 or a sysexits(3) code and have logged why.
 */
#ifndef SEC_JOSE_H
#define SEC_JOSE_H

#include <stddef.h>
#include <openssl/types.h>

/*
 * JWK (RFC 7517) of the public half of an EC P-256/P-384 or RSA key, as
 * compact JSON with the required members only, in lexicographic order:
 * that string is also the input of the RFC 7638 thumbprint.
 */
int	 jose_jwk(EVP_PKEY *, char **json);
/* base64url(SHA-256(JWK)), the thumbprint in key authorizations. */
int	 jose_jwk_thumbprint(EVP_PKEY *, char **b64);
/* "ES256", "ES384" or "RS256" for the key; NULL for other keys. */
const char *jose_jws_alg(EVP_PKEY *);

/*
 * Flattened JWS JSON serialization (RFC 7515 section 7.2.2):
 * {"protected":b64u(PROTECTED),"payload":b64u(PAYLOAD),"signature":...}
 * PROTECTED is the header JSON as the caller built it; PAYLOAD "" makes a
 * POST-as-GET body.  ECDSA signatures are raw r||s (RFC 7518 3.4).
 */
int	 jose_jws(EVP_PKEY *, const char *protected, const char *payload,
	    char **out);
/* The same with HS256 under a MAC key, for external account binding. */
int	 jose_jws_hmac(const unsigned char *key, size_t keylen,
	    const char *protected, const char *payload, char **out);

#endif
