/*
 * ns: questions to name servers over ldns: to one server named
 * HOST[:PORT], without recursion, or to the system's resolvers; one
 * exchange (UDP, then TCP when the answer was truncated) and the checks
 * that the answer is to the question asked.
 */
#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/*
 * ldns.h declares its DNSSEC functions with OpenSSL types that
 * OPENSSL_NO_DEPRECATED hides; nothing here uses them.
 */
#undef OPENSSL_NO_DEPRECATED
#include <ldns/ldns.h>

#include "hostport.h"
#include "ns.h"
#include "secret.h"

#define MAX_ADDRS	8
#define QUERY_TIMEOUT	2	/* seconds per try */
#define QUERY_TRIES	2

/* Copies of the secret that ldns keeps are wiped before they are freed. */
void
ns_resolver_free(ldns_resolver *r)
{
	const char	*k;

	if (r == NULL)
		return;
	if ((k = ldns_resolver_tsig_keydata(r)) != NULL)
		secret_zero((char *)k, strlen(k));
	ldns_resolver_deep_free(r);
}

int
ns_resolver(const char *server, ldns_resolver **out, char *why,
    size_t len)
{
	struct addrinfo		 hints, *res = NULL, *ai;
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { QUERY_TIMEOUT, 0 };
	ldns_resolver		*r = NULL;
	ldns_rdf		*a;
	char			 host[256];
	long			 port;
	int			 e, n = 0, rc = EX_OSERR;

	*out = NULL;
	if (!hostport_parse(server, 53, host, sizeof(host), &port)) {
		snprintf(why, len, "'%s' is not HOST[:PORT]", server);
		return EX_DATAERR;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if ((e = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		snprintf(why, len, "%s: %s", host, e == EAI_SYSTEM ?
		    strerror(errno) : gai_strerror(e));
		return EX_TEMPFAIL;
	}
	if ((r = ldns_resolver_new()) == NULL) {
		snprintf(why, len, "%s: out of memory", server);
		goto out;
	}
	for (ai = res; ai != NULL && n < MAX_ADDRS; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof(ss))
			continue;
		memset(&ss, 0, sizeof(ss));
		memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
		if ((a = ldns_sockaddr_storage2rdf(&ss, NULL)) == NULL)
			continue;
		if (ldns_resolver_push_nameserver(r, a) == LDNS_STATUS_OK)
			n++;
		ldns_rdf_deep_free(a);
	}
	if (n == 0) {
		snprintf(why, len, "%s: no address to ask", host);
		rc = EX_TEMPFAIL;
		goto out;
	}
	ldns_resolver_set_port(r, (uint16_t)port);
	ldns_resolver_set_recursive(r, false);
	ldns_resolver_set_random(r, false);
	ldns_resolver_set_retry(r, QUERY_TRIES);
	ldns_resolver_set_retrans(r, 0);
	ldns_resolver_set_timeout(r, tv);
	*out = r;
	r = NULL;
	rc = 0;
out:
	ns_resolver_free(r);
	freeaddrinfo(res);
	return rc;
}

/* 0 when REPLY is an answer to Q, else EX_TEMPFAIL and why not. */
static int
reply_check(const char *server, const ldns_pkt *q, ldns_status st,
    const ldns_pkt *reply, char *why, size_t len)
{
	if (reply == NULL) {
		if (st == LDNS_STATUS_NETWORK_ERR ||
		    st == LDNS_STATUS_SOCKET_ERROR ||
		    st == LDNS_STATUS_RES_NO_NS)
			snprintf(why, len, "no answer from %s within %d s",
			    server, QUERY_TIMEOUT * QUERY_TRIES);
		else
			snprintf(why, len, "the answer from %s does not parse "
			    "(%s)", server, ldns_get_errorstr_by_id(st));
		return EX_TEMPFAIL;
	}
	if (ldns_pkt_id(reply) != ldns_pkt_id(q)) {
		snprintf(why, len, "the answer from %s is to another question",
		    server);
		return EX_TEMPFAIL;
	}
	return 0;
}

int
ns_exchange(ldns_resolver *r, const char *who, const ldns_pkt *q,
    ldns_pkt **reply, int *verified, char *why, size_t len)
{
	ldns_status	st;

	st = ldns_send(reply, r, q);
	if (*reply != NULL && ldns_pkt_tc(*reply)) {
		ldns_pkt_free(*reply);
		*reply = NULL;
		ldns_resolver_set_usevc(r, true);
		st = ldns_send(reply, r, q);
	}
	if (verified != NULL)
		*verified = st == LDNS_STATUS_OK;
	return reply_check(who, q, st, *reply, why, len);
}

const char *
ns_rcode_name(int rcode)
{
	const ldns_lookup_table	*lt;

	if ((lt = ldns_lookup_by_id(ldns_rcodes, rcode)) == NULL)
		return "an unknown RCODE";
	return lt->name;
}

/* The record's data as text; TXT as its bytes, strings joined. */
static void
rr_value(const ldns_rr *rr, char *buf, size_t len)
{
	const ldns_rdf	*rd;
	char		*s;
	size_t		 i, n = 0, sl;

	*buf = '\0';
	if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT) {
		if (ldns_rr_rd_count(rr) > 0 &&
		    (s = ldns_rdf2str(ldns_rr_rdf(rr, 0))) != NULL) {
			snprintf(buf, len, "%s", s);
			free(s);
		}
		return;
	}
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		rd = ldns_rr_rdf(rr, i);
		if (ldns_rdf_size(rd) < 1)
			continue;
		sl = ldns_rdf_data(rd)[0];
		if (sl > ldns_rdf_size(rd) - 1 || n + sl >= len)
			break;
		memcpy(buf + n, ldns_rdf_data(rd) + 1, sl);
		n += sl;
		buf[n] = '\0';
	}
}

/* A resolver with the system's name servers, which recurse. */
static int
resolver_system(ldns_resolver **out, char *why, size_t len)
{
	struct timeval	tv = { QUERY_TIMEOUT, 0 };
	ldns_status	st;

	if ((st = ldns_resolver_new_frm_file(out, NULL)) != LDNS_STATUS_OK) {
		*out = NULL;
		snprintf(why, len, "the system resolver: %s",
		    ldns_get_errorstr_by_id(st));
		return EX_UNAVAILABLE;
	}
	ldns_resolver_set_retry(*out, QUERY_TRIES);
	ldns_resolver_set_retrans(*out, 0);
	ldns_resolver_set_timeout(*out, tv);
	return 0;
}

int
ns_query(const char *server, const char *name, int type,
    struct ns_answer *ans, char *why, size_t len)
{
	ldns_resolver	*r = NULL;
	ldns_pkt	*q = NULL, *reply = NULL;
	ldns_rr_list	*rrs = NULL;
	ldns_rdf	*owner = NULL, *o;
	const char	*who = server != NULL ? server : "the system resolver";
	size_t		 i;
	int		 rcode, rc;

	memset(ans, 0, sizeof(*ans));
	if (ldns_str2rdf_dname(&owner, name) != LDNS_STATUS_OK) {
		snprintf(why, len, "%s: not a domain name", name);
		return EX_DATAERR;
	}
	if ((rc = server != NULL ? ns_resolver(server, &r, why, len) :
	    resolver_system(&r, why, len)) != 0)
		goto out;
	rc = EX_OSERR;
	if ((o = ldns_rdf_clone(owner)) == NULL ||
	    (q = ldns_pkt_query_new(o, type, LDNS_RR_CLASS_IN,
	    server != NULL ? 0 : LDNS_RD)) == NULL) {
		snprintf(why, len, "%s: out of memory", who);
		goto out;
	}
	ldns_pkt_set_random_id(q);
	if ((rc = ns_exchange(r, who, q, &reply, NULL, why, len)) != 0)
		goto out;
	rc = EX_UNAVAILABLE;
	rcode = ldns_pkt_get_rcode(reply);
	if (rcode != LDNS_RCODE_NOERROR && rcode != LDNS_RCODE_NXDOMAIN) {
		snprintf(why, len, "%s answered %s", who, ns_rcode_name(rcode));
		goto out;
	}
	if (server != NULL && !ldns_pkt_aa(reply)) {
		snprintf(why, len, "%s is not authoritative for %s", who, name);
		goto out;
	}
	rc = 0;
	ans->nxdomain = rcode == LDNS_RCODE_NXDOMAIN;
	if ((rrs = ldns_pkt_rr_list_by_name_and_type(reply, owner, type,
	    LDNS_SECTION_ANSWER)) == NULL)
		goto out;
	for (i = 0; i < ldns_rr_list_rr_count(rrs) && ans->n < NS_MAX_VALUES;
	    i++)
		rr_value(ldns_rr_list_rr(rrs, i), ans->value[ans->n++],
		    sizeof(ans->value[0]));
out:
	ldns_rr_list_deep_free(rrs);
	ldns_pkt_free(reply);
	ldns_pkt_free(q);
	ldns_rdf_deep_free(owner);
	ns_resolver_free(r);
	return rc;
}
