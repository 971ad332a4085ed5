/*
 * Unit tests for lib/fs.c.  Linked with --wrap=write,fsync,renameat: the
 * wrappers below fail the Nth call on demand and watch the temporary
 * file's mode while it is being written.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs.h"
#include "log.h"
#include "util.h"

enum fault {
	FAULT_NONE,
	FAULT_WRITE,
	FAULT_FSYNC,
	FAULT_RENAME
};

static enum fault	fault_fn;	/* which function to fail */
static int		fault_at;	/* on its Nth call from now */
static int		fault_calls;
static int		fault_hit;
static int		renamed;	/* a real rename() went through */
static int		short_writes;	/* EINTR first, then 1 byte a call */
static int		watch;		/* record temp file modes */
static mode_t		seen_at_write;	/* modes write() wrote to */
static mode_t		seen_any;	/* and fsync()/rename() saw */

ssize_t	__real_write(int, const void *, size_t);
int	__real_fsync(int);
int	__real_renameat(int, const char *, int, const char *);

static int
inject(enum fault fn)
{
	if (fault_fn != fn || ++fault_calls != fault_at)
		return 0;
	fault_hit = 1;
	errno = EIO;
	return 1;
}

static mode_t
mode_of(int fd)
{
	struct stat	st;

	if (!watch || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		return 0;
	return st.st_mode & 07777;
}

ssize_t
__wrap_write(int fd, const void *buf, size_t len)
{
	static int	interrupted;

	seen_at_write |= mode_of(fd);
	seen_any |= mode_of(fd);
	if (inject(FAULT_WRITE))
		return -1;
	if (short_writes) {
		if (!interrupted) {
			interrupted = 1;
			errno = EINTR;
			return -1;
		}
		len = len > 0 ? 1 : 0;
	}
	return __real_write(fd, buf, len);
}

int
__wrap_fsync(int fd)
{
	seen_any |= mode_of(fd);
	if (inject(FAULT_FSYNC))
		return -1;
	return __real_fsync(fd);
}

int
__wrap_renameat(int fromfd, const char *from, int tofd, const char *to)
{
	struct stat	st;
	int		r;

	if (watch && fstatat(fromfd, from, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode))
		seen_any |= st.st_mode & 07777;
	if (inject(FAULT_RENAME))
		return -1;
	if ((r = __real_renameat(fromfd, from, tofd, to)) == 0)
		renamed = 1;
	return r;
}

static void
arm(enum fault fn, int at)
{
	fault_fn = fn;
	fault_at = at;
	fault_calls = 0;
	fault_hit = 0;
	renamed = 0;
}

/* The state of each test is its scratch directory. */
static int
setup(void **state)
{
	return (*state = tmpdir_new("test_fs")) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	arm(FAULT_NONE, 0);
	short_writes = watch = 0;
	return tmpdir_free(*state);
}

static char *
path_in(void **state, const char *name)
{
	static char	 buf[4][PATH_MAX];
	static int	 n;

	n = (n + 1) % 4;
	snprintf(buf[n], sizeof(buf[n]), "%s/%s", (char *)*state, name);
	return buf[n];
}

static void
put_file(const char *path, const char *text, mode_t mode)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void
assert_file(const char *path, const char *text, mode_t mode)
{
	struct stat	 st;
	char		*got;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, mode);
	got = slurp(path);
	assert_string_equal(got, text);
	free(got);
}

/* Number of entries in the scratch directory: catches leftover temps. */
static int
entries(void **state)
{
	DIR		*dp;
	struct dirent	*de;
	int		 n = 0;

	assert_non_null(dp = opendir(*state));
	while ((de = readdir(dp)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(dp);
	return n;
}

static void
assert_logged(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void
test_write_atomic_creates_file_with_content_and_mode(void **state)
{
	char	*p = path_in(state, "state");

	assert_int_equal(fs_write_atomic(p, "hello\n", 6, 0644), 0);
	assert_file(p, "hello\n", 0644);
	assert_int_equal(entries(state), 1);
}

static void
test_write_atomic_replaces_content_and_mode(void **state)
{
	char	*p = path_in(state, "state");

	put_file(p, "old contents\n", 0644);
	assert_int_equal(fs_write_atomic(p, "new\n", 4, 0640), 0);
	assert_file(p, "new\n", 0640);
	assert_int_equal(entries(state), 1);
}

static void
test_write_atomic_writes_empty_file(void **state)
{
	char	*p = path_in(state, "empty");

	put_file(p, "something\n", 0600);
	assert_int_equal(fs_write_atomic(p, "", 0, 0600), 0);
	assert_file(p, "", 0600);
}

static void
test_write_atomic_survives_short_writes_and_eintr(void **state)
{
	char	*p = path_in(state, "state");

	short_writes = 1;
	assert_int_equal(fs_write_atomic(p, "abcdefgh", 8, 0644), 0);
	short_writes = 0;
	assert_file(p, "abcdefgh", 0644);
}

static void
test_write_atomic_data_is_0600_until_complete(void **state)
{
	char	*p = path_in(state, "public.crt");
	mode_t	 old;

	old = umask(0);
	watch = 1;
	seen_at_write = 0;
	assert_int_equal(fs_write_atomic(p, "cert\n", 5, 0644), 0);
	watch = 0;
	umask(old);
	assert_int_equal(seen_at_write, 0600);
	assert_file(p, "cert\n", 0644);
}

static void
test_write_atomic_key_is_never_visible_to_others(void **state)
{
	char	*p = path_in(state, "server.key");
	mode_t	 old;

	put_file(p, "old key\n", 0600);
	old = umask(0);
	watch = 1;
	seen_any = 0;
	assert_int_equal(fs_write_atomic(p, "KEY\n", 4, 0600), 0);
	watch = 0;
	umask(old);
	assert_int_equal(seen_any, 0600);
	assert_file(p, "KEY\n", 0600);
	assert_int_equal(entries(state), 1);
}

static void
test_write_atomic_refuses_planted_symlink(void **state)
{
	char	*victim = path_in(state, "shadow");
	char	*link = path_in(state, "server.key");
	char	 want[PATH_MAX + 64], target[PATH_MAX];
	ssize_t	 n;

	put_file(victim, "root:x:0:\n", 0640);
	assert_int_equal(symlink(victim, link), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_write_atomic(link, "KEY\n", 4, 0600),
	    EX_CANTCREAT);
	snprintf(want, sizeof(want),
	    "test_fs: %s: is a symbolic link, not replacing it\n", link);
	assert_logged(capture_end(), want);
	assert_file(victim, "root:x:0:\n", 0640);
	assert_int_not_equal(n = readlink(link, target, sizeof(target) - 1),
	    -1);
	target[n] = '\0';
	assert_string_equal(target, victim);
	assert_int_equal(entries(state), 2);
}

static void
test_write_atomic_refuses_dangling_symlink(void **state)
{
	char	*victim = path_in(state, "created-by-attacker");
	char	*link = path_in(state, "server.key");

	assert_int_equal(symlink(victim, link), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_write_atomic(link, "KEY\n", 4, 0600),
	    EX_CANTCREAT);
	free(capture_end());
	assert_int_equal(access(victim, F_OK), -1);
	assert_int_equal(entries(state), 1);
}

static void
test_write_atomic_refuses_directory(void **state)
{
	char	*p = path_in(state, "sub");
	char	 want[PATH_MAX + 64];

	assert_int_equal(mkdir(p, 0700), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_write_atomic(p, "x", 1, 0600), EX_CANTCREAT);
	snprintf(want, sizeof(want), "test_fs: %s: not a regular file\n", p);
	assert_logged(capture_end(), want);
}

/*
 * Fails the 1st, 2nd, ... call of each step until a write goes through
 * without reaching the fault.  Before the rename the old file must be
 * exactly as it was.  A failed directory fsync after the rename is only
 * a warning: the new file is in place and complete.  Never a temp file.
 */
static void
test_write_atomic_fault_keeps_old_file(void **state)
{
	static const enum fault	 fns[] = { FAULT_WRITE, FAULT_FSYNC,
	    FAULT_RENAME };
	char			*p = path_in(state, "state");
	char			*err;
	size_t			 i;
	int			 n, rc, failures = 0;

	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		for (n = 1; n < 10; n++) {
			put_file(p, "old contents\n", 0640);
			arm(fns[i], n);
			capture_begin(STDERR_FILENO);
			rc = fs_write_atomic(p, "new contents\n", 13, 0600);
			err = capture_end();
			fault_fn = FAULT_NONE;
			assert_int_equal(entries(state), 1);
			if (!fault_hit) {
				assert_int_equal(rc, 0);
				assert_string_equal(err, "");
				free(err);
				assert_file(p, "new contents\n", 0600);
				break;
			}
			assert_non_null(strstr(err, "Input/output error"));
			free(err);
			if (renamed) {
				assert_int_equal(rc, 0);
				assert_file(p, "new contents\n", 0600);
				continue;
			}
			failures++;
			assert_int_not_equal(rc, 0);
			assert_file(p, "old contents\n", 0640);
		}
		assert_true(n < 10);
	}
	/* write, file fsync, rename. */
	assert_int_equal(failures, 3);
}

/* The scratch directory as a trusted root, for the fs_*_at tests. */
static void
root_open(void **state, struct fs_dir *d)
{
	assert_int_equal(fs_dir_root(d, *state, "[test] dir", 0700), 0);
}

static void
test_stage_keeps_old_file_until_commit(void **state)
{
	struct fs_staged	 a, b;
	struct fs_dir		 root;
	char			*pa = path_in(state, "key");
	char			*pb = path_in(state, "crt");

	put_file(pa, "old key\n", 0600);
	put_file(pb, "old crt\n", 0644);
	root_open(state, &root);
	assert_int_equal(fs_stage_at(&a, &root, "key", "new key\n", 8, 0600),
	    0);
	assert_int_equal(fs_stage_at(&b, &root, "crt", "new crt\n", 8, 0644),
	    0);
	/* both staged, nothing replaced yet */
	assert_file(pa, "old key\n", 0600);
	assert_file(pb, "old crt\n", 0644);
	assert_int_equal(entries(state), 4);
	assert_int_equal(fs_commit(&a), 0);
	assert_int_equal(fs_commit(&b), 0);
	assert_int_equal(fs_settle_at(&root), 0);
	assert_file(pa, "new key\n", 0600);
	assert_file(pb, "new crt\n", 0644);
	assert_int_equal(entries(state), 2);
	/* discarding after commit is harmless */
	fs_discard(&a);
	assert_file(pa, "new key\n", 0600);
	fs_dir_close(&root);
}

static void
test_discard_drops_staged_file(void **state)
{
	struct fs_staged	 a;
	struct fs_dir		 root;
	char			*p = path_in(state, "key");

	put_file(p, "old key\n", 0600);
	root_open(state, &root);
	assert_int_equal(fs_stage_at(&a, &root, "key", "new key\n", 8, 0600),
	    0);
	fs_discard(&a);
	fs_discard(&a);
	assert_file(p, "old key\n", 0600);
	assert_int_equal(entries(state), 1);
	fs_dir_close(&root);
}

static void
test_stage_refuses_planted_symlink(void **state)
{
	struct fs_staged	 a;
	struct fs_dir		 root;
	char			*p = path_in(state, "key");
	char			*v = path_in(state, "victim");

	put_file(v, "precious\n", 0644);
	assert_int_equal(symlink(v, p), 0);
	root_open(state, &root);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_stage_at(&a, &root, "key", "x", 1, 0600),
	    EX_CANTCREAT);
	free(capture_end());
	assert_file(v, "precious\n", 0644);
	assert_int_equal(entries(state), 2);
	fs_dir_close(&root);
}

static void
test_read_secret_takes_the_first_line_of_a_0600_file(void **state)
{
	char	*p = path_in(state, "secret");
	char	 buf[16], *err;

	put_file(p, "s3cret\nsecond line\n", 0600);
	assert_int_equal(fs_read_secret("[x] f", p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "s3cret");
	put_file(p, "s3cret\n", 0640);
	capture_begin(2);
	assert_int_equal(fs_read_secret("[x] f", p, buf, sizeof(buf)),
	    EX_CONFIG);
	err = capture_end();
	assert_non_null(strstr(err, "(mode 0640); chmod 600 it"));
	free(err);
	assert_string_equal(buf, "");
}

/* A 0600 file of another user holds what that user chose. */
static void
test_read_secret_owned_by_another_user_is_refused(void **state)
{
	char	*p = path_in(state, "secret");
	char	 buf[16], want[128], *err;

	put_file(p, "s3cret\n", 0600);
	assert_int_equal(chown(p, 65534, 65534), 0);
	capture_begin(2);
	assert_int_equal(fs_read_secret("[x] f", p, buf, sizeof(buf)),
	    EX_CONFIG);
	err = capture_end();
	snprintf(want, sizeof(want), ": owned by uid 65534, not by the user "
	    "reading it (uid %u); chown %u it\n", (unsigned)geteuid(),
	    (unsigned)geteuid());
	assert_non_null(strstr(err, p));
	assert_non_null(strstr(err, want));
	free(err);
	assert_string_equal(buf, "");
}

/* The rules fs_read_secret applies, for whoever judges a file's mode. */
static void
test_secret_faults_name_owner_group_and_others(void **state)
{
	struct stat	st;

	(void)state;
	memset(&st, 0, sizeof(st));
	st.st_uid = geteuid();
	st.st_mode = S_IFREG | 0600;
	assert_int_equal(fs_secret_faults(&st), 0);
	st.st_mode = S_IFREG | 0640;
	assert_int_equal(fs_secret_faults(&st), FS_SECRET_GROUP);
	st.st_mode = S_IFREG | 0602;
	assert_int_equal(fs_secret_faults(&st), FS_SECRET_OTHERS);
	st.st_uid = geteuid() + 1;
	st.st_mode = S_IFREG | 0644;
	assert_int_equal(fs_secret_faults(&st), FS_SECRET_OWNER |
	    FS_SECRET_GROUP | FS_SECRET_OTHERS);
}

static void
test_read_secret_refuses_empty_long_and_missing(void **state)
{
	char	*p = path_in(state, "secret");
	char	 buf[8];

	capture_begin(2);
	put_file(p, "\nrest\n", 0600);
	assert_int_equal(fs_read_secret("[x] f", p, buf, sizeof(buf)),
	    EX_DATAERR);
	put_file(p, "12345678\n", 0600);
	assert_int_equal(fs_read_secret("[x] f", p, buf, sizeof(buf)),
	    EX_DATAERR);
	free(capture_end());
	capture_begin(2);
	assert_int_equal(fs_read_secret("[x] f", path_in(state, "none"), buf,
	    sizeof(buf)), EX_NOINPUT);
	free(capture_end());
}

static void
test_read_file_reads_whole_file(void **state)
{
	char	*p = path_in(state, "f");
	char	*buf;
	size_t	 len;

	put_file(p, "line 1\nline 2\n", 0600);
	assert_int_equal(fs_read_file(p, FS_MAX_READ, &buf, &len), 0);
	assert_int_equal(len, 14);
	assert_string_equal(buf, "line 1\nline 2\n");
	free(buf);
}

static void
test_read_file_reads_file_larger_than_first_buffer(void **state)
{
	char	*p = path_in(state, "big");
	char	*text, *buf;
	size_t	 len;

	assert_non_null(text = malloc(20001));
	memset(text, 'x', 20000);
	text[20000] = '\0';
	put_file(p, text, 0600);
	assert_int_equal(fs_read_file(p, 20000, &buf, &len), 0);
	assert_int_equal(len, 20000);
	assert_memory_equal(buf, text, 20000);
	assert_int_equal(buf[len], '\0');
	free(buf);
	free(text);
}

static void
test_read_file_accepts_exactly_max(void **state)
{
	char	*p = path_in(state, "f");
	char	*buf;
	size_t	 len;

	put_file(p, "0123456789", 0600);
	assert_int_equal(fs_read_file(p, 10, &buf, &len), 0);
	assert_int_equal(len, 10);
	free(buf);
}

static void
test_read_file_over_max_is_dataerr(void **state)
{
	char	*p = path_in(state, "f");
	char	*buf = NULL;
	char	 want[PATH_MAX + 64];
	size_t	 len;

	put_file(p, "0123456789A", 0600);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_read_file(p, 10, &buf, &len), EX_DATAERR);
	snprintf(want, sizeof(want), "test_fs: %s: larger than 10 bytes\n", p);
	assert_logged(capture_end(), want);
	assert_null(buf);
}

static void
test_read_file_missing_is_noinput(void **state)
{
	char	*p = path_in(state, "missing");
	char	*buf;
	char	 want[PATH_MAX + 64];
	size_t	 len;

	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_read_file(p, FS_MAX_READ, &buf, &len),
	    EX_NOINPUT);
	snprintf(want, sizeof(want),
	    "test_fs: %s: cannot read: No such file or directory\n", p);
	assert_logged(capture_end(), want);
}

static void
test_read_file_directory_is_dataerr(void **state)
{
	char	*buf;
	size_t	 len;

	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_read_file(*state, FS_MAX_READ, &buf, &len),
	    EX_DATAERR);
	free(capture_end());
}

static void
test_read_file_fifo_is_dataerr_without_blocking(void **state)
{
	char	*p = path_in(state, "fifo");
	char	*buf;
	size_t	 len;

	assert_int_equal(mkfifo(p, 0600), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_read_file(p, FS_MAX_READ, &buf, &len),
	    EX_DATAERR);
	free(capture_end());
}

static void
test_read_file_unreadable_is_noperm(void **state)
{
	char	*p = path_in(state, "secret");
	pid_t	 pid;
	int	 status;

	put_file(p, "s3cret\n", 0000);
	if ((pid = fork()) == 0) {
		char	*buf;
		size_t	 len;
		int	 devnull;

		/* root reads anything: drop to nobody to be refused. */
		if (geteuid() == 0 && (setgroups(0, NULL) == -1 ||
		    setgid(65534) == -1 || setuid(65534) == -1))
			_exit(1);
		if ((devnull = open("/dev/null", O_WRONLY)) != -1)
			dup2(devnull, 2);
		_exit(fs_read_file(p, FS_MAX_READ, &buf, &len));
	}
	assert_int_not_equal(pid, -1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), EX_NOPERM);
}

typedef int	lock_fn(const char *, int, int *);

/*
 * Forks a child that takes the lock on PATH with LOCK, holds it for
 * HOLD_MS (or until killed when 0) and exits.  Returns when the child
 * holds it.
 */
static pid_t
hold_lock(lock_fn *lock, const char *path, int hold_ms)
{
	struct timespec	 ts = { hold_ms / 1000, (hold_ms % 1000) * 1000000L };
	pid_t		 pid;
	char		 c;
	int		 p[2], fd;

	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		if (lock(path, 0, &fd) != 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		if (hold_ms == 0)
			pause();
		nanosleep(&ts, NULL);
		_exit(0);
	}
	assert_int_not_equal(pid, -1);
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

static void
reap(pid_t pid)
{
	int	status;

	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
test_lock_held_by_other_process_is_tempfail(void **state)
{
	char	*p = path_in(state, ".state.lock");
	char	 want[PATH_MAX + 64];
	pid_t	 pid;
	int	 fd;

	pid = hold_lock(fs_lock, p, 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_lock(p, 0, &fd), EX_TEMPFAIL);
	snprintf(want, sizeof(want),
	    "test_fs: %s: locked by another process\n", p);
	assert_logged(capture_end(), want);
	assert_int_equal(fd, -1);
	reap(pid);
}

static void
test_lock_timeout_waits_before_tempfail(void **state)
{
	char	*p = path_in(state, ".state.lock");
	double	 t;
	pid_t	 pid;
	int	 fd;

	pid = hold_lock(fs_lock, p, 0);
	capture_begin(STDERR_FILENO);
	t = now();
	assert_int_equal(fs_lock(p, 1, &fd), EX_TEMPFAIL);
	t = now() - t;
	free(capture_end());
	assert_true(t >= 0.9 && t < 3.0);
	reap(pid);
}

static void
test_lock_is_taken_when_holder_exits(void **state)
{
	char	*p = path_in(state, ".state.lock");
	struct stat st;
	pid_t	 pid;
	int	 fd;

	pid = hold_lock(fs_lock, p, 300);
	assert_int_equal(fs_lock(p, 5, &fd), 0);
	assert_int_not_equal(fd, -1);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	fs_unlock(fd);
	reap(pid);
}

static void
test_lock_refuses_symlink(void **state)
{
	char	*target = path_in(state, "elsewhere");
	char	*p = path_in(state, ".state.lock");
	int	 fd;

	assert_int_equal(symlink(target, p), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_lock(p, 0, &fd), EX_CANTCREAT);
	free(capture_end());
	assert_int_equal(access(target, F_OK), -1);
}

/* The owner the tests give a file: group shadow when there is one. */
static gid_t
shadow_gid(void)
{
	struct group	*gr;

	return (gr = getgrnam("shadow")) != NULL ? gr->gr_gid : 42;
}

static void
assert_owner(const char *path, uid_t uid, gid_t gid)
{
	struct stat	st;

	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_uid, uid);
	assert_int_equal(st.st_gid, gid);
}

static void
test_replace_keep_keeps_mode_and_owner(void **state)
{
	char	*p = path_in(state, "shadow");

	put_file(p, "root:old:19000::::::\n", 0640);
	assert_int_equal(chown(p, 0, shadow_gid()), 0);
	assert_int_equal(fs_replace_keep(p, "root:new:19500::::::\n", 21), 0);
	assert_file(p, "root:new:19500::::::\n", 0640);
	assert_owner(p, 0, shadow_gid());
}

static void
test_replace_keep_writes_backup_with_old_content(void **state)
{
	char	*p = path_in(state, "shadow");
	char	*bak = path_in(state, "shadow-");

	put_file(p, "root:old:19000::::::\n", 0640);
	assert_int_equal(chown(p, 0, shadow_gid()), 0);
	assert_int_equal(fs_replace_keep(p, "root:new:19500::::::\n", 21), 0);
	assert_file(bak, "root:old:19000::::::\n", 0640);
	assert_owner(bak, 0, shadow_gid());
	assert_int_equal(entries(state), 2);
}

static void
test_replace_keep_overwrites_previous_backup(void **state)
{
	char	*p = path_in(state, "shadow");
	char	*bak = path_in(state, "shadow-");

	put_file(bak, "root:oldest:18000::::::\n", 0600);
	put_file(p, "root:old:19000::::::\n", 0640);
	assert_int_equal(fs_replace_keep(p, "root:new:19500::::::\n", 21), 0);
	assert_file(bak, "root:old:19000::::::\n", 0640);
	assert_int_equal(entries(state), 2);
}

/*
 * The backup's rename is the first, the file's the second: failing
 * either leaves the file as it was, and a whole backup when it exists.
 */
static void
test_replace_keep_failed_rename_keeps_old_file(void **state)
{
	char	*p = path_in(state, "shadow");
	char	*bak = path_in(state, "shadow-");
	char	*err;
	int	 n;

	for (n = 1; n <= 2; n++) {
		put_file(p, "root:old:19000::::::\n", 0640);
		arm(FAULT_RENAME, n);
		capture_begin(STDERR_FILENO);
		assert_int_equal(fs_replace_keep(p, "root:new:19500::::::\n",
		    21), EX_CANTCREAT);
		err = capture_end();
		arm(FAULT_NONE, 0);
		assert_non_null(strstr(err, "cannot replace: Input/output "
		    "error"));
		free(err);
		assert_file(p, "root:old:19000::::::\n", 0640);
		if (n == 1)
			assert_int_equal(access(bak, F_OK), -1);
		else
			assert_file(bak, "root:old:19000::::::\n", 0640);
		assert_int_equal(entries(state), n);
	}
}

static void
test_replace_keep_refuses_symlink(void **state)
{
	char	*victim = path_in(state, "victim");
	char	*link = path_in(state, "shadow");
	char	 want[PATH_MAX + 64];

	put_file(victim, "precious\n", 0644);
	assert_int_equal(symlink(victim, link), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_replace_keep(link, "x\n", 2), EX_CANTCREAT);
	snprintf(want, sizeof(want),
	    "test_fs: %s: is a symbolic link, not replacing it\n", link);
	assert_logged(capture_end(), want);
	assert_file(victim, "precious\n", 0644);
	assert_int_equal(entries(state), 2);
}

static void
test_replace_keep_missing_is_noinput(void **state)
{
	char	*p = path_in(state, "shadow");
	char	 want[PATH_MAX + 64];

	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_replace_keep(p, "x\n", 2), EX_NOINPUT);
	snprintf(want, sizeof(want), "test_fs: %s: no such file\n", p);
	assert_logged(capture_end(), want);
	assert_int_equal(entries(state), 0);
}

/* Exit status of a child that tries fs_lock_record(PATH, 0). */
static int
try_lock_record(const char *path)
{
	pid_t	pid;
	int	status, fd, devnull;

	if ((pid = fork()) == 0) {
		if ((devnull = open("/dev/null", O_WRONLY)) != -1)
			dup2(devnull, 2);
		_exit(fs_lock_record(path, 0, &fd));
	}
	assert_int_not_equal(pid, -1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void
test_lock_record_held_by_other_process_is_tempfail(void **state)
{
	char	*p = path_in(state, ".pwd.lock");
	char	 want[PATH_MAX + 64];
	pid_t	 pid;
	int	 fd;

	pid = hold_lock(fs_lock_record, p, 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_lock_record(p, 0, &fd), EX_TEMPFAIL);
	snprintf(want, sizeof(want),
	    "test_fs: %s: locked by another process\n", p);
	assert_logged(capture_end(), want);
	assert_int_equal(fd, -1);
	reap(pid);
}

static void
test_lock_record_is_released_by_unlock(void **state)
{
	char	*p = path_in(state, ".pwd.lock");
	int	 fd;

	assert_int_equal(fs_lock_record(p, 0, &fd), 0);
	assert_int_equal(try_lock_record(p), EX_TEMPFAIL);
	fs_unlock(fd);
	assert_int_equal(try_lock_record(p), 0);
}

static void
test_lock_record_waits_for_holder(void **state)
{
	char		*p = path_in(state, ".pwd.lock");
	struct stat	 st;
	pid_t		 pid;
	int		 fd;

	pid = hold_lock(fs_lock_record, p, 300);
	assert_int_equal(fs_lock_record(p, 5, &fd), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	fs_unlock(fd);
	reap(pid);
}

/* lockf(3) in another program is refused: the same lock lckpwdf takes. */
static void
test_lock_record_excludes_posix_lockf(void **state)
{
	char		*p = path_in(state, ".pwd.lock");
	const char	*lockf[] = { "lockf.py", p, NULL };
	int		 fd;

	assert_int_equal(fs_lock_record(p, 0, &fd), 0);
	assert_int_equal(python_run(lockf), 1);
	fs_unlock(fd);
	assert_int_equal(python_run(lockf), 0);
}

static void
test_lock_record_refuses_symlink(void **state)
{
	char	*target = path_in(state, "elsewhere");
	char	*p = path_in(state, ".pwd.lock");
	int	 fd;

	assert_int_equal(symlink(target, p), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_lock_record(p, 0, &fd), EX_CANTCREAT);
	free(capture_end());
	assert_int_equal(access(target, F_OK), -1);
}

static void
test_mkdir_p_creates_nested_directories(void **state)
{
	char		*p = path_in(state, "a/b/c");
	struct stat	 st;

	assert_int_equal(fs_mkdir_p(p, 0700), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(path_in(state, "a"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
}

static void
test_mkdir_p_mode_ignores_umask(void **state)
{
	char		*p = path_in(state, "a/b");
	struct stat	 st;
	mode_t		 old = umask(077);

	assert_int_equal(fs_mkdir_p(p, 0755), 0);
	umask(old);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(stat(path_in(state, "a"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
}

static void
test_mkdir_p_accepts_existing_directories(void **state)
{
	char	*p = path_in(state, "a//b/");

	assert_int_equal(fs_mkdir_p(p, 0755), 0);
	assert_int_equal(fs_mkdir_p(p, 0755), 0);
}

static void
test_mkdir_p_fails_on_file_in_the_way(void **state)
{
	char	*file = path_in(state, "a");
	char	*p = path_in(state, "a/b");
	char	 want[PATH_MAX + 64];

	put_file(file, "", 0600);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_mkdir_p(p, 0700), EX_CANTCREAT);
	snprintf(want, sizeof(want),
	    "test_fs: %s: cannot create directory: Not a directory\n", file);
	assert_logged(capture_end(), want);
}

static void
test_dirname_splits_paths(void **state)
{
	static const char *const cases[][2] = {
		{ "/etc/ss/security.conf", "/etc/ss" },
		{ "security.conf", "." },
		{ "/security.conf", "/" },
		{ "a//b", "a" },
		{ "a/b/", "a" },
		{ "/", "/" },
		{ "", "." },
	};
	char	buf[PATH_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(fs_dirname(cases[i][0], buf, sizeof(buf)), 0);
		assert_string_equal(buf, cases[i][1]);
	}
}

static void
test_dirname_refuses_short_buffer(void **state)
{
	char	buf[4];

	(void)state;
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_dirname("/etc/ss/x", buf, sizeof(buf)),
	    EX_SOFTWARE);
	assert_logged(capture_end(), "test_fs: /etc/ss/x: path too long\n");
}

static void
test_dir_root_creates_missing_directory_with_mode(void **state)
{
	struct fs_dir	 d;
	struct stat	 st;
	char		*p = path_in(state, "a/certs");

	assert_int_equal(fs_dir_root(&d, p, "[certs] dir", 0750), 0);
	assert_int_not_equal(d.fd, -1);
	assert_string_equal(d.path, p);
	assert_int_equal(fstat(d.fd, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0750);
	fs_dir_close(&d);
	assert_int_equal(d.fd, -1);
}

static void
test_dir_root_missing_without_mode_is_noinput_unlogged(void **state)
{
	struct fs_dir	 d;

	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_dir_root(&d, path_in(state, "none"), "[x] dir",
	    0), EX_NOINPUT);
	assert_logged(capture_end(), "");
}

static void
test_dir_root_refuses_group_or_other_writable(void **state)
{
	struct fs_dir	 d;
	char		*p = path_in(state, "certs");
	char		 want[PATH_MAX + 128];

	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(chmod(p, 0770), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_dir_root(&d, p, "[certs] dir", 0755), EX_CONFIG);
	snprintf(want, sizeof(want), "test_fs: %s: writable by group or "
	    "others (mode 0770); chmod go-w %s\n", p, p);
	assert_logged(capture_end(), want);
	assert_int_equal(d.fd, -1);
}

static void
test_dir_root_refuses_another_owner(void **state)
{
	struct fs_dir	 d;
	char		*p = path_in(state, "certs");
	char		*err;

	if (geteuid() != 0) {
		skip_because("chown to another user needs root");
		return;
	}
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(chown(p, 65534, 65534), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_dir_root(&d, p, "[certs] dir", 0755), EX_NOPERM);
	assert_non_null(strstr(err = capture_end(),
	    "owned by uid 65534, not by uid 0 who runs this; chown 0 "));
	free(err);
}

static void
test_dir_root_refuses_symlink(void **state)
{
	struct fs_dir	 d;
	char		*target = path_in(state, "real");
	char		*p = path_in(state, "certs");
	char		*err;

	assert_int_equal(mkdir(target, 0700), 0);
	assert_int_equal(symlink(target, p), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_dir_root(&d, p, "[certs] dir", 0755), EX_CONFIG);
	assert_non_null(strstr(err = capture_end(), "is a symbolic "
	    "link, not a directory; set [certs] dir to the real directory"));
	free(err);
}

static void
test_dir_sub_creates_each_component_with_mode(void **state)
{
	struct fs_dir	 root, d;
	struct stat	 st;

	root_open(state, &root);
	assert_int_equal(fs_dir_sub(&d, &root, "acme/certs", 0700), 0);
	assert_int_equal(stat(path_in(state, "acme"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(path_in(state, "acme/certs"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_string_equal(d.path, path_in(state, "acme/certs"));
	fs_dir_close(&d);
	fs_dir_close(&root);
}

static void
test_dir_sub_refuses_symlink_at_any_component(void **state)
{
	static const char *const rels[] = { "a", "a/b" };
	struct fs_dir	 root, d;
	char		*decoy = path_in(state, "decoy");
	char		*err;
	size_t		 i;

	assert_int_equal(mkdir(decoy, 0700), 0);
	root_open(state, &root);
	for (i = 0; i < 2; i++) {
		if (i == 1)
			assert_int_equal(mkdir(path_in(state, "a"), 0700), 0);
		assert_int_equal(symlink(decoy, path_in(state, rels[i])), 0);
		capture_begin(STDERR_FILENO);
		assert_int_equal(fs_dir_sub(&d, &root, "a/b/c", 0700),
		    EX_CANTCREAT);
		assert_non_null(strstr(err = capture_end(),
		    "is a symbolic link, not a directory; remove it"));
		free(err);
		assert_int_equal(d.fd, -1);
		assert_int_equal(unlink(path_in(state, rels[i])), 0);
	}
	/* nothing made where the links pointed */
	assert_int_equal(access(path_in(state, "decoy/b"), F_OK), -1);
	assert_int_equal(access(path_in(state, "decoy/c"), F_OK), -1);
	fs_dir_close(&root);
}

static void
test_dir_sub_refuses_a_file(void **state)
{
	struct fs_dir	 root, d;
	char		*err;

	put_file(path_in(state, "name"), "x", 0600);
	root_open(state, &root);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_dir_sub(&d, &root, "name", 0755), EX_CANTCREAT);
	assert_non_null(strstr(err = capture_end(),
	    "name: not a directory; remove it"));
	free(err);
	fs_dir_close(&root);
}

static void
test_dir_open_makes_root_and_below_and_refuses_a_link(void **state)
{
	struct fs_dir	 d;
	struct stat	 st;
	char		*root = path_in(state, "state");
	char		*err;

	assert_int_equal(fs_dir_open(&d, root, "[device] state_dir", 0700,
	    "acme/certs", 0750), 0);
	assert_string_equal(d.path, path_in(state, "state/acme/certs"));
	assert_int_equal(fstat(d.fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0750);
	fs_dir_close(&d);
	assert_int_equal(stat(root, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(symlink(path_in(state, "state/acme"),
	    path_in(state, "state/link")), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_dir_open(&d, root, "[device] state_dir", 0700,
	    "link/certs", 0700), EX_CANTCREAT);
	assert_non_null(strstr(err = capture_end(), "link: is a symbolic link"));
	free(err);
	assert_int_equal(d.fd, -1);
}

static void
test_write_at_writes_and_refuses_symlink(void **state)
{
	struct fs_dir	 root;
	char		*v = path_in(state, "victim");

	root_open(state, &root);
	assert_int_equal(fs_write_at(&root, "key", "k\n", 2, 0600), 0);
	assert_file(path_in(state, "key"), "k\n", 0600);
	put_file(v, "precious\n", 0644);
	assert_int_equal(symlink(v, path_in(state, "link")), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_write_at(&root, "link", "x", 1, 0600),
	    EX_CANTCREAT);
	free(capture_end());
	assert_file(v, "precious\n", 0644);
	assert_int_equal(entries(state), 3);
	fs_dir_close(&root);
}

static void
test_write_at_fault_keeps_old_file(void **state)
{
	static const enum fault	 fns[] = { FAULT_WRITE, FAULT_FSYNC,
	    FAULT_RENAME };
	struct fs_dir		 root;
	char			*p = path_in(state, "state");
	char			*err;
	size_t			 i;

	root_open(state, &root);
	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		put_file(p, "old\n", 0600);
		arm(fns[i], 1);
		capture_begin(STDERR_FILENO);
		assert_int_equal(fs_write_at(&root, "state", "new\n", 4, 0600),
		    EX_CANTCREAT);
		assert_non_null(strstr(err = capture_end(),
		    "Input/output error"));
		free(err);
		fault_fn = FAULT_NONE;
		assert_true(fault_hit);
		assert_file(p, "old\n", 0600);
		assert_int_equal(entries(state), 1);
	}
	fs_dir_close(&root);
}

static void
test_symlink_swap_at_replaces_link_and_refuses_file(void **state)
{
	struct fs_dir	 root;
	char		 buf[64];
	ssize_t		 n;

	root_open(state, &root);
	assert_int_equal(fs_symlink_swap_at(&root, "cur", "v-1"), 0);
	assert_int_equal(fs_symlink_swap_at(&root, "cur", "v-2"), 0);
	n = readlink(path_in(state, "cur"), buf, sizeof(buf) - 1);
	assert_int_equal(n, 3);
	buf[n] = '\0';
	assert_string_equal(buf, "v-2");
	put_file(path_in(state, "file"), "x", 0600);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_symlink_swap_at(&root, "file", "v-2"),
	    EX_CANTCREAT);
	free(capture_end());
	assert_int_equal(entries(state), 2);
	fs_dir_close(&root);
}

static void
test_unlink_at_removes_the_link_not_its_target(void **state)
{
	struct fs_dir	 root;
	char		*v = path_in(state, "victim");

	put_file(v, "precious\n", 0644);
	assert_int_equal(symlink(v, path_in(state, "old-1.pem")), 0);
	root_open(state, &root);
	assert_int_equal(fs_unlink_at(&root, "old-1.pem"), 0);
	assert_int_equal(fs_unlink_at(&root, "missing"), 0);
	assert_file(v, "precious\n", 0644);
	assert_int_equal(entries(state), 1);
	assert_int_equal(mkdir(path_in(state, "d"), 0700), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_unlink_at(&root, "d"), EX_CANTCREAT);
	free(capture_end());
	fs_dir_close(&root);
}

static void
test_lock_at_and_read_at_refuse_symlinks(void **state)
{
	struct fs_dir	 root;
	char		*v = path_in(state, "victim");
	char		*buf;
	size_t		 len;
	int		 fd;
	char		*err;

	put_file(v, "precious\n", 0644);
	assert_int_equal(symlink(v, path_in(state, ".lock")), 0);
	assert_int_equal(symlink(v, path_in(state, "state")), 0);
	root_open(state, &root);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fs_lock_at(&root, ".lock", 0, &fd), EX_CANTCREAT);
	assert_int_equal(fs_read_at(&root, "state", 100, &buf, &len),
	    EX_DATAERR);
	err = capture_end();
	assert_non_null(strstr(err, ".lock: is a symbolic link, not a "
	    "lock file; remove it"));
	assert_non_null(strstr(err, "state: is a symbolic link, not "
	    "reading it"));
	free(err);
	assert_int_equal(fs_read_at(&root, "victim", 100, &buf, &len), 0);
	assert_string_equal(buf, "precious\n");
	free(buf);
	assert_int_equal(fs_lock_at(&root, "real.lock", 0, &fd), 0);
	fs_unlock(fd);
	assert_file(v, "precious\n", 0644);
	fs_dir_close(&root);
}

static void
test_write_owned_sets_owner_before_the_rename(void **state)
{
	char	*p = path_in(state, "defaults");

	assert_int_equal(fs_write_owned(p, "A=1\n", 4, 0640, 65534,
	    shadow_gid()), 0);
	assert_file(p, "A=1\n", 0640);
	assert_owner(p, 65534, shadow_gid());
	assert_int_equal(entries(state), 1);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_write_atomic_creates_file_with_content_and_mode),
		T(test_write_atomic_replaces_content_and_mode),
		T(test_write_atomic_writes_empty_file),
		T(test_write_atomic_survives_short_writes_and_eintr),
		T(test_write_atomic_data_is_0600_until_complete),
		T(test_write_atomic_key_is_never_visible_to_others),
		T(test_write_atomic_refuses_planted_symlink),
		T(test_write_atomic_refuses_dangling_symlink),
		T(test_write_atomic_refuses_directory),
		T(test_write_atomic_fault_keeps_old_file),
		T(test_stage_keeps_old_file_until_commit),
		T(test_read_secret_takes_the_first_line_of_a_0600_file),
		T(test_read_secret_owned_by_another_user_is_refused),
		T(test_read_secret_refuses_empty_long_and_missing),
		T(test_secret_faults_name_owner_group_and_others),
		T(test_discard_drops_staged_file),
		T(test_stage_refuses_planted_symlink),
		T(test_read_file_reads_whole_file),
		T(test_read_file_reads_file_larger_than_first_buffer),
		T(test_read_file_accepts_exactly_max),
		T(test_read_file_over_max_is_dataerr),
		T(test_read_file_missing_is_noinput),
		T(test_read_file_directory_is_dataerr),
		T(test_read_file_fifo_is_dataerr_without_blocking),
		T(test_read_file_unreadable_is_noperm),
		T(test_lock_held_by_other_process_is_tempfail),
		T(test_lock_timeout_waits_before_tempfail),
		T(test_lock_is_taken_when_holder_exits),
		T(test_lock_refuses_symlink),
		T(test_replace_keep_keeps_mode_and_owner),
		T(test_replace_keep_writes_backup_with_old_content),
		T(test_replace_keep_overwrites_previous_backup),
		T(test_replace_keep_failed_rename_keeps_old_file),
		T(test_replace_keep_refuses_symlink),
		T(test_replace_keep_missing_is_noinput),
		T(test_lock_record_held_by_other_process_is_tempfail),
		T(test_lock_record_is_released_by_unlock),
		T(test_lock_record_waits_for_holder),
		T(test_lock_record_excludes_posix_lockf),
		T(test_lock_record_refuses_symlink),
		T(test_mkdir_p_creates_nested_directories),
		T(test_mkdir_p_mode_ignores_umask),
		T(test_mkdir_p_accepts_existing_directories),
		T(test_mkdir_p_fails_on_file_in_the_way),
		T(test_dirname_splits_paths),
		T(test_dirname_refuses_short_buffer),
		T(test_dir_root_creates_missing_directory_with_mode),
		T(test_dir_root_missing_without_mode_is_noinput_unlogged),
		T(test_dir_root_refuses_group_or_other_writable),
		T(test_dir_root_refuses_another_owner),
		T(test_dir_root_refuses_symlink),
		T(test_dir_sub_creates_each_component_with_mode),
		T(test_dir_sub_refuses_symlink_at_any_component),
		T(test_dir_sub_refuses_a_file),
		T(test_dir_open_makes_root_and_below_and_refuses_a_link),
		T(test_write_at_writes_and_refuses_symlink),
		T(test_write_at_fault_keeps_old_file),
		T(test_symlink_swap_at_replaces_link_and_refuses_file),
		T(test_unlink_at_removes_the_link_not_its_target),
		T(test_lock_at_and_read_at_refuse_symlinks),
		T(test_write_owned_sets_owner_before_the_rename),
	};

	log_init("test_fs");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
