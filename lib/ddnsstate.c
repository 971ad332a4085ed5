/*
 * ddnsstate: what ss-ddns remembers between runs, in STATE/ddns/ (state_dir):
 *
 *	state		the device's own name: key=value lines: the addresses
 *			last sent, when, the
 *			result, whether the provider asked us to pause or
 *			to stop, then the history: "change=EPOCH FAMILY
 *			ADDRESS" per change, newest last, at most
 *			HISTORY_MAX of them
 *	FQDN.state	the same for each [ddns:FQDN]
 *	.lock		held by every run that may write one of them
 *
 * One file, so that the cache and the history change together in one
 * atomic replace.  Plain lines rather than JSON: an operator (or a test)
 * can read them with cat and shift a time with sed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "ddnsstate.h"
#include "digest.h"
#include "fs.h"
#include "log.h"
#include "secret.h"
#include "time64.h"

#define HISTORY_MAX	1000
#define STATE_READ	(256 * 1024)	/* HISTORY_MAX changes fit many times */
#define FIELDS_MAX	(sizeof(struct ddns_state) + 256)
#define LOCK_WAIT	30		/* seconds for another run to finish */
#define SETTING_READ	(64 * 1024)	/* a password or a TSIG key file */

enum kind { F_ADDR4, F_ADDR6, F_TIME, F_TEXT, F_PROVIDER, F_HASH };

#define FIELD(key, kind, m) { key, kind, offsetof(struct ddns_state, m), \
	sizeof(((struct ddns_state *)NULL)->m) }

static const struct field {
	const char	*key;
	enum kind	 kind;
	size_t		 off;
	size_t		 size;
} fields[] = {
	FIELD("last4",		F_ADDR4,	last4),
	FIELD("last6",		F_ADDR6,	last6),
	FIELD("updated",	F_TIME,		updated),
	FIELD("result",		F_TEXT,		result),
	FIELD("provider",	F_PROVIDER,	provider),
	FIELD("backoff_until",	F_TIME,		backoff_until),
	FIELD("stop_reason",	F_TEXT,		stop_reason),
	FIELD("stop_config",	F_HASH,		stop_config),
};

static const char *const pstates[] = {
	[PROVIDER_OK] = "ok",
	[PROVIDER_BACKOFF] = "backoff",
	[PROVIDER_STOPPED] = "stopped",
	[PROVIDER_RETRY] = "retry",
};

/* STATE/ddns, or STATE/ddns/FILE. */
static int
ddns_path(const struct ss_conf *c, const char *file, char *buf, size_t len)
{
	const char	*dir = c->device.state_dir;
	int		 n;

	n = snprintf(buf, len, "%s/ddns%s%s", dir, file != NULL ? "/" : "",
	    file != NULL ? file : "");
	if (n < 0 || (size_t)n >= len) {
		log_err("%s: path too long", dir);
		return EX_CONFIG;
	}
	return 0;
}

/*
 * STATE/ddns by descriptor into D, created 0700 when CREATE; missing is
 * EX_NOINPUT, not logged.
 */
static int
ddns_dir(const struct ss_conf *c, int create, struct fs_dir *d)
{
	return fs_dir_open(d, c->device.state_dir, "[device] state_dir",
	    create ? 0700 : 0, "ddns", create ? 0700 : 0);
}

int
ddnsstate_lock(const struct ss_conf *c, int *fd)
{
	struct fs_dir	d;
	int		rc;

	*fd = -1;
	if ((rc = ddns_dir(c, 1, &d)) != 0)
		return rc;
	rc = fs_lock_at(&d, ".lock", LOCK_WAIT, fd);
	fs_dir_close(&d);
	return rc;
}

/* VAL into the field F of S; 0 when it is not what the field holds. */
static int
field_set(struct ddns_state *s, const struct field *f, const char *val)
{
	char			*p = (char *)s + f->off;
	struct checkip_addr	 a;
	size_t			 i;

	switch (f->kind) {
	case F_ADDR4:
	case F_ADDR6:
		if (*val == '\0') {
			*p = '\0';
			return 1;
		}
		if (!checkip_parse(val, strlen(val), f->kind == F_ADDR4 ?
		    AF_INET : AF_INET6, &a))
			return 0;
		memcpy(p, a.text, sizeof(a.text));
		return 1;
	case F_TIME:
		return time64_parse(val, (int64_t *)(void *)p);
	case F_TEXT:
		return snprintf(p, f->size, "%s", val) < (int)f->size;
	case F_PROVIDER:
		for (i = 0; i < sizeof(pstates) / sizeof(pstates[0]); i++) {
			if (strcmp(val, pstates[i]) == 0) {
				*(enum pstate *)(void *)p = (enum pstate)i;
				return 1;
			}
		}
		return 0;
	case F_HASH:
		if (strlen(val) != 0 && (strlen(val) != 64 ||
		    strspn(val, "0123456789abcdef") != 64))
			return 0;
		memcpy(p, val, strlen(val) + 1);
		return 1;
	}
	return 0;
}

/* "EPOCH FAMILY ADDRESS" of one change; 0 when LINE is not that. */
static int
change_parse(const char *line, int64_t *t, struct checkip_addr *a)
{
	char		 epoch[24];
	const char	*end = line + strspn(line, "0123456789");

	if ((size_t)(end - line) >= sizeof(epoch) ||
	    (strncmp(end, " 4 ", 3) != 0 && strncmp(end, " 6 ", 3) != 0))
		return 0;
	memcpy(epoch, line, (size_t)(end - line));
	epoch[end - line] = '\0';
	if (!time64_parse(epoch, t))
		return 0;
	return checkip_parse(end + 3, strlen(end + 3), end[1] == '4' ? AF_INET :
	    AF_INET6, a);
}

int
ddnsstate_history_add(struct ddns_state *s, int64_t t,
    const struct checkip_addr *a)
{
	char	*h;
	char	 line[64 + INET6_ADDRSTRLEN];
	int	 n;

	n = snprintf(line, sizeof(line), "%lld %d %s\n", (long long)t,
	    a->family == AF_INET ? 4 : 6, a->text);
	if ((h = realloc(s->history, s->history_len + (size_t)n + 1)) ==
	    NULL) {
		log_err("%s", strerror(errno));
		return EX_OSERR;
	}
	memcpy(h + s->history_len, line, (size_t)n + 1);
	s->history = h;
	s->history_len += (size_t)n;
	return 0;
}

static int
change_load(struct ddns_state *s, const char *val, const char *path, int n)
{
	struct checkip_addr	a;
	int64_t			t;

	if (!change_parse(val, &t, &a)) {
		log_err("%s:%d: not 'change=EPOCH FAMILY ADDRESS' (EPOCH in "
		    "seconds, up to 9999-12-31); fix it, or remove the file to "
		    "start afresh", path, n);
		return EX_DATAERR;
	}
	return ddnsstate_history_add(s, t, &a);
}

int
ddnsstate_path(const struct ddns_name *n, char *buf, size_t len)
{
	return ddns_path(&n->conf, n->state, buf, len);
}

int
ddnsstate_load(const struct ddns_name *name, struct ddns_state *s)
{
	const struct ss_conf	*c = &name->conf;
	struct fs_dir		 d;
	struct stat		 st;
	const struct field	*f;
	char			 path[PATH_MAX];
	char			*buf = NULL, *line, *next, *eq;
	size_t			 len, i;
	int			 rc, n;

	memset(s, 0, sizeof(*s));
	if ((rc = ddnsstate_path(name, path, sizeof(path))) != 0)
		return rc;
	if ((rc = ddns_dir(c, 0, &d)) != 0)
		return rc == EX_NOINPUT ? 0 : rc;
	if (fstatat(d.fd, name->state, &st, AT_SYMLINK_NOFOLLOW) == -1 &&
	    errno == ENOENT) {
		fs_dir_close(&d);
		return 0;
	}
	rc = fs_read_at(&d, name->state, STATE_READ, &buf, &len);
	fs_dir_close(&d);
	if (rc != 0)
		return rc;
	for (line = buf, n = 1; line < buf + len; line = next, n++) {
		if ((next = memchr(line, '\n', len - (size_t)(line - buf))) ==
		    NULL)
			next = buf + len;
		else
			*next++ = '\0';
		if (*line == '\0')
			continue;
		if (strncmp(line, "change=", 7) == 0) {
			if ((rc = change_load(s, line + 7, path, n)) != 0)
				goto out;
			continue;
		}
		f = NULL;
		if ((eq = strchr(line, '=')) != NULL) {
			*eq = '\0';
			for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
				if (strcmp(line, fields[i].key) == 0)
					f = &fields[i];
		}
		if (f != NULL && field_set(s, f, eq + 1))
			continue;
		if (f != NULL && f->kind == F_TIME)
			log_err("%s:%d: %s: not a time in seconds since 1970, "
			    "up to 9999-12-31; fix it, or remove the file to "
			    "start afresh", path, n, f->key);
		else
			log_err("%s:%d: not a ss-ddns state line; fix it, or "
			    "remove the file to start afresh", path, n);
		rc = EX_DATAERR;
		goto out;
	}
out:
	free(buf);
	if (rc != 0)
		ddnsstate_free(s);
	return rc;
}

void
ddnsstate_free(struct ddns_state *s)
{
	free(s->history);
	memset(s, 0, sizeof(*s));
}

/* TEXT on one line of the state file: control characters become '?'. */
static void
put_text(char *buf, size_t len, size_t *off, const char *key,
    const char *text)
{
	size_t	i, start;

	if (*off + strlen(key) + strlen(text) + 3 > len)
		return;
	start = *off + strlen(key) + 1;
	*off += (size_t)snprintf(buf + *off, len - *off, "%s=%s\n", key, text);
	for (i = start; i < *off - 1; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
}

/* Where the newest KEEP lines of BUF begin. */
static size_t
tail_start(const char *buf, size_t len, size_t keep)
{
	size_t	i, seen = 0;

	if (len > 0 && buf[len - 1] == '\n')
		len--;
	for (i = len; i > 0; i--)
		if (buf[i - 1] == '\n' && ++seen == keep)
			return i;
	return 0;
}

int
ddnsstate_save(const struct ddns_name *n, const struct ddns_state *s)
{
	const struct ss_conf	*c = &n->conf;
	struct fs_dir		 d;
	const struct field	*f;
	const char		*p, *h, *nl;
	char			 path[PATH_MAX], num[32], *buf;
	size_t			 off = 0, i, start, size;
	int			 rc;

	if ((rc = ddnsstate_path(n, path, sizeof(path))) != 0)
		return rc;
	start = tail_start(s->history, s->history_len, HISTORY_MAX);
	/* Each text fits its field; numbers and keys fit the rest. */
	size = FIELDS_MAX + (s->history_len - start) + 8 * HISTORY_MAX;
	if ((buf = malloc(size)) == NULL) {
		log_err("%s: %s", path, strerror(errno));
		return EX_OSERR;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		f = &fields[i];
		p = (const char *)s + f->off;
		if (f->kind == F_TIME) {
			snprintf(num, sizeof(num), "%lld",
			    (long long)*(const int64_t *)(const void *)p);
			p = num;
		} else if (f->kind == F_PROVIDER)
			p = pstates[*(const enum pstate *)(const void *)p];
		put_text(buf, FIELDS_MAX, &off, f->key, p);
	}
	for (h = s->history + start; h < s->history + s->history_len;
	    h = nl + 1) {
		nl = memchr(h, '\n', s->history_len - (size_t)(h - s->history));
		off += (size_t)snprintf(buf + off, size - off, "change=%.*s\n",
		    (int)(nl - h), h);
	}
	if ((rc = ddns_dir(c, 1, &d)) == 0) {
		rc = fs_write_at(&d, n->state, buf, off, 0600);
		fs_dir_close(&d);
	}
	free(buf);
	return rc;
}

int
ddnsstate_history_count(const struct ddns_state *s, int64_t since)
{
	const char		*h, *nl;
	struct checkip_addr	 a;
	int64_t			 t;
	char			 line[64 + INET6_ADDRSTRLEN];
	int			 n = 0;

	for (h = s->history; h != NULL && h < s->history + s->history_len;
	    h = nl + 1) {
		nl = memchr(h, '\n', s->history_len - (size_t)(h - s->history));
		snprintf(line, sizeof(line), "%.*s", (int)(nl - h), h);
		if (change_parse(line, &t, &a) && t >= since)
			n++;
	}
	return n;
}

/* ACC = SHA-256(ACC || SHA-256(DATA)): one more setting in the hash. */
static int
hash_add(unsigned char acc[32], const void *data, size_t len)
{
	unsigned char	two[64];
	int		rc;

	memcpy(two, acc, 32);
	if ((rc = digest_sha256(data, len, two + 32)) != 0)
		return rc;
	return digest_sha256(two, sizeof(two), acc);
}

/* The content of the file a setting names; how it fails counts too. */
static int
hash_file(unsigned char acc[32], const char *path)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 len = 0;
	int		 rc;

	if (*path == '\0' || (stat(path, &st) == -1 && errno == ENOENT))
		return hash_add(acc, "(none)", 6);
	if (fs_read_file(path, SETTING_READ, &buf, &len) != 0)
		return hash_add(acc, "(unreadable)", 12);
	rc = hash_add(acc, buf, len);
	secret_zero(buf, len);
	free(buf);
	return rc;
}

int
ddnsstate_config_hash(const struct ss_conf *c, char out[65])
{
	const char *const	 keys[] = {
		c->ddns.protocol, c->ddns.server, c->ddns.username,
		c->ddns.zone, c->ddns.password_file, c->ddns.tsig_key_file
	};
	unsigned char		 acc[32];
	const char	*v;
	size_t		 i;
	int		 rc;

	memset(acc, 0, sizeof(acc));
	v = c->fqdn;
	if ((rc = hash_add(acc, v, strlen(v))) != 0)
		return rc;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = keys[i];
		if ((rc = hash_add(acc, v, strlen(v))) != 0)
			return rc;
	}
	if ((rc = hash_file(acc, c->ddns.password_file)) != 0 ||
	    (rc = hash_file(acc, c->ddns.tsig_key_file)) != 0)
		return rc;
	for (i = 0; i < sizeof(acc); i++)
		snprintf(out + 2 * i, 3, "%02x", acc[i]);
	return 0;
}
