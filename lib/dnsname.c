/*
 * dnsname: is this a host name DNS can hold?  (See dnsname.h.)
 */
#include <string.h>

#include "dnsname.h"

#define DNSNAME_MAX	253
#define LABEL_MAX	63

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

int
dnsname_label_ok(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

int
dnsname_ok(const char *s)
{
	const char	*dot;

	if (*s == '\0' || strlen(s) > DNSNAME_MAX)
		return 0;
	for (;;) {
		dot = strchr(s, '.');
		if (!dnsname_label_ok(s, dot != NULL ? (size_t)(dot - s) :
		    strlen(s)))
			return 0;
		if (dot == NULL)
			return 1;
		s = dot + 1;
	}
}
