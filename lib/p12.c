/*
 * p12: PKCS#12 through the OpenSSL 3 API, with keytool's own iteration
 * count and a SHA-256 MAC instead of OpenSSL's SHA-1 default.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>

#include "log.h"
#include "openssl.h"
#include "p12.h"

#define P12_ITER	10000	/* what keytool itself writes */

int
p12_der(EVP_PKEY *key, X509 *cert, STACK_OF(X509) *chain,
    const char *alias, const char *password, unsigned char **der,
    size_t *len)
{
	PKCS12		*p12;
	unsigned char	*buf = NULL, *p;
	int		 n, rv = EX_SOFTWARE;

	*der = NULL;
	*len = 0;
	/* No MAC here (-1): it is set below with SHA-256 instead of SHA-1. */
	p12 = PKCS12_create_ex(password, alias, key, cert, chain,
	    NID_aes_256_cbc, NID_aes_256_cbc, P12_ITER, -1, 0, NULL, NULL);
	if (p12 == NULL || PKCS12_set_mac(p12, password, -1, NULL, 0,
	    P12_ITER, EVP_sha256()) != 1 || (n = i2d_PKCS12(p12, NULL)) <= 0) {
		log_err("PKCS#12 for '%s': %s", alias, openssl_error());
		goto out;
	}
	if ((buf = malloc(n)) == NULL) {
		log_err("PKCS#12 for '%s': %s", alias, strerror(errno));
		rv = EX_OSERR;
		goto out;
	}
	p = buf;
	if (i2d_PKCS12(p12, &p) != n) {
		log_err("PKCS#12 for '%s': %s", alias, openssl_error());
		goto out;
	}
	*der = buf;
	*len = (size_t)n;
	buf = NULL;
	rv = 0;
out:
	free(buf);
	PKCS12_free(p12);
	return rv;
}

/* Every certificate of A is in B and both have as many. */
static int
same_certs(STACK_OF(X509) *a, STACK_OF(X509) *b)
{
	int	i, j, found;

	if (sk_X509_num(a) != sk_X509_num(b))
		return 0;
	for (i = 0; i < sk_X509_num(a); i++) {
		found = 0;
		for (j = 0; !found && j < sk_X509_num(b); j++)
			found = X509_cmp(sk_X509_value(a, i),
			    sk_X509_value(b, j)) == 0;
		if (!found)
			return 0;
	}
	return 1;
}

int
p12_holds(const unsigned char *der, size_t len, const char *password,
    EVP_PKEY *key, X509 *cert, STACK_OF(X509) *chain, const char *alias)
{
	const unsigned char	*p = der;
	const unsigned char	*name;
	PKCS12			*p12 = NULL;
	EVP_PKEY		*k = NULL;
	X509			*c = NULL;
	STACK_OF(X509)		*ca = NULL, *none = NULL;
	int			 n, same = 0;

	if (len > LONG_MAX || (p12 = d2i_PKCS12(NULL, &p, (long)len)) ==
	    NULL || p != der + len)
		goto out;
	if (PKCS12_verify_mac(p12, password, -1) != 1 ||
	    PKCS12_parse(p12, password, &k, &c, &ca) != 1 ||
	    k == NULL || c == NULL)
		goto out;
	if (chain == NULL && (chain = none = sk_X509_new_null()) == NULL)
		goto out;
	if (ca == NULL && (ca = sk_X509_new_null()) == NULL)
		goto out;
	name = X509_alias_get0(c, &n);
	same = EVP_PKEY_eq(k, key) == 1 && X509_cmp(c, cert) == 0 &&
	    name != NULL && (size_t)n == strlen(alias) &&
	    memcmp(name, alias, n) == 0 && same_certs(chain, ca);
out:
	ERR_clear_error();
	sk_X509_free(none);
	sk_X509_pop_free(ca, X509_free);
	X509_free(c);
	EVP_PKEY_free(k);
	PKCS12_free(p12);
	return same;
}
