/*
 * jose: JWK, thumbprint and JWS through the OpenSSL 3 EVP API.  Every
 * JSON text here is built by hand from base64url strings and fixed
 * member names, so nothing needs escaping.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "base64.h"
#include "digest.h"
#include "jose.h"
#include "key.h"
#include "log.h"
#include "openssl.h"

#define EC_COORD_MAX	48	/* bytes, P-384 */

/*
 * The curves JOSE names (RFC 7518 sections 3.4 and 6.2.1): JWK "crv",
 * JWS "alg", its digest, and the fixed size of a coordinate, of r and
 * of s.
 */
static const struct ec_curve {
	int		 nid;
	const char	*crv;
	const char	*alg;
	const char	*md;
	int		 size;
} ec_curves[] = {
	{ NID_X9_62_prime256v1, "P-256", "ES256", "SHA256", 32 },
	{ NID_secp384r1, "P-384", "ES384", "SHA384", EC_COORD_MAX },
};

/* The curve of an EC key when JOSE names it, else NULL. */
static const struct ec_curve *
ec_curve_of(EVP_PKEY *key)
{
	char	group[64];
	size_t	i;
	int	nid;

	if (!EVP_PKEY_is_a(key, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, sizeof(group), NULL)) {
		ERR_clear_error();
		return NULL;
	}
	nid = OBJ_sn2nid(group);
	for (i = 0; i < sizeof(ec_curves) / sizeof(ec_curves[0]); i++)
		if (ec_curves[i].nid == nid)
			return &ec_curves[i];
	return NULL;
}

static char	*str_printf(const char *, ...)
		    __attribute__((format(printf, 1, 2)));

/* A formatted string in a fresh buffer; NULL when out of memory. */
static char *
str_printf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* base64url of the big-endian BN in SIZE bytes (0: no leading zeros). */
static char *
bn_b64url(const BIGNUM *bn, int size)
{
	unsigned char	*buf;
	char		*s = NULL;

	if (size == 0)
		size = BN_num_bytes(bn);
	if ((buf = malloc(size > 0 ? size : 1)) == NULL) {
		log_err("JWK: %s", strerror(errno));
		return NULL;
	}
	if (BN_bn2binpad(bn, buf, size) == size)
		s = base64_urlencode(buf, size);
	else
		log_err("JWK: a key parameter does not fit %d bytes", size);
	free(buf);
	return s;
}

int
jose_jwk(EVP_PKEY *key, char **json)
{
	const struct ec_curve	*ec;
	BIGNUM			*a = NULL, *b = NULL;
	char			*sa = NULL, *sb = NULL;
	int			 size, rv = EX_SOFTWARE;

	*json = NULL;
	if ((ec = ec_curve_of(key)) == NULL && !EVP_PKEY_is_a(key, "RSA")) {
		log_err("JWK: %s keys are not supported", key_algorithm(key));
		return EX_DATAERR;
	}
	if (!EVP_PKEY_get_bn_param(key, ec != NULL ? OSSL_PKEY_PARAM_EC_PUB_X :
	    OSSL_PKEY_PARAM_RSA_N, &a) ||
	    !EVP_PKEY_get_bn_param(key, ec != NULL ? OSSL_PKEY_PARAM_EC_PUB_Y :
	    OSSL_PKEY_PARAM_RSA_E, &b)) {
		log_err("JWK: %s", openssl_error());
		goto out;
	}
	/* RFC 7518: fixed-size coordinates, but n and e without padding. */
	size = ec != NULL ? ec->size : 0;
	if ((sa = bn_b64url(a, size)) == NULL ||
	    (sb = bn_b64url(b, size)) == NULL)
		goto out;
	/* Required members only, sorted, no blanks: RFC 7638 section 3. */
	if (ec != NULL)
		*json = str_printf("{\"crv\":\"%s\",\"kty\":\"EC\","
		    "\"x\":\"%s\",\"y\":\"%s\"}", ec->crv, sa, sb);
	else
		*json = str_printf("{\"e\":\"%s\",\"kty\":\"RSA\","
		    "\"n\":\"%s\"}", sb, sa);
	if (*json == NULL) {
		log_err("JWK: %s", strerror(errno));
		rv = EX_OSERR;
		goto out;
	}
	rv = 0;
out:
	free(sa);
	free(sb);
	BN_free(a);
	BN_free(b);
	return rv;
}

int
jose_jwk_thumbprint(EVP_PKEY *key, char **b64)
{
	unsigned char	 md[32];
	char		*jwk;
	int		 rv;

	*b64 = NULL;
	if ((rv = jose_jwk(key, &jwk)) != 0)
		return rv;
	if ((rv = digest_sha256(jwk, strlen(jwk), md)) == 0 &&
	    (*b64 = base64_urlencode(md, sizeof(md))) == NULL)
		rv = EX_OSERR;
	free(jwk);
	return rv;
}

const char *
jose_jws_alg(EVP_PKEY *key)
{
	const struct ec_curve	*ec;

	if ((ec = ec_curve_of(key)) != NULL)
		return ec->alg;
	return EVP_PKEY_is_a(key, "RSA") ? "RS256" : NULL;
}

/* b64u(PROTECTED) "." b64u(PAYLOAD), the JWS signing input. */
static char *
jws_input(const char *protected, const char *payload)
{
	char	*p, *q = NULL, *in = NULL;

	if ((p = base64_urlencode(protected, strlen(protected))) != NULL &&
	    (q = base64_urlencode(payload, strlen(payload))) != NULL &&
	    (in = str_printf("%s.%s", p, q)) == NULL)
		log_err("JWS: %s", strerror(errno));
	free(p);
	free(q);
	return in;
}

/* The flattened JSON serialization of signing INPUT and its signature. */
static int
jws_flatten(const char *input, const unsigned char *sig, size_t siglen,
    char **out)
{
	const char	*dot;
	char		*s;

	if ((s = base64_urlencode(sig, siglen)) == NULL)
		return EX_OSERR;
	dot = strchr(input, '.');
	*out = str_printf("{\"protected\":\"%.*s\",\"payload\":\"%s\","
	    "\"signature\":\"%s\"}", (int)(dot - input), input, dot + 1, s);
	free(s);
	if (*out == NULL) {
		log_err("JWS: %s", strerror(errno));
		return EX_OSERR;
	}
	return 0;
}

int
jose_jws(EVP_PKEY *key, const char *protected, const char *payload,
    char **out)
{
	const struct ec_curve	*ec;
	EVP_MD_CTX		*ctx = NULL;
	ECDSA_SIG		*es = NULL;
	const BIGNUM		*r, *s;
	const unsigned char	*p;
	unsigned char		*sig = NULL, rs[2 * EC_COORD_MAX];
	char			*input;
	size_t			 siglen;
	int			 rv = EX_SOFTWARE;

	*out = NULL;
	if ((ec = ec_curve_of(key)) == NULL && !EVP_PKEY_is_a(key, "RSA")) {
		log_err("JWS: %s keys cannot sign", key_algorithm(key));
		return EX_DATAERR;
	}
	if ((input = jws_input(protected, payload)) == NULL)
		return EX_OSERR;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit_ex(ctx, NULL, ec != NULL ? ec->md : "SHA256",
	    NULL, NULL, key, NULL) != 1 ||
	    EVP_DigestSign(ctx, NULL, &siglen, (unsigned char *)input,
	    strlen(input)) != 1) {
		log_err("JWS: %s", openssl_error());
		goto out;
	}
	if ((sig = malloc(siglen)) == NULL) {
		log_err("JWS: %s", strerror(errno));
		rv = EX_OSERR;
		goto out;
	}
	if (EVP_DigestSign(ctx, sig, &siglen, (unsigned char *)input,
	    strlen(input)) != 1) {
		log_err("JWS: %s", openssl_error());
		goto out;
	}
	if (ec == NULL) {
		rv = jws_flatten(input, sig, siglen, out);
		goto out;
	}
	/* JWS wants r || s, each as wide as a coordinate, not DER. */
	p = sig;
	if ((es = d2i_ECDSA_SIG(NULL, &p, (long)siglen)) == NULL) {
		log_err("JWS: %s", openssl_error());
		goto out;
	}
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, rs, ec->size) != ec->size ||
	    BN_bn2binpad(s, rs + ec->size, ec->size) != ec->size) {
		log_err("JWS: ECDSA signature wider than the curve");
		goto out;
	}
	rv = jws_flatten(input, rs, 2 * (size_t)ec->size, out);
out:
	ECDSA_SIG_free(es);
	free(sig);
	EVP_MD_CTX_free(ctx);
	free(input);
	return rv;
}

int
jose_jws_hmac(const unsigned char *key, size_t keylen,
    const char *protected, const char *payload, char **out)
{
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	char		*input;
	size_t		 maclen;
	int		 rv = EX_SOFTWARE;

	*out = NULL;
	if ((input = jws_input(protected, payload)) == NULL)
		return EX_OSERR;
	if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, keylen,
	    (unsigned char *)input, strlen(input), mac, sizeof(mac),
	    &maclen) == NULL)
		log_err("HS256 JWS: %s", openssl_error());
	else
		rv = jws_flatten(input, mac, maclen, out);
	free(input);
	return rv;
}
