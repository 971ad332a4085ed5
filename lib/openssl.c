/*
 * openssl: the reason of the last error, the bytes of a memory BIO, and
 * a PEM passphrase callback that never asks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <openssl/bio.h>
#include <openssl/buffer.h>
#include <openssl/err.h>

#include "log.h"
#include "openssl.h"

/*
 * The reason of the last queued OpenSSL error, or of the system error
 * under it ("No such file or directory" rather than "system lib");
 * empties the queue.
 */
const char *
openssl_error(void)
{
	static char	 buf[256];
	unsigned long	 e, last = 0, sys = 0;
	const char	*r;

	while ((e = ERR_get_error()) != 0) {
		if (ERR_SYSTEM_ERROR(e))
			sys = e;
		last = e;
	}
	if (sys != 0)
		snprintf(buf, sizeof(buf), "%s", strerror(ERR_GET_REASON(sys)));
	else if (last == 0)
		snprintf(buf, sizeof(buf), "unknown error");
	else if ((r = ERR_reason_error_string(last)) != NULL)
		snprintf(buf, sizeof(buf), "%s", r);
	else
		ERR_error_string_n(last, buf, sizeof(buf));
	return buf;
}

int
openssl_bio_take(BIO *bio, const char *what, char **out, size_t *outlen)
{
	BUF_MEM	*bm;
	char	*p;

	BIO_get_mem_ptr(bio, &bm);
	if ((p = malloc(bm->length + 1)) == NULL) {
		log_err("%s: %s", what, strerror(errno));
		return EX_OSERR;
	}
	memcpy(p, bm->data, bm->length);
	p[bm->length] = '\0';
	*out = p;
	*outlen = bm->length;
	return 0;
}

int
openssl_no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	if (u != NULL)
		*(int *)u = 1;
	return -1;
}
