/*
 * openhab: the automation server's defaults file (/etc/default/openhab),
 * a shell fragment of NAME=value lines that its service reads.  Only
 * plain assignments are taken, so what is read is what the shell would
 * set, and an edit can keep every other byte.
 */
#ifndef SEC_OPENHAB_H
#define SEC_OPENHAB_H

#include <stddef.h>

#define OPENHAB_ADDRESS_VAR	"OPENHAB_HTTP_ADDRESS"
#define OPENHAB_HTTP_VAR	"OPENHAB_HTTP_PORT"
#define OPENHAB_HTTPS_VAR	"OPENHAB_HTTPS_PORT"
#define OPENHAB_HTTP_DEFAULT	8080	/* openHAB's own, when unset */
#define OPENHAB_HTTPS_DEFAULT	8443

/* One NAME=VALUE line, pointing into the file's buffer. */
struct openhab_assign {
	const char	*name;
	size_t		 namelen;
	const char	*val;		/* as written, quotes included */
	size_t		 vallen;
};

struct openhab_defaults {
	char			*buf;
	size_t			 len;
	struct openhab_assign	*v;	/* in file order */
	size_t			 n;
	int			 badline;	/* of a failed load, else 0 */
};

/*
 * Reads PATH: each line blank, a comment or [export ]NAME=VALUE (one
 * shell word, a comment after it).  0, or a sysexits(3) code (logged;
 * EX_DATAERR with badline for a line that is something else).
 */
int	openhab_load(const char *path, struct openhab_defaults *);
void	openhab_free(struct openhab_defaults *);

int	openhab_name_is(const struct openhab_assign *, const char *name);
/*
 * The string the shell assigns for a value as written: quotes removed,
 * backslash escapes resolved.  NULL when out of memory (logged).
 */
char	*openhab_unquote(const char *v, size_t n);
/*
 * NAME's value as the shell leaves it (the last assignment) in *VALUE,
 * NULL when the file does not set it; free it.  0 or EX_OSERR.
 */
int	openhab_get(const struct openhab_defaults *, const char *name,
	    char **value);
/*
 * The port NAME sets, DEF when the file does not set it, in *PORT.
 * EX_DATAERR (logged with PATH) when it is not 1 to 65535.
 */
int	openhab_port(const struct openhab_defaults *, const char *path,
	    const char *name, long def, long *port);

#endif
