/*
 * key: private keys made, written and read (EC P-256/P-384, RSA).
 * Tools hold EVP_PKEY pointers as handles.
 *
 * Functions returning int return 0 or a sysexits(3) code and have logged
 * why, unless said otherwise.
 */
#ifndef SEC_KEY_H
#define SEC_KEY_H

#include <stddef.h>
#include <openssl/types.h>

enum key_type {
	KEY_EC256,
	KEY_EC384,
	KEY_RSA2048,
	KEY_RSA3072,
	KEY_RSA4096
};

/* "ec256" ... "rsa4096" to enum key_type; -1 when unknown. */
int	 key_type_parse(const char *);
const char *key_type_name(enum key_type);

/* Fresh key of that type, or NULL (logged). */
EVP_PKEY *key_new(enum key_type);
/* Unencrypted PKCS#8 PEM of the private key; *pem freed by secret_free. */
int	 key_pem(EVP_PKEY *, char **pem, size_t *len);

/*
 * Private key from a PEM file (EX_NOINPUT missing, EX_NOPERM unreadable,
 * EX_DATAERR when it holds no key, an encrypted one or one that does not
 * parse), or from PEM text that WHAT names in messages.
 */
int	 key_load(const char *path, EVP_PKEY **out);
int	 key_parse(const char *what, const char *pem, size_t len,
	    EVP_PKEY **out);

/* The key's algorithm: "EC", "RSA", "ED25519", ... */
const char *key_algorithm(EVP_PKEY *);

#endif
