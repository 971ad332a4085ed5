/*
 * check: whether DNS answers the device's external address for each name,
 * asked of the system resolver and of the zone's authoritative servers
 * directly, with monitoring-plugin exit codes: the worst name's status.
 */
#include <sys/socket.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check.h"
#include "dnscheck.h"
#include "extern.h"
#include "log.h"

#define SYNOPSIS	"check [-4 | -6] [--name fqdn] [--json]"

static void
print_text(const struct dnscheck *r)
{
	const struct dnscheck_family	*f;
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
		dnscheck_answer_text(f, &f->sys, text, sizeof(text));
		printf("%-4s system:     %s\n", f->type, text);
		for (j = 0; j < r->nservers; j++) {
			dnscheck_answer_text(f, &f->auth[j], text,
			    sizeof(text));
			printf("%-4s at %s%s: %s\n", f->type, r->servers[j],
			    j == r->primary ? " (primary)" : "", text);
		}
	}
}

static json_t *
answer_json(const struct dnscheck_answer *a)
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
family_json(const struct dnscheck *r, const struct dnscheck_family *f)
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
report_json(const struct dnscheck *r)
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
print_json(const struct check *all, struct dnscheck **r, size_t n)
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
print_all(const struct check *all, struct dnscheck **r, size_t n)
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


int
cmd_check(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "name",	required_argument,	NULL, 'N' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct ddns_name	*names = NULL;
	struct dnscheck		**r = NULL, bad;
	struct check		 all;
	struct checkip_addr	 ext[2];
	const char		*only = NULL;
	size_t			 n = 0, i;
	int			 ch, j, fams[2], nfam, json = 0, want = 0;
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
	if (tool_conf(e) != 0 || ddnsname_get(e->conf, only, &names, &n) != 0 ||
	    (r = calloc(n, sizeof(*r))) == NULL) {
		check_problem(&bad.check, CHECK_UNKNOWN,
		    "the configuration is not usable");
		if (json)
			print_json(&bad.check,
			    (struct dnscheck *[]){ &bad }, 1);
		else
			print_text(&bad);
		free(names);
		return CHECK_UNKNOWN;
	}
	nfam = dnscheck_external(e->conf, want, fams, ext);
	for (i = 0; i < n; i++) {
		if ((r[i] = dnscheck_name(&names[i], fams, nfam, ext)) ==
		    NULL) {
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
