/*
 * Diagnostics: "PROG: message" on stderr; "<N>PROG: message" on every line
 * when stderr is the journal.  The name stays under the journal too: a
 * hook's lines reach it through the stream of the unit that ran the hook,
 * under that unit's SyslogIdentifier.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define LOG_TEXT_MAX	2048
#define LOG_MSG_MAX	2048

static const char	*progname = "ss";
static enum log_level	 level = LOG_LEVEL_INFO;
static int		 journal;

/* A decimal number up to END (a ':' or the string's end) into *N. */
static int
log_number(const char *s, char end, unsigned long long *n)
{
	char	*p;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	*n = strtoull(s, &p, 10);
	return errno == 0 && *p == end;
}

/*
 * systemd's rule (systemd.exec(5), JOURNAL_STREAM): stderr is the journal
 * when the variable's "DEVICE:INODE" is that of descriptor 2.  A command
 * whose stderr was redirected keeps the variable, not the stream.
 */
static int
log_journal_stream(void)
{
	unsigned long long	 dev, ino;
	const char		*v, *colon;
	struct stat		 st;

	if ((v = getenv("JOURNAL_STREAM")) == NULL ||
	    (colon = strchr(v, ':')) == NULL ||
	    !log_number(v, ':', &dev) || !log_number(colon + 1, '\0', &ino) ||
	    fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return dev == (unsigned long long)st.st_dev &&
	    ino == (unsigned long long)st.st_ino;
}

void
log_init(const char *argv0)
{
	const char	*p;

	if (argv0 != NULL && *argv0 != '\0') {
		p = strrchr(argv0, '/');
		progname = p != NULL ? p + 1 : argv0;
	}
	level = LOG_LEVEL_INFO;
	journal = log_journal_stream();
}

void
log_set_level(enum log_level l)
{
	if ((int)l < LOG_LEVEL_ERR)
		l = LOG_LEVEL_ERR;
	if (l > LOG_LEVEL_DEBUG)
		l = LOG_LEVEL_DEBUG;
	level = l;
}

enum log_level
log_get_level(void)
{
	return level;
}

const char *
log_progname(void)
{
	return progname;
}

/* MSG, each of its lines after "<N>PROG: ", in one write. */
static void
log_journal(enum log_level l, const char *tag, const char *msg)
{
	static const char	 prio[] = { '3', '4', '6', '7' };
	char			 out[LOG_MSG_MAX * 2];
	const char		*p, *nl;
	size_t			 len = 0;
	int			 n;

	for (p = msg; len < sizeof(out); p = nl + 1) {
		nl = strchr(p, '\n');
		n = snprintf(out + len, sizeof(out) - len, "<%c>%s: %s%.*s\n",
		    prio[l], progname, p == msg ? tag : "",
		    (int)(nl != NULL ? (size_t)(nl - p) : strlen(p)), p);
		if (n < 0)
			return;
		len += (size_t)n;
		if (nl == NULL || nl[1] == '\0')
			break;
	}
	if (len > sizeof(out) - 1) {
		len = sizeof(out) - 1;
		out[len - 1] = '\n';
	}
	fwrite(out, 1, len, stderr);
}

static void
log_v(enum log_level l, const char *fmt, va_list ap)
{
	static const char	*tag[] = { "", "warning: ", "", "debug: " };
	char			 msg[LOG_MSG_MAX];

	if (l > level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (journal)
		log_journal(l, tag[l], msg);
	else
		fprintf(stderr, "%s: %s%s\n", progname, tag[l], msg);
}

#define LOG_FN(name, lvl)				\
void							\
name(const char *fmt, ...)				\
{							\
	va_list	ap;					\
							\
	va_start(ap, fmt);				\
	log_v(lvl, fmt, ap);				\
	va_end(ap);					\
}

LOG_FN(log_err, LOG_LEVEL_ERR)
LOG_FN(log_warn, LOG_LEVEL_WARN)
LOG_FN(log_info, LOG_LEVEL_INFO)
LOG_FN(log_debug, LOG_LEVEL_DEBUG)

static int
is_text(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

void
log_debug_text(const char *body, size_t len)
{
	size_t	shown, i, j, k;

	if (level < LOG_LEVEL_DEBUG)
		return;
	shown = len < LOG_TEXT_MAX ? len : LOG_TEXT_MAX;
	for (i = 0; i < shown; i++) {
		if (!is_text((unsigned char)body[i])) {
			log_debug("   (%zu bytes, not text)", len);
			return;
		}
	}
	for (i = 0; i < shown; i = j + 1) {
		for (j = i; j < shown && body[j] != '\n'; j++)
			;
		k = j > i && body[j - 1] == '\r' ? j - 1 : j;
		log_debug("   %.*s", (int)(k - i), body + i);
	}
	if (shown < len)
		log_debug("   ... (%zu bytes in all)", len);
}
