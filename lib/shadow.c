/*
 * shadow: one user's hash and last-change day in the shadow file; every
 * other byte of the file stays as it was.  See shadow.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "fs.h"
#include "log.h"
#include "secret.h"
#include "shadow.h"
#include "time64.h"

#define SHADOW_FIELDS	9

/* Where the user's entry is, as offsets into the file. */
struct entry {
	size_t	line;		/* its line number */
	size_t	hash;		/* field 2 */
	size_t	hashlen;
	size_t	rest;		/* the ':' that ends field 3 */
};

/*
 * Checks every line of the file (BUF, LEN bytes) and finds USER's first
 * entry, as getspnam(3) would.
 */
static int
find_entry(const char *path, const char *buf, size_t len, const char *user,
    struct entry *e)
{
	const char	*p, *nl, *end = buf + len, *colon[SHADOW_FIELDS - 1];
	const char	*q;
	size_t		 n, lineno = 0, ulen = strlen(user);
	int		 found = 0;

	for (p = buf; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		for (n = 0, q = p; (q = memchr(q, ':', (size_t)(nl - q))) !=
		    NULL; q++, n++)
			if (n < SHADOW_FIELDS - 1)
				colon[n] = q;
		if (n != SHADOW_FIELDS - 1) {
			log_err("%s:%zu: %zu fields, not %d", path, lineno,
			    n + 1, SHADOW_FIELDS);
			return EX_DATAERR;
		}
		if (found || (size_t)(colon[0] - p) != ulen ||
		    memcmp(p, user, ulen) != 0)
			continue;
		found = 1;
		e->line = lineno;
		e->hash = (size_t)(colon[0] + 1 - buf);
		e->hashlen = (size_t)(colon[1] - colon[0] - 1);
		e->rest = (size_t)(colon[2] - buf);
	}
	if (!found) {
		log_err("%s: no user %s", path, user);
		return EX_NOUSER;
	}
	return 0;
}

int
shadow_get(const struct ss_conf *c, const char *user, char *hash, size_t len)
{
	const char	*path = c->passwd.shadow_file;
	struct entry	 e;
	char		*buf = NULL;
	size_t		 blen = 0;
	int		 rc;

	if ((rc = fs_read_file(path, FS_MAX_READ, &buf, &blen)) != 0 ||
	    (rc = find_entry(path, buf, blen, user, &e)) != 0)
		goto out;
	if (e.hashlen >= len) {
		log_err("%s:%zu: the hash of %s is too long", path, e.line,
		    user);
		rc = EX_DATAERR;
		goto out;
	}
	memcpy(hash, buf + e.hash, e.hashlen);
	hash[e.hashlen] = '\0';
out:
	if (buf != NULL) {
		secret_zero(buf, blen);
		free(buf);
	}
	return rc;
}

int
shadow_set(const struct ss_conf *c, const char *user, const char *hash)
{
	const char	*path = c->passwd.shadow_file;
	struct entry	 e;
	char		*buf = NULL, *out = NULL;
	size_t		 blen = 0, olen = 0, size = 0;
	int		 n, rc;

	if ((rc = fs_read_file(path, FS_MAX_READ, &buf, &blen)) != 0 ||
	    (rc = find_entry(path, buf, blen, user, &e)) != 0)
		goto out;
	/* The head, the hash, ":" and a day number, the tail. */
	size = blen + strlen(hash) + 32;
	if ((out = malloc(size)) == NULL) {
		log_err("%s: %s", path, strerror(errno));
		rc = EX_OSERR;
		goto out;
	}
	memcpy(out, buf, e.hash);
	n = snprintf(out + e.hash, size - e.hash, "%s:%lld", hash,
	    (long long)(time64_now() / TIME64_DAY));
	olen = e.hash + (size_t)n;
	memcpy(out + olen, buf + e.rest, blen - e.rest);
	olen += blen - e.rest;
	rc = fs_replace_keep(path, out, olen);
out:
	if (out != NULL) {
		secret_zero(out, size);
		free(out);
	}
	if (buf != NULL) {
		secret_zero(buf, blen);
		free(buf);
	}
	return rc;
}
