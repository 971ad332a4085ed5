/*
 * secret: random bytes, and secrets wiped and compared.  No OpenSSL
 * here, so that a password check does not load libcrypto (its start-up
 * is most of the time a check takes besides the hash itself).
 */
#ifndef SEC_SECRET_H
#define SEC_SECRET_H

#include <stddef.h>

/* Cryptographically random bytes; 0 or EX_SOFTWARE (logged). */
int	 secret_random(void *, size_t);
void	 secret_zero(void *, size_t);
/* Wipes the LEN bytes at P, then frees P (NULL is a no-op). */
void	 secret_free(void *p, size_t len);
/* 1 when the LEN bytes are equal, in time that depends on LEN only. */
int	 secret_equal(const void *, const void *, size_t);

#endif
