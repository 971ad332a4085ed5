/*
 * A configuration file goes live only when nginx accepts it: written in
 * place, tested with the whole configuration, reloaded when nginx runs;
 * on any failure the previous file comes back byte for byte.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
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
#define PID_MAX_TEXT	32	/* bytes of a pid file or of /proc/PID/comm */

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

/* Up to SIZE - 1 bytes of PATH, NUL-terminated; -1 when unreadable. */
static ssize_t
read_small(const char *path, char *buf, size_t size)
{
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/*
 * Whether nginx runs, as its pid file tells: nginx removes the file when
 * it stops, nginx -t leaves an empty one when nginx is not running, and
 * a file left behind by a crash names a process that is gone or, its
 * number taken again, is not nginx.  /proc may hide the process
 * (ProtectProc=), and then its existence is enough.  Anything unexpected
 * is NGINX_UNKNOWN, and nginx is reloaded as if it ran.
 */
static int
nginx_state(const struct ss_conf *c)
{
	const char	*path = c->nginx.pid_file;
	char		 text[PID_MAX_TEXT], comm[PATH_MAX], *end;
	ssize_t		 n;
	long		 pid;

	if (*path == '\0')
		return NGINX_UNKNOWN;
	if ((n = read_small(path, text, sizeof(text))) == -1) {
		if (errno == ENOENT) {
			log_debug("%s: no such file: nginx is not running",
			    path);
			return NGINX_STOPPED;
		}
		log_debug("%s: %s", path, strerror(errno));
		return NGINX_UNKNOWN;
	}
	if (n == 0) {
		log_debug("%s: empty: nginx is not running", path);
		return NGINX_STOPPED;
	}
	errno = 0;
	pid = strtol(text, &end, 10);
	if (errno != 0 || end == text || pid <= 0 || pid > INT_MAX ||
	    (*end != '\0' && strcmp(end, "\n") != 0)) {
		log_debug("%s: not a process id", path);
		return NGINX_UNKNOWN;
	}
	if (kill((pid_t)pid, 0) == -1 && errno == ESRCH) {
		log_debug("%s: process %ld is gone: nginx is not running",
		    path, pid);
		return NGINX_STOPPED;
	}
	snprintf(comm, sizeof(comm), "/proc/%ld/comm", pid);
	if (read_small(comm, text, sizeof(text)) > 0 &&
	    strncmp(text, "nginx", 5) != 0) {
		log_debug("%s: process %ld is not nginx: nginx is not running",
		    path, pid);
		return NGINX_STOPPED;
	}
	log_debug("%s: nginx runs as process %ld", path, pid);
	return NGINX_RUNNING;
}

/*
 * reload_command, unless nginx is not running: then it reads the files
 * when it starts.  R gets what was found and done.
 */
static int
reload(const struct ss_conf *c, struct result *r)
{
	int	rc;

	if ((r->nginx = nginx_state(c)) == NGINX_STOPPED)
		return 0;
	if ((rc = run_command("nginx reload", c->nginx.reload_command, NULL,
	    NULL, NGINX_TIMEOUT)) != 0)
		return rc;
	r->reloaded = 1;
	return 0;
}

int
nginx_test_reload(const struct ss_conf *c, int dry_run, struct result *r)
{
	int	rc;

	if (dry_run) {
		r->nginx = nginx_state(c);
		r->reloaded = r->changed = r->nginx != NGINX_STOPPED;
		r->action = r->reloaded ? "reloaded" : "tested";
		if (r->reloaded)
			log_info("would run '%s', then '%s'",
			    c->nginx.test_command, c->nginx.reload_command);
		else
			log_info("would run '%s' and not reload: nginx is not "
			    "running", c->nginx.test_command);
		return 0;
	}
	if (run_command("nginx test", c->nginx.test_command, NULL, NULL,
	    NGINX_TIMEOUT) != 0)
		return EX_DATAERR;
	if ((rc = reload(c, r)) != 0)
		return rc;
	r->changed = r->reloaded;
	r->action = r->reloaded ? "reloaded" : "tested";
	if (r->reloaded)
		log_info("configuration tested, nginx reloaded");
	else
		log_info("nginx is not running: configuration tested, not "
		    "reloaded; it takes effect when nginx starts");
	return 0;
}

/*
 * Puts OLD back at PATH, or removes PATH when there was no file before
 * (HAD 0), after nginx refused it for WHY ("test-failed",
 * "reload-failed").
 */
static void
restore(const char *path, const char *old, size_t oldlen, int had,
    mode_t mode, const char *why)
{
	if (had ? fs_write_atomic(path, old, oldlen, mode) != 0 :
	    (unlink(path) == -1 && errno != ENOENT)) {
		if (had)
			log_err("%s: the previous version could not be put "
			    "back", path);
		else
			log_err("%s: could not be removed: %s", path,
			    strerror(errno));
		audit_warning("nginx configuration rollback failed",
		    "file", path, "reason", why);
		return;
	}
	if (had)
		log_err("%s: previous version put back", path);
	else
		log_err("removed %s; there was no previous version", path);
	audit_warning("nginx configuration rolled back", "file", path,
	    "reason", why);
}

int
nginx_apply(const struct ss_conf *c, const char *path, const char *text,
    size_t len, int dry_run, struct result *r)
{
	struct stat	 st;
	struct fs_dir	 state;
	char		*old = NULL;
	size_t		 oldlen = 0;
	mode_t		 mode = 0644;
	int		 rc = 0, had, lockfd = -1;

	r->path = path;
	r->after = text;
	r->afterlen = len;
	/* Two runs must not interleave their writes, tests and rollbacks. */
	if (!dry_run) {
		if ((rc = fs_dir_root(&state, c->device.state_dir,
		    "[device] state_dir", 0700)) != 0)
			return rc;
		rc = fs_lock_at(&state, "nginxconf.lock", LOCK_WAIT, &lockfd);
		fs_dir_close(&state);
		if (rc != 0)
			return rc;
	}
	had = access(path, F_OK) == 0;
	if (had && ((rc = fs_read_file(path, CONF_MAX, &old, &oldlen)) != 0))
		goto out;
	if (had && stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	r->owned = old;
	r->before = old;
	r->beforelen = oldlen;
	if (had && oldlen == len && memcmp(old, text, len) == 0) {
		r->action = "unchanged";
		r->nginx = nginx_state(c);
		log_info("%s: unchanged", path);
		goto out;
	}
	r->action = "written";
	r->changed = 1;
	if (dry_run) {
		r->nginx = nginx_state(c);
		r->reloaded = r->nginx != NGINX_STOPPED;
		log_info("%s: would be written, tested and %s", path,
		    r->reloaded ? "nginx reloaded" :
		    "not reloaded, as nginx is not running");
		goto out;
	}
	if ((rc = fs_write_atomic(path, text, len, mode)) != 0)
		goto out;
	if (run_command("nginx test", c->nginx.test_command, NULL, NULL,
	    NGINX_TIMEOUT) != 0) {
		log_err("%s: nginx refuses the configuration with it",
		    path);
		restore(path, old, oldlen, had, mode, "test-failed");
		rc = EX_DATAERR;
		goto out;
	}
	if ((rc = reload(c, r)) != 0) {
		restore(path, old, oldlen, had, mode, "reload-failed");
		goto out;
	}
	audit_notice("nginx configuration written", "file", path);
	if (r->reloaded)
		log_info("%s: written, nginx reloaded", path);
	else
		log_info("nginx is not running: %s written and tested, not "
		    "reloaded; it takes effect when nginx starts", path);
out:
	if (rc != 0)
		r->changed = 0;
	if (lockfd != -1)
		fs_unlock(lockfd);
	return rc;
}
