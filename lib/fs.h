/*
 * fs: every state file goes through here.  Writes are atomic (temporary
 * file in the same directory, created 0600 with O_EXCL, fsync, rename,
 * fsync of the directory); a failure at any step leaves the old file as it
 * was and removes the temporary one.
 *
 * Functions return 0 or a sysexits(3) code and have logged why.
 */
#ifndef SEC_FS_H
#define SEC_FS_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#define FS_MAX_READ	(4 * 1024 * 1024)

/*
 * A directory open by descriptor, its path for messages.  Every file
 * under [certs] dir and [device] state_dir is reached through one: each
 * directory opened O_NOFOLLOW|O_DIRECTORY from the configured root, files
 * made, replaced and removed with openat, renameat, symlinkat and
 * unlinkat in it, so a symlink planted anywhere below is refused, never
 * followed.
 */
struct fs_dir {
	int	fd;
	char	path[PATH_MAX];
};

/*
 * Opens the root PATH, the setting KEY ("[certs] dir"), creating it and
 * its parents with MODE when missing (MODE 0: EX_NOINPUT, not logged).
 * PATH itself must not be a symlink (EX_CONFIG), must belong to the
 * effective user (EX_NOPERM) and must not be writable by group or others
 * (EX_CONFIG); the message names the fix.
 */
int	fs_dir_root(struct fs_dir *, const char *path, const char *key,
	    mode_t mode);
/*
 * Opens REL ("NAME" or "A/B") under PARENT, each component O_NOFOLLOW,
 * created with MODE when missing (MODE 0: EX_NOINPUT, not logged).  A
 * component that is a symlink or not a directory is refused
 * (EX_CANTCREAT); each must pass the same owner and mode rules as the
 * root.
 */
int	fs_dir_sub(struct fs_dir *, const struct fs_dir *parent,
	    const char *rel, mode_t mode);
/*
 * fs_dir_root of ROOT (KEY, ROOT_MODE), then fs_dir_sub of REL under it
 * (MODE): a directory below a configured one, in one call.
 */
int	fs_dir_open(struct fs_dir *, const char *root, const char *key,
	    mode_t root_mode, const char *rel, mode_t mode);
void	fs_dir_close(struct fs_dir *);

/*
 * Replaces PATH with LEN bytes of BUF, final mode MODE.  The data is never
 * readable by anyone but the owner before the final chmod.  Refuses
 * (EX_CANTCREAT)
 * when PATH exists and is not a regular file, a planted symlink included.
 */
int	fs_write_atomic(const char *path, const void *buf, size_t len,
	    mode_t mode);
/* The same for NAME in D. */
int	fs_write_at(const struct fs_dir *, const char *name, const void *buf,
	    size_t len, mode_t mode);
/*
 * The same with owner UID:GID, set with fchown and fchmod on the
 * temporary file before the rename: the name never shows another owner.
 */
int	fs_write_owned(const char *path, const void *buf, size_t len,
	    mode_t mode, uid_t uid, gid_t gid);

/*
 * fs_write_at in steps, for files that belong together (a key and its
 * certificate): stage each (written and fsynced under a temporary name,
 * same checks), commit each (rename), then one fs_settle_at of the
 * directory.  A failed stage or commit discards its temporary file;
 * fs_discard drops one that is not to be committed.
 */
struct fs_staged {
	char	path[PATH_MAX];		/* for messages */
	char	dir[PATH_MAX];
	char	name[NAME_MAX + 1];
	char	tmp[NAME_MAX + 1];	/* "" when none */
	int	dirfd;
	int	owndir;
};
int	fs_stage_at(struct fs_staged *, const struct fs_dir *,
	    const char *name, const void *buf, size_t len, mode_t mode);
int	fs_commit(struct fs_staged *);
void	fs_discard(struct fs_staged *);

/*
 * fsync of D after renames in it.  Always 0: the renames are done and
 * visible, so a failure is only a warning that they may not survive a
 * power cut.
 */
int	fs_settle_at(const struct fs_dir *);

/*
 * Replaces an existing PATH keeping its mode and owner (the temporary file
 * gets them before the rename), after copying the current content to
 * PATH- the same way, as shadow-utils keeps /etc/shadow-.
 */
int	fs_replace_keep(const char *path, const void *buf, size_t len);
/* The same for NAME in D. */
int	fs_replace_keep_at(const struct fs_dir *, const char *name,
	    const void *buf, size_t len);

/*
 * A POSIX record lock (fcntl F_SETLK, as lckpwdf(3) takes) on PATH,
 * created 0600: shadow-utils' passwd and useradd wait on the same lock.
 * Waits at most TIMEOUT seconds; EX_TEMPFAIL when held.
 */
int	fs_lock_record(const char *path, int timeout, int *fd);

/*
 * Reads a whole file (at most MAX bytes) into a NUL-terminated buffer.
 * EX_NOINPUT when missing, EX_NOPERM when not readable, EX_DATAERR when
 * larger than MAX or not a regular file.
 */
int	fs_read_file(const char *path, size_t max, char **buf, size_t *len);
/* The same for NAME in D; a symlink is refused (EX_DATAERR). */
int	fs_read_at(const struct fs_dir *, const char *name, size_t max,
	    char **buf, size_t *len);

/*
 * The first line of a secret's file (a mail or DDNS password, the factory
 * password) into BUF, LEN bytes with the NUL.  WHAT names the setting in
 * messages ("[smtp] password_file").  The file must be a regular file
 * owned by the effective user (EX_CONFIG: "chown UID it") that neither
 * group nor others can open (EX_CONFIG: "chmod 600 it"); missing
 * is EX_NOINPUT, unreadable EX_NOPERM, an empty or over-long first line
 * EX_DATAERR.  Every copy is wiped; BUF too on failure.
 */
int	fs_read_secret(const char *what, const char *path, char *buf,
	    size_t len);

/*
 * What keeps the file of ST from holding a secret by fs_read_secret's
 * rules: a mask of FS_SECRET_OWNER (not the effective user's),
 * FS_SECRET_GROUP and FS_SECRET_OTHERS (some permission for them); 0
 * when none.
 */
#define FS_SECRET_OWNER		0x1
#define FS_SECRET_GROUP		0x2
#define FS_SECRET_OTHERS	0x4
struct stat;
int	fs_secret_faults(const struct stat *st);

/* mkdir -p with MODE for the directories it creates. */
int	fs_mkdir_p(const char *path, mode_t mode);

/*
 * Takes an exclusive flock(2) on PATH (created 0600 if missing), waiting
 * at most TIMEOUT seconds (0: do not wait).  EX_TEMPFAIL when held.
 */
int	fs_lock(const char *path, int timeout, int *fd);
/* The same for NAME in D; a symlink or non-file is refused. */
int	fs_lock_at(const struct fs_dir *, const char *name, int timeout,
	    int *fd);
void	fs_unlock(int fd);

/*
 * Points the symlink NAME in D at TARGET atomically (new link under a
 * temporary name, rename over NAME, fsync of D).  Refuses when NAME
 * exists and is not a symlink.
 */
int	fs_symlink_swap_at(const struct fs_dir *, const char *name,
	    const char *target);

/*
 * unlinkat of NAME in D: a symlink itself goes, never what it points
 * at; a directory is refused; missing is 0.
 */
int	fs_unlink_at(const struct fs_dir *, const char *name);

/* Directory part of PATH into BUF ("." when there is none). */
int	fs_dirname(const char *path, char *buf, size_t len);

#endif
