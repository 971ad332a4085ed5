/*
 * p12: PKCS#12 through the OpenSSL 3 API, with keytool's own iteration
 * count and a SHA-256 MAC instead of OpenSSL's SHA-1 default.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

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
