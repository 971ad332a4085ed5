/*
 * dnscheck: whether DNS answers the device's external address for a name,
 * asked of the system resolver and of the zone's authoritative servers
 * directly (its NS records, and [ddns] server for rfc2136: the primary),
 * and the judgement of what they answered.  ss-ddns check and ss-audit's
 * dns check share it.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnscheck.h"
#include "ipaddr.h"
#include "log.h"

int
dnscheck_external(const struct ss_conf *c, int want, int fams[2],
    struct checkip_addr ext[2])
{
	const char	*ipv = c->ddns.ip_version;
	int		 j, nfam = 0;

	if (want != AF_INET6 && (want == AF_INET || strcmp(ipv, "6") != 0))
		fams[nfam++] = AF_INET;
	if (want != AF_INET && (want == AF_INET6 || strcmp(ipv, "4") != 0))
		fams[nfam++] = AF_INET6;
	memset(ext, 0, 2 * sizeof(*ext));
	for (j = 0; j < nfam; j++)
		if (checkip_external(c, fams[j], &ext[j]) != 0)
			ext[j].family = 0;
	return nfam;
}

/* The system resolver (getaddrinfo: hosts file, caches, DNS). */
static void
system_lookup(const char *fqdn, struct dnscheck_family *f)
{
	struct addrinfo			 hints, *res = NULL, *ai;
	struct dnscheck_answer			*a = &f->sys;
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	const void			*p;
	int				 e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = f->af;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(fqdn, NULL, &hints, &res)) != 0) {
		if (e == EAI_AGAIN || e == EAI_SYSTEM || e == EAI_MEMORY) {
			a->rc = 1;
			snprintf(a->why, sizeof(a->why), "%s", gai_strerror(e));
		}
		return;
	}
	for (ai = res; ai != NULL && a->ans.n < NS_MAX_VALUES;
	    ai = ai->ai_next) {
		if (ai->ai_family != f->af)
			continue;
		sin = (const struct sockaddr_in *)ai->ai_addr;
		sin6 = (const struct sockaddr_in6 *)ai->ai_addr;
		p = f->af == AF_INET ? (const void *)&sin->sin_addr :
		    (const void *)&sin6->sin6_addr;
		if (inet_ntop(f->af, p, a->ans.value[a->ans.n],
		    sizeof(a->ans.value[0])) != NULL)
			a->ans.n++;
	}
	freeaddrinfo(res);
}

/* 1 when A answered the external address and nothing else. */
static int
answer_right(const struct dnscheck_family *f,
    const struct dnscheck_answer *a)
{
	int	i;

	if (!f->have_ext || a->rc != 0 || a->ans.n == 0)
		return 0;
	for (i = 0; i < a->ans.n; i++)
		if (!ipaddr_equal(a->ans.value[i], f->ext.text))
			return 0;
	return 1;
}

void
dnscheck_answer_text(const struct dnscheck_family *f,
    const struct dnscheck_answer *a, char *buf, size_t len)
{
	size_t	n;
	int	i;

	if (a->rc != 0) {
		snprintf(buf, len, "%s", a->why);
		return;
	}
	if (a->ans.n == 0) {
		snprintf(buf, len, "no %s record", f->type);
		return;
	}
	*buf = '\0';
	for (i = 0; i < a->ans.n; i++) {
		n = strlen(buf);
		snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
		    a->ans.value[i]);
	}
}

/* The zone's NS records, then [ddns] server: the zone's primary. */
static void
servers_find(const struct ss_conf *c, struct dnscheck *r)
{
	struct ns_answer	 ns;
	const char		*server = c->ddns.server;
	int			 i;

	r->primary = -1;
	if (ns_query(NULL, r->zone, DNS_NS, &ns, r->ns_why,
	    sizeof(r->ns_why)) == 0 && ns.n == 0)
		snprintf(r->ns_why, sizeof(r->ns_why), "the system resolver "
		    "knows no NS records for %s", r->zone);
	for (i = 0; i < ns.n && r->nservers < DNSCHECK_SERVERS - 1; i++)
		snprintf(r->servers[r->nservers++], sizeof(r->servers[0]),
		    "%s", ns.value[i]);
	if (strcmp(c->ddns.protocol, "rfc2136") == 0 &&
	    *server != '\0') {
		r->primary = r->nservers;
		snprintf(r->servers[r->nservers++], sizeof(r->servers[0]),
		    "%s", server);
	}
}

void
dnscheck_judge(struct dnscheck *r, const struct dnscheck_family *f)
{
	char	text[1024];
	int	i, answered = 0, wrong = 0;

	if (!f->have_ext)
		check_problem(&r->check, CHECK_UNKNOWN,
		    "the external IPv%c address cannot "
		    "be found", f->af == AF_INET ? '4' : '6');
	for (i = 0; i < r->nservers; i++) {
		if (f->auth[i].rc != 0)
			continue;
		answered++;
		if (!f->have_ext || answer_right(f, &f->auth[i]))
			continue;
		wrong++;
		dnscheck_answer_text(f, &f->auth[i], text, sizeof(text));
		check_problem(&r->check, CHECK_CRITICAL, "%s %s %s",
		    r->servers[i],
		    f->auth[i].ans.n == 0 ? "has" : "answers", text);
	}
	if (answered == 0) {
		check_problem(&r->check, CHECK_UNKNOWN,
		    "no authoritative server answers %s "
		    "%s: %s", r->fqdn, f->type, r->nservers == 0 ? r->ns_why :
		    f->auth[0].why);
		return;
	}
	for (i = 0; i < r->nservers; i++)
		if (f->auth[i].rc != 0)
			check_problem(&r->check, CHECK_WARNING, "%s",
			    f->auth[i].why);
	if (f->have_ext && wrong == 0 && !answer_right(f, &f->sys)) {
		dnscheck_answer_text(f, &f->sys, text, sizeof(text));
		check_problem(&r->check, CHECK_WARNING,
		    "the system resolver still has %s "
		    "(caches lag)", text);
	}
}

/* EXT: the external address of F's family, when it was found. */
static void
family_check(struct dnscheck *r, struct dnscheck_family *f,
    const struct checkip_addr *ext)
{
	int	i;

	f->type = f->af == AF_INET ? "A" : "AAAA";
	if ((f->have_ext = ext->family != 0))
		f->ext = *ext;
	system_lookup(r->fqdn, f);
	for (i = 0; i < r->nservers; i++)
		f->auth[i].rc = ns_query(r->servers[i], r->fqdn,
		    f->af == AF_INET ? DNS_A : DNS_AAAA, &f->auth[i].ans,
		    f->auth[i].why, sizeof(f->auth[i].why));
	dnscheck_judge(r, f);
}

struct dnscheck *
dnscheck_name(const struct ddns_name *n, const int *fams, int nfam,
    const struct checkip_addr *ext)
{
	struct dnscheck	*r;
	int		 i;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_err("out of memory");
		return NULL;
	}
	r->fqdn = n->fqdn;
	if (ddnsname_zone(&n->conf, r->zone, sizeof(r->zone)) != 0) {
		check_problem(&r->check, CHECK_UNKNOWN,
		    "the configuration is not usable");
		return r;
	}
	for (i = 0; i < nfam; i++)
		r->fam[r->nfam++].af = fams[i];
	servers_find(&n->conf, r);
	for (i = 0; i < r->nfam; i++)
		family_check(r, &r->fam[i], &ext[i]);
	return r;
}
