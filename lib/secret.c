/*
 * secret: random bytes, wiping and comparing secrets.  The crypto module's
 * part that needs no OpenSSL, kept apart so that a password check does
 * not load libcrypto (its start-up is most of the time a check takes
 * besides the hash itself).
 */
#include <sys/random.h>

#include <errno.h>
#include <string.h>
#include <sysexits.h>

#include "crypto.h"
#include "log.h"

int
crypto_random(void *buf, size_t len)
{
	unsigned char	*p = buf;
	ssize_t		 n;

	/* getrandom(2) blocks only until the kernel pool is first seeded. */
	while (len > 0) {
		if ((n = getrandom(p, len, 0)) == -1) {
			if (errno == EINTR)
				continue;
			log_err("random bytes: %s", strerror(errno));
			return EX_SOFTWARE;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void
secure_zero(void *p, size_t len)
{
	explicit_bzero(p, len);
}

int
crypto_memeq(const void *a, const void *b, size_t len)
{
	const volatile unsigned char	*x = a, *y = b;
	unsigned char			 d = 0;
	size_t				 i;

	for (i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}
