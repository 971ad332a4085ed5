/* [passwd] shadow_file: one user's entry found, every line checked. */
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
	snprintf(text, sizeof(text), "[passwd]\nshadow_file = %s\n",
	    fuzz_path("shadow"));
	conf = fuzz_conf(text);
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
