/*
 * dhparam: DH parameters generated and read back through the OpenSSL 3
 * EVP API.
 */
#include <sysexits.h>

#include <openssl/bio.h>
#include <openssl/dh.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "dhparam.h"
#include "log.h"
#include "openssl.h"

int
dhparam_pem(int bits, char **pem, size_t *len)
{
	EVP_PKEY_CTX	*pctx;
	EVP_PKEY	*params = NULL;
	BIO		*bio = NULL;
	int		 rv = EX_SOFTWARE;

	/* "DH" (not "DHX") generates safe primes: PKCS#3, as nginx reads. */
	if ((pctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL)) == NULL ||
	    EVP_PKEY_paramgen_init(pctx) != 1 ||
	    EVP_PKEY_CTX_set_dh_paramgen_prime_len(pctx, bits) != 1 ||
	    EVP_PKEY_CTX_set_dh_paramgen_generator(pctx, 2) != 1 ||
	    EVP_PKEY_paramgen(pctx, &params) != 1 ||
	    (bio = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio_Parameters(bio, params) != 1) {
		log_err("%d-bit DH parameters: %s", bits, openssl_error());
		goto out;
	}
	rv = openssl_bio_take(bio, "DH parameters", pem, len);
out:
	BIO_free(bio);
	EVP_PKEY_free(params);
	EVP_PKEY_CTX_free(pctx);
	return rv;
}

int
dhparam_bits(const char *path)
{
	EVP_PKEY	*params = NULL;
	BIO		*bio;
	int		 bits = 0;

	/* Quietly: a missing or unreadable file just means "make one". */
	if ((bio = BIO_new_file(path, "r")) != NULL &&
	    (params = PEM_read_bio_Parameters(bio, NULL)) != NULL &&
	    EVP_PKEY_is_a(params, "DH"))
		bits = EVP_PKEY_get_bits(params);
	EVP_PKEY_free(params);
	BIO_free(bio);
	ERR_clear_error();
	return bits;
}
