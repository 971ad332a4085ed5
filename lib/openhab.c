/*
 * openhab: the defaults file read as the shell reads a file of plain
 * assignments.  Anything more (a command, a substitution, an open quote)
 * is refused rather than guessed at.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "fs.h"
#include "log.h"
#include "openhab.h"

#define DEFAULTS_MAX	(256 * 1024)

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
parse_line(const char *p, size_t n, struct openhab_assign *a)
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

void
openhab_free(struct openhab_defaults *d)
{
	free(d->buf);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

int
openhab_load(const char *path, struct openhab_defaults *d)
{
	struct openhab_assign	 a, *nv;
	const char		*p, *nl, *end;
	int			 line = 0, r, rc;

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
	if (rc != 0) {
		openhab_free(d);
		if (rc == EX_DATAERR)
			d->badline = line;
	}
	return rc;
}

int
openhab_name_is(const struct openhab_assign *a, const char *name)
{
	return strlen(name) == a->namelen &&
	    strncmp(a->name, name, a->namelen) == 0;
}

char *
openhab_unquote(const char *v, size_t n)
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
openhab_get(const struct openhab_defaults *d, const char *name,
    char **value)
{
	size_t	i;

	*value = NULL;
	/* The shell keeps the last assignment. */
	for (i = d->n; i > 0; i--)
		if (openhab_name_is(&d->v[i - 1], name))
			break;
	if (i > 0 && (*value = openhab_unquote(d->v[i - 1].val,
	    d->v[i - 1].vallen)) == NULL)
		return EX_OSERR;
	return 0;
}

int
openhab_port(const struct openhab_defaults *d, const char *path,
    const char *name, long def, long *port)
{
	char	*v, *end;
	long	 n;
	int	 rc;

	*port = def;
	if ((rc = openhab_get(d, name, &v)) != 0 || v == NULL)
		return rc;
	errno = 0;
	n = strtol(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 ||
	    n < 1 || n > 65535) {
		log_err("%s: %s='%s' is not a port (1 to 65535)", path, name,
		    v);
		rc = EX_DATAERR;
	} else
		*port = n;
	free(v);
	return rc;
}
