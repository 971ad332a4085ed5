/* ss-btnwatch --simulate: event lines through the hold logic. */
#include <stdio.h>
#include <string.h>

#include "extern.h"
#include "fuzz.h"
#include "tool.h"

static struct ss_conf	*conf;
static FILE		*devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conf = fuzz_conf("[button]\n");
	if ((devnull = fopen("/dev/null", "w")) == NULL)
		return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tool_env	 e;
	FILE		*in;

	if (size == 0 || (in = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	memset(&e, 0, sizeof(e));
	e.conf = conf;
	e.dry_run = 1;
	(void)sim_run(&e, in, devnull);
	fclose(in);
	return 0;
}
