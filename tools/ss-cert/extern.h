/*
 * ss-cert: what crosses its files.
 */
#ifndef SS_CERT_EXTERN_H
#define SS_CERT_EXTERN_H

#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "crypto.h"

/* Monitoring-plugin codes, used by check only. */
#define CHECK_OK	0
#define CHECK_WARNING	1
#define CHECK_CRITICAL	2
#define CHECK_UNKNOWN	3

#define SELF_DIR	"self"
#define LOCK_WAIT	30	/* seconds to wait for another ss-cert */

struct env {
	const char	*conf_opt;	/* -c FILE, or NULL */
	struct conf	*conf;		/* NULL until loaded */
	int		 dry_run;
};

/* main.c */
int	 env_conf(struct env *);
int	 usage_sub(const char *synopsis);
int	 opt_num(const char *opt, const char *arg, long min, long max,
	    long *out);

/* Subcommands: argc/argv start at the subcommand's name. */
int	 cmd_selfsigned(struct env *, int, char **);
int	 cmd_install(struct env *, int, char **);
int	 cmd_check(struct env *, int, char **);
int	 cmd_list(struct env *, int, char **);
int	 cmd_dhparam(struct env *, int, char **);
int	 cmd_export(struct env *, int, char **);

/* store.c: the certificates directory. */
int	 store_path(char *, size_t, const struct conf *, const char *name,
	    const char *file);
int	 store_lock(const struct conf *, int *fd);
int	 store_name_ok(const char *);
int	 store_active(const struct conf *, char *name, size_t namelen);
int	 store_cert_file(const struct conf *, const char *name, char *buf,
	    size_t len);
int	 store_key_file(const struct conf *, const char *name, char *buf,
	    size_t len);

struct store_set {
	const char	*cert;		/* PEM of the leaf */
	size_t		 certlen;
	const char	*chain;		/* PEM of the intermediates, may be "" */
	size_t		 chainlen;
	const char	*key;		/* PEM of the private key */
	size_t		 keylen;
};
int	 store_install(const struct conf *, const char *name,
	    const struct store_set *, int *version);

/* Date as "2026-11-22 23:50:01 UTC" / "2026-11-22". */
void	 fmt_time(char *, size_t, time_t);
void	 fmt_date(char *, size_t, time_t);

#endif
