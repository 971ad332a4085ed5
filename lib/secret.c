/*
 * secret: random bytes from the kernel, wiping with explicit_bzero(3),
 * comparing in constant time.
 */
#include <sys/random.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "log.h"
#include "secret.h"

int
secret_random(void *buf, size_t len)
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
secret_zero(void *p, size_t len)
{
	explicit_bzero(p, len);
}

void
secret_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	explicit_bzero(p, len);
	free(p);
}

int
secret_equal(const void *a, const void *b, size_t len)
{
	const volatile unsigned char	*x = a, *y = b;
	unsigned char			 d = 0;
	size_t				 i;

	for (i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}
