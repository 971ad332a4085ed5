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
int	 cmd_retry(struct tool_env *, int, char **);

/*
 * names.c: the names kept up to date, each seen through a copy of the
 * configuration whose fqdn and provider keys ([ddns]'s keys that
 * [ddns:FQDN] may set) are the name's.  The device's own name comes first
 * (left out when [device] domain is empty and [ddns:FQDN] names exist),
 * with the state file it always had.  ONLY (--name, or NULL for all)
 * picks one: EX_USAGE, with the names listed, when there is no such name.
 * *OUT is the caller's to free.
 */
struct ddns_name {
	struct ss_conf	 conf;
	const char	*fqdn;
	int		 device;	/* the device's own name */
	char		 section[272];	/* "[ddns]", "[ddns:FQDN]" */
	char		 state[272];	/* its file in STATE/ddns */
};
int	 names_get(const struct ss_conf *, const char *only,
	    struct ddns_name **out, size_t *nout);
/* "[ddns]" or "[ddns:FQDN]": where the provider keys of view C are set. */
const char *names_section(const struct ss_conf *c);

/* An address of one family, as text and as bytes. */
struct addr {
	int		 family;	/* AF_INET or AF_INET6 */
	char		 text[INET6_ADDRSTRLEN];
};

/*
 * ip.c: the external address of FAMILY from [ddns] checkip sources in
 * order (URL, iface:NAME, cmd:COMMAND).  Warns for private and CGNAT
 * answers.  EX_TEMPFAIL when no source answered usably, EX_UNAVAILABLE
 * when one of them could not be asked because the proxy failed,
 * EX_CONFIG when [ddns] ca_file cannot be used.
 */
int	 ip_external(const struct ss_conf *, int family, struct addr *);
/* 1 when TEXT is exactly one address of FAMILY (blanks around allowed). */
int	 ip_addr_parse(const char *text, size_t len, int family, struct addr *);
/* The families [ddns] ip_version asks for, into FAM; returns 1 or 2. */
int	 ip_families(const struct ss_conf *, int fam[2]);

/*
 * state.c: STATE/ddns/ (state_dir): the cached address per family, the
 * provider's state, and a bounded history of changes; all written through
 * lib/fs under a lock.
 */
enum pstate {
	PROVIDER_OK,
	PROVIDER_BACKOFF,
	PROVIDER_STOPPED,
	PROVIDER_RETRY		/* a stop lifted by retry: the next run sends */
};

struct ddns_state {
	char		 last4[INET6_ADDRSTRLEN];	/* "" when none */
	char		 last6[INET6_ADDRSTRLEN];
	int64_t		 updated;		/* last successful update */
	char		 result[128];		/* last update's result */
	enum pstate	 provider;
	int64_t		 backoff_until;
	char		 stop_reason[128];
	char		 stop_config[65];	/* hash of the config when stopped */
	char		*history;		/* "EPOCH FAMILY ADDRESS\n" each */
	size_t		 history_len;
};
int	 state_lock(const struct ss_conf *, int *fd);
/* The state file of a name; none yet is an empty state. */
int	 state_load(const struct ddns_name *, struct ddns_state *);
/* Cache and history in one atomic replace; the newest HISTORY_MAX kept. */
int	 state_save(const struct ddns_name *, const struct ddns_state *);
/* STATE/ddns/FILE of a name, for messages and --json. */
int	 state_path(const struct ddns_name *, char *buf, size_t len);
void	 state_free(struct ddns_state *);
/* Adds a change (time, family, address) to the history in memory. */
int	 state_history_add(struct ddns_state *, int64_t,
	    const struct addr *);
/* Changes since SINCE. */
int	 state_history_count(const struct ddns_state *, int64_t since);
/*
 * A hash of a name's provider settings (C is the name's view), so that a
 * stop is lifted once they change.
 */
int	 state_config_hash(const struct ss_conf *, char out[65]);

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
int	 rfc2136_zone(const struct ss_conf *, char *buf, size_t len);

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

/*
 * ns.c: asks the name server SERVER (HOST[:PORT], port 53 when none;
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

/*
 * ns.c, for messages other than questions (rfc2136.c's updates), in
 * ldns's types.  ns_resolver: a resolver that asks SERVER (HOST[:PORT])
 * and nothing else, every address HOST has in turn; EX_DATAERR when
 * SERVER does not parse, EX_TEMPFAIL when HOST has no address now, with
 * WHY.  ns_resolver_free wipes the TSIG secret set on it.  ns_exchange
 * sends Q (UDP, then TCP when the answer was truncated) and returns 0
 * when *REPLY answers it, else EX_TEMPFAIL with WHY naming WHO; *REPLY
 * is the caller's to free either way.  *VERIFIED (when not NULL) is 1
 * when ldns took the answer as it is: with a TSIG key set on R, signed
 * with that key.
 */
struct ldns_struct_resolver;
struct ldns_struct_pkt;
int	 ns_resolver(const char *server, struct ldns_struct_resolver **,
	    char *why, size_t len);
void	 ns_resolver_free(struct ldns_struct_resolver *);
int	 ns_exchange(struct ldns_struct_resolver *, const char *who,
	    const struct ldns_struct_pkt *q, struct ldns_struct_pkt **reply,
	    int *verified, char *why, size_t len);
/* "NOERROR", "REFUSED", ... */
const char *ns_rcode_name(int rcode);

#endif
