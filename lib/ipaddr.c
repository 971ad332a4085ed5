/*
 * ipaddr: addresses as text, parsed by inet_pton(3).  (See ipaddr.h.)
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "ipaddr.h"

int
ipaddr_parse(const char *s, size_t n, unsigned char *out)
{
	char		buf[INET6_ADDRSTRLEN];
	unsigned char	addr[IPADDR_MAX];

	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (out == NULL)
		out = addr;
	if (inet_pton(AF_INET, buf, out) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, buf, out) == 1)
		return AF_INET6;
	return 0;
}

int
ipaddr_equal(const char *a, const char *b)
{
	unsigned char	x[IPADDR_MAX], y[IPADDR_MAX];
	int		af;

	af = ipaddr_parse(a, strlen(a), x);
	return af != 0 && ipaddr_parse(b, strlen(b), y) == af &&
	    memcmp(x, y, af == AF_INET ? 4 : 16) == 0;
}

int
ipaddr_loopback(int family, const unsigned char *a)
{
	static const unsigned char	one[16] = { [15] = 1 };
	static const unsigned char	mapped[12] = { [10] = 0xff,
	    [11] = 0xff };

	if (family == AF_INET)
		return a[0] == 127;
	if (family != AF_INET6)
		return 0;
	if (memcmp(a, one, sizeof(one)) == 0)
		return 1;
	return memcmp(a, mapped, sizeof(mapped)) == 0 && a[12] == 127;
}

int
ipaddr_loopback_text(const char *s)
{
	unsigned char	a[IPADDR_MAX];
	int		family;

	if (strcasecmp(s, "localhost") == 0)
		return 1;
	if ((family = ipaddr_parse(s, strlen(s), a)) == 0)
		return 0;
	return ipaddr_loopback(family, a);
}
