/*
 * A checkip source's answer: exactly one address of the family asked
 * for.  The first byte picks IPv4 or IPv6.
 */
#include "../../lib/checkip.c"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reason	 r;
	struct checkip_addr	 a;
	char		*answer;

	if (size == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	answer = fuzz_str(data + 1, size - 1);
	(void)judge("fuzz", answer, size - 1, data[0] & 1 ? AF_INET6 :
	    AF_INET, &a, &r);
	free(answer);
	return 0;
}
