/*
 * audit: one line to syslog(3), facility authpriv, for each change an
 * auditor cares about (a password, a certificate, nginx's configuration,
 * a provider that stopped us).  The line, after syslog's "PROG[PID]: ":
 *
 *   EVENT: KEY=VALUE ... by=USER login=USER from=ORIGIN
 *
 * by is the effective user, login the login user of /proc/self/loginuid
 * ("unset" for none, as for services), from where the command came:
 * "tty:NAME" (stdin is that terminal), "button" (a command ss-btnwatch ran:
 * SS_ORIGIN=button; no other value is taken), "unit:NAME.service" (run by
 * systemd: INVOCATION_ID is set), else "script".  A VALUE outside
 * [A-Za-z0-9._:/@+,-] is put in double quotes, '"' and '\' escaped with '\',
 * other bytes outside printable ASCII as \xHH.  A line is at most 1 KiB:
 * what is cut is the end of the values, never who and from where.
 *
 * Never a secret: callers pass names, files, serials and codes, never a
 * password, a hash or key material.  The line is also a debug message
 * (-vv).  Nothing fails: without a syslog daemon the line is lost, as
 * syslog(3) loses it.
 */
#ifndef SEC_AUDIT_H
#define SEC_AUDIT_H

#include <stddef.h>

enum audit_prio {
	AUDIT_NOTICE,		/* a change made */
	AUDIT_WARNING		/* a change undone, or refused from outside */
};

/*
 * EVENT, then the KEY, VALUE pairs up to a NULL KEY; a NULL VALUE leaves
 * its pair out.  audit_notice and audit_warning add the NULL.
 */
void	audit_log(enum audit_prio, const char *event, ...)
	    __attribute__((sentinel));
#define audit_notice(...)	\
	audit_log(AUDIT_NOTICE, __VA_ARGS__, (const char *)NULL)
#define audit_warning(...)	\
	audit_log(AUDIT_WARNING, __VA_ARGS__, (const char *)NULL)

/* The unit NAME.service in the text of /proc/self/cgroup, "" when none. */
void	audit_cgroup_unit(const char *cgroup, char *buf, size_t len);

#endif
