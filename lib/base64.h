/*
 * base64: RFC 4648 encodings.  Strings are malloc'd and NUL-terminated;
 * the caller frees them.
 */
#ifndef SEC_BASE64_H
#define SEC_BASE64_H

#include <stddef.h>

/* base64 with padding (RFC 4648 section 4), or NULL (logged). */
char	*base64_encode(const void *, size_t);
/* base64url without padding (RFC 4648 section 5), and back. */
char	*base64_urlencode(const void *, size_t);
/*
 * 0, or EX_DATAERR for anything but unpadded base64url, or EX_OSERR
 * (logged).  *out may be a secret: the caller frees it with secret_free.
 */
int	 base64_urldecode(const char *, unsigned char **out, size_t *len);

#endif
