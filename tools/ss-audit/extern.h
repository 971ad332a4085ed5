/*
 * ss-audit: what crosses its files.
 */
#ifndef SS_AUDIT_EXTERN_H
#define SS_AUDIT_EXTERN_H

#include <stddef.h>

#include "check.h"
#include "conf.h"
#include "tool.h"

#define CHECKS_MAX	32
#define FINDINGS_MAX	256
#define FINDING_ID	32
#define FINDING_SEEN	320
#define FINDING_FIX	256

/* One line of the report: how bad, which check, what was seen, the fix. */
struct finding {
	int	status;			/* CHECK_OK ... CHECK_UNKNOWN */
	char	id[FINDING_ID];
	char	seen[FINDING_SEEN];
	char	fix[FINDING_FIX];	/* a command to run, or "" */
};

struct report {
	const struct ss_conf	*c;
	struct finding		 f[FINDINGS_MAX];
	size_t			 n;
	size_t			 lost;	/* past FINDINGS_MAX: counted only */
	int			 status;	/* the worst */
};

/*
 * A check: its id (for --only, --skip and [audit] skip), what it looks
 * at, and the function that adds its findings.  A check adds at least
 * one finding, an OK one when nothing is wrong.
 */
struct audit_check {
	const char	*id;
	const char	*what;
	void		(*run)(struct report *);
};

extern const struct audit_check	audit_checks[];
extern const size_t		audit_nchecks;

/* Subcommands: argc/argv start at the subcommand's name. */
int	 cmd_check(struct tool_env *, int, char **);

/* report.c */
void	 report_add(struct report *, int status, const char *id,
	    const char *fix, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
int	 report_print(const struct report *, int json);

/* https.c: nginx's HTTPS port, as the checks reach it. */
#define HTTPS_PROBE_SECONDS	5
struct https_target {
	char	host[64];		/* an address of [nginx] listen */
	char	port[8];		/* [nginx] https_port */
	char	where[80];		/* HOST:PORT, [HOST]:PORT for IPv6 */
};
void	 https_target(const struct ss_conf *, struct https_target *);
/*
 * A non-loopback address [nginx] listen opens the port on ("every
 * address" when it names none), or NULL when it names loopback only.
 */
const char *https_exposed(const struct ss_conf *);

/* The checks, one file each. */
void	 listeners_check(struct report *);
void	 openhab_check(struct report *);
void	 certificate_check(struct report *);
void	 tls_check(struct report *);
void	 proxy_check(struct report *);
void	 files_check(struct report *);
void	 ssh_check(struct report *);
void	 button_check(struct report *);
void	 factory_check(struct report *);
void	 dns_check(struct report *);
void	 timers_check(struct report *);

#endif
