/*
 * conf: security.conf, loaded once into struct ss_conf.
 *
 * Every key is in conf_keys.h with its type, limits and default.
 * conf_load() checks the whole file against that list: an unknown section
 * or key, a bad number or boolean, a duplicate key, an over-long line or a
 * syntax error is logged as "FILE:LINE: what is wrong" and the load fails.
 * Afterwards every field holds the value from the file or the default, and
 * the tools read fields: c->certs.renew_days, c->ddns.checkip[0].
 * The sections [ddns:FQDN], which may come more than once, are the array
 * c->names (c->names[0].server).
 */
#ifndef SEC_CONF_H
#define SEC_CONF_H

#include <stddef.h>

#include "conf_keys.h"

/* The Makefile sets them from SYSCONFDIR and DATADIR. */
#ifndef CONF_DEFAULT_PATH
#define CONF_DEFAULT_PATH	"/etc/ss/security.conf"
#endif
#ifndef CONF_EXAMPLE_PATH
#define CONF_EXAMPLE_PATH	"/usr/share/ss-security/security.conf.example"
#endif
#define CONF_MAX_LINE		198	/* characters, without the newline */

/* The C type of a field, by the key's type in conf_keys.h. */
#define CONF_CTYPE_STRING	const char *
#define CONF_CTYPE_HOSTNAME	const char *	/* one DNS label */
#define CONF_CTYPE_DNSNAME	const char *	/* labels, or "" */
#define CONF_CTYPE_PATH		const char *	/* absolute */
#define CONF_CTYPE_OPTPATH	const char *	/* absolute, or "" */
#define CONF_CTYPE_URL		const char *	/* http:// or https:// */
#define CONF_CTYPE_PROXY	const char *	/* http://HOST[:PORT], or "" */
#define CONF_CTYPE_ENUM		const char *	/* one of the choices */
#define CONF_CTYPE_IP		const char *	/* an IPv4 or IPv6 literal */
#define CONF_CTYPE_INT		long		/* within min..max */
#define CONF_CTYPE_BOOL		int		/* 0 or 1 */
/* Lists: comma-separated in the file, trimmed, empty items dropped. */
#define CONF_CTYPE_LIST		char *const *	/* NULL-terminated */
#define CONF_CTYPE_IPLIST	char *const *	/* of IP literals */
#define CONF_CTYPE_CIDRLIST	char *const *	/* of IP[/prefix] */
#define CONF_CTYPE_PORTLIST	char *const *	/* of ports, 1 to 65535 */

#define CONF_FIELD(s, k, t, min, max, choices, def)	CONF_CTYPE_##t k;
#define CONF_SECTION(s, KEYS)	struct { KEYS(CONF_FIELD) } s;

struct conf_store;

/*
 * One [ddns:FQDN] section: a name kept up to date besides the device's
 * own, with its own provider.  A key the section does not set has its
 * default, never [ddns]'s value.
 */
struct ss_conf_ddns_name {
	const char		*fqdn;		/* lower case */
	int			 line;		/* of the [ddns:FQDN] line */
	CONF_DDNS_NAME(CONF_FIELD)
};

struct ss_conf {
	const char		*file;		/* the path it was read from */
	const char		*fqdn;		/* hostname.domain,
	    or hostname */
	CONF_SECTIONS(CONF_SECTION)
	const struct ss_conf_ddns_name *names;	/* in the file's order */
	size_t			 nnames;
	struct conf_store	*store;		/* what the fields point into */
};

#undef CONF_SECTION
#undef CONF_FIELD

/* CONF_KEY(certs, renew_days) names a key for conf_isset(). */
#define CONF_KEY(s, k)		CONF_KEY_##s##_##k
#define CONF_ENUM(s, k, t, min, max, choices, def)	CONF_KEY(s, k),
#define CONF_ENUM_SECTION(s, KEYS)	KEYS(CONF_ENUM)
enum conf_key {
	CONF_SECTIONS(CONF_ENUM_SECTION)
	CONF_NKEYS
};
#undef CONF_ENUM_SECTION
#undef CONF_ENUM

/* CONF_NAME_KEY(server) names a key of [ddns:FQDN]. */
#define CONF_NAME_KEY(k)	CONF_NAME_KEY_##k
#define CONF_NAME_ENUM(s, k, t, min, max, choices, def)	CONF_NAME_KEY(k),
enum conf_name_key {
	CONF_DDNS_NAME(CONF_NAME_ENUM)
	CONF_NNAME_KEYS
};
#undef CONF_NAME_ENUM

/*
 * The file to read: -c FILE if given, else $SS_CONFIG, else the default.
 */
const char *conf_path(const char *opt);

/*
 * Reads and checks PATH.  Returns 0 and sets *out, or logs every problem
 * up to the first error and returns EX_CONFIG (78); a missing or
 * unreadable file is EX_CONFIG too, a missing one named with where to
 * look for help: security.conf(5) and CONF_EXAMPLE_PATH.
 */
int	 conf_load(const char *path, struct ss_conf **out);
void	 conf_free(struct ss_conf *);
/* 1 if the key was set in the file (not defaulted). */
int	 conf_isset(const struct ss_conf *, enum conf_key);

/*
 * One effective setting: its value as the tools read it (a number in
 * decimal, a boolean as yes or no, any other value as the file or the
 * default gives it) and where it came from.
 */
struct conf_setting {
	const char	*section;
	const char	*key;
	const char	*value;
	const char	*file;		/* that set it; NULL: the default */
	int		 line;
	int		 first;		/* the first key of its section */
};

/*
 * Calls FN with every key of every section, in the order of conf_keys.h,
 * then every key of each [ddns:FQDN] in the file's order, and ARG; the setting is valid during the call only.  Stops at the first
 * non-zero FN returns and returns it; returns 0 once every key was seen.
 */
int	 conf_each(const struct ss_conf *,
	    int (*fn)(const struct conf_setting *, void *), void *arg);

#endif
