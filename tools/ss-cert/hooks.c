/*
 * Hooks around ACME orders, as certbot has them: pre before the first
 * order of a run, deploy after each certificate installed, post after the
 * last order.  Each phase runs its key's command ([acme] pre_hook,
 * deploy_hook, post_hook), then every executable of hooks_dir/PHASE/ in
 * name order, with run-parts' rules for what is skipped.
 */
#define _GNU_SOURCE		/* asprintf */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "extern.h"
#include "log.h"
#include "run.h"

#define HOOK_TIMEOUT	300	/* seconds for one hook */
#define MAX_HOOKS	256	/* files of one phase's directory */

enum { PRE, DEPLOY, POST };
static const char *const phases[] = { "pre", "deploy", "post" };

void
hooks_init(struct hooks *h, const struct ss_conf *c, int enabled,
    const char *deploy_cmd)
{
	memset(h, 0, sizeof(*h));
	h->conf = c;
	h->enabled = enabled;
	h->deploy_cmd = deploy_cmd != NULL ? deploy_cmd : c->acme.deploy_hook;
}

/* run-parts(8): backups, package leftovers and hidden files stay put. */
static int
hook_name_ok(const char *n)
{
	size_t	l = strlen(n);

	return n[0] != '.' && l > 0 && n[l - 1] != '~' &&
	    strstr(n, ".dpkg-") == NULL;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Whether NAME in DFD is to be run: 1 for an executable regular file (or
 * a link to one), 0 for what run-parts skips, -1 (logged) for a hook that
 * someone other than root could have changed: owned by another user, or
 * writable by group or others.  Hooks run as root.
 */
static int
hook_runnable(int dfd, const char *dir, const char *name)
{
	struct stat	st;

	if (fstatat(dfd, name, &st, 0) == -1)
		return 0;
	if (!S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0) {
		log_debug("%s/%s: not an executable file; skipped", dir, name);
		return 0;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		log_err("%s/%s: owned by uid %lu, not root; not run (chown "
		    "root)", dir, name, (unsigned long)st.st_uid);
		return -1;
	}
	if ((st.st_mode & 022) != 0) {
		log_err("%s/%s: writable by group or others; not run "
		    "(chmod go-w)", dir, name);
		return -1;
	}
	return 1;
}

/* The sorted names to run in hooks_dir/PHASE; none when it is missing. */
static int
hook_files(const char *dir, char ***out, size_t *count)
{
	struct dirent	*de;
	DIR		*d;
	char		**v = NULL, **nv;
	size_t		 n = 0, i;
	int		 rc = 0, ok;

	*out = NULL;
	*count = 0;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		log_err("%s: %s", dir, strerror(errno));
		return EX_IOERR;
	}
	while ((de = readdir(d)) != NULL) {
		if (!hook_name_ok(de->d_name))
			continue;
		if ((ok = hook_runnable(dirfd(d), dir, de->d_name)) == 0)
			continue;
		if (ok == -1) {
			rc = EX_CONFIG;
			break;
		}
		if (n == MAX_HOOKS) {
			log_err("%s: more than %d hooks", dir, MAX_HOOKS);
			rc = EX_CONFIG;
			break;
		}
		if ((nv = reallocarray(v, n + 1, sizeof(*v))) == NULL ||
		    (nv[n] = strdup(de->d_name)) == NULL) {
			if (nv != NULL)
				v = nv;
			rc = EX_OSERR;
			break;
		}
		v = nv;
		n++;
	}
	closedir(d);
	if (rc != 0) {
		for (i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return rc;
	}
	qsort(v, n, sizeof(*v), by_name);
	*out = v;
	*count = n;
	return 0;
}

/* PATH as one word for /bin/sh. */
static char *
hook_quote(const char *path)
{
	const char	*p;
	char		*q, *o;

	if (strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/._-+,:=@%") == strlen(path))
		return strdup(path);
	if ((q = malloc(strlen(path) * 4 + 3)) == NULL)
		return NULL;
	o = q;
	*o++ = '\'';
	for (p = path; *p != '\0'; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else
			*o++ = *p;
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}

/*
 * PHASE's key command CMD, then its directory's files.  A failing pre
 * hook stops the rest; deploy and post hooks all run.  The first failure
 * is returned, WHY naming its hook.
 */
static int
hooks_phase(const struct ss_conf *c, int phase, const char *cmd,
    char *const *env, char *why, size_t len)
{
	char		  dir[PATH_MAX], what[PATH_MAX + 16], key[32];
	char		**files = NULL, *q;
	size_t		  n = 0, i;
	int		  rc = 0, hrc;

	snprintf(key, sizeof(key), "%s_hook", phases[phase]);
	if (*cmd != '\0') {
		log_info("running %s", key);
		if ((rc = run_command(key, cmd, NULL, env, HOOK_TIMEOUT)) !=
		    0) {
			snprintf(why, len, "%s '%s' failed", key, cmd);
			if (phase == PRE)
				return rc;
		}
	}
	if (*c->acme.hooks_dir == '\0')
		return rc;
	if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", c->acme.hooks_dir,
	    phases[phase]) >= sizeof(dir)) {
		log_err("%s: path too long", c->acme.hooks_dir);
		return EX_CONFIG;
	}
	if ((hrc = hook_files(dir, &files, &n)) != 0) {
		snprintf(why, len, "%s cannot be used", dir);
		return rc != 0 ? rc : hrc;
	}
	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "%s/%s", dir, files[i]);
		if (rc != 0 && phase == PRE)
			break;
		if ((q = hook_quote(what)) == NULL) {
			hrc = EX_OSERR;
		} else {
			log_info("running %s hook %s", phases[phase], what);
			hrc = run_command(what, q, NULL, env, HOOK_TIMEOUT);
			free(q);
		}
		if (hrc != 0 && rc == 0) {
			snprintf(why, len, "%s hook %s failed", phases[phase],
			    what);
			rc = hrc;
		}
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return rc;
}

int
hooks_pre(struct hooks *h, char *why, size_t len)
{
	if (!h->pre_done) {
		h->pre_done = 1;
		if (h->enabled)
			h->pre_rc = hooks_phase(h->conf, PRE,
			    h->conf->acme.pre_hook, NULL, h->pre_why,
			    sizeof(h->pre_why));
	}
	if (h->pre_rc != 0)
		snprintf(why, len, "%s", h->pre_why);
	return h->pre_rc;
}

int
hooks_deploy(struct hooks *h, const char *name, char *const *domains,
    char *why, size_t len)
{
	char		*env[4] = { NULL, NULL, NULL, NULL }, *names = NULL, *p;
	char *const	*d;
	int		 rc = EX_OSERR;

	if (!h->enabled)
		return 0;
	for (d = domains; *d != NULL; d++) {
		p = names;
		if (asprintf(&names, "%s%s%s", p != NULL ? p : "",
		    p != NULL ? " " : "", *d) == -1)
			names = NULL;
		free(p);
		if (names == NULL)
			goto out;
	}
	if (asprintf(&env[0], "RENEWED_DOMAINS=%s", names) == -1)
		env[0] = NULL;
	else if (asprintf(&env[1], "RENEWED_LINEAGE=%s/%s",
	    h->conf->certs.dir, name) == -1)
		env[1] = NULL;
	else if (asprintf(&env[2], "RENEWED_NAMES=%s", name) == -1)
		env[2] = NULL;
	if (env[2] == NULL) {
		log_err("out of memory");
		goto out;
	}
	rc = hooks_phase(h->conf, DEPLOY, h->deploy_cmd, env, why, len);
out:
	free(env[0]);
	free(env[1]);
	free(env[2]);
	free(names);
	return rc;
}

int
hooks_post(struct hooks *h, char *why, size_t len)
{
	if (!h->pre_done || !h->enabled)
		return 0;
	return hooks_phase(h->conf, POST, h->conf->acme.post_hook, NULL, why,
	    len);
}
