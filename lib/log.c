/*
 * Diagnostics: "PROG: message" on stderr, or syslog when asked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

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
