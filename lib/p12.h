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

/*
 * 1 when the PKCS#12 DER opens with PASSWORD (its MAC verifies) and holds
 * KEY, CERT with the friendly name ALIAS and the certificates of CHAIN,
 * no more; 0 otherwise, not logged: a store that does not open is simply
 * not the same one.
 */
int	 p12_holds(const unsigned char *der, size_t len, const char *password,
	    EVP_PKEY *, X509 *, STACK_OF(X509) *chain, const char *alias);

#endif
