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
 * nginx.c: a configuration file goes live only through here.  With
 * DRY_RUN, TEXT goes to stdout and nothing changes.  Otherwise PATH is
 * replaced atomically, the whole configuration tested (test_command) and
 * nginx reloaded (reload_command); if either fails, the previous PATH
 * (or its absence) is put back byte for byte.  EX_DATAERR when the test
 * fails, EX_UNAVAILABLE when the reload does.
 */
int	 nginx_apply(const struct ss_conf *, const char *path, const char *text,
	    size_t len, int dry_run);
/* 0 when V can stand as one word in nginx's syntax, else EX_CONFIG (logged). */
int	 nginx_word(const struct ss_conf *, const char *section,
    const char *key,
	    const char *v);
/* test_command, then reload_command. */
int	 nginx_test_reload(const struct ss_conf *);

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
