/*
 * An htpasswd file with one entry replaced: every other line kept byte
 * for byte, or the change refused.
 */
#define _GNU_SOURCE		/* memmem */

#include "../../tools/ss-passwd/htpasswd.c"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 line[] = "admin:$apr1$salt$hash";
	char			*out = NULL;
	size_t			 len = 0;

	if (replace_entry("fuzz", (const char *)data, size, "admin", line,
	    &out, &len) != 0)
		return 0;
	FUZZ_CHECK(memmem(out, len, line, strlen(line)) != NULL);
	free(out);
	return 0;
}
