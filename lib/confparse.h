/*
 * confparse: the key table and the line-by-line checker that conf.c
 * (loading the file) and confedit.c (editing one key) share.  Private to
 * those two.
 *
 * inih does the INI syntax; the reader feeds it one line at a time from a
 * buffer so that the line number is known in the handler, leading blanks
 * are dropped (inih would otherwise glue an indented line to the previous
 * key's value) and over-long lines are refused instead of being split.
 * Only the first problem is reported.  A blank is what inih's isspace()
 * takes, in the C locale the tools never leave.
 */
#ifndef SEC_CONFPARSE_H
#define SEC_CONFPARSE_H

#include <stddef.h>

#include "conf.h"

#define CONFPARSE_ERRLEN	512

enum conf_type {
	TYPE_STRING,
	TYPE_HOSTNAME,
	TYPE_DNSNAME,
	TYPE_PATH,
	TYPE_OPTPATH,
	TYPE_URL,
	TYPE_PROXY,
	TYPE_INT,
	TYPE_BOOL,
	TYPE_ENUM,
	TYPE_IP,
	TYPE_LIST,
	TYPE_IPLIST,
	TYPE_CIDRLIST,
	TYPE_PORTLIST
};

struct conf_keydef {
	const char		*section;
	const char		*name;
	enum conf_type		 type;
	long			 min;		/* TYPE_INT */
	long			 max;
	const char *const	*choices;	/* TYPE_ENUM */
	const char		*def;		/* NULL: system's host name */
	size_t			 offset;	/* of the field in ss_conf */
};

/* Indexed by enum conf_key. */
extern const struct conf_keydef confparse_keys[CONF_NKEYS];
/*
 * Indexed by enum conf_name_key: the keys of [ddns:FQDN], offsets in
 * struct ss_conf_ddns_name.
 */
extern const struct conf_keydef confparse_name_keys[CONF_NNAME_KEYS];

/*
 * A value as the file gives it and where: FILE is the name handed to
 * confparse_buf(), which must outlive the value.
 */
struct conf_value {
	char		*str;		/* NULL: not in the file */
	const char	*file;
	int		 line;
};

/* One [ddns:FQDN] section as read. */
struct conf_name {
	char			*fqdn;		/* lower case */
	int			 line;
	struct conf_value	 val[CONF_NNAME_KEYS];
};

/* One pass of the checker over a buffer. */
struct conf_parse {
	const char		*pos;
	const char		*end;
	const char		*file;		/* for messages and origins */
	int			 line;
	const char		*section;	/* of the last good [section] */
	struct conf_value	*val;		/* CONF_NKEYS entries, filled */
	int			 unchecked;	/* key whose value may be bad */
	const char		*track;		/* section whose end is asked */
	int			 track_line;	/* its last line, or 0 */
	int			 err_line;	/* first problem, 0 if none */
	int			 err_code;
	char			 err[CONFPARSE_ERRLEN];
	struct conf_name	*names;		/* [ddns:FQDN], in order */
	size_t			 nnames;
	int			 keep_names;	/* else freed after the pass */
};

/* Index of SECTION.NAME in confparse_keys, or -1. */
int	 confparse_find(const char *section, const char *name);
/* The table's spelling of section S (N bytes), or NULL when unknown. */
const char *confparse_section(const char *s, size_t n);
/* 0 when V is a good value for K, else -1 with the reason in WHY. */
int	 confparse_value(const struct conf_keydef *k, const char *v,
	    char *why, size_t len);
/*
 * Checks LEN bytes of BUF (FILE names it in messages) into VAL
 * (CONF_NKEYS entries) and P->names.  Logs the first problem and returns
 * EX_CONFIG (EX_OSERR out of memory), or 0.  P->unchecked, P->track and
 * P->keep_names are the caller's; the rest is set here.  P->names is
 * kept only when P->keep_names and the pass succeeded; the caller frees
 * it with confparse_names_free().
 */
int	 confparse_buf(struct conf_parse *p, const char *file, const char *buf,
	    size_t len, struct conf_value *val);
void	 confparse_values_free(struct conf_value *val);
void	 confparse_names_free(struct conf_name *, size_t);
/* 1 or 0, or -1 when S is not a boolean. */
int	 confparse_bool(const char *s);
/*
 * Next item of a comma-separated list at *SP, blanks around it trimmed
 * and empty items skipped.  Returns 0 at the end of the list.
 */
int	 confparse_list_next(const char **sp, const char **item, size_t *len);

#endif
