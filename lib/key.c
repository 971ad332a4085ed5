/*
 * key: private keys through the OpenSSL 3 EVP API.  A key that needs a
 * passphrase is refused, never prompted for.
 */
#define _GNU_SOURCE		/* memmem */

#include <limits.h>
#include <string.h>
#include <sysexits.h>

#include <openssl/bio.h>
#include <openssl/buffer.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include "fs.h"
#include "key.h"
#include "log.h"
#include "openssl.h"
#include "secret.h"

#define PEM_KEY_END	"PRIVATE KEY-----"	/* of every key's PEM label */

static const struct {
	const char	*name;
	const char	*curve;		/* NULL for RSA */
	size_t		 bits;
} key_types[] = {
	[KEY_EC256] =	{ "ec256", "P-256", 256 },
	[KEY_EC384] =	{ "ec384", "P-384", 384 },
	[KEY_RSA2048] =	{ "rsa2048", NULL, 2048 },
	[KEY_RSA3072] =	{ "rsa3072", NULL, 3072 },
	[KEY_RSA4096] =	{ "rsa4096", NULL, 4096 },
};
#define NKEY_TYPES	(sizeof(key_types) / sizeof(key_types[0]))

const char *
key_algorithm(EVP_PKEY *key)
{
	const char	*type;

	if ((type = EVP_PKEY_get0_type_name(key)) == NULL)
		type = OBJ_nid2sn(EVP_PKEY_get_base_id(key));
	return type;
}

int
key_type_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < NKEY_TYPES; i++)
		if (strcmp(s, key_types[i].name) == 0)
			return (int)i;
	return -1;
}

const char *
key_type_name(enum key_type t)
{
	if ((size_t)t >= NKEY_TYPES)
		return "unknown";
	return key_types[t].name;
}

EVP_PKEY *
key_new(enum key_type t)
{
	EVP_PKEY	*key;

	if ((size_t)t >= NKEY_TYPES) {
		log_err("key type %d is not one of ec256 ... rsa4096", (int)t);
		return NULL;
	}
	/* OpenSSL 3 defaults: named curve, uncompressed points, e = 65537. */
	if (key_types[t].curve != NULL)
		key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", key_types[t].curve);
	else
		key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", key_types[t].bits);
	if (key == NULL)
		log_err("%s key generation failed: %s", key_types[t].name,
		    openssl_error());
	return key;
}

/* Frees a memory BIO that held a secret, wiping what it held first. */
static void
bio_free_wiped(BIO *bio)
{
	BUF_MEM	*bm;

	if (bio == NULL)
		return;
	BIO_get_mem_ptr(bio, &bm);
	if (bm != NULL && bm->data != NULL)
		OPENSSL_cleanse(bm->data, bm->length);
	BIO_free(bio);
}

int
key_pem(EVP_PKEY *key, char **pem, size_t *len)
{
	BIO	*bio;
	int	 rv = EX_SOFTWARE;

	if ((bio = BIO_new(BIO_s_mem())) == NULL) {
		log_err("private key PEM: %s", openssl_error());
		return EX_SOFTWARE;
	}
	/* OpenSSL 3 writes PKCS#8 ("BEGIN PRIVATE KEY") here. */
	if (PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL,
	    NULL) != 1) {
		log_err("private key PEM: %s", openssl_error());
		goto out;
	}
	rv = openssl_bio_take(bio, "private key PEM", pem, len);
out:
	bio_free_wiped(bio);
	return rv;
}

int
key_parse(const char *what, const char *pem, size_t len, EVP_PKEY **out)
{
	BIO	*bio;
	int	 encrypted = 0;

	*out = NULL;
	if (len > INT_MAX) {
		log_err("%s: too large for a key file", what);
		return EX_DATAERR;
	}
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL) {
		log_err("%s: %s", what, openssl_error());
		return EX_SOFTWARE;
	}
	ERR_clear_error();
	*out = PEM_read_bio_PrivateKey(bio, NULL, openssl_no_passphrase,
	    &encrypted);
	/* The decoder's own reason is "unsupported" whatever went wrong. */
	ERR_clear_error();
	BIO_free(bio);
	if (*out != NULL)
		return 0;
	if (encrypted)
		log_err("%s: private key is encrypted", what);
	else
		log_err("%s: %s", what, memmem(pem, len, PEM_KEY_END,
		    sizeof(PEM_KEY_END) - 1) == NULL ?
		    "no PEM private key found" : "private key does not parse");
	return EX_DATAERR;
}

int
key_load(const char *path, EVP_PKEY **out)
{
	char	*buf;
	size_t	 len;
	int	 rv;

	*out = NULL;
	if ((rv = fs_read_file(path, FS_MAX_READ, &buf, &len)) != 0)
		return rv;
	rv = key_parse(path, buf, len, out);
	secret_free(buf, len);
	return rv;
}
