/*
 * files: keys and secrets readable by nobody but their owner, by the
 * rules of the tools that read them (fs_read_secret's).  A file that is
 * not there is not judged here: the tool that needs it says so.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"
#include "fs.h"

enum kind {
	KIND_SECRET,	/* 0600: keys, passwords, the users file */
	KIND_SHADOW,	/* 0640: its group is shadow's readers */
	KIND_DIR	/* 0700: the state directory */
};

struct tally {
	size_t	seen;
	size_t	bad;
};

static const char *
kind_mode(enum kind kind)
{
	return kind == KIND_SHADOW ? "640" : kind == KIND_DIR ? "700" : "600";
}

/* One finding when ST, the file WHAT at PATH, breaks the rule of KIND. */
static void
judge(struct report *r, struct tally *t, const char *what, const char *path,
    const struct stat *st, enum kind kind)
{
	mode_t		mode = st->st_mode & 07777;
	char		fix[FINDING_FIX];
	int		faults = fs_secret_faults(st), status;
	const char	*how;

	t->seen++;
	if ((faults & FS_SECRET_OWNER) && st->st_uid != 0) {
		t->bad++;
		if (geteuid() == 0)
			snprintf(fix, sizeof(fix), "chown root %s", path);
		else
			snprintf(fix, sizeof(fix), "chown %u %s",
			    (unsigned)geteuid(), path);
		report_add(r, CHECK_CRITICAL, "files", fix, "%s %s belongs to "
		    "uid %u, who can read and change it", what, path,
		    (unsigned)st->st_uid);
		return;
	}
	if (kind == KIND_SHADOW) {
		faults &= ~FS_SECRET_GROUP;
		if ((mode & (S_IWGRP | S_IXGRP)) != 0)
			faults |= FS_SECRET_GROUP;
	}
	if (faults & FS_SECRET_OTHERS) {
		/* In a directory others may look, not read what it keeps. */
		status = kind == KIND_DIR && (mode & S_IWOTH) == 0 ?
		    CHECK_WARNING : CHECK_CRITICAL;
		how = "open to every user";
	} else if (faults & FS_SECRET_GROUP) {
		status = CHECK_WARNING;
		how = "open to its group";
	} else
		return;
	t->bad++;
	snprintf(fix, sizeof(fix), "chmod %s %s", kind_mode(kind), path);
	report_add(r, status, "files", fix, "%s %s is %s (mode %04o, "
	    "wanted %s or stricter)", what, path, how, (unsigned)mode,
	    kind_mode(kind));
}

/* The configured file PATH ("" when unset), WHAT its key. */
static void
judge_path(struct report *r, struct tally *t, const char *what,
    const char *path, enum kind kind)
{
	struct stat	st;

	if (path[0] == '\0')
		return;
	if (stat(path, &st) == -1) {
		if (errno != ENOENT)
			report_add(r, CHECK_UNKNOWN, "files", NULL, "%s %s: "
			    "%s", what, path, strerror(errno));
		return;
	}
	judge(r, t, what, path, &st, kind);
}

static int
is_key(const char *name)
{
	return fnmatch("privkey*.pem", name, 0) == 0 ||
	    fnmatch("*.key", name, 0) == 0;
}

/* The keys of the certificate directory NAME (a descriptor, FD). */
static void
judge_keys(struct report *r, struct tally *t, const char *dir, int fd)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		 path[PATH_MAX];

	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_key(de->d_name) || fstatat(fd, de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISREG(st.st_mode))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path))
			continue;
		judge(r, t, "the private key", path, &st, KIND_SECRET);
	}
	closedir(d);
}

/* Each directory of [certs] dir (self, one per name) and its keys. */
static void
judge_certs(struct report *r, struct tally *t)
{
	const char	*root = r->c->certs.dir;
	struct dirent	*de;
	DIR		*d;
	char		 path[PATH_MAX];
	int		 fd, sub;

	if ((fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1) {
		if (errno != ENOENT)
			report_add(r, CHECK_UNKNOWN, "files", NULL, "[certs] "
			    "dir %s: %s", root, strerror(errno));
		return;
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || (sub = openat(fd, de->d_name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", root,
		    de->d_name) >= sizeof(path))
			close(sub);
		else
			judge_keys(r, t, path, sub);
	}
	closedir(d);
}

void
files_check(struct report *r)
{
	const struct ss_conf	*c = r->c;
	struct tally		 t = { 0, 0 };
	char			 what[300];
	size_t			 i;

	judge_certs(r, &t);
	judge_path(r, &t, "[passwd] shadow_file", c->passwd.shadow_file,
	    KIND_SHADOW);
	judge_path(r, &t, "[passwd] users_file", c->passwd.users_file,
	    KIND_SECRET);
	judge_path(r, &t, "[passwd] factory_file", c->passwd.factory_file,
	    KIND_SECRET);
	judge_path(r, &t, "[acme] eab_hmac_file", c->acme.eab_hmac_file,
	    KIND_SECRET);
	judge_path(r, &t, "[ddns] password_file", c->ddns.password_file,
	    KIND_SECRET);
	judge_path(r, &t, "[ddns] tsig_key_file", c->ddns.tsig_key_file,
	    KIND_SECRET);
	for (i = 0; i < c->nnames; i++) {
		snprintf(what, sizeof(what), "[ddns:%s] password_file",
		    c->names[i].fqdn);
		judge_path(r, &t, what, c->names[i].password_file,
		    KIND_SECRET);
		snprintf(what, sizeof(what), "[ddns:%s] tsig_key_file",
		    c->names[i].fqdn);
		judge_path(r, &t, what, c->names[i].tsig_key_file,
		    KIND_SECRET);
	}
	judge_path(r, &t, "[smtp] password_file", c->smtp.password_file,
	    KIND_SECRET);
	judge_path(r, &t, "[device] state_dir", c->device.state_dir,
	    KIND_DIR);
	if (t.bad == 0)
		report_add(r, CHECK_OK, "files", NULL, "the keys, secrets, "
		    "shadow file and state directory are closed to others "
		    "(%zu checked)", t.seen);
}
