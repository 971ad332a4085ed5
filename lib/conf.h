/*
 * conf: security.conf, an INI file read with inih.
 *
 * Every section and key the tools know is in one table (conf.c) with its
 * type, limits and default.  conf_load() checks the whole file against it:
 * an unknown section or key, a bad number or boolean, a duplicate key, an
 * over-long line or a syntax error is logged as "FILE:LINE: what is wrong"
 * and the load fails.  Getters then never fail: they return the value from
 * the file or the table's default.
 */
#ifndef SEC_CONF_H
#define SEC_CONF_H

#include <stddef.h>

#define CONF_DEFAULT_PATH	"/etc/ss/security.conf"
#define CONF_MAX_LINE		198	/* characters, without the newline */

struct conf;

/*
 * The file to read: -c FILE if given, else $SS_CONFIG, else the default.
 */
const char *conf_path(const char *opt);

/*
 * Reads and checks PATH.  Returns 0 and sets *out, or logs every problem
 * up to the first error and returns EX_CONFIG (78); a missing or
 * unreadable file is EX_CONFIG too.
 */
int	 conf_load(const char *path, struct conf **out);
void	 conf_free(struct conf *);
const char *conf_file(const struct conf *);

/* Value of a known key, or its default (may be "" but never NULL). */
const char *conf_str(const struct conf *, const char *section, const char *key);
long	 conf_int(const struct conf *, const char *section, const char *key);
int	 conf_bool(const struct conf *, const char *section, const char *key);
/*
 * Comma-separated list, items trimmed, empty items dropped.  Returns a
 * NULL-terminated array (free with conf_list_free) or NULL on ENOMEM.
 */
char	**conf_list(const struct conf *, const char *section, const char *key);
void	 conf_list_free(char **);
/* 1 if the key was set in the file (not defaulted). */
int	 conf_isset(const struct conf *, const char *section, const char *key);

/*
 * [device] hostname (default: the system's short host name) and the fully
 * qualified name hostname.domain (just hostname when domain is empty).
 */
const char *conf_hostname(const struct conf *);
const char *conf_fqdn(const struct conf *);

/*
 * Rewrites PATH with SECTION.KEY = VALUE, keeping every other line and
 * comment.  The key is replaced in place, or added at the end of its
 * section, or a new section is appended.  The value is checked against
 * the table first; the file is replaced atomically under a lock.
 * Returns 0 or a sysexits code (EX_CONFIG for a bad key or value,
 * EX_CANTCREAT when the file cannot be written).
 */
int	 conf_set(const char *path, const char *section, const char *key,
	    const char *value);

#endif
