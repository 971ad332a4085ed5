/*
 * The audit trail: one syslog line per change, who made it and from
 * where, in the authpriv facility beside the logins of login(1) and sshd.
 */
#include <sys/types.h>

#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "audit.h"
#include "log.h"

#define AUDIT_LINE_MAX	1024
#define AUDIT_CGROUP_MAX 4096
#define LOGINUID_UNSET	4294967295UL

struct audit_line {
	char	buf[AUDIT_LINE_MAX];
	size_t	len;
	size_t	limit;		/* of len, for what is added now */
};

/*
 * What does not fit under the limit is cut: the event and the first
 * values stay, and the room kept for who and from where.
 */
static void
audit_add(struct audit_line *l, const char *s, size_t n)
{
	if (l->len >= l->limit)
		return;
	if (n > l->limit - l->len)
		n = l->limit - l->len;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

static int
audit_bare(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("._:/@+,-", c) != NULL;
}

/* " KEY=VALUE", VALUE quoted unless every byte of it may stand bare. */
static void
audit_pair(struct audit_line *l, const char *key, const char *value)
{
	const unsigned char	*p;
	char			 esc[5];
	int			 bare = *value != '\0';

	for (p = (const unsigned char *)value; *p != '\0' && bare; p++)
		bare = audit_bare(*p);
	audit_add(l, " ", 1);
	audit_add(l, key, strlen(key));
	audit_add(l, "=", 1);
	if (bare) {
		audit_add(l, value, strlen(value));
		return;
	}
	audit_add(l, "\"", 1);
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			audit_add(l, esc, 2);
		} else if (*p < 0x20 || *p >= 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02x", *p);
			audit_add(l, esc, 4);
		} else
			audit_add(l, (const char *)p, 1);
	}
	audit_add(l, "\"", 1);
}

static void
audit_user(uid_t uid, char *buf, size_t len)
{
	struct passwd	*pw;

	if ((pw = getpwuid(uid)) != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%lu", (unsigned long)uid);
}

/* The start of a file of /proc into TEXT, NUL-terminated; 0 when none. */
static int
audit_proc(const char *path, char *text, size_t size)
{
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, text, size - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	return 1;
}

/* The user who logged in, whatever su or sudo made of us since. */
static void
audit_login(char *buf, size_t len)
{
	char		 text[16], *end;
	unsigned long	 uid;

	snprintf(buf, len, "unknown");
	if (!audit_proc("/proc/self/loginuid", text, sizeof(text)))
		return;
	uid = strtoul(text, &end, 10);
	if (end == text || (*end != '\0' && *end != '\n'))
		return;
	if (uid == LOGINUID_UNSET)
		snprintf(buf, len, "unset");
	else
		audit_user((uid_t)uid, buf, len);
}

static int
audit_unit_char(char c)
{
	return audit_bare((unsigned char)c) || c == '\\';
}

void
audit_cgroup_unit(const char *cg, char *buf, size_t len)
{
	const char	*line, *end, *c1, *c2, *path = NULL, *pend = NULL;
	const char	*p, *q;
	size_t		 n;

	buf[0] = '\0';
	/* The unified hierarchy ("0::PATH"), else systemd's own (v1). */
	for (line = cg; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if ((c1 = memchr(line, ':', (size_t)(end - line))) == NULL ||
		    (c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1))) == NULL)
			continue;
		if (c1 - line == 1 && line[0] == '0' && c2 == c1 + 1) {
			path = c2 + 1;
			pend = end;
			break;
		}
		if (c2 - c1 - 1 == 12 &&
		    memcmp(c1 + 1, "name=systemd", 12) == 0) {
			path = c2 + 1;
			pend = end;
		}
	}
	if (path == NULL)
		return;
	/* The last component that names a service. */
	for (p = path; p < pend; p = q + 1) {
		for (q = p; q < pend && *q != '/'; q++)
			;
		n = (size_t)(q - p);
		if (n > 8 && n < len && memcmp(q - 8, ".service", 8) == 0) {
			memcpy(buf, p, n);
			buf[n] = '\0';
		}
	}
	for (p = buf; *p != '\0'; p++)
		if (!audit_unit_char(*p)) {
			buf[0] = '\0';
			break;
		}
}

/* The unit systemd runs us in: the last service of our cgroup. */
static void
audit_unit(char *buf, size_t len)
{
	char	text[AUDIT_CGROUP_MAX];

	buf[0] = '\0';
	if (audit_proc("/proc/self/cgroup", text, sizeof(text)))
		audit_cgroup_unit(text, buf, len);
}

static void
audit_origin(char *buf, size_t len)
{
	const char	*v, *tty;
	char		 unit[256];

	if ((v = getenv("SS_ORIGIN")) != NULL && strcmp(v, "button") == 0)
		snprintf(buf, len, "button");
	else if (isatty(STDIN_FILENO)) {
		if ((tty = ttyname(STDIN_FILENO)) == NULL)
			snprintf(buf, len, "tty");
		else
			snprintf(buf, len, "tty:%s", strncmp(tty, "/dev/", 5) ==
			    0 ? tty + 5 : tty);
	} else if ((v = getenv("INVOCATION_ID")) != NULL && *v != '\0') {
		audit_unit(unit, sizeof(unit));
		snprintf(buf, len, "unit%s%s", *unit != '\0' ? ":" : "", unit);
	} else
		snprintf(buf, len, "script");
}

void
audit_log(enum audit_prio prio, const char *event, ...)
{
	struct audit_line	 l, who;
	va_list			 ap;
	const char		*key, *value;
	char			 by[64], login[64], from[300];

	audit_user(geteuid(), by, sizeof(by));
	audit_login(login, sizeof(login));
	audit_origin(from, sizeof(from));
	who.len = 0;
	who.limit = sizeof(who.buf) / 2;
	who.buf[0] = '\0';
	audit_pair(&who, "by", by);
	audit_pair(&who, "login", login);
	audit_pair(&who, "from", from);

	l.len = 0;
	l.limit = sizeof(l.buf) - 1 - who.len;
	l.buf[0] = '\0';
	audit_add(&l, event, strlen(event));
	audit_add(&l, ":", 1);
	va_start(ap, event);
	while ((key = va_arg(ap, const char *)) != NULL)
		if ((value = va_arg(ap, const char *)) != NULL)
			audit_pair(&l, key, value);
	va_end(ap);
	l.limit = sizeof(l.buf) - 1;
	audit_add(&l, who.buf, who.len);

	log_debug("authpriv: %s", l.buf);
	openlog(log_progname(), LOG_PID, LOG_AUTHPRIV);
	syslog(prio == AUDIT_WARNING ? LOG_WARNING : LOG_NOTICE, "%s", l.buf);
	closelog();
}
