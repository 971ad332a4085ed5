/*
 * A configuration file goes live only when nginx accepts it: written in
 * place, tested with the whole configuration, reloaded; on any failure
 * the previous file comes back byte for byte.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "audit.h"
#include "extern.h"
#include "fs.h"
#include "log.h"
#include "run.h"

#define CONF_MAX	(1024 * 1024)
#define LOCK_WAIT	30	/* seconds to wait for another run */
#define NGINX_TIMEOUT	60	/* seconds for test_command, reload_command */

/*
 * nginx reads its own syntax in a bare word (';', braces, quotes, '#'
 * comments, '$' variables, '\' escapes, blanks between words), so a value
 * holding one could add directives of its own.  Such values are refused,
 * not quoted: none of them has a legitimate use in a path, a URL or a
 * host name here.
 */
int
nginx_word(const struct ss_conf *c, const char *section, const char *key,
    const char *v)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p <= ' ' || *p == 0x7f) {
			log_err("%s: [%s] %s: a blank or control character "
			    "cannot go into the nginx configuration",
			    c->file, section, key);
			return EX_CONFIG;
		}
		if (strchr(";{}\"'#$\\", *p) != NULL) {
			log_err("%s: [%s] %s: '%c' cannot go into the nginx "
			    "configuration", c->file, section, key, *p);
			return EX_CONFIG;
		}
	}
	return 0;
}

int
nginx_test_reload(const struct ss_conf *c)
{
	int	rc;

	if ((rc = run_command("nginx test", c->nginx.test_command, NULL, NULL,
	    NGINX_TIMEOUT)) != 0)
		return EX_DATAERR;
	if ((rc = run_command("nginx reload", c->nginx.reload_command, NULL,
	    NULL, NGINX_TIMEOUT)) != 0)
		return rc;
	return 0;
}

/*
 * Puts OLD (or nothing, when there was no file) back at PATH, which nginx
 * refused for WHY ("test-failed", "reload-failed").
 */
static void
restore(const char *path, const char *old, size_t oldlen, int had,
    mode_t mode, const char *why)
{
	if (had ? fs_write_atomic(path, old, oldlen, mode) != 0 :
	    (unlink(path) == -1 && errno != ENOENT)) {
		log_err("%s: the previous version could not be put back",
		    path);
		audit_warning("nginx configuration rollback failed",
		    "file", path, "reason", why);
	} else {
		log_err("%s: previous version put back", path);
		audit_warning("nginx configuration rolled back",
		    "file", path, "reason", why);
	}
}

int
nginx_apply(const struct ss_conf *c, const char *path, const char *text,
    size_t len, int dry_run)
{
	struct stat	 st;
	struct fs_dir	 state;
	char		*old = NULL;
	size_t		 oldlen = 0;
	mode_t		 mode = 0644;
	int		 rc, had, lockfd = -1;

	if (dry_run) {
		fwrite(text, 1, len, stdout);
		return ferror(stdout) ? EX_IOERR : 0;
	}
	/* Two runs must not interleave their writes, tests and rollbacks. */
	if ((rc = fs_dir_root(&state, c->device.state_dir,
	    "[device] state_dir", 0700)) != 0)
		return rc;
	rc = fs_lock_at(&state, "nginxconf.lock", LOCK_WAIT, &lockfd);
	fs_dir_close(&state);
	if (rc != 0)
		return rc;
	had = access(path, F_OK) == 0;
	if (had && ((rc = fs_read_file(path, CONF_MAX, &old, &oldlen)) != 0))
		goto out;
	if (had && stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	if (had && oldlen == len && memcmp(old, text, len) == 0) {
		log_info("%s: unchanged", path);
		rc = 0;
		goto out;
	}
	if ((rc = fs_write_atomic(path, text, len, mode)) != 0)
		goto out;
	if ((rc = run_command("nginx test", c->nginx.test_command, NULL, NULL,
	    NGINX_TIMEOUT)) != 0) {
		log_err("%s: nginx refuses the configuration with it",
		    path);
		restore(path, old, oldlen, had, mode, "test-failed");
		rc = EX_DATAERR;
		goto out;
	}
	if ((rc = run_command("nginx reload", c->nginx.reload_command, NULL,
	    NULL, NGINX_TIMEOUT)) != 0) {
		restore(path, old, oldlen, had, mode, "reload-failed");
		goto out;
	}
	audit_notice("nginx configuration written", "file", path);
	log_info("%s: written, nginx reloaded", path);
out:
	free(old);
	if (lockfd != -1)
		fs_unlock(lockfd);
	return rc;
}
