/*
 * certdir: where each certificate lives under [certs] dir, for every tool
 * that reads or writes them.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "certdir.h"
#include "log.h"

int
certdir_path(char *buf, size_t len, const struct ss_conf *c, const char *name,
    const char *file)
{
	const char	*dir = c->certs.dir;
	int		 n;

	if (name == NULL)
		n = snprintf(buf, len, "%s/%s", dir, file);
	else if (file == NULL)
		n = snprintf(buf, len, "%s/%s", dir, name);
	else
		n = snprintf(buf, len, "%s/%s/%s", dir, name, file);
	if (n < 0 || (size_t)n >= len) {
		log_err("%s: path too long", dir);
		return EX_SOFTWARE;
	}
	return 0;
}

/*
 * A certificate name becomes one directory under DIR: no separators, no
 * hidden names, nothing that could climb out.
 */
int
certdir_name_ok(const char *name)
{
	const char	*p;

	if (*name == '\0' || *name == '.' || strlen(name) > 253)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '.' && *p != '-' &&
		    *p != '_')
			return 0;
	return 1;
}

int
certdir_open(const struct ss_conf *c, struct fs_dir *d)
{
	return fs_dir_root(d, c->certs.dir, "[certs] dir", 0755);
}

int
certdir_open_name(const struct ss_conf *c, const char *name, int create,
    struct fs_dir *sub)
{
	int	rc;

	if ((rc = fs_dir_open(sub, c->certs.dir, "[certs] dir", 0755, name,
	    create ? 0755 : 0)) == EX_NOINPUT)
		log_err("%s: no such directory", sub->path);
	return rc;
}

/*
 * The certificate the device presents: the one installed for its fqdn if
 * there is one, else the self-signed one.
 */
int
certdir_active(const struct ss_conf *c, char *name, size_t len)
{
	char		 path[PATH_MAX];
	const char	*fqdn = c->fqdn;
	int		 rc;

	if ((rc = certdir_path(path, sizeof(path), c, fqdn,
	    "fullchain.pem")) != 0)
		return rc;
	if (snprintf(name, len, "%s", access(path, F_OK) == 0 ? fqdn :
	    CERTDIR_SELF) >= (int)len)
		return EX_SOFTWARE;
	return 0;
}

/*
 * FILE of NAME is safe to read by its path: DIR and DIR/NAME are real
 * directories of the effective user that nobody else may write, and FILE
 * is a regular file or a link to one in the same folder (as the versioned
 * installs make them).  Something missing is left for the reader to
 * report; anything else is refused with its path.
 */
static int
check_file(const struct ss_conf *c, const char *name, const char *file)
{
	struct fs_dir	 root, sub;
	struct stat	 st;
	char		 target[NAME_MAX + 1];
	ssize_t		 n;
	int		 rc;

	root.fd = sub.fd = -1;
	if ((rc = fs_dir_root(&root, c->certs.dir, "[certs] dir", 0)) != 0 ||
	    (rc = fs_dir_sub(&sub, &root, name, 0)) != 0)
		goto out;
	if (fstatat(sub.fd, file, &st, AT_SYMLINK_NOFOLLOW) == -1)
		goto out;
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(sub.fd, file, target, sizeof(target) - 1);
		if (n <= 0 || (size_t)n >= sizeof(target) - 1 ||
		    memchr(target, '/', (size_t)n) != NULL) {
			if (n > 0)
				target[n] = '\0';
			log_err("%s/%s: points at %s, not at a file of this "
			    "folder; remove it", sub.path, file,
			    n > 0 ? target : "?");
			rc = EX_DATAERR;
			goto out;
		}
		target[n] = '\0';
		if (fstatat(sub.fd, target, &st, AT_SYMLINK_NOFOLLOW) == -1)
			goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		log_err("%s/%s: not a regular file; remove it", sub.path, file);
		rc = EX_DATAERR;
	}
out:
	fs_dir_close(&sub);
	fs_dir_close(&root);
	return rc == EX_NOINPUT ? 0 : rc;
}

int
certdir_file(const struct ss_conf *c, const char *name, const char *file,
    char *buf, size_t len)
{
	int	rc;

	if ((rc = certdir_path(buf, len, c, name, file)) != 0)
		return rc;
	return check_file(c, name, file);
}

int
certdir_cert_file(const struct ss_conf *c, const char *name, char *buf,
    size_t len)
{
	return certdir_file(c, name, strcmp(name, CERTDIR_SELF) == 0 ?
	    "server.crt" : "fullchain.pem", buf, len);
}

int
certdir_key_file(const struct ss_conf *c, const char *name, char *buf,
    size_t len)
{
	return certdir_file(c, name, strcmp(name, CERTDIR_SELF) == 0 ?
	    "server.key" : "privkey.pem", buf, len);
}

int
certdir_active_file(const struct ss_conf *c, char *name, size_t namelen,
    char *path, size_t pathlen)
{
	int	rc;

	if ((rc = certdir_active(c, name, namelen)) != 0 ||
	    (rc = certdir_cert_file(c, name, path, pathlen)) != 0)
		return rc;
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		log_err("no certificate in %s yet; make one with "
		    "'ss-cert selfsigned'", c->certs.dir);
		return EX_NOINPUT;
	}
	return 0;
}
