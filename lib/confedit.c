/*
 * confedit: confedit_set(), one key of security.conf changed in place.
 *
 * The file is checked before and after the edit with the same checker
 * conf_load() uses, so an edit never writes a file the tools would refuse;
 * every other byte (comments, order, blank lines) stays as it was.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "confedit.h"
#include "confparse.h"
#include "fs.h"
#include "log.h"

#define CONF_LOCK_WAIT	10	/* seconds confedit_set waits for the lock */

/* Byte offset of line LINE (1-based) in BUF; LEN past the last line. */
static size_t
line_offset(const char *buf, size_t len, int line)
{
	const char	*p = buf, *nl;

	while (--line > 0) {
		if ((nl = memchr(p, '\n', len - (size_t)(p - buf))) == NULL)
			return len;
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

/*
 * Writes BUF with the value of the "key = value" line at LINE replaced by
 * VALUE to F.  The line's indentation, the text up to the value and an
 * inline comment stay as they are.
 */
static void
put_replaced(FILE *f, const char *buf, size_t len, int line,
    const char *value)
{
	size_t	ls, le, sep, c, vs, ve;
	int	was_blank = 0;

	ls = line_offset(buf, len, line);
	le = ls;
	while (le < len && buf[le] != '\n')
		le++;
	if (le > ls && buf[le - 1] == '\r')
		le--;
	sep = ls;
	while (sep < le && buf[sep] != '=' && buf[sep] != ':')
		sep++;
	/* inih's rule: ';' starts a comment only after a blank. */
	for (c = sep + 1; c < le && !(was_blank && buf[c] == ';'); c++)
		was_blank = isspace((unsigned char)buf[c]);
	vs = sep + 1;
	while (vs < c && isspace((unsigned char)buf[vs]))
		vs++;
	ve = c;
	while (ve > vs && isspace((unsigned char)buf[ve - 1]))
		ve--;
	fwrite(buf, 1, vs, f);
	if (vs == ve && vs == sep + 1)
		fputc(' ', f);
	fputs(value, f);
	/* An empty value right before the comment: keep a blank before ';'. */
	if (ve == c && c < le)
		fputc(' ', f);
	fwrite(buf + ve, 1, len - ve, f);
}

/* The file's text with SECTION.KEY = VALUE set; *NEW is malloc'ed. */
static int
edit(const char *buf, size_t len, const struct conf_value *val, int i,
    int track_line, const char *value, char **new, size_t *newlen)
{
	FILE	*f;
	size_t	 off;

	if ((f = open_memstream(new, newlen)) == NULL)
		return -1;
	if (val[i].line != 0)
		put_replaced(f, buf, len, val[i].line, value);
	else if (track_line != 0) {
		off = line_offset(buf, len, track_line + 1);
		fwrite(buf, 1, off, f);
		if (buf[off - 1] != '\n')
			fputc('\n', f);
		fprintf(f, "%s = %s\n", confparse_keys[i].name, value);
		fwrite(buf + off, 1, len - off, f);
	} else {
		fwrite(buf, 1, len, f);
		if (len > 0 && buf[len - 1] != '\n')
			fputc('\n', f);
		fprintf(f, "%s[%s]\n%s = %s\n", len > 0 ? "\n" : "",
		    confparse_keys[i].section, confparse_keys[i].name, value);
	}
	return fclose(f) == 0 ? 0 : -1;
}

int
confedit_set(const char *path, const char *section, const char *key,
    const char *value)
{
	char		 dir[PATH_MAX], lock[PATH_MAX], why[CONFPARSE_ERRLEN];
	const char	*base, *v, *text;
	struct conf_value	 val[CONF_NKEYS], nval[CONF_NKEYS];
	struct conf_parse	 p;
	struct stat	 st;
	char		*old = NULL, *new = NULL;
	size_t		 len = 0, newlen = 0;
	mode_t		 mode = 0644;
	int		 i, lockfd = -1, rc = EX_CONFIG;

	memset(val, 0, sizeof(val));
	memset(nval, 0, sizeof(nval));
	if ((i = confparse_find(section, key)) == -1) {
		if (confparse_section(section, strlen(section)) == NULL)
			log_err("%s: unknown section [%s]", path, section);
		else
			log_err("%s: unknown key '%s' in [%s]", path, key,
			    section);
		goto out;
	}
	for (v = value; *v != '\0'; v++) {
		if ((unsigned char)*v < 0x20 || *v == 0x7f) {
			log_err("%s: %s: control character in value", path,
			    key);
			goto out;
		}
	}
	if (strlen(value) > CONF_MAX_LINE) {
		log_err("%s: %s: value too long (more than %d characters)",
		    path, key, CONF_MAX_LINE);
		goto out;
	}
	if (confparse_value(&confparse_keys[i], value, why,
	    sizeof(why)) == -1) {
		log_err("%s: %s", path, why);
		goto out;
	}

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	if ((rc = fs_dirname(path, dir, sizeof(dir))) != 0)
		goto out;
	if ((size_t)snprintf(lock, sizeof(lock), "%s/.%s.lock", dir, base) >=
	    sizeof(lock)) {
		log_err("%s: path too long", path);
		rc = EX_CANTCREAT;
		goto out;
	}
	if ((rc = fs_lock(lock, CONF_LOCK_WAIT, &lockfd)) != 0)
		goto out;
	if (lstat(path, &st) == 0) {
		mode = st.st_mode & 07777;
		if ((rc = fs_read_file(path, FS_MAX_READ, &old, &len)) != 0)
			goto out;
	} else if (errno != ENOENT) {
		log_err("%s: %s", path, strerror(errno));
		rc = EX_NOINPUT;
		goto out;
	}
	text = old != NULL ? old : "";

	/* The old value of this key may be the mistake being corrected. */
	memset(&p, 0, sizeof(p));
	p.unchecked = i;
	p.track = confparse_keys[i].section;
	if ((rc = confparse_buf(&p, path, text, len, val)) != 0)
		goto out;
	if (edit(text, len, val, i, p.track_line, value, &new, &newlen) ==
	    -1) {
		log_err("%s: %s", path, strerror(errno));
		rc = EX_OSERR;
		goto out;
	}
	p.unchecked = -1;
	p.track = NULL;
	if ((rc = confparse_buf(&p, path, new, newlen, nval)) != 0)
		goto out;
	if (nval[i].str == NULL || strcmp(nval[i].str, value) != 0) {
		log_err("%s: %s: '%s' would not read back the same (blanks "
		    "around it, or ' ;' which starts a comment)", path, key,
		    value);
		rc = EX_CONFIG;
		goto out;
	}
	if (old != NULL && newlen == len && memcmp(new, old, len) == 0)
		goto out;
	rc = fs_write_atomic(path, new, newlen, mode);
out:
	confparse_values_free(val);
	confparse_values_free(nval);
	fs_unlock(lockfd);
	free(old);
	free(new);
	return rc;
}
