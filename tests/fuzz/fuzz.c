/*
 * Shared by every harness: a private directory under $TMPDIR (or /tmp),
 * removed at exit, and errors logged only from the code under test.
 */
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "fuzz.h"
#include "log.h"

static char	dir[PATH_MAX];

static void
fuzz_cleanup(void)
{
	char	cmd[PATH_MAX + 16];

	if (dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			warnx("%s: not removed", dir);
	}
}

static void
fuzz_dir(void)
{
	const char	*tmp = getenv("TMPDIR");

	if (dir[0] != '\0')
		return;
	snprintf(dir, sizeof(dir), "%s/ss-fuzz.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		err(1, "mkdtemp %s", dir);
	atexit(fuzz_cleanup);
	log_init("fuzz");
	log_set_level(LOG_LEVEL_ERR);
}

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: %s does not hold\n", file, line, what);
	abort();
}

char *
fuzz_str(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		err(1, "malloc");
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

const char *
fuzz_path(const char *name)
{
	static char	path[PATH_MAX];

	fuzz_dir();
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

const char *
fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	const char	*path = fuzz_path(name);
	int		 fd;

	unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1 ||
	    (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    close(fd) == -1)
		err(1, "%s", path);
	return path;
}

struct ss_conf *
fuzz_conf(const char *text)
{
	struct ss_conf	*c;
	char		 path[PATH_MAX];

	snprintf(path, sizeof(path), "%s",
	    fuzz_file("security.conf", (const uint8_t *)text, strlen(text)));
	if (conf_load(path, &c) != 0)
		errx(1, "%s: the harness's configuration does not load", path);
	return c;
}

struct ss_conf *
fuzz_conf_path(const char *section, const char *key, const char *name)
{
	char	text[PATH_MAX + 64];

	snprintf(text, sizeof(text), "[%s]\n%s = %s\n", section, key,
	    fuzz_path(name));
	return fuzz_conf(text);
}
