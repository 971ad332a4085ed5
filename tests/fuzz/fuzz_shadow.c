/* [passwd] shadow_file: one user's entry found, every line checked. */
#include "fuzz.h"
#include "shadow.h"

static struct ss_conf	*conf;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conf = fuzz_conf_path("passwd", "shadow_file", "shadow");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	hash[512];

	fuzz_file("shadow", data, size);
	(void)shadow_get(conf, "root", hash, sizeof(hash));
	return 0;
}
