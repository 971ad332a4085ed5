/*
 * ip: the external address of each family ip_version asks for (or -4,
 * -6), one a line.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <sysexits.h>
#include <unistd.h>

#include "checkip.h"
#include "extern.h"

#define IP_SYNOPSIS	"ip [-4 | -6]"

int
cmd_ip(struct tool_env *e, int argc, char *argv[])
{
	struct checkip_addr	a;
	int			fam[2], n = 0, i, ch, rc, want4 = 0, want6 = 0;
	int			worst = 0;

	while ((ch = getopt(argc, argv, "46")) != -1) {
		if (ch == '4')
			want4 = 1;
		else if (ch == '6')
			want6 = 1;
		else
			return tool_usage(IP_SYNOPSIS);
	}
	if (optind != argc)
		return tool_usage(IP_SYNOPSIS);
	if (want4)
		fam[n++] = AF_INET;
	if (want6)
		fam[n++] = AF_INET6;
	if ((rc = tool_conf(e)) != 0)
		return rc;
	if (n == 0)
		n = checkip_families(e->conf, fam);
	for (i = 0; i < n; i++) {
		if ((rc = checkip_external(e->conf, fam[i], &a)) != 0)
			worst = rc;
		else
			printf("%s\n", a.text);
	}
	if (fflush(stdout) == EOF)
		return EX_IOERR;
	return worst;
}
