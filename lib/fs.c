/*
 * fs: the only code that replaces state files.  See fs.h for the contract.
 */
#define _GNU_SOURCE		/* mkostemp */

#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "log.h"

#define LOCK_POLL_MS	100
#define SWAP_TRIES	100

static const char *
base_name(const char *path)
{
	const char	*p;

	p = strrchr(path, '/');
	return p != NULL ? p + 1 : path;
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int	settle_path(const char *);
static void	settle_fd(int, const char *);
static int	read_open(int, const char *, const char *, int, int *);
static int	read_fd(int, const char *, size_t, char **, size_t *);

/* D's path and NAME into BUF, for messages. */
static int
at_path(char *buf, size_t len, const struct fs_dir *d, const char *name)
{
	if ((size_t)snprintf(buf, len, "%s/%s", d->path, name) >= len) {
		log_err("%s/%s: path too long", d->path, name);
		return EX_CANTCREAT;
	}
	return 0;
}

static int
unlink_failed(const struct fs_dir *d, const char *name)
{
	log_err("%s/%s: cannot remove: %s", d->path, name, strerror(errno));
	return EX_CANTCREAT;
}

/*
 * PATH's directory into DIR and its last component, which temporary
 * names are made of, into *BASE.
 */
static int
path_split(const char *path, char *dir, size_t dirlen, const char **base)
{
	int	rc;

	if ((rc = fs_dirname(path, dir, dirlen)) != 0)
		return rc;
	*base = base_name(path);
	if (**base == '\0') {
		log_err("%s: not a file name", path);
		return EX_CANTCREAT;
	}
	return 0;
}

/*
 * 0 when SB, what lstat(2) found at PATH, may be replaced: a regular
 * file.  rename() would replace a symlink itself and never write through
 * it, but a planted link is an attack or a mistake the operator must hear
 * about rather than have silently undone.
 */
static int
replaceable(const char *path, const struct stat *sb)
{
	if (S_ISLNK(sb->st_mode)) {
		log_err("%s: is a symbolic link, not replacing it", path);
		return EX_CANTCREAT;
	}
	if (!S_ISREG(sb->st_mode)) {
		log_err("%s: not a regular file", path);
		return EX_CANTCREAT;
	}
	return 0;
}

/* Replaces the trailing XXXXXX of TEMPLATE with random letters and digits. */
static int
random_suffix(char *template)
{
	static const char	 set[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char		 r[6];
	char			*p;
	size_t			 i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	p = template + strlen(template) - sizeof(r);
	for (i = 0; i < sizeof(r); i++)
		p[i] = set[r[i] % (sizeof(set) - 1)];
	return 0;
}

/*
 * A new file .BASE.XXXXXX in DIRFD, 0600 and O_EXCL|O_NOFOLLOW, so nobody
 * else can read or swap it; its name into TMP.
 */
static int
temp_open(int dirfd, const char *base, char *tmp, size_t len)
{
	int	fd, i;

	for (i = 0; i < SWAP_TRIES; i++) {
		if ((size_t)snprintf(tmp, len, ".%s.XXXXXX", base) >= len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (random_suffix(tmp) == -1)
			return -1;
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd != -1 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/*
 * What fstatat(2) finds at NAME in DIRFD, without following a link:
 * 0 when it may be replaced (a regular file, or nothing).
 */
static int
replaceable_at(int dirfd, const char *name, const char *path)
{
	struct stat	sb;

	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return replaceable(path, &sb);
	if (errno == ENOENT)
		return 0;
	log_err("%s: %s", path, strerror(errno));
	return EX_CANTCREAT;
}

/*
 * Fills ST's names: PATH for messages, its directory, NAME in it.
 */
static int
staged_names(struct fs_staged *st, const char *dir, const char *name)
{
	st->tmp[0] = '\0';
	if ((size_t)snprintf(st->dir, sizeof(st->dir), "%s", dir) >=
	    sizeof(st->dir) || (size_t)snprintf(st->name, sizeof(st->name),
	    "%s", name) >= sizeof(st->name) ||
	    (size_t)snprintf(st->path, sizeof(st->path), "%s/%s", dir, name) >=
	    sizeof(st->path)) {
		log_err("%s/%s: path too long", dir, name);
		return EX_CANTCREAT;
	}
	return 0;
}

/*
 * fs_stage_at; with OWNER the file gets OWNER's owner and mode instead
 * of MODE.  It is 0600 root's until fchown, so nobody but the final owner
 * reads it early, and chmod comes after chown, which clears the set-id
 * bits.  ST->dirfd is DIRFD, borrowed.
 */
static int
stage(struct fs_staged *st, int dirfd, const void *buf, size_t len,
    mode_t mode, const struct stat *owner)
{
	const char	*path = st->path;
	int		 fd = -1, rc;

	st->dirfd = dirfd;
	st->tmp[0] = '\0';
	if ((rc = replaceable_at(dirfd, st->name, path)) != 0)
		goto out;
	rc = EX_CANTCREAT;
	if ((fd = temp_open(dirfd, st->name, st->tmp, sizeof(st->tmp))) ==
	    -1) {
		log_err("%s: cannot create a temporary file in %s: %s", path,
		    st->dir, strerror(errno));
		st->tmp[0] = '\0';
		goto out;
	}
	if (write_all(fd, buf, len) == -1) {
		log_err("%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	if (owner != NULL) {
		mode = owner->st_mode;
		if (fchown(fd, owner->st_uid, owner->st_gid) == -1) {
			log_err("%s: cannot set owner and mode: %s", path,
			    strerror(errno));
			goto out;
		}
	}
	if (fchmod(fd, mode & 07777) == -1 || fsync(fd) == -1) {
		log_err("%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	/* close() is where some file systems report a failed write back. */
	if (close(fd) == -1) {
		fd = -1;
		log_err("%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (rc != 0)
		fs_discard(st);
	return rc;
}

/* The directory of PATH, opened as the path says: outside the trusted dirs. */
static int
stage_path(struct fs_staged *st, const char *path, const void *buf,
    size_t len, mode_t mode, const struct stat *owner)
{
	char		 dir[PATH_MAX];
	const char	*base;
	int		 dirfd, rc;

	st->tmp[0] = '\0';
	st->dirfd = -1;
	st->owndir = 0;
	if ((rc = path_split(path, dir, sizeof(dir), &base)) != 0 ||
	    (rc = staged_names(st, dir, base)) != 0)
		return rc;
	/* The path as given, not DIR/BASE: messages name what was asked. */
	snprintf(st->path, sizeof(st->path), "%s", path);
	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_err("%s: cannot create a temporary file in %s: %s", path,
		    dir, strerror(errno));
		return EX_CANTCREAT;
	}
	st->owndir = 1;
	return stage(st, dirfd, buf, len, mode, owner);
}

int
fs_stage_at(struct fs_staged *st, const struct fs_dir *d, const char *name,
    const void *buf, size_t len, mode_t mode)
{
	int	rc;

	st->dirfd = -1;
	st->owndir = 0;
	if ((rc = staged_names(st, d->path, name)) != 0)
		return rc;
	return stage(st, d->fd, buf, len, mode, NULL);
}

static void
staged_close(struct fs_staged *st)
{
	if (st->owndir && st->dirfd != -1)
		close(st->dirfd);
	st->dirfd = -1;
	st->owndir = 0;
}

int
fs_commit(struct fs_staged *st)
{
	if (renameat(st->dirfd, st->tmp, st->dirfd, st->name) == -1) {
		log_err("%s: cannot replace: %s", st->path, strerror(errno));
		fs_discard(st);
		return EX_CANTCREAT;
	}
	st->tmp[0] = '\0';
	staged_close(st);
	return 0;
}

void
fs_discard(struct fs_staged *st)
{
	if (st->tmp[0] != '\0')
		unlinkat(st->dirfd, st->tmp, 0);
	st->tmp[0] = '\0';
	staged_close(st);
}

int
fs_write_atomic(const char *path, const void *buf, size_t len, mode_t mode)
{
	struct fs_staged	st;
	int			rc;

	if ((rc = stage_path(&st, path, buf, len, mode, NULL)) != 0 ||
	    (rc = fs_commit(&st)) != 0)
		return rc;
	return settle_path(st.dir);
}

int
fs_write_at(const struct fs_dir *d, const char *name, const void *buf,
    size_t len, mode_t mode)
{
	struct fs_staged	st;
	int			rc;

	if ((rc = fs_stage_at(&st, d, name, buf, len, mode)) != 0 ||
	    (rc = fs_commit(&st)) != 0)
		return rc;
	return fs_settle_at(d);
}

int
fs_write_owned(const char *path, const void *buf, size_t len, mode_t mode,
    uid_t uid, gid_t gid)
{
	struct fs_staged	st;
	struct stat		owner;
	int			rc;

	memset(&owner, 0, sizeof(owner));
	owner.st_mode = mode;
	owner.st_uid = uid;
	owner.st_gid = gid;
	if ((rc = stage_path(&st, path, buf, len, 0, &owner)) != 0 ||
	    (rc = fs_commit(&st)) != 0)
		return rc;
	return settle_path(st.dir);
}

/*
 * fs_replace_keep in DIRFD (DIR's descriptor) for NAME, PATH in messages.
 * The backup's rename is on disk before the file's: after a crash NAME-
 * is a whole copy of what NAME held before, never missing.
 */
static int
replace_keep(int dirfd, const char *dir, const char *name, const char *path,
    const void *buf, size_t len)
{
	struct fs_staged	 bak, cur;
	struct stat		 sb;
	char			 bakname[NAME_MAX + 1];
	char			*old = NULL;
	size_t			 oldlen = 0;
	int			 fd, rc;

	bak.tmp[0] = cur.tmp[0] = '\0';
	bak.dirfd = cur.dirfd = -1;
	bak.owndir = cur.owndir = 0;
	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno == ENOENT) {
			log_err("%s: no such file", path);
			rc = EX_NOINPUT;
		} else {
			log_err("%s: %s", path, strerror(errno));
			rc = EX_CANTCREAT;
		}
		goto out;
	}
	if ((rc = replaceable(path, &sb)) != 0)
		goto out;
	if ((size_t)snprintf(bakname, sizeof(bakname), "%s-", name) >=
	    sizeof(bakname)) {
		log_err("%s: name too long for its backup", path);
		rc = EX_CANTCREAT;
		goto out;
	}
	if ((rc = read_open(dirfd, name, path, 1, &fd)) != 0 ||
	    (rc = read_fd(fd, path, FS_MAX_READ, &old, &oldlen)) != 0 ||
	    (rc = staged_names(&bak, dir, bakname)) != 0 ||
	    (rc = stage(&bak, dirfd, old, oldlen, 0, &sb)) != 0 ||
	    (rc = staged_names(&cur, dir, name)) != 0)
		goto out;
	snprintf(cur.path, sizeof(cur.path), "%s", path);
	if ((rc = stage(&cur, dirfd, buf, len, 0, &sb)) != 0 ||
	    (rc = fs_commit(&bak)) != 0)
		goto out;
	settle_fd(dirfd, dir);
	if ((rc = fs_commit(&cur)) != 0)
		goto out;
	settle_fd(dirfd, dir);
out:
	fs_discard(&bak);
	fs_discard(&cur);
	if (old != NULL) {
		explicit_bzero(old, oldlen);
		free(old);
	}
	return rc;
}

int
fs_replace_keep(const char *path, const void *buf, size_t len)
{
	char		 dir[PATH_MAX];
	const char	*base;
	int		 dirfd, rc;

	if ((rc = path_split(path, dir, sizeof(dir), &base)) != 0)
		return rc;
	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_err("%s: cannot open its directory %s: %s", path, dir,
		    strerror(errno));
		return errno == ENOENT ? EX_NOINPUT : EX_CANTCREAT;
	}
	rc = replace_keep(dirfd, dir, base, path, buf, len);
	close(dirfd);
	return rc;
}

int
fs_replace_keep_at(const struct fs_dir *d, const char *name, const void *buf,
    size_t len)
{
	char	path[PATH_MAX];
	int	rc;

	if ((rc = at_path(path, sizeof(path), d, name)) != 0)
		return rc;
	return replace_keep(d->fd, d->path, name, path, buf, len);
}

/*
 * Moves the contents of *BUF (LEN bytes used) into a new buffer of SIZE
 * bytes.  Not realloc(): the old copy may hold a private key and is wiped.
 */
static int
grow(char **buf, size_t len, size_t size)
{
	char	*p;

	if ((p = malloc(size)) == NULL)
		return -1;
	if (len > 0)
		memcpy(p, *buf, len);
	explicit_bzero(*buf, len);
	free(*buf);
	*buf = p;
	return 0;
}

/*
 * Opens NAME in DIRFD for reading; with NOFOLLOW a symlink is refused.
 * O_NONBLOCK: opening a FIFO planted as the file must not hang.
 */
static int
read_open(int dirfd, const char *name, const char *path, int nofollow,
    int *fdp)
{
	int	flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

	if (nofollow)
		flags |= O_NOFOLLOW;
	if ((*fdp = openat(dirfd, name, flags)) != -1)
		return 0;
	if (nofollow && errno == ELOOP) {
		log_err("%s: is a symbolic link, not reading it", path);
		return EX_DATAERR;
	}
	log_err("%s: cannot read: %s", path, strerror(errno));
	return (errno == EACCES || errno == EPERM) ? EX_NOPERM : EX_NOINPUT;
}

/* The whole of FD (PATH in messages), closed on every path out. */
static int
read_fd(int fd, const char *path, size_t max, char **bufp, size_t *lenp)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 len = 0, cap;
	ssize_t		 n;
	int		 rc;

	if (fstat(fd, &st) == -1) {
		log_err("%s: cannot read: %s", path, strerror(errno));
		rc = EX_IOERR;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		log_err("%s: not a regular file", path);
		rc = EX_DATAERR;
		goto out;
	}
	/* The size is a hint only: the file may change while it is read. */
	cap = st.st_size < 4096 ? 4096 : (size_t)st.st_size + 1;
	if (cap > max + 1)
		cap = max + 1;
	rc = EX_OSERR;
	if ((buf = malloc(cap + 1)) == NULL) {
		log_err("%s: %s", path, strerror(errno));
		goto out;
	}
	for (;;) {
		if (len > max) {
			log_err("%s: larger than %zu bytes", path, max);
			rc = EX_DATAERR;
			goto out;
		}
		if (len == cap) {
			cap = cap > max / 2 ? max + 1 : cap * 2;
			if (grow(&buf, len, cap + 1) == -1) {
				log_err("%s: %s", path, strerror(errno));
				goto out;
			}
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			log_err("%s: cannot read: %s", path, strerror(errno));
			rc = EX_IOERR;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	buf = NULL;
	rc = 0;
out:
	if (buf != NULL) {
		explicit_bzero(buf, len);
		free(buf);
	}
	close(fd);
	return rc;
}

int
fs_read_file(const char *path, size_t max, char **bufp, size_t *lenp)
{
	int	fd, rc;

	if ((rc = read_open(AT_FDCWD, path, path, 0, &fd)) != 0)
		return rc;
	return read_fd(fd, path, max, bufp, lenp);
}

int
fs_read_at(const struct fs_dir *d, const char *name, size_t max,
    char **bufp, size_t *lenp)
{
	char	path[PATH_MAX];
	int	fd, rc;

	if ((rc = at_path(path, sizeof(path), d, name)) != 0)
		return rc;
	if ((rc = read_open(d->fd, name, path, 1, &fd)) != 0)
		return rc;
	return read_fd(fd, path, max, bufp, lenp);
}

/*
 * mkdirat NAME in DIRFD with MODE; the mode asked for, not what the
 * umask leaves of it, set through a descriptor of the new directory that
 * did not follow a link.  *MADE tells whether it was created.
 */
static int
mkdir_at(int dirfd, const char *name, const char *path, mode_t mode,
    int *made)
{
	int	fd, rc = EX_CANTCREAT;

	*made = 0;
	if (mkdirat(dirfd, name, mode) == -1) {
		if (errno == EEXIST)
			return 0;
		log_err("%s: cannot create directory: %s", path,
		    strerror(errno));
		return EX_CANTCREAT;
	}
	*made = 1;
	if ((fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1 || fchmod(fd, mode) == -1)
		log_err("%s: cannot set mode %04o: %s", path,
		    (unsigned)mode, strerror(errno));
	else
		rc = 0;
	if (fd != -1)
		close(fd);
	return rc;
}

static int
mkdir_one(const char *path, mode_t mode)
{
	struct stat	st;
	int		made, rc;

	if ((rc = mkdir_at(AT_FDCWD, path, path, mode, &made)) != 0 || made)
		return rc;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
	}
	log_err("%s: cannot create directory: %s", path, strerror(errno));
	return EX_CANTCREAT;
}

#define SECRET_FILE_MAX	4096

int
fs_secret_faults(const struct stat *st)
{
	int	faults = 0;

	if (st->st_uid != geteuid())
		faults |= FS_SECRET_OWNER;
	/* Open to group or others, the secret has leaked or soon will. */
	if ((st->st_mode & S_IRWXG) != 0)
		faults |= FS_SECRET_GROUP;
	if ((st->st_mode & S_IRWXO) != 0)
		faults |= FS_SECRET_OTHERS;
	return faults;
}

int
fs_read_secret(const char *what, const char *path, char *buf, size_t len)
{
	struct stat	 st;
	char		 data[SECRET_FILE_MAX];
	size_t		 got = 0, line;
	ssize_t		 n;
	int		 fd, faults, rc = EX_DATAERR;

	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		log_err("%s %s: %s", what, path, strerror(errno));
		return errno == ENOENT ? EX_NOINPUT : errno == EACCES ?
		    EX_NOPERM : EX_CONFIG;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		log_err("%s %s: not a regular file", what, path);
		rc = EX_CONFIG;
		goto out;
	}
	faults = fs_secret_faults(&st);
	/* Another user's file holds what that user chose, not our secret. */
	if (faults & FS_SECRET_OWNER) {
		log_err("%s %s: owned by uid %u, not by the user reading it "
		    "(uid %u); chown %u it", what, path, (unsigned)st.st_uid,
		    (unsigned)geteuid(), (unsigned)geteuid());
		rc = EX_CONFIG;
		goto out;
	}
	if (faults & (FS_SECRET_GROUP | FS_SECRET_OTHERS)) {
		log_err("%s %s: readable or writable by group or others "
		    "(mode %04o); chmod 600 it", what, path,
		    (unsigned)(st.st_mode & 07777));
		rc = EX_CONFIG;
		goto out;
	}
	while (got < sizeof(data) - 1) {
		if ((n = read(fd, data + got, sizeof(data) - 1 - got)) == -1) {
			if (errno == EINTR)
				continue;
			log_err("%s %s: %s", what, path, strerror(errno));
			rc = EX_IOERR;
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	data[got] = '\0';
	for (line = 0; line < got && data[line] != '\n' && data[line] != '\r';
	    line++)
		;
	if (line == 0)
		log_err("%s %s: the first line is empty", what, path);
	else if (memchr(data, '\0', line) != NULL)
		log_err("%s %s: the first line holds a NUL byte", what, path);
	else if (line >= len)
		log_err("%s %s: the first line is longer than %zu bytes", what,
		    path, len - 1);
	else {
		memcpy(buf, data, line);
		buf[line] = '\0';
		rc = 0;
	}
out:
	explicit_bzero(data, sizeof(data));
	close(fd);
	return rc;
}

int
fs_mkdir_p(const char *path, mode_t mode)
{
	char	buf[PATH_MAX];
	char	*p;
	int	rc;

	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf)) {
		log_err("%s: path too long", path);
		return EX_CANTCREAT;
	}
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		rc = mkdir_one(buf, mode);
		*p = '/';
		if (rc != 0)
			return rc;
	}
	return mkdir_one(buf, mode);
}

/* One non-blocking attempt: 0 taken, 1 held elsewhere, -1 error. */
static int
try_flock(int fd)
{
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	return errno == EWOULDBLOCK ? 1 : -1;
}

static int
try_record(int fd)
{
	struct flock	fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) == 0)
		return 0;
	return errno == EACCES || errno == EAGAIN ? 1 : -1;
}

/*
 * Opens PATH (O_RDWR: a record write lock needs a descriptor open for
 * writing; O_NONBLOCK: a FIFO planted as the lock file must not hang us)
 * and retries TRY every LOCK_POLL_MS until TIMEOUT seconds have passed.
 */
static int
lock_with(int dirfd, const char *name, const char *path, int timeout,
    int *fdp, int (*try)(int))
{
	struct timespec	 nap = { 0, LOCK_POLL_MS * 1000000L };
	struct stat	 st;
	long long	 tries;
	int		 fd, r, rc;

	*fdp = -1;
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK | O_NOCTTY, 0600);
	if (fd == -1 && errno == ELOOP) {
		log_err("%s: is a symbolic link, not a lock file; remove it",
		    path);
		rc = EX_CANTCREAT;
		goto out;
	}
	if (fd != -1 && (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))) {
		log_err("%s: not a regular file, not a lock file", path);
		rc = EX_CANTCREAT;
		goto out;
	}
	if (fd == -1) {
		log_err("%s: cannot open lock file: %s", path, strerror(errno));
		rc = EX_CANTCREAT;
		goto out;
	}
	tries = timeout > 0 ? (long long)timeout * (1000 / LOCK_POLL_MS) : 0;
	while ((r = try(fd)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			log_err("%s: cannot lock: %s", path, strerror(errno));
			rc = EX_OSERR;
			goto out;
		}
		if (tries-- <= 0) {
			log_err("%s: locked by another process", path);
			rc = EX_TEMPFAIL;
			goto out;
		}
		nanosleep(&nap, NULL);
	}
	*fdp = fd;
	fd = -1;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	return rc;
}

int
fs_lock(const char *path, int timeout, int *fdp)
{
	return lock_with(AT_FDCWD, path, path, timeout, fdp, try_flock);
}

int
fs_lock_at(const struct fs_dir *d, const char *name, int timeout, int *fdp)
{
	char	path[PATH_MAX];
	int	rc;

	if ((rc = at_path(path, sizeof(path), d, name)) != 0)
		return rc;
	return lock_with(d->fd, name, path, timeout, fdp, try_flock);
}

int
fs_lock_record(const char *path, int timeout, int *fdp)
{
	return lock_with(AT_FDCWD, path, path, timeout, fdp, try_record);
}

void
fs_unlock(int fd)
{
	/* The lock file stays: unlinking it would let two holders coexist. */
	if (fd != -1)
		close(fd);
}

/* fs_symlink_swap_at of NAME in DIRFD; PATH and DIR for messages. */
static int
swap_at(int dirfd, const char *name, const char *path, const char *dir,
    const char *target)
{
	char		 tmp[NAME_MAX + 1];
	struct stat	 st;
	int		 i, rc = EX_CANTCREAT;

	tmp[0] = '\0';
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISLNK(st.st_mode)) {
			log_err("%s: not a symbolic link, not replacing it",
			    path);
			goto out;
		}
	} else if (errno != ENOENT) {
		log_err("%s: %s", path, strerror(errno));
		goto out;
	}
	for (i = 0; i < SWAP_TRIES; i++) {
		if ((size_t)snprintf(tmp, sizeof(tmp), ".%s.tmpXXXXXX",
		    name) >= sizeof(tmp)) {
			log_err("%s: path too long", path);
			tmp[0] = '\0';
			goto out;
		}
		if (random_suffix(tmp) == -1) {
			log_err("%s: no random bytes: %s", path,
			    strerror(errno));
			tmp[0] = '\0';
			goto out;
		}
		if (symlinkat(target, dirfd, tmp) == 0)
			break;
		if (errno != EEXIST) {
			log_err("%s: cannot create symbolic link: %s", path,
			    strerror(errno));
			tmp[0] = '\0';
			goto out;
		}
	}
	if (i == SWAP_TRIES) {
		log_err("%s: no free temporary name in %s", path, dir);
		tmp[0] = '\0';
		goto out;
	}
	if (renameat(dirfd, tmp, dirfd, name) == -1) {
		log_err("%s: cannot replace: %s", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	rc = 0;
out:
	if (tmp[0] != '\0')
		unlinkat(dirfd, tmp, 0);
	return rc;
}

int
fs_symlink_swap_at(const struct fs_dir *d, const char *name,
    const char *target)
{
	char	path[PATH_MAX];
	int	rc;

	if ((rc = at_path(path, sizeof(path), d, name)) != 0)
		return rc;
	if ((rc = swap_at(d->fd, name, path, d->path, target)) == 0)
		fs_settle_at(d);
	return rc;
}

int
fs_unlink_at(const struct fs_dir *d, const char *name)
{
	struct stat	st;

	if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : unlink_failed(d, name);
	if (S_ISDIR(st.st_mode)) {
		log_err("%s/%s: is a directory, not removing it", d->path,
		    name);
		return EX_CANTCREAT;
	}
	if (unlinkat(d->fd, name, 0) == -1 && errno != ENOENT)
		return unlink_failed(d, name);
	return 0;
}

/*
 * A directory every file under which is trusted: the owner is the
 * effective user, and neither group nor others may write in it (they
 * could plant a link or rename what the tool checked).
 */
static int
dir_trusted(int fd, const char *path)
{
	struct stat	st;

	if (fstat(fd, &st) == -1) {
		log_err("%s: %s", path, strerror(errno));
		return EX_IOERR;
	}
	if (st.st_uid != geteuid()) {
		log_err("%s: owned by uid %lu, not by uid %lu who runs this; "
		    "chown %lu %s", path, (unsigned long)st.st_uid,
		    (unsigned long)geteuid(), (unsigned long)geteuid(), path);
		return EX_NOPERM;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		log_err("%s: writable by group or others (mode %04o); "
		    "chmod go-w %s", path, (unsigned)(st.st_mode & 07777),
		    path);
		return EX_CONFIG;
	}
	return 0;
}

/*
 * Opens NAME in DIRFD as a directory, never through a link; FIX says
 * what to do about something else in its place.  Missing is EX_NOINPUT,
 * not logged.
 */
static int
dir_open_at(int dirfd, const char *name, const char *path, const char *fix,
    int *fdp)
{
	struct stat	st;

	*fdp = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (*fdp != -1)
		return 0;
	if (errno == ENOENT)
		return EX_NOINPUT;
	if ((errno == ELOOP || errno == ENOTDIR) &&
	    fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		log_err("%s: %s; %s", path, S_ISLNK(st.st_mode) ?
		    "is a symbolic link, not a directory" :
		    "not a directory", fix);
		return EX_CANTCREAT;
	}
	log_err("%s: %s", path, strerror(errno));
	return EX_CANTCREAT;
}

int
fs_dir_root(struct fs_dir *d, const char *path, const char *key, mode_t mode)
{
	char	dir[PATH_MAX], fix[64];
	int	made, rc;

	d->fd = -1;
	if ((size_t)snprintf(d->path, sizeof(d->path), "%s", path) >=
	    sizeof(d->path)) {
		log_err("%s %s: path too long", key, path);
		return EX_CONFIG;
	}
	if (mode != 0 && ((rc = fs_dirname(path, dir, sizeof(dir))) != 0 ||
	    (rc = fs_mkdir_p(dir, 0755)) != 0 ||
	    (rc = mkdir_at(AT_FDCWD, path, path, mode, &made)) != 0))
		return rc;
	snprintf(fix, sizeof(fix), "set %s to the real directory", key);
	if ((rc = dir_open_at(AT_FDCWD, path, path, fix, &d->fd)) != 0)
		return rc == EX_CANTCREAT ? EX_CONFIG : rc;
	if ((rc = dir_trusted(d->fd, path)) != 0)
		fs_dir_close(d);
	return rc;
}

int
fs_dir_sub(struct fs_dir *d, const struct fs_dir *parent, const char *rel,
    mode_t mode)
{
	char		 name[NAME_MAX + 1], cur[PATH_MAX];
	const char	*p, *slash;
	size_t		 n;
	int		 at, fd, made, rc = 0;

	d->fd = -1;
	if ((size_t)snprintf(d->path, sizeof(d->path), "%s/%s", parent->path,
	    rel) >= sizeof(d->path)) {
		log_err("%s/%s: path too long", parent->path, rel);
		return EX_CANTCREAT;
	}
	at = parent->fd;
	for (p = rel; *p != '\0'; p = slash + (*slash == '/')) {
		slash = p + strcspn(p, "/");
		n = (size_t)(slash - p);
		/* Shorter than d->path, which fitted. */
		if ((size_t)snprintf(cur, sizeof(cur), "%s/%.*s", parent->path,
		    (int)(slash - rel), rel) >= sizeof(cur))
			cur[0] = '\0';
		if (n == 0 || n > NAME_MAX || (n <= 2 && p[0] == '.' &&
		    (n == 1 || p[1] == '.'))) {
			log_err("%s: not a directory name", cur);
			rc = EX_SOFTWARE;
			goto out;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (mode != 0 &&
		    (rc = mkdir_at(at, name, cur, mode, &made)) != 0)
			goto out;
		rc = dir_open_at(at, name, cur, "remove it", &fd);
		if (at != parent->fd)
			close(at);
		at = parent->fd;
		if (rc != 0)
			goto out;
		at = fd;
		if ((rc = dir_trusted(at, cur)) != 0)
			goto out;
	}
	if (at == parent->fd) {
		log_err("%s: not a directory name", d->path);
		rc = EX_SOFTWARE;
		goto out;
	}
	d->fd = at;
	at = parent->fd;
out:
	if (at != parent->fd)
		close(at);
	return rc;
}

int
fs_dir_open(struct fs_dir *d, const char *root, const char *key,
    mode_t root_mode, const char *rel, mode_t mode)
{
	struct fs_dir	top;
	int		rc;

	d->fd = -1;
	if ((rc = fs_dir_root(&top, root, key, root_mode)) != 0)
		return rc;
	rc = fs_dir_sub(d, &top, rel, mode);
	fs_dir_close(&top);
	return rc;
}

void
fs_dir_close(struct fs_dir *d)
{
	if (d->fd != -1)
		close(d->fd);
	d->fd = -1;
}

int
fs_dirname(const char *path, char *buf, size_t len)
{
	const char	*dir = path;
	size_t		 n;

	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 0) {
		dir = ".";
		n = 1;
	}
	if (n >= len) {
		log_err("%s: path too long", path);
		return EX_SOFTWARE;
	}
	memcpy(buf, dir, n);
	buf[n] = '\0';
	return 0;
}

static int
sync_dir(const char *dir)
{
	int	fd, rc = 0;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(fd) == -1)
		rc = -1;
	if (fd != -1)
		close(fd);
	return rc;
}

/*
 * After the rename the change is made and every reader sees it; a failed
 * directory fsync leaves only its survival of a power cut in doubt.  That
 * is a warning: failing would report a file as not replaced when it was.
 */
static void
settle_fd(int fd, const char *dir)
{
	if (fsync(fd) == -1)
		log_warn("%s: cannot sync directory: %s (the change is made "
		    "but may not survive a power cut)", dir, strerror(errno));
}

/* settle_fd for a directory by path: outside the trusted directories. */
static int
settle_path(const char *dir)
{
	if (sync_dir(dir) == -1)
		log_warn("%s: cannot sync directory: %s (the change is made "
		    "but may not survive a power cut)", dir, strerror(errno));
	return 0;
}

int
fs_settle_at(const struct fs_dir *d)
{
	settle_fd(d->fd, d->path);
	return 0;
}
