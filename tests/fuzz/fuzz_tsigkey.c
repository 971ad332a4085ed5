/* [ddns] tsig_key_file: the BIND key-file reader. */
#include "extern.h"
#include "fuzz.h"

static struct ss_conf	*conf;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conf = fuzz_conf_path("ddns", "tsig_key_file", "key");
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
