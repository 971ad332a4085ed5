/*
 * htpasswd: NAME:HASH lines in [passwd] htpasswd_file, which nginx checks
 * through crypt(3) for the reverse proxy's basic authentication.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "audit.h"
#include "extern.h"

#define NGINX_GROUP	"www-data"
#include "fs.h"
#include "log.h"
#include "prompt.h"
#include "secret.h"

#define SYNOPSIS "htpasswd name [--password-fd n] [--json]"

/*
 * OLD with NAME's line replaced by LINE (or LINE added at the end) into a
 * new buffer; every other line is kept byte for byte.  Blank lines and
 * '#' comments are lines nginx skips; anything else without a ':' is not
 * an entry and stops the change.  A second line for NAME is an entry
 * nobody checks, holding an old password: it goes.
 */
static int
replace_entry(const char *path, const char *old, size_t len,
    const char *name, const char *line, char **out, size_t *outlen)
{
	const char	*p, *nl, *end = old + len;
	char		*buf;
	size_t		 n, namelen = strlen(name), linelen = strlen(line);
	size_t		 lineno = 0, pos = 0;
	int		 done = 0;

	*out = NULL;
	if ((buf = malloc(len + linelen + 2)) == NULL) {
		log_err("%s: %s", path, strerror(errno));
		return EX_OSERR;
	}
	for (p = old; p < end; p = nl) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl == NULL ? end : nl + 1;
		n = (size_t)(nl - p);
		if (*p != '\n' && *p != '#' && memchr(p, ':', n) == NULL) {
			log_err("%s:%zu: not NAME:HASH", path, lineno);
			free(buf);
			return EX_DATAERR;
		}
		if (n > namelen && memcmp(p, name, namelen) == 0 &&
		    p[namelen] == ':') {
			if (!done) {
				memcpy(buf + pos, line, linelen);
				pos += linelen;
			}
			done = 1;
			continue;
		}
		memcpy(buf + pos, p, n);
		pos += n;
	}
	if (!done) {
		if (pos > 0 && buf[pos - 1] != '\n')
			buf[pos++] = '\n';
		memcpy(buf + pos, line, linelen);
		pos += linelen;
	}
	*out = buf;
	*outlen = pos;
	return 0;
}

/*
 * NAME's first entry in OLD (LEN bytes), "NAME:HASH\n", into LINE when
 * its hash is that of PW: setting the same password again then writes
 * the line that is there, not one with a new salt.
 */
static void
same_entry(const char *old, size_t len, const char *name, const char *pw,
    char *line, size_t linelen)
{
	const char	*p, *nl, *end = old + len;
	char		 hash[PW_HASH_MAX];
	size_t		 n, namelen = strlen(name);

	for (p = old; p < end; p = nl) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl == NULL ? end : nl + 1;
		if ((size_t)(nl - p) <= namelen ||
		    memcmp(p, name, namelen) != 0 || p[namelen] != ':')
			continue;
		n = (size_t)(nl - p) - namelen - 1;
		if (n > 0 && p[namelen + 1 + n - 1] == '\n')
			n--;
		if (n >= sizeof(hash))
			break;
		memcpy(hash, p + namelen + 1, n);
		hash[n] = '\0';
		if (pwhash_verify_crypt(hash, pw) == 1)
			snprintf(line, linelen, "%s:%s\n", name, hash);
		break;
	}
	secret_zero(hash, sizeof(hash));
}

/*
 * nginx's workers read the file as www-data (Debian's nginx user); a new
 * file is theirs to read by group, never to write.
 */
static void
give_to_nginx(const char *path)
{
	struct group	*gr;

	if ((gr = getgrnam(NGINX_GROUP)) == NULL)
		log_warn("%s: no group %s: give the file to the group nginx runs "
		    "as (chgrp) so that it can read it", path, NGINX_GROUP);
	else if (chown(path, 0, gr->gr_gid) == -1)
		log_warn("%s: chgrp %s: %s", path, NGINX_GROUP,
		    strerror(errno));
}

int
cmd_htpasswd(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "password-fd",	required_argument,	NULL, 'p' },
		{ "json",		no_argument,		NULL, 'j' },
		{ NULL,			0,			NULL, 0 }
	};
	struct result	 r = { 0, "changed", { NULL }, 0, NULL, NULL };
	const char	*path, *name;
	struct stat	 st;
	char		 pw[PW_MAX + 1], hash[PW_HASH_MAX];
	char		 line[USER_NAME_MAX + PW_HASH_MAX + 3];
	char		*old = NULL, *buf = NULL;
	size_t		 len = 0, buflen;
	int		 ch, fd = -1, lock = -1, created, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if ((rc = prompt_fd_option(optarg, &fd)) != 0)
				return rc;
			break;
		case 'j':
			r.json = 1;
			break;
		default:
			return tool_usage(SYNOPSIS);
		}
	}
	if (argc - optind != 1)
		return tool_usage(SYNOPSIS);
	name = argv[optind];
	r.user = name;
	if (!users_name_ok(name)) {
		log_err("bad user name '%s': a-z, 0-9, '_', '.', '-', at most "
		    "%d, not starting with a digit, '.' or '-'", name,
		    USER_NAME_MAX);
		return EX_DATAERR;
	}
	if ((rc = tool_conf(e)) != 0)
		return rc;
	path = e->conf->passwd.htpasswd_file;
	/* Asked and hashed before the lock: a person typing holds nothing. */
	if ((rc = password_ask_new(name, e->conf, fd, pw, sizeof(pw))) != 0)
		return rc;
	if ((rc = pwhash_crypt(pw, hash, sizeof(hash))) != 0)
		goto out;
	snprintf(line, sizeof(line), "%s:%s\n", name, hash);
	if ((rc = lock_pwd(e->conf, &lock)) != 0)
		goto out;
	created = lstat(path, &st) == -1 && errno == ENOENT;
	if (!created &&
	    (rc = fs_read_file(path, FS_MAX_READ, &old, &len)) != 0)
		goto out;
	if (!created)
		same_entry(old, len, name, pw, line, sizeof(line));
	if ((rc = replace_entry(path, old, len, name, line, &buf,
	    &buflen)) != 0)
		goto out;
	if (!created && buflen == len && memcmp(buf, old, len) == 0)
		log_info("%s already has the password given in %s: unchanged",
		    name, path);
	else if (e->dry_run) {
		log_info("would set %s in %s", name, path);
		result_path(&r, path);
	} else if ((rc = created ? fs_write_atomic(path, buf, buflen, 0640) :
	    fs_replace_keep(path, buf, buflen)) == 0) {
		result_path(&r, path);
		audit_notice("password changed", "account", name,
		    "kind", "htpasswd", "file", path);
		log_info("%s set in %s", name, path);
		if (created)
			give_to_nginx(path);
	}
out:
	fs_unlock(lock);
	free(old);
	free(buf);
	secret_zero(pw, sizeof(pw));
	secret_zero(line, sizeof(line));
	secret_zero(hash, sizeof(hash));
	return rc != 0 ? rc : result_print(e, &r);
}
