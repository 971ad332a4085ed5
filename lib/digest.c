/*
 * digest: EVP one-shot digests.
 */
#include <sysexits.h>

#include <openssl/evp.h>

#include "digest.h"
#include "log.h"
#include "openssl.h"

int
digest_sha256(const void *data, size_t len, unsigned char out[32])
{
	if (EVP_Digest(data, len, out, NULL, EVP_sha256(), NULL) != 1) {
		log_err("SHA-256: %s", openssl_error());
		return EX_SOFTWARE;
	}
	return 0;
}
