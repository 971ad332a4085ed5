/*
 * security.conf as read (conf_load), then one key set (confedit_set): the
 * edit must load again with the new value, and must change at most one
 * line of what was there (every other byte kept).
 */
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "confedit.h"
#include "fs.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_conf	*c;
	char		 path[PATH_MAX], *buf = NULL;
	size_t		 len = 0, pre = 0, suf = 0;

	snprintf(path, sizeof(path), "%s", fuzz_file("fuzz.conf", data,
	    size));
	if (conf_load(path, &c) != 0)
		return 0;
	conf_free(c);
	if (confedit_set(path, "certs", "renew_days", "17") != 0)
		return 0;
	FUZZ_CHECK(conf_load(path, &c) == 0);
	FUZZ_CHECK(c->certs.renew_days == 17);
	conf_free(c);
	FUZZ_CHECK(fs_read_file(path, FS_MAX_READ, &buf, &len) == 0);
	while (pre < size && pre < len && buf[pre] == (char)data[pre])
		pre++;
	while (suf < size - pre && suf < len - pre &&
	    buf[len - 1 - suf] == (char)data[size - 1 - suf])
		suf++;
	FUZZ_CHECK(memchr(data + pre, '\n', size - pre - suf) == NULL);
	free(buf);
	return 0;
}
