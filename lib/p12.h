/*
 * p12: PKCS#12 key stores, for the Java side of the device (keytool).
 */
#ifndef SEC_P12_H
#define SEC_P12_H

#include <stddef.h>
#include <openssl/x509.h>

/*
 * PKCS#12 (DER, malloc'd) of KEY, CERT and CHAIN with friendly name ALIAS
 * under PASSWORD, AES-256-CBC / PBKDF2 / SHA-256 MAC, as keytool reads
 * it; 0 or a sysexits(3) code (logged).  It holds the key: the caller
 * frees *der with secret_free.
 */
int	 p12_der(EVP_PKEY *, X509 *, STACK_OF(X509) *chain, const char *alias,
	    const char *password, unsigned char **der, size_t *len);

#endif
