/*
 * certdir: where each certificate lives under [certs] dir, for every tool
 * that reads or writes them.
 */
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
	struct fs_dir	root;
	int		rc;

	sub->fd = -1;
	if ((rc = certdir_open(c, &root)) != 0)
		return rc;
	if ((rc = fs_dir_sub(sub, &root, name, create ? 0755 : 0)) ==
	    EX_NOINPUT)
		log_err("%s: no such directory", sub->path);
	fs_dir_close(&root);
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

int
certdir_cert_file(const struct ss_conf *c, const char *name, char *buf,
    size_t len)
{
	return certdir_path(buf, len, c, name, strcmp(name, CERTDIR_SELF) == 0 ?
	    "server.crt" : "fullchain.pem");
}

int
certdir_key_file(const struct ss_conf *c, const char *name, char *buf,
    size_t len)
{
	return certdir_path(buf, len, c, name, strcmp(name, CERTDIR_SELF) == 0 ?
	    "server.key" : "privkey.pem");
}

