/*
 * digest: message digests.
 */
#ifndef SEC_DIGEST_H
#define SEC_DIGEST_H

#include <stddef.h>

/* SHA-256 of the bytes; 0 or EX_SOFTWARE (logged). */
int	 digest_sha256(const void *, size_t, unsigned char out[32]);

#endif
