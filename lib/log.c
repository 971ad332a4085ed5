/*
 * Diagnostics: "PROG: message" on stderr, or syslog when asked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

#define LOG_TEXT_MAX	2048

static const char	*progname = "ss";
static enum log_level	 level = LOG_LEVEL_INFO;
static int		 to_syslog;

void
log_init(const char *argv0)
{
	const char	*p;

	if (argv0 != NULL && *argv0 != '\0') {
		p = strrchr(argv0, '/');
		progname = p != NULL ? p + 1 : argv0;
	}
	level = LOG_LEVEL_INFO;
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

void
log_use_syslog(int on)
{
	if (on && !to_syslog)
		openlog(progname, LOG_PID, LOG_AUTHPRIV);
	else if (!on && to_syslog)
		closelog();
	to_syslog = on;
}

const char *
log_progname(void)
{
	return progname;
}

static void
log_v(enum log_level l, const char *fmt, va_list ap)
{
	static const int	 prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO,
	    LOG_DEBUG };
	static const char	*tag[] = { "", "warning: ", "", "debug: " };
	char			 msg[2048];

	if (l > level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (to_syslog)
		syslog(prio[l], "%s%s", tag[l], msg);
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
