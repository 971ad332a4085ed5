/*
 * list: every certificate directory, one line each.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "cert.h"
#include "certdir.h"
#include "extern.h"
#include "key.h"
#include "log.h"
#include "time64.h"

#define SYNOPSIS "list [--json | --names]"

struct entry {
	char	 name[256];
	char	 path[PATH_MAX];
	const char *kind;
	const char *status;
	int64_t	 not_after;
	long	 days_left;
};

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	    ((const struct entry *)b)->name);
}

/* Reads one directory's certificate and key into E. */
static void
examine(const struct ss_conf *c, struct entry *e)
{
	STACK_OF(X509)	*certs = NULL;
	EVP_PKEY	*key = NULL;
	X509		*x;
	struct cert_info ci;
	char		 keyfile[PATH_MAX];
	int64_t		 now = time64_now();

	if (strcmp(e->name, CERTDIR_SELF) == 0)
		e->kind = "self-signed";
	else if (issue_renewal_path(c, e->name, keyfile,
	    sizeof(keyfile)) == 0 && access(keyfile, F_OK) == 0)
		e->kind = "signed";
	else
		e->kind = "custom";
	e->status = "invalid";
	if (certdir_cert_file(c, e->name, e->path, sizeof(e->path)) != 0 ||
	    certdir_key_file(c, e->name, keyfile, sizeof(keyfile)) != 0)
		return;
	if (cert_load(e->path, &certs) != 0 ||
	    key_load(keyfile, &key) != 0)
		goto out;
	x = sk_X509_value(certs, 0);
	if (cert_info(x, &ci) != 0)
		goto out;
	e->not_after = ci.not_after;
	cert_info_free(&ci);
	e->days_left = cert_days_left(x, now);
	if (!cert_matches_key(x, key))
		e->status = "key-mismatch";
	else if (e->not_after < now)
		e->status = "expired";
	else if (e->days_left <= c->certs.renew_days)
		e->status = "expiring";
	else
		e->status = "ok";
out:
	EVP_PKEY_free(key);
	cert_chain_free(certs);
}

static int
collect(const struct ss_conf *c, struct entry **out, size_t *count)
{
	const char	*dir = c->certs.dir;
	struct dirent	*de;
	struct entry	*v = NULL, *nv;
	struct stat	 st;
	char		 path[PATH_MAX];
	size_t		 n = 0;
	DIR		*d;

	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT) {
			*out = NULL;
			*count = 0;
			return 0;
		}
		log_err("%s: %s", dir, strerror(errno));
		return errno == EACCES ? EX_NOPERM : EX_IOERR;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path) || lstat(path, &st) == -1 ||
		    !S_ISDIR(st.st_mode))
			continue;
		if ((nv = reallocarray(v, n + 1, sizeof(*v))) == NULL) {
			log_err("out of memory");
			free(v);
			closedir(d);
			return EX_OSERR;
		}
		v = nv;
		memset(&v[n], 0, sizeof(v[n]));
		snprintf(v[n].name, sizeof(v[n].name), "%s", de->d_name);
		examine(c, &v[n++]);
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), by_name);
	*out = v;
	*count = n;
	return 0;
}

static int
print_json(const struct entry *v, size_t n)
{
	json_t	*a = json_array(), *o;
	char	 until[32];
	size_t	 i;

	for (i = 0; a != NULL && i < n; i++) {
		o = json_pack("{s:s, s:s, s:s, s:s}", "name", v[i].name,
		    "kind", v[i].kind, "path", v[i].path, "status",
		    v[i].status);
		if (o != NULL && v[i].not_after != 0) {
			time64_text(until, sizeof(until), v[i].not_after);
			json_object_set_new(o, "not_after", json_string(until));
			json_object_set_new(o, "days_left",
			    json_integer(v[i].days_left));
		}
		json_array_append_new(a, o);
	}
	return tool_print_json(a);
}

int
cmd_list(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "names",	no_argument,	NULL, 'N' },
		{ NULL,		0,		NULL, 0 }
	};
	struct entry	*v = NULL;
	char		 until[32];
	size_t		 n, i;
	int		 ch, json = 0, names = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'N')
			names = 1;
		else
			return tool_usage(SYNOPSIS);
	}
	if (optind != argc || (json && names))
		return tool_usage(SYNOPSIS);
	if ((rc = tool_conf(e)) != 0 || (rc = collect(e->conf, &v, &n)) != 0)
		return rc;
	if (json)
		rc = print_json(v, n);
	else if (names) {
		/* For completion and scripts: nothing but the names. */
		for (i = 0; i < n; i++)
			printf("%s\n", v[i].name);
	} else {
		if (isatty(STDOUT_FILENO))
			printf("NAME\tKIND\tEXPIRY\tDAYS-LEFT\tSTATUS\n");
		for (i = 0; i < n; i++) {
			if (v[i].not_after != 0)
				time64_date(until, sizeof(until),
				    v[i].not_after);
			else
				snprintf(until, sizeof(until), "-");
			printf("%s\t%s\t%s\t", v[i].name, v[i].kind, until);
			if (v[i].not_after != 0)
				printf("%ld\t%s\n", v[i].days_left,
				    v[i].status);
			else
				printf("-\t%s\n", v[i].status);
		}
	}
	free(v);
	return rc;
}
