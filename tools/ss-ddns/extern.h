/*
 * ss-ddns: what crosses its files.
 */
#ifndef SS_DDNS_EXTERN_H
#define SS_DDNS_EXTERN_H

#include <netinet/in.h>
#include <stddef.h>
#include <time.h>

#include "checkip.h"
#include "conf.h"
#include "ddnsname.h"
#include "ddnsstate.h"
#include "ns.h"
#include "tool.h"

/* Subcommands: argc/argv start at the subcommand's name. */
int	 cmd_ip(struct tool_env *, int, char **);
int	 cmd_update(struct tool_env *, int, char **);
int	 cmd_status(struct tool_env *, int, char **);
int	 cmd_check(struct tool_env *, int, char **);
int	 cmd_txt(struct tool_env *, int, char **);
int	 cmd_retry(struct tool_env *, int, char **);

/*
 * Providers (dyndns2.c, rfc2136.c): one table entry each.  update() sends
 * A (and/or AAAA) for the fqdn and reports what the provider said.
 */
enum presult {
	UPDATE_OK,		/* changed or already so */
	UPDATE_RETRY,		/* try again later: network, 5xx */
	UPDATE_BACKOFF,		/* provider asked for a pause (911, dnserr) */
	UPDATE_STOP		/* refused: badauth,
	    nohost...: until config changes */
};
struct provider {
	const char	*name;
	int		(*update)(const struct ss_conf *,
			    const struct checkip_addr *v4,
			    const struct checkip_addr *v6, enum presult *,
			    char *detail, size_t len);
};
extern const struct provider provider_dyndns2;
extern const struct provider provider_rfc2136;

/* rfc2136.c: TXT records (the dns_hook of ss-cert). */
int	 rfc2136_txt(const struct ss_conf *, int add, const char *name,
	    const char *value);

/*
 * tsigkey.c: [ddns] tsig_key_file, a BIND key file with one hmac-sha256
 * key (tsig-keygen).  A file that group or others can open has leaked the
 * secret already, or soon will: refused.  0, or EX_CONFIG (logged).
 */
#define TSIGKEY_NAME_MAX	256
#define TSIGKEY_SECRET_MAX	512
struct tsigkey {
	char	 name[TSIGKEY_NAME_MAX];
	char	 secret[TSIGKEY_SECRET_MAX];	/* base64, as the file has it */
};
int	 tsigkey_load(const struct ss_conf *, struct tsigkey *);

#endif
