/*
 * openssl: what the modules that call OpenSSL share.  The tools are
 * single-threaded; the error queue is drained after every failure so
 * that one message never reports another's reason.
 */
#ifndef SEC_OPENSSL_H
#define SEC_OPENSSL_H

#include <stddef.h>
#include <openssl/types.h>

/* The reason of the last OpenSSL error (static text); empties the queue. */
const char *openssl_error(void);

/*
 * What was written to the memory BIO, copied into a NUL-terminated
 * buffer the caller frees; 0 or EX_OSERR (logged under WHAT).
 */
int	 openssl_bio_take(BIO *, const char *what, char **out, size_t *len);

/*
 * PEM passphrase callback that never asks: a key that needs a passphrase
 * is refused, not prompted for.  Sets *(int *)U to 1 when U is not NULL.
 */
int	 openssl_no_passphrase(char *, int, int, void *u);

#endif
