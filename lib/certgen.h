/*
 * certgen: certificates and certificate requests made here, from a key
 * and the names they are for.
 */
#ifndef SEC_CERTGEN_H
#define SEC_CERTGEN_H

#include <stddef.h>
#include <openssl/types.h>

struct selfsigned_req {
	const char	 *cn;		/* subject CN */
	char *const	 *dns;		/* NULL-terminated DNS SANs */
	char *const	 *ips;		/* NULL-terminated IP SANs (v4 or v6) */
	int		  days;
};
/*
 * Self-signed server certificate: 128-bit random serial, CA:FALSE,
 * keyUsage digitalSignature (+ keyEncipherment for RSA), serverAuth,
 * subject key identifier, SHA-256 signature.  NULL when REQ is refused
 * or OpenSSL fails (logged).
 */
X509	*certgen_selfsigned(EVP_PKEY *, const struct selfsigned_req *);

/*
 * PKCS#10 request (DER, malloc'd) for DOMAINS (NULL-terminated; CN = the
 * first); 0 or a sysexits(3) code (logged).
 */
int	 certgen_csr(EVP_PKEY *, char *const *domains, unsigned char **der,
	    size_t *len);

#endif
