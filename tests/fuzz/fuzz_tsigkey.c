/* [ddns] tsig_key_file: the BIND key-file reader. */
#include <stdio.h>
#include "extern.h"
#include "fuzz.h"

static struct ss_conf	*conf;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	text[512];

	(void)argc;
	(void)argv;
	snprintf(text, sizeof(text), "[ddns]\ntsig_key_file = %s\n",
	    fuzz_path("key"));
	conf = fuzz_conf(text);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tsigkey	k;

	fuzz_file("key", data, size);
	(void)tsigkey_load(conf, &k);
	return 0;
}
