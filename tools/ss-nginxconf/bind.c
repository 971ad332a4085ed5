/*
 * bind: the automation server listens on loopback only, so that nothing
 * reaches it but through the proxy.  Its defaults file belongs to the
 * package and the owner as much as to us: only the values that must
 * change are touched and every other byte stays as it was.
 */
#include <sys/stat.h>

#include <ctype.h>
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

#define BIND_SYNOPSIS	"bind [--dry-run] [--json]"
#define DEFAULTS_MAX	(256 * 1024)
#define ADDRESS_VAR	"OPENHAB_HTTP_ADDRESS"
#define NSETTINGS	3	/* address, HTTP port, HTTPS port */

/* One NAME=VALUE line, pointing into the file's buffer. */
struct assign {
	const char	*name;
	size_t		 namelen;
	const char	*val;		/* as written, quotes included */
	size_t		 vallen;
};

struct defaults {
	char		*buf;
	size_t		 len;
	struct assign	*v;		/* in file order */
	size_t		 n;
};

/* A variable bind sets. */
struct setting {
	const char	*name;
	char		 value[64];
	int		 seen;
};

static int
is_name_start(int ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    ch == '_';
}

static int
is_name_char(int ch)
{
	return is_name_start(ch) || (ch >= '0' && ch <= '9');
}

/*
 * End of the shell word that starts at P: a quoted string, or characters
 * up to a blank ('\' escaping the next one).  NULL when a quote is left
 * open or a bare operator or command substitution makes the line more
 * than an assignment.
 */
static const char *
word_end(const char *p, const char *end)
{
	char	q;

	if (p < end && (*p == '"' || *p == '\'')) {
		q = *p++;
		for (; p < end; p++) {
			if (*p == q)
				return p + 1;
			if (q == '"' && *p == '\\' && p + 1 < end)
				p++;
		}
		return NULL;
	}
	for (; p < end && !isblank((unsigned char)*p); p++) {
		if (strchr(";&|<>()`", *p) != NULL)
			return NULL;
		if (*p == '\\' && p + 1 < end)
			p++;
	}
	return p;
}

/*
 * One line without its newline: 1 and A filled for [export ]NAME=VALUE
 * (a comment may follow after blanks), 0 for a blank line or a comment,
 * -1 for anything else.  A NUL byte is refused too: nothing that holds
 * one could be written back whole.
 */
static int
parse_line(const char *p, size_t n, struct assign *a)
{
	const char	*end = p + n, *w;

	if (memchr(p, '\0', n) != NULL)
		return -1;
	while (p < end && isblank((unsigned char)*p))
		p++;
	if (p == end || *p == '#')
		return 0;
	if (end - p > 6 && strncmp(p, "export", 6) == 0 &&
	    isblank((unsigned char)p[6]))
		for (p += 6; p < end && isblank((unsigned char)*p); p++)
			continue;
	if (p == end || !is_name_start((unsigned char)*p))
		return -1;
	a->name = p;
	while (p < end && is_name_char((unsigned char)*p))
		p++;
	a->namelen = (size_t)(p - a->name);
	if (p == end || *p != '=')
		return -1;
	a->val = ++p;
	if ((w = word_end(p, end)) == NULL)
		return -1;
	a->vallen = (size_t)(w - p);
	for (p = w; p < end && isblank((unsigned char)*p); p++)
		continue;
	if (p < end && (p == w || *p != '#'))
		return -1;
	return 1;
}

static void
defaults_free(struct defaults *d)
{
	free(d->buf);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static int
defaults_load(const char *path, struct defaults *d)
{
	struct assign	 a, *nv;
	const char	*p, *nl, *end;
	int		 line = 0, r, rc;

	memset(d, 0, sizeof(*d));
	if ((rc = fs_read_file(path, DEFAULTS_MAX, &d->buf, &d->len)) != 0)
		return rc;
	end = d->buf + d->len;
	for (p = d->buf; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((r = parse_line(p, (size_t)(nl - p), &a)) == -1) {
			log_err("%s:%d: not a NAME=value line", path, line);
			rc = EX_DATAERR;
			goto out;
		}
		if (r == 0)
			continue;
		if ((nv = reallocarray(d->v, d->n + 1, sizeof(*nv))) == NULL) {
			log_err("%s: %s", path, strerror(errno));
			rc = EX_OSERR;
			goto out;
		}
		d->v = nv;
		d->v[d->n++] = a;
	}
out:
	if (rc != 0)
		defaults_free(d);
	return rc;
}

static int
name_is(const struct assign *a, const char *name)
{
	return strlen(name) == a->namelen &&
	    strncmp(a->name, name, a->namelen) == 0;
}

/*
 * The string the shell assigns for a value as written: quotes removed,
 * backslash escapes resolved.  NULL when out of memory (logged).
 */
static char *
unquote(const char *v, size_t n)
{
	char	*s, *o, q = '\0';
	size_t	 i;

	if ((s = o = malloc(n + 1)) == NULL) {
		log_err("out of memory");
		return NULL;
	}
	if (n > 0 && (v[0] == '"' || v[0] == '\'')) {
		q = v[0];
		v++;
		n -= 2;
	}
	for (i = 0; i < n; i++) {
		if (v[i] == '\\' && i + 1 < n && (q == '\0' ||
		    (q == '"' && strchr("$`\"\\", v[i + 1]) != NULL)))
			i++;
		*o++ = v[i];
	}
	*o = '\0';
	return s;
}

int
bind_address(const struct ss_conf *c, char **addr)
{
	struct defaults	 d;
	size_t		 i;
	int		 rc;

	*addr = NULL;
	if ((rc = defaults_load(c->openhab.defaults_file,
	    &d)) != 0)
		return rc;
	/* The shell keeps the last assignment. */
	for (i = d.n; i > 0; i--)
		if (name_is(&d.v[i - 1], ADDRESS_VAR))
			break;
	if (i > 0 && (*addr = unquote(d.v[i - 1].val,
	    d.v[i - 1].vallen)) == NULL)
		rc = EX_OSERR;
	defaults_free(&d);
	return rc;
}

/* What [openhab] asks for; ports only when set, else left to openHAB. */
static size_t
settings(const struct ss_conf *c, struct setting *set)
{
	size_t	n = 0;
	long	port;

	memset(set, 0, NSETTINGS * sizeof(*set));
	set[n].name = ADDRESS_VAR;
	snprintf(set[n++].value, sizeof(set->value), "%s",
	    c->openhab.http_address);
	if ((port = c->openhab.http_port) != 0) {
		set[n].name = "OPENHAB_HTTP_PORT";
		snprintf(set[n++].value, sizeof(set->value), "%ld", port);
	}
	if ((port = c->openhab.https_port) != 0) {
		set[n].name = "OPENHAB_HTTPS_PORT";
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
rewrite(const char *path, const struct defaults *d, struct setting *set,
    size_t nset, struct text *t)
{
	const struct assign	*a;
	const char		*pos = d->buf;
	char			*old;
	size_t			 i, j;
	int			 changed = 0;

	for (i = 0; i < d->n; i++) {
		a = &d->v[i];
		for (j = 0; j < nset && !name_is(a, set[j].name); j++)
			continue;
		if (j == nset)
			continue;
		set[j].seen = 1;
		if ((old = unquote(a->val, a->vallen)) == NULL) {
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
	struct defaults	 d;
	struct result	 r;
	struct setting	 set[NSETTINGS];
	struct stat	 st;
	struct text	 t;
	const char	*path;
	size_t		 nset;
	int		 ch, rc, json = 0;

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
	if ((rc = defaults_load(path, &d)) != 0)
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
	defaults_free(&d);
	return rc;
}
