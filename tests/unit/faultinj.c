/*
 * faultinj: LD_PRELOAD shim that makes the Nth call of write(2), fsync(2)
 * or rename(2) (renameat(2) counts as one) fail with EIO, so that
 * integration tests can check that a tool leaves the previous state in
 * place when a step fails.
 *
 *	FAULTINJ_CALL=write|fsync|rename FAULTINJ_AT=N tool ...
 *
 * Calls are counted per function over the whole process.  Without both
 * variables (or with values that do not parse) every call passes through.
 */
#define _GNU_SOURCE		/* RTLD_NEXT */

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum fn {
	FN_WRITE,
	FN_FSYNC,
	FN_RENAME,
	FN_NONE
};

static const char *const names[] = { "write", "fsync", "rename" };

static enum fn	 target = FN_NONE;
static long	 fail_at;
static long	 calls[FN_NONE];

static void __attribute__((constructor))
faultinj_init(void)
{
	const char	*call, *at;
	char		*end;
	long		 n;
	int		 i;

	if ((call = getenv("FAULTINJ_CALL")) == NULL ||
	    (at = getenv("FAULTINJ_AT")) == NULL)
		return;
	errno = 0;
	n = strtol(at, &end, 10);
	if (errno != 0 || end == at || *end != '\0' || n < 1)
		return;
	for (i = 0; i < FN_NONE; i++) {
		if (strcmp(call, names[i]) == 0) {
			target = (enum fn)i;
			fail_at = n;
		}
	}
}

/* 1 when this call of FN is the one to fail. */
static int
hit(enum fn fn)
{
	long	n;

	n = __atomic_add_fetch(&calls[fn], 1, __ATOMIC_SEQ_CST);
	return fn == target && n == fail_at;
}

static void *
real(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	static ssize_t	(*fn)(int, const void *, size_t);

	if (fn == NULL)
		*(void **)&fn = real("write");
	if (hit(FN_WRITE)) {
		errno = EIO;
		return -1;
	}
	return fn(fd, buf, len);
}

int
fsync(int fd)
{
	static int	(*fn)(int);

	if (fn == NULL)
		*(void **)&fn = real("fsync");
	if (hit(FN_FSYNC)) {
		errno = EIO;
		return -1;
	}
	return fn(fd);
}

int
rename(const char *from, const char *to)
{
	static int	(*fn)(const char *, const char *);

	if (fn == NULL)
		*(void **)&fn = real("rename");
	if (hit(FN_RENAME)) {
		errno = EIO;
		return -1;
	}
	return fn(from, to);
}

/* Counted with rename(2): the tools rename in a directory descriptor. */
int
renameat(int fromfd, const char *from, int tofd, const char *to)
{
	static int	(*fn)(int, const char *, int, const char *);

	if (fn == NULL)
		*(void **)&fn = real("renameat");
	if (hit(FN_RENAME)) {
		errno = EIO;
		return -1;
	}
	return fn(fromfd, from, tofd, to);
}
