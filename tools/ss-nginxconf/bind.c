/*
 * bind: the automation server listens on loopback only, so that nothing
 * reaches it but through the proxy.  Its defaults file belongs to the
 * package and the owner as much as to us: only the values that must
 * change are touched and every other byte stays as it was.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "audit.h"
#include "extern.h"
#include "fs.h"
#include "log.h"
#include "openhab.h"

#define BIND_SYNOPSIS	"bind [--dry-run] [--json]"
#define NSETTINGS	3	/* address, HTTP port, HTTPS port */

/* A variable bind sets. */
struct setting {
	const char	*name;
	char		 value[64];
	int		 seen;
};

int
bind_address(const struct ss_conf *c, char **addr)
{
	struct openhab_defaults	d;
	int			rc;

	*addr = NULL;
	if ((rc = openhab_load(c->openhab.defaults_file, &d)) != 0)
		return rc;
	rc = openhab_get(&d, OPENHAB_ADDRESS_VAR, addr);
	openhab_free(&d);
	return rc;
}

/* What [openhab] asks for; ports only when set, else left to openHAB. */
static size_t
settings(const struct ss_conf *c, struct setting *set)
{
	size_t	n = 0;
	long	port;

	memset(set, 0, NSETTINGS * sizeof(*set));
	set[n].name = OPENHAB_ADDRESS_VAR;
	snprintf(set[n++].value, sizeof(set->value), "%s",
	    c->openhab.http_address);
	if ((port = c->openhab.http_port) != 0) {
		set[n].name = OPENHAB_HTTP_VAR;
		snprintf(set[n++].value, sizeof(set->value), "%ld", port);
	}
	if ((port = c->openhab.https_port) != 0) {
		set[n].name = OPENHAB_HTTPS_VAR;
		snprintf(set[n++].value, sizeof(set->value), "%ld", port);
	}
	return n;
}

/*
 * The file with SET applied into T: each assignment of a name in SET
 * gets the new value in the old one's quotes, names the file lacks are
 * appended.  Returns how many values changed.
 */
static int
rewrite(const char *path, const struct openhab_defaults *d,
    struct setting *set, size_t nset, struct text *t)
{
	const struct openhab_assign	*a;
	const char			*pos = d->buf;
	char				*old;
	size_t				 i, j;
	int				 changed = 0;

	for (i = 0; i < d->n; i++) {
		a = &d->v[i];
		for (j = 0; j < nset && !openhab_name_is(a, set[j].name); j++)
			continue;
		if (j == nset)
			continue;
		set[j].seen = 1;
		if ((old = openhab_unquote(a->val, a->vallen)) == NULL) {
			t->failed = 1;
			return 0;
		}
		if (strcmp(old, set[j].value) != 0) {
			log_info("%s: %s=%s (was '%s')", path, set[j].name,
			    set[j].value, old);
			text_add(t, "%.*s", (int)(a->val - pos), pos);
			if (a->val[0] == '"' || a->val[0] == '\'')
				text_add(t, "%c%s%c", a->val[0], set[j].value,
				    a->val[0]);
			else
				text_add(t, "%s", set[j].value);
			pos = a->val + a->vallen;
			changed++;
		}
		free(old);
	}
	text_add(t, "%.*s", (int)(d->buf + d->len - pos), pos);
	for (j = 0; j < nset; j++) {
		if (set[j].seen)
			continue;
		if (t->len > 0 && t->buf[t->len - 1] != '\n')
			text_add(t, "\n");
		log_info("%s: %s=%s, added", path, set[j].name, set[j].value);
		text_add(t, "%s=%s\n", set[j].name, set[j].value);
		changed++;
	}
	return changed;
}

/*
 * Replaces PATH, keeping the mode and owner ST had: set on the new file's
 * descriptor before the rename, never on the name after it.
 */
static int
replace(const char *path, const struct stat *st, const struct text *t)
{
	return fs_write_owned(path, t->buf, t->len, st->st_mode & 07777,
	    st->st_uid, st->st_gid);
}

int
cmd_bind(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "dry-run",	no_argument,	NULL, 'n' },
		{ "json",	no_argument,	NULL, 'j' },
		{ NULL,		0,		NULL, 0 }
	};
	struct openhab_defaults	 d;
	struct result		 r;
	struct setting		 set[NSETTINGS];
	struct stat		 st;
	struct text		 t;
	const char		*path;
	size_t			 nset;
	int			 ch, rc, json = 0;

	while ((ch = getopt_long(argc, argv, "n", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			e->dry_run = 1;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return tool_usage(BIND_SYNOPSIS);
		}
	}
	if (optind != argc)
		return tool_usage(BIND_SYNOPSIS);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	path = e->conf->openhab.defaults_file;
	if (stat(path, &st) == -1) {
		if (errno == ENOENT)
			log_err("%s: no such file; is the automation server "
			    "installed?", path);
		else
			log_err("%s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	if ((rc = openhab_load(path, &d)) != 0)
		return rc;
	memset(&t, 0, sizeof(t));
	result_init(&r);
	nset = settings(e->conf, set);
	r.changed = rewrite(path, &d, set, nset, &t) > 0;
	if (t.failed) {
		log_err("out of memory");
		rc = EX_OSERR;
		goto out;
	}
	r.path = path;
	r.before = d.buf;
	r.beforelen = d.len;
	r.after = r.changed ? t.buf : d.buf;
	r.afterlen = r.changed ? t.len : d.len;
	r.action = r.changed ? "written" : "unchanged";
	if (!r.changed)
		log_info("%s: nothing to change", path);
	else if (e->dry_run)
		log_info("%s: would be written", path);
	else if ((rc = replace(path, &st, &t)) == 0) {
		audit_notice("openhab configuration written", "file",
		    path, "http_address", set[0].value);
		log_info("%s: written; restart the automation server "
		    "(systemctl restart openhab) so that it listens on %s",
		    path, set[0].value);
	}
	if (rc == 0)
		rc = report(&r, e->dry_run, json, "http_address", set[0].value);
out:
	result_free(&r);
	text_free(&t);
	openhab_free(&d);
	return rc;
}
