/*
 * ss-nginxconf: what crosses its files.
 */
#ifndef SS_NGINXCONF_EXTERN_H
#define SS_NGINXCONF_EXTERN_H

#include <stddef.h>

#include "conf.h"
#include "tool.h"

/* Subcommands: argc/argv start at the subcommand's name. */
int	 cmd_certs(struct tool_env *, int, char **);
int	 cmd_reload(struct tool_env *, int, char **);
int	 cmd_proxy(struct tool_env *, int, char **);
int	 cmd_bind(struct tool_env *, int, char **);
int	 cmd_ports(struct tool_env *, int, char **);

/*
 * What a command did, for its report (report.c): to one file, and to
 * nginx.  With a dry run, what it would do.
 */
#define NGINX_NOT_ASKED	(-2)	/* the command has nothing to do with nginx */
#define NGINX_UNKNOWN	(-1)	/* no pid_file, or it tells nothing */
#define NGINX_STOPPED	0
#define NGINX_RUNNING	1
struct result {
	const char	*action;	/* "written", "unchanged", ... */
	int		 changed;
	const char	*path;		/* the file, or NULL */
	const char	*before;	/* its contents before; NULL: none */
	size_t		 beforelen;
	const char	*after;		/* its contents after */
	size_t		 afterlen;
	int		 nginx;		/* NGINX_* */
	int		 reloaded;
	char		*owned;		/* freed by result_free */
};
void	 result_init(struct result *);
void	 result_free(struct result *);
/*
 * The report on stdout: with JSON, one object ("changed", "action",
 * "paths", "dry_run" under a dry run, the file's "diff" when it changes,
 * nginx's state, and KEY: VALUE when KEY is not NULL); else, under a
 * dry run, the file as it would be.  0, or EX_IOERR/EX_OSERR.
 */
int	 report(const struct result *, int dry_run, int json, const char *key,
	    const char *value);

/*
 * nginx.c: a configuration file goes live only through here.  PATH is
 * replaced atomically by TEXT, the whole configuration tested
 * (test_command) and nginx reloaded (reload_command) unless it is not
 * running; if either fails, the previous PATH (or its absence) is put
 * back byte for byte.  EX_DATAERR when the test fails, EX_UNAVAILABLE
 * when the reload does.  With DRY_RUN nothing changes.  R tells what was
 * (or would be) done.
 */
int	 nginx_apply(const struct ss_conf *, const char *path, const char *text,
	    size_t len, int dry_run, struct result *r);
/* 0 when V can stand as one word in nginx's syntax, else EX_CONFIG (logged). */
int	 nginx_word(const struct ss_conf *, const char *section,
	    const char *key, const char *v);
/* test_command, then reload_command when nginx runs. */
int	 nginx_test_reload(const struct ss_conf *, int dry_run,
	    struct result *r);

/*
 * bind.c: OPENHAB_HTTP_ADDRESS as [openhab] defaults_file sets it, quotes
 * removed, in *ADDR (NULL when the file does not set it; free it).
 */
int	 bind_address(const struct ss_conf *, char **addr);

/* text.c: a growing text buffer for generated files. */
struct text {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	int	 failed;	/* out of memory at some point */
};
void	 text_add(struct text *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 text_free(struct text *);

#endif
