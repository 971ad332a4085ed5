/*
 * ss-ddns: what crosses its files.
 */
#ifndef SS_DDNS_EXTERN_H
#define SS_DDNS_EXTERN_H

#include <netinet/in.h>
#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "tool.h"

/* Subcommands: argc/argv start at the subcommand's name. */
int	 cmd_ip(struct tool_env *, int, char **);
int	 cmd_update(struct tool_env *, int, char **);
int	 cmd_status(struct tool_env *, int, char **);
int	 cmd_check(struct tool_env *, int, char **);
int	 cmd_txt(struct tool_env *, int, char **);

/* An address of one family, as text and as bytes. */
struct addr {
	int		 family;	/* AF_INET or AF_INET6 */
	char		 text[INET6_ADDRSTRLEN];
};

/*
 * ip.c: the external address of FAMILY from [ddns] checkip sources in
 * order (URL, iface:NAME, cmd:COMMAND).  Warns for private and CGNAT
 * answers.  EX_TEMPFAIL when no source answered usably, EX_UNAVAILABLE
 * when one of them could not be asked because the proxy failed.
 */
int	 external_ip(const struct ss_conf *, int family, struct addr *);
/* 1 when TEXT is exactly one address of FAMILY (blanks around allowed). */
int	 addr_parse(const char *text, size_t len, int family, struct addr *);
/* The families [ddns] ip_version asks for, into FAM; returns 1 or 2. */
int	 ip_families(const struct ss_conf *, int fam[2]);

/*
 * state.c: STATE/ddns/ (state_dir): the cached address per family, the
 * provider's state, and a bounded history of changes; all written through
 * lib/fs under a lock.
 */
enum pstate { PROVIDER_OK, PROVIDER_BACKOFF, PROVIDER_STOPPED };

struct ddns_state {
	char		 last4[INET6_ADDRSTRLEN];	/* "" when none */
	char		 last6[INET6_ADDRSTRLEN];
	time_t		 updated;		/* last successful update */
	char		 result[128];		/* last update's result */
	enum pstate	 provider;
	time_t		 backoff_until;
	char		 stop_reason[128];
	char		 stop_config[65];	/* hash of the config when stopped */
	char		*history;		/* "EPOCH FAMILY ADDRESS\n" each */
	size_t		 history_len;
};
int	 state_lock(const struct ss_conf *, int *fd);
int	 state_load(const struct ss_conf *, struct ddns_state *);
/* Cache and history in one atomic replace; the newest HISTORY_MAX kept. */
int	 state_save(const struct ss_conf *, const struct ddns_state *);
void	 state_free(struct ddns_state *);
/* Adds a change (time, family, address) to the history in memory. */
int	 history_add(struct ddns_state *, time_t, const struct addr *);
/* Changes since SINCE. */
int	 history_count(const struct ddns_state *, time_t since);
/* A hash of the [ddns] settings, so a stop is lifted once they change. */
int	 config_hash(const struct ss_conf *, char out[65]);

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
	int		(*update)(const struct ss_conf *, const struct addr *v4,
			    const struct addr *v6, enum presult *,
			    char *detail, size_t len);
};
extern const struct provider provider_dyndns2;
extern const struct provider provider_rfc2136;

/* rfc2136.c: TXT records (the dns_hook of ss-cert). */
int	 rfc2136_txt(const struct ss_conf *, int add, const char *name,
	    const char *value);
/* rfc2136.c: [ddns] zone, else the fqdn without its first label. */
int	 ddns_zone(const struct ss_conf *, char *buf, size_t len);

/*
 * rfc2136.c: asks the name server SERVER (HOST[:PORT], port 53 when none;
 * a name or an address) directly, without recursion, for NAME's records
 * of TYPE.  0 when it answered with authority (ANS may hold no value:
 * there is no such record); EX_TEMPFAIL when it did not answer,
 * EX_UNAVAILABLE when it refused or is not authoritative, with WHY;
 * EX_DATAERR when NAME or SERVER do not parse.  SERVER NULL: the system's
 * resolvers (resolv.conf), with recursion and without the authority.
 */
#define DNS_A		1	/* record types, RFC 1035 and RFC 3596 */
#define DNS_NS		2
#define DNS_TXT		16
#define DNS_AAAA	28
#define NS_MAX_VALUES	16
struct ns_answer {
	int		 n;
	int		 nxdomain;
	/* A, AAAA and NS as text; TXT as its bytes, strings joined */
	char		 value[NS_MAX_VALUES][256];
};
int	 ns_query(const char *server, const char *name, int type,
	    struct ns_answer *, char *why, size_t len);

#endif
