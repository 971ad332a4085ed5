/*
 * Helpers shared by the unit tests: whole files as strings, output of a
 * descriptor captured around a call, scratch directories.
 */
#define _GNU_SOURCE		/* nftw flags, asprintf */

#include <sys/stat.h>

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

static FILE	*captured;
static int	 captured_fd;
static int	 saved_fd;

/* The rest of F, whatever its size, as a string; the caller frees it. */
char *
slurp_stream(FILE *f)
{
	char	*buf = NULL, *p;
	size_t	 len = 0, size = 0, n;

	for (;;) {
		if (size - len < 2) {
			size = size == 0 ? 4096 : size * 2;
			assert_non_null(p = realloc(buf, size));
			buf = p;
		}
		if ((n = fread(buf + len, 1, size - len - 1, f)) == 0)
			break;
		len += n;
	}
	assert_false(ferror(f));
	buf[len] = '\0';
	return buf;
}

/* Contents of PATH as a string; the caller frees it. */
char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf;

	assert_non_null(f = fopen(path, "r"));
	buf = slurp_stream(f);
	fclose(f);
	return buf;
}

/* Sends FD (2: where log_err writes) to a temporary file. */
void
capture_begin(int fd)
{
	fflush(NULL);
	assert_non_null(captured = tmpfile());
	assert_int_not_equal(saved_fd = dup(fd), -1);
	assert_int_not_equal(dup2(fileno(captured), fd), -1);
	captured_fd = fd;
}

/* What was written since capture_begin(); the caller frees it. */
char *
capture_end(void)
{
	char	*buf;

	fflush(NULL);
	assert_int_not_equal(dup2(saved_fd, captured_fd), -1);
	close(saved_fd);
	rewind(captured);
	buf = slurp_stream(captured);
	fclose(captured);
	return buf;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* A new directory /tmp/NAME.XXXXXX; its path, NULL on failure. */
char *
tmpdir_new(const char *name)
{
	char	*path;

	if (asprintf(&path, "/tmp/%s.XXXXXX", name) == -1)
		return NULL;
	if (mkdtemp(path) == NULL) {
		free(path);
		return NULL;
	}
	return path;
}

/* Removes the directory PATH from tmpdir_new() with all below it. */
int
tmpdir_free(char *path)
{
	int	r;

	r = nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(path);
	return r;
}
