/*
 * base64: the OpenSSL block coder, with the URL alphabet and without
 * padding for JOSE and ACME.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <openssl/evp.h>

#include "base64.h"
#include "log.h"
#include "secret.h"

char *
base64_encode(const void *data, size_t len)
{
	char	*s;

	/* EVP_EncodeBlock counts in int, four bytes out for three in. */
	if (len > INT_MAX / 4 * 3) {
		log_err("base64: %zu bytes is too long", len);
		return NULL;
	}
	if ((s = malloc(len / 3 * 4 + 5)) == NULL) {
		log_err("base64: %s", strerror(errno));
		return NULL;
	}
	EVP_EncodeBlock((unsigned char *)s, data, (int)len);
	return s;
}

char *
base64_urlencode(const void *data, size_t len)
{
	char	*s, *p;

	if ((s = base64_encode(data, len)) == NULL)
		return NULL;
	for (p = s; *p != '\0' && *p != '='; p++)
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
	*p = '\0';
	return s;
}

int
base64_urldecode(const char *s, unsigned char **out, size_t *len)
{
	unsigned char	*buf = NULL;
	char		*b64 = NULL, c;
	size_t		 i, n, padded;
	int		 r, rv = EX_DATAERR;

	*out = NULL;
	*len = 0;
	n = strlen(s);
	/* A lone character after the last group of four is not a byte. */
	if (n % 4 == 1 || n > INT_MAX / 2) {
		log_err("not base64url");
		return EX_DATAERR;
	}
	padded = (n + 3) / 4 * 4;
	if ((b64 = malloc(padded + 1)) == NULL ||
	    (buf = malloc(padded / 4 * 3 + 1)) == NULL) {
		log_err("base64url: %s", strerror(errno));
		rv = EX_OSERR;
		goto out;
	}
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		else if ((c < 'A' || c > 'Z') && (c < 'a' || c > 'z') &&
		    (c < '0' || c > '9')) {
			log_err("not base64url");
			goto out;
		}
		b64[i] = c;
	}
	memset(b64 + n, '=', padded - n);
	b64[padded] = '\0';
	/* EVP_DecodeBlock counts the bytes the padding stands for. */
	if ((r = EVP_DecodeBlock(buf, (unsigned char *)b64,
	    (int)padded)) < 0) {
		log_err("not base64url");
		goto out;
	}
	*out = buf;
	*len = (size_t)r - (padded - n);
	buf = NULL;
	rv = 0;
out:
	/* What is decoded may be a MAC key (external account binding). */
	if (b64 != NULL)
		secret_zero(b64, padded);
	free(b64);
	if (buf != NULL)
		secret_free(buf, padded / 4 * 3);
	return rv;
}
