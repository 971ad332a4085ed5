/*
 * A dyndns2 provider's answer (good, nochg, badauth, ... one line per
 * host).  The first byte picks the HTTP status.
 */
#include "../../tools/ss-ddns/dyndns2.c"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long	 status[] = { 200, 401, 403, 500, 503, 302 };
	enum presult		 res;
	char			 detail[256], *body;

	if (size == 0)
		return 0;
	body = fuzz_str(data + 1, size - 1);
	judge(status[data[0] % 6], body, size - 1, &res, detail,
	    sizeof(detail));
	free(body);
	return 0;
}
