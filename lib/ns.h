/*
 * ns: questions to name servers over ldns, to one server directly or to
 * the system's resolvers, and the exchange rfc2136 updates go through.
 */
#ifndef SEC_NS_H
#define SEC_NS_H

#include <stddef.h>

/*
 * Asks the name server SERVER (HOST[:PORT], port 53 when none; a name or
 * an address) directly, without recursion, for NAME's records of TYPE.
 * 0 when it answered with authority (ANS may hold no value: there is no
 * such record); EX_TEMPFAIL when it did not answer, EX_UNAVAILABLE when
 * it refused or is not authoritative, with WHY; EX_DATAERR when NAME or
 * SERVER do not parse.  SERVER NULL: the system's resolvers
 * (resolv.conf), with recursion and without the authority.
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
 * For messages other than questions (ss-ddns's updates), in ldns's
 * types.  ns_resolver: a resolver that asks SERVER (HOST[:PORT]) and
 * nothing else, every address HOST has in turn; EX_DATAERR when SERVER
 * does not parse, EX_TEMPFAIL when HOST has no address now, with WHY.
 * ns_resolver_free wipes the TSIG secret set on it.  ns_exchange sends Q
 * (UDP, then TCP when the answer was truncated) and returns 0 when
 * *REPLY answers it, else EX_TEMPFAIL with WHY naming WHO; *REPLY is the
 * caller's to free either way.  *VERIFIED (when not NULL) is 1 when ldns
 * took the answer as it is: with a TSIG key set on R, signed with that
 * key.
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
