/*
 * users: the CMS users file, read strictly and written whole.  See
 * users.h.
 *
 *   name:role:email:recovery:hash:failures:locked_until:last_mail
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "fs.h"
#include "log.h"
#include "secret.h"
#include "time64.h"
#include "users.h"

#define USER_FIELDS	8
/* Room for one written line: the fields at their limits, 3 numbers. */
#define USER_LINE_MAX	(USER_NAME_MAX + EMAIL_MAX + PW_HASH_MAX + 128)

static const char *const roles[] = { "owner", "admin", "user" };

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
users_name_ok(const char *s)
{
	size_t	n;

	if ((*s < 'a' || *s > 'z') && *s != '_')
		return 0;
	n = strspn(s + 1, "abcdefghijklmnopqrstuvwxyz0123456789_.-");
	return s[n + 1] == '\0' && n + 1 <= USER_NAME_MAX;
}

int
users_role_parse(const char *s, enum role *r)
{
	size_t	i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(s, roles[i]) == 0) {
			*r = (enum role)i;
			return 0;
		}
	return -1;
}

const char *
users_role_name(enum role r)
{
	return roles[r];
}

int
users_email_ok(const char *s)
{
	const char	*at, *p;

	if ((at = strchr(s, '@')) == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strlen(s) > EMAIL_MAX)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (*p == ':' || *p == ',' || *p == ' ' ||
		    (unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* The rest of S after WORD, or NULL; NULL in, NULL out. */
static const char *
lit(const char *s, const char *word)
{
	size_t	n;

	if (s == NULL)
		return NULL;
	n = strlen(word);
	return strncmp(s, word, n) == 0 ? s + n : NULL;
}

/* The rest of S after one or more characters of SET, or NULL. */
static const char *
span(const char *s, const char *set)
{
	size_t	n;

	if (s == NULL)
		return NULL;
	n = strspn(s, set);
	return n > 0 ? s + n : NULL;
}

/*
 * The shape of a PHC argon2id string, as argon2(1) and libargon2 write
 * it (v= absent in hashes from before version 1.3); libargon2 checks the
 * rest when it verifies.
 */
static int
phc_ok(const char *s)
{
	const char	*v;

	s = lit(s, "$argon2id$");
	if ((v = lit(s, "v=")) != NULL)
		s = lit(span(v, "0123456789"), "$");
	s = lit(span(lit(s, "m="), "0123456789"), ",t=");
	s = lit(span(s, "0123456789"), ",p=");
	s = lit(span(s, "0123456789"), "$");
	s = lit(span(s, b64), "$");
	s = span(s, b64);
	return s != NULL && *s == '\0';
}

/* Decimal digits only, at most MAX. */
static int
number(const char *s, long long max, long long *out)
{
	char		*end;
	long long	 n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || n > max)
		return -1;
	*out = n;
	return 0;
}

/* Line LINENO of PATH, LEN bytes at P without its newline, into U. */
static int
parse_line(const char *path, size_t lineno, char *p, size_t len,
    struct user *u)
{
	static const char *const times[] = {
	    "bad locked_until (not seconds since 1970, up to 9999-12-31)",
	    "bad last_mail (not seconds since 1970, up to 9999-12-31)" };
	int64_t		*t[2];
	char		*f[USER_FIELDS], *end = p + len;
	const char	*what;
	long long	 n;
	size_t		 nf = 0;
	int		 i;

	memset(u, 0, sizeof(*u));
	if (memchr(p, '\0', len) != NULL) {
		what = "a NUL byte";
		goto bad;
	}
	*end = '\0';
	for (f[nf++] = p; (p = strchr(p, ':')) != NULL; f[nf++] = ++p) {
		*p = '\0';
		if (nf == USER_FIELDS) {
			nf++;
			break;
		}
	}
	if (nf != USER_FIELDS) {
		log_err("%s:%zu: not name:role:email:recovery:hash:failures:"
		    "locked_until:last_mail", path, lineno);
		return EX_DATAERR;
	}
	what = "bad user name";
	if (!users_name_ok(f[0]))
		goto bad;
	memcpy(u->name, f[0], strlen(f[0]) + 1);
	what = "bad role (not owner, admin or user)";
	if (users_role_parse(f[1], &u->role) == -1)
		goto bad;
	what = "bad email address";
	if (*f[2] != '\0' && !users_email_ok(f[2]))
		goto bad;
	memcpy(u->email, f[2], strlen(f[2]) + 1);
	what = "bad recovery (not on or off)";
	if (strcmp(f[3], "on") == 0)
		u->recovery = 1;
	else if (strcmp(f[3], "off") != 0)
		goto bad;
	what = "bad hash (neither ! nor an argon2id PHC string)";
	if ((strcmp(f[4], "!") != 0 && !phc_ok(f[4])) ||
	    strlen(f[4]) >= sizeof(u->hash))
		goto bad;
	memcpy(u->hash, f[4], strlen(f[4]) + 1);
	what = "bad failures (not a count)";
	if (number(f[5], LONG_MAX, &n) == -1)
		goto bad;
	u->failures = (long)n;
	t[0] = &u->locked_until;
	t[1] = &u->last_mail;
	for (i = 0; i < 2; i++)
		if (!time64_parse(f[6 + i], t[i])) {
			what = times[i];
			goto bad;
		}
	return 0;
bad:
	log_err("%s:%zu: %s", path, lineno, what);
	return EX_DATAERR;
}

/*
 * The users file's directory by descriptor into D, its name into NAME.
 * Under [device] state_dir (the default) the walk starts there, so that
 * each directory below it is opened without following a link and passes
 * the owner and mode rules; elsewhere it starts at the file's own
 * directory.  CREATE makes missing directories 0700; without it a
 * missing directory is EX_NOINPUT, not logged.
 */
static int
users_dir(const struct ss_conf *c, int create, struct fs_dir *d, char *name,
    size_t namelen)
{
	const char	*path = c->passwd.users_file;
	const char	*state = c->device.state_dir, *rel, *base, *p;
	char		 dir[PATH_MAX], sub[PATH_MAX];
	size_t		 n, k;
	mode_t		 mode = create ? 0700 : 0;
	int		 rc;

	d->fd = -1;
	if ((base = strrchr(path, '/')) == NULL || base[1] == '\0' ||
	    (size_t)snprintf(name, namelen, "%s", base + 1) >= namelen) {
		log_err("[passwd] users_file %s: not a file path", path);
		return EX_CONFIG;
	}
	n = strlen(state);
	while (n > 1 && state[n - 1] == '/')
		n--;
	rel = strncmp(path, state, n) == 0 && path[n] == '/' ?
	    path + n + 1 : NULL;
	/* Only plain names between the state directory and the file. */
	for (p = rel; p != NULL && p < base; p += k + 1) {
		k = strcspn(p, "/");
		if (k == 0 || (k == 1 && p[0] == '.') ||
		    (k == 2 && p[0] == '.' && p[1] == '.'))
			rel = NULL;
	}
	if (rel == NULL) {
		if ((rc = fs_dirname(path, dir, sizeof(dir))) != 0)
			return rc;
		return fs_dir_root(d, dir, "[passwd] users_file", mode);
	}
	if ((size_t)snprintf(dir, sizeof(dir), "%.*s", (int)n, state) >=
	    sizeof(dir))
		return EX_CONFIG;
	if (rel == base + 1)
		return fs_dir_root(d, dir, "[device] state_dir", mode);
	if ((size_t)snprintf(sub, sizeof(sub), "%.*s", (int)(base - rel),
	    rel) >= sizeof(sub))
		return EX_CONFIG;
	return fs_dir_open(d, dir, "[device] state_dir", mode, sub, mode);
}

int
users_load(const struct ss_conf *c, struct users *us)
{
	const char	*path = c->passwd.users_file;
	struct user	 u, *nv;
	struct fs_dir	 d;
	struct stat	 st;
	char		 name[NAME_MAX + 1];
	char		*buf = NULL, *p, *nl, *end;
	size_t		 len = 0, lineno = 0;
	int		 rc;

	us->v = NULL;
	us->n = 0;
	/* No file yet is no users yet: the first useradd creates it. */
	if ((rc = users_dir(c, 0, &d, name, sizeof(name))) != 0)
		return rc == EX_NOINPUT ? 0 : rc;
	if (fstatat(d.fd, name, &st, AT_SYMLINK_NOFOLLOW) == -1 &&
	    errno == ENOENT) {
		fs_dir_close(&d);
		return 0;
	}
	rc = fs_read_at(&d, name, FS_MAX_READ, &buf, &len);
	fs_dir_close(&d);
	if (rc != 0)
		return rc;
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((rc = parse_line(path, lineno, p, (size_t)(nl - p),
		    &u)) != 0)
			goto out;
		if (users_find(us, u.name) != NULL) {
			log_err("%s:%zu: user %s appears twice", path, lineno,
			    u.name);
			rc = EX_DATAERR;
			goto out;
		}
		if ((nv = reallocarray(us->v, us->n + 1, sizeof(*nv))) ==
		    NULL) {
			log_err("%s: %s", path, strerror(errno));
			rc = EX_OSERR;
			goto out;
		}
		us->v = nv;
		us->v[us->n++] = u;
	}
out:
	secret_zero(&u, sizeof(u));
	secret_zero(buf, len);
	free(buf);
	if (rc != 0)
		users_free(us);
	return rc;
}

int
users_save(const struct ss_conf *c, const struct users *us)
{
	const char	*path = c->passwd.users_file;
	const struct user *u;
	struct fs_dir	 d;
	struct stat	 st;
	char		 name[NAME_MAX + 1], *buf;
	size_t		 i, len = 0, size;
	int		 rc;

	size = us->n * USER_LINE_MAX + 1;
	if ((buf = malloc(size)) == NULL) {
		log_err("%s: %s", path, strerror(errno));
		return EX_OSERR;
	}
	for (i = 0; i < us->n; i++) {
		u = &us->v[i];
		len += (size_t)snprintf(buf + len, size - len,
		    "%s:%s:%s:%s:%s:%ld:%lld:%lld\n", u->name,
		    users_role_name(u->role), u->email,
		    u->recovery ? "on" : "off", u->hash, u->failures,
		    (long long)u->locked_until,
		    (long long)u->last_mail);
	}
	if ((rc = users_dir(c, 1, &d, name, sizeof(name))) == 0) {
		if (fstatat(d.fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
		    errno != ENOENT)
			rc = fs_replace_keep_at(&d, name, buf, len);
		else
			rc = fs_write_at(&d, name, buf, len, 0600);
		fs_dir_close(&d);
	}
	secret_zero(buf, size);
	free(buf);
	return rc;
}

void
users_free(struct users *us)
{
	if (us->v != NULL) {
		secret_zero(us->v, us->n * sizeof(*us->v));
		free(us->v);
	}
	us->v = NULL;
	us->n = 0;
}

struct user *
users_find(const struct users *us, const char *name)
{
	size_t	i;

	for (i = 0; i < us->n; i++)
		if (strcmp(us->v[i].name, name) == 0)
			return &us->v[i];
	return NULL;
}

int
users_owners(const struct users *us)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < us->n; i++)
		if (us->v[i].role == ROLE_OWNER)
			n++;
	return n;
}
