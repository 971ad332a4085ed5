/*
 * check: whether DNS answers the device's external address for each name,
 * asked of the system resolver and of the zone's authoritative servers
 * directly, with monitoring-plugin exit codes: the worst name's status.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check.h"
#include "extern.h"
#include "ipaddr.h"
#include "log.h"

#define SYNOPSIS	"check [-4 | -6] [--name fqdn] [--json]"
#define MAX_SERVERS	8

struct answer {
	int		 rc;		/* 0: answered */
	char		 why[256];
	struct ns_answer ans;
};

struct family {
	int		 af;
	const char	*type;		/* "A" or "AAAA" */
	int		 have_ext;
	struct addr	 ext;
	struct answer	 sys;
	struct answer	 auth[MAX_SERVERS];
};

struct report {
	const char	*fqdn;
	char		 zone[256];
	char		 ns_why[320];	/* why no NS records were found */
	char		 servers[MAX_SERVERS][256];
	int		 primary;	/* index of [ddns] server, or -1 */
	int		 nservers;
	struct family	 fam[2];
	int		 nfam;
	struct check	 check;
};

/* The system resolver (getaddrinfo: hosts file, caches, DNS). */
static void
system_lookup(const char *fqdn, struct family *f)
{
	struct addrinfo			 hints, *res = NULL, *ai;
	struct answer			*a = &f->sys;
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
answer_right(const struct family *f, const struct answer *a)
{
	int	i;

	if (!f->have_ext || a->rc != 0 || a->ans.n == 0)
		return 0;
	for (i = 0; i < a->ans.n; i++)
		if (!ipaddr_equal(a->ans.value[i], f->ext.text))
			return 0;
	return 1;
}

static void
answer_text(const struct family *f, const struct answer *a, char *buf,
    size_t len)
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
servers_find(const struct ss_conf *c, struct report *r)
{
	struct ns_answer	 ns;
	const char		*server = c->ddns.server;
	int			 i;

	r->primary = -1;
	if (ns_query(NULL, r->zone, DNS_NS, &ns, r->ns_why,
	    sizeof(r->ns_why)) == 0 && ns.n == 0)
		snprintf(r->ns_why, sizeof(r->ns_why), "the system resolver "
		    "knows no NS records for %s", r->zone);
	for (i = 0; i < ns.n && r->nservers < MAX_SERVERS - 1; i++)
		snprintf(r->servers[r->nservers++], sizeof(r->servers[0]),
		    "%s", ns.value[i]);
	if (strcmp(c->ddns.protocol, "rfc2136") == 0 &&
	    *server != '\0') {
		r->primary = r->nservers;
		snprintf(r->servers[r->nservers++], sizeof(r->servers[0]),
		    "%s", server);
	}
}

static void
judge(struct report *r, const struct family *f)
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
		answer_text(f, &f->auth[i], text, sizeof(text));
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
		answer_text(f, &f->sys, text, sizeof(text));
		check_problem(&r->check, CHECK_WARNING,
		    "the system resolver still has %s "
		    "(caches lag)", text);
	}
}

/* EXT: the external address of F's family, when it was found. */
static void
family_check(struct report *r, struct family *f, const struct addr *ext)
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
	judge(r, f);
}

static void
print_text(const struct report *r)
{
	const struct family	*f;
	char			 text[1024];
	int			 i, j;

	printf("DNS %s -", check_status_name(r->check.status));
	if (r->fqdn != NULL)
		printf(" %s", r->fqdn);
	for (i = 0; i < r->nfam; i++)
		printf(" %s %s", r->fam[i].type, r->fam[i].have_ext ?
		    r->fam[i].ext.text : "?");
	for (i = 0; i < r->check.nproblems; i++)
		printf("%s%s", i ? "; " : r->nfam ? ": " : " ",
		    r->check.problems[i]);
	putchar('\n');
	if (r->nfam == 0)
		return;
	printf("Zone:            %s\n", r->zone);
	if (*r->ns_why != '\0')
		printf("Name servers:    none found (%s)\n", r->ns_why);
	for (i = 0; i < r->nfam; i++) {
		f = &r->fam[i];
		printf("%-4s external:   %s\n", f->type, f->have_ext ?
		    f->ext.text : "unknown");
		answer_text(f, &f->sys, text, sizeof(text));
		printf("%-4s system:     %s\n", f->type, text);
		for (j = 0; j < r->nservers; j++) {
			answer_text(f, &f->auth[j], text, sizeof(text));
			printf("%-4s at %s%s: %s\n", f->type, r->servers[j],
			    j == r->primary ? " (primary)" : "", text);
		}
	}
}

static json_t *
answer_json(const struct answer *a)
{
	json_t	*v;
	int	 i;

	if (a->rc != 0 || (v = json_array()) == NULL)
		return json_null();
	for (i = 0; i < a->ans.n; i++)
		json_array_append_new(v, json_string(a->ans.value[i]));
	return v;
}

static json_t *
family_json(const struct report *r, const struct family *f)
{
	json_t	*auth;
	int	 i;

	if ((auth = json_array()) == NULL)
		return NULL;
	for (i = 0; i < r->nservers; i++)
		json_array_append_new(auth, json_pack("{s:s, s:b, s:o, s:o}",
		    "server", r->servers[i],
		    "primary", i == r->primary,
		    "answer", answer_json(&f->auth[i]),
		    "error", f->auth[i].rc != 0 ? json_string(f->auth[i].why) :
		    json_null()));
	return json_pack("{s:s, s:o, s:o, s:o}",
	    "type", f->type,
	    "external", f->have_ext ? json_string(f->ext.text) : json_null(),
	    "system", answer_json(&f->sys),
	    "authoritative", auth);
}

static json_t *
report_json(const struct report *r)
{
	json_t	*records;
	int	 i;

	records = json_array();
	for (i = 0; records != NULL && i < r->nfam; i++)
		json_array_append_new(records, family_json(r, &r->fam[i]));
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}",
	    "status", check_status_name(r->check.status),
	    "fqdn", r->fqdn != NULL ? json_string(r->fqdn) : json_null(),
	    "zone", *r->zone != '\0' ? json_string(r->zone) : json_null(),
	    "ns_error", *r->ns_why != '\0' ? json_string(r->ns_why) :
	    json_null(),
	    "problems", check_problems_json(&r->check),
	    "records", records);
}

static int
print_json(const struct check *all, struct report **r, size_t n)
{
	json_t	*names;
	size_t	 i;

	names = json_array();
	for (i = 0; names != NULL && i < n; i++)
		json_array_append_new(names, report_json(r[i]));
	return tool_print_json(json_pack("{s:s, s:o, s:o}",
	    "status", check_status_name(all->status),
	    "problems", check_problems_json(all),
	    "names", names));
}

/* Several names: the worst status first, for the monitoring line. */
static void
print_all(const struct check *all, struct report **r, size_t n)
{
	size_t	i;

	printf("DNS %s - %zu names:", check_status_name(all->status), n);
	for (i = 0; i < n; i++)
		printf("%s %s %s", i ? "," : "", r[i]->fqdn,
		    check_status_name(r[i]->check.status));
	putchar('\n');
	for (i = 0; i < n; i++) {
		putchar('\n');
		print_text(r[i]);
	}
}

/* The report of name N, FAMS and EXT as the run found them. */
static struct report *
name_check(const struct ddns_name *n, const int *fams, int nfam,
    const struct addr *ext)
{
	struct report	*r;
	int		 i;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_err("out of memory");
		return NULL;
	}
	r->fqdn = n->fqdn;
	if (rfc2136_zone(&n->conf, r->zone, sizeof(r->zone)) != 0) {
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

int
cmd_check(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "name",	required_argument,	NULL, 'N' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct ddns_name	*names = NULL;
	struct report		**r = NULL, bad;
	struct check		 all;
	struct addr		 ext[2];
	const char		*ipv, *only = NULL;
	size_t			 n = 0, i;
	int			 ch, j, fams[2], nfam = 0, json = 0, want = 0;
	int			 status;

	while ((ch = getopt_long(argc, argv, "46", longopts, NULL)) != -1) {
		switch (ch) {
		case '4':
			want = AF_INET;
			break;
		case '6':
			want = AF_INET6;
			break;
		case 'N':
			only = optarg;
			break;
		case 'j':
			json = 1;
			break;
		default:
			tool_usage(SYNOPSIS);
			return CHECK_UNKNOWN;
		}
	}
	if (optind != argc) {
		tool_usage(SYNOPSIS);
		return CHECK_UNKNOWN;
	}
	memset(&all, 0, sizeof(all));
	memset(&bad, 0, sizeof(bad));
	if (tool_conf(e) != 0 || names_get(e->conf, only, &names, &n) != 0 ||
	    (r = calloc(n, sizeof(*r))) == NULL) {
		check_problem(&bad.check, CHECK_UNKNOWN,
		    "the configuration is not usable");
		if (json)
			print_json(&bad.check, (struct report *[]){ &bad }, 1);
		else
			print_text(&bad);
		free(names);
		return CHECK_UNKNOWN;
	}
	ipv = e->conf->ddns.ip_version;
	if (want != AF_INET6 && (want == AF_INET || strcmp(ipv, "6") != 0))
		fams[nfam++] = AF_INET;
	if (want != AF_INET && (want == AF_INET6 || strcmp(ipv, "4") != 0))
		fams[nfam++] = AF_INET6;
	/* The external address is the same for every name: found once. */
	memset(ext, 0, sizeof(ext));
	for (j = 0; j < nfam; j++)
		if (ip_external(e->conf, fams[j], &ext[j]) != 0)
			ext[j].family = 0;
	for (i = 0; i < n; i++) {
		if ((r[i] = name_check(&names[i], fams, nfam, ext)) == NULL) {
			check_problem(&all, CHECK_UNKNOWN, "out of memory");
			n = i;
			break;
		}
		for (j = 0; j < r[i]->check.nproblems; j++)
			check_problem(&all, r[i]->check.status, "%s: %s",
			    r[i]->fqdn, r[i]->check.problems[j]);
		if (r[i]->check.status != CHECK_OK &&
		    r[i]->check.nproblems == 0)
			check_problem(&all, r[i]->check.status, "%s",
			    r[i]->fqdn);
	}
	if (json)
		status = print_json(&all, r, n) != 0 ? CHECK_UNKNOWN :
		    all.status;
	else {
		if (n == 1)
			print_text(r[0]);
		else
			print_all(&all, r, n);
		status = all.status;
	}
	for (i = 0; i < n; i++)
		free(r[i]);
	free(r);
	free(names);
	return status;
}
