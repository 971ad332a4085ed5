/*
 * The kernel's socket tables (/proc/net/tcp, tcp6, udp, udp6): each line
 * of the input as a line of either family's table.
 */
#include <sys/socket.h>

#include <string.h>

#include "fuzz.h"
#include "ipaddr.h"
#include "procnet.h"

static void
one_line(const char *p, size_t n, int family)
{
	struct procnet_sock	s;
	int			r;

	r = procnet_parse_line(p, n, family, &s);
	FUZZ_CHECK(r >= -1 && r <= 1);
	if (r != 1)
		return;
	FUZZ_CHECK(s.port <= 0xffff);
	FUZZ_CHECK(s.family == family);
	FUZZ_CHECK(s.pid == 0);
	(void)ipaddr_loopback(s.family, s.addr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data, *end = p + size, *nl;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		one_line(p, (size_t)(nl - p), AF_INET);
		one_line(p, (size_t)(nl - p), AF_INET6);
	}
	return 0;
}
