/*
 * A stand-in for one target binary (SS_REAL) under make check-cross: runs
 * it under qemu-user (SS_QEMU) with this program's name as its argv[0],
 * so that the tests run it as they run a native tool.  Linked statically:
 * an LD_PRELOAD of a target library meant for the tool (the fault
 * injection shim, libfaketime) must not reach a host loader on the way,
 * and qemu passes the environment on to the tool.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	char	**av;
	int	  i, n = 0;

	if ((av = calloc((size_t)argc + 4, sizeof(*av))) == NULL) {
		perror("qemu-run");
		return 127;
	}
	av[n++] = SS_QEMU;
	av[n++] = "-0";
	av[n++] = argv[0];
	av[n++] = SS_REAL;
	for (i = 1; i < argc; i++)
		av[n++] = argv[i];
	av[n] = NULL;
	execv(SS_QEMU, av);
	fprintf(stderr, "qemu-run: %s: %s\n", SS_QEMU, strerror(errno));
	return 127;
}
