/*
 * list: every certificate under [certs] dir, what it is, where it is and
 * when it is renewed, like certbot's "certificates".
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#include "fs.h"
#include "key.h"
#include "log.h"
#include "time64.h"

#define SYNOPSIS "list [--json | --names]"
#define WIDTH	80	/* of the text, for a terminal */
#define LABEL	"  %-14s"	/* "  Next renewal: " */
#define INDENT	16

struct entry {
	char		 name[256];
	char		 path[PATH_MAX];
	char		 keypath[PATH_MAX];
	char		 fingerprint[CERT_FINGERPRINT_MAX];
	const char	*kind;
	const char	*status;
	const char	*renewal;	/* how next_renewal was found */
	int		 active;
	int		 revoked;
	int		 known;		/* ci holds the certificate */
	struct cert_info ci;
	long		 days_left;
	int64_t		 next_renewal;	/* when renewal is not "none" */
	struct renewal_window window;	/* as renew recorded it */
};

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	    ((const struct entry *)b)->name);
}

/*
 * NAME's renewal file, which issue writes and revoke marks: *found 0 when
 * there is none (a custom certificate), *revoked as revoke left it, W the
 * CA's renewal window renew recorded.
 */
static void
renewal_state(const struct ss_conf *c, const char *name, int *found,
    int *revoked, struct renewal_window *w)
{
	struct fs_dir	 d;
	json_error_t	 je;
	json_t		*j;
	char		 file[NAME_MAX + 1], path[PATH_MAX];
	char		*text = NULL;
	size_t		 len;

	*found = *revoked = 0;
	memset(w, 0, sizeof(*w));
	if ((size_t)snprintf(file, sizeof(file), "%s.json", name) >=
	    sizeof(file) || fs_dir_open(&d, c->device.state_dir,
	    "[device] state_dir", 0, "acme/certs", 0) != 0)
		return;
	if (faccessat(d.fd, file, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		*found = 1;
		if (fs_read_at(&d, file, FS_MAX_READ, &text, &len) == 0) {
			if (issue_renewal_path(c, name, path,
			    sizeof(path)) != 0)
				snprintf(path, sizeof(path), "%s", file);
			if ((j = json_loadb(text, len, 0, &je)) == NULL)
				log_warn("%s:%d: %s", path, je.line, je.text);
			*revoked = json_is_true(json_object_get(j, "revoked"));
			if (j != NULL && issue_renewal_window(path, text, j,
			    w) != 0)
				log_warn("%s: going by renew_days", path);
			json_decref(j);
		}
	}
	free(text);
	fs_dir_close(&d);
}

/*
 * When renew replaces it: at its next run once revoked, else at the
 * moment renew chose in the CA's renewal window when one is recorded and
 * it comes before the end, else renew_days before the end.
 */
static void
renewal_date(const struct ss_conf *c, struct entry *e, int64_t now)
{
	if (strcmp(e->kind, "signed") != 0) {
		e->renewal = "none";
		return;
	}
	if (e->revoked) {
		e->renewal = "revoked";
		e->next_renewal = now;
	} else if (e->known && e->window.known &&
	    e->window.at < e->ci.not_after) {
		e->renewal = "ca-window";
		e->next_renewal = e->window.at;
	} else if (e->known) {
		e->renewal = "renew_days";
		e->next_renewal = e->ci.not_after - c->certs.renew_days *
		    TIME64_DAY;
	} else
		e->renewal = "none";
}

/* Reads one directory's certificate and key into E. */
static void
examine(const struct ss_conf *c, struct entry *e, int64_t now)
{
	STACK_OF(X509)	*certs = NULL;
	EVP_PKEY	*key = NULL;
	X509		*x;
	int		 found, self;

	if (strcmp(e->name, CERTDIR_SELF) == 0)
		e->kind = "self-signed";
	else {
		renewal_state(c, e->name, &found, &e->revoked,
		    &e->window);
		e->kind = found ? "signed" : "custom";
	}
	e->status = "invalid";
	/* The paths are shown even when what is there is refused. */
	self = strcmp(e->name, CERTDIR_SELF) == 0;
	if (certdir_path(e->path, sizeof(e->path), c, e->name, self ?
	    "server.crt" : "fullchain.pem") != 0 ||
	    certdir_path(e->keypath, sizeof(e->keypath), c, e->name, self ?
	    "server.key" : "privkey.pem") != 0 ||
	    certdir_cert_file(c, e->name, e->path, sizeof(e->path)) != 0 ||
	    certdir_key_file(c, e->name, e->keypath,
	    sizeof(e->keypath)) != 0 ||
	    cert_load(e->path, &certs) != 0)
		goto out;
	x = sk_X509_value(certs, 0);
	if (cert_info(x, &e->ci) != 0)
		goto out;
	e->known = 1;
	e->days_left = cert_days_left(x, now);
	if (cert_fingerprint(x, e->fingerprint, sizeof(e->fingerprint)) != 0)
		goto out;
	if (key_load(e->keypath, &key) != 0)
		goto out;
	if (!cert_matches_key(x, key))
		e->status = "key-mismatch";
	else if (e->revoked)
		e->status = "revoked";
	else if (e->ci.not_after < now)
		e->status = "expired";
	else if (e->days_left <= c->certs.renew_days)
		e->status = "expiring";
	else
		e->status = "ok";
out:
	renewal_date(c, e, now);
	EVP_PKEY_free(key);
	cert_chain_free(certs);
}

static void
entries_free(struct entry *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (v[i].known)
			cert_info_free(&v[i].ci);
	free(v);
}

/* Every directory under DIR but links, by name; EXAMINE reads each. */
static int
collect(const struct ss_conf *c, int examine_them, struct entry **out,
    size_t *count)
{
	const char	*dir = c->certs.dir;
	struct dirent	*de;
	struct entry	*v = NULL, *nv;
	struct stat	 st;
	char		 path[PATH_MAX], active[256];
	int64_t		 now = time64_now();
	size_t		 n = 0, i;
	DIR		*d;
	int		 rc;

	*out = NULL;
	*count = 0;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
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
			entries_free(v, n);
			closedir(d);
			return EX_OSERR;
		}
		v = nv;
		memset(&v[n], 0, sizeof(v[n]));
		snprintf(v[n].name, sizeof(v[n].name), "%s", de->d_name);
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), by_name);
	if (examine_them && n > 0) {
		if ((rc = certdir_active(c, active, sizeof(active))) != 0) {
			entries_free(v, n);
			return rc;
		}
		for (i = 0; i < n; i++) {
			examine(c, &v[i], now);
			v[i].active = strcmp(v[i].name, active) == 0;
		}
	}
	*out = v;
	*count = n;
	return 0;
}

static json_t *
time_json(int64_t t, int known)
{
	char	buf[TIME64_TEXT_MAX];

	if (!known)
		return json_null();
	time64_rfc3339(buf, sizeof(buf), t);
	return json_string(buf);
}

static json_t *
entry_json(const struct entry *e)
{
	json_t		*sans, *window;
	char *const	*san;

	if ((sans = json_array()) == NULL)
		return NULL;
	for (san = e->known ? e->ci.sans : NULL; san != NULL && *san != NULL;
	    san++)
		json_array_append_new(sans, json_string(*san));
	if (strcmp(e->renewal, "ca-window") == 0)
		window = json_pack("{s:o, s:o}", "start",
		    time_json(e->window.start, 1), "end",
		    time_json(e->window.end, 1));
	else
		window = json_null();
	return json_pack("{s:s, s:s, s:b, s:s, s:b, s:o, s:s, s:s, s:o, "
	    "s:o, s:o, s:o, s:o, s:o, s:s, s:o}",
	    "name", e->name,
	    "kind", e->kind,
	    "active", e->active,
	    "status", e->status,
	    "revoked", e->revoked,
	    "sans", sans,
	    "path", e->path,
	    "key_path", e->keypath,
	    "fingerprint_sha256", e->known && *e->fingerprint ?
	    json_string(e->fingerprint) : json_null(),
	    "issuer", e->known ? json_string(e->ci.issuer) : json_null(),
	    "not_before", time_json(e->ci.not_before, e->known),
	    "not_after", time_json(e->ci.not_after, e->known),
	    "days_left", e->known ? json_integer(e->days_left) : json_null(),
	    "next_renewal", time_json(e->next_renewal,
	    strcmp(e->renewal, "none") != 0),
	    "renewal", e->renewal,
	    "renewal_window", window);
}

static int
print_json(const struct entry *v, size_t n)
{
	json_t	*a = json_array(), *o;
	size_t	 i;

	for (i = 0; a != NULL && i < n; i++) {
		if ((o = entry_json(&v[i])) == NULL ||
		    json_array_append_new(a, o) != 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return tool_print_json(a);
}

/* The names, comma-separated, wrapped at WIDTH under the values. */
static void
print_names(char *const *sans)
{
	char *const	*san;
	size_t		 col = INDENT, w;

	for (san = sans; *san != NULL; san++) {
		w = strlen(*san) + (san[1] != NULL ? 1 : 0);
		if (san != sans && col + 1 + w > WIDTH) {
			printf("\n%*s", INDENT, "");
			col = INDENT;
		} else if (san != sans) {
			putchar(' ');
			col++;
		}
		printf("%s%s", *san, san[1] != NULL ? "," : "");
		col += w;
	}
	putchar('\n');
}

static void
print_entry(const struct entry *e, int64_t now)
{
	char	from[TIME64_TEXT_MAX], until[TIME64_TEXT_MAX];
	char	next[TIME64_TEXT_MAX];

	printf("%s%s\n", e->name, e->active ? " (active)" : "");
	printf(LABEL "%s\n", "Kind:", e->kind);
	printf(LABEL "%s\n", "Status:", e->status);
	if (e->known) {
		time64_text(from, sizeof(from), e->ci.not_before);
		time64_text(until, sizeof(until), e->ci.not_after);
		printf(LABEL, "Names:");
		print_names(e->ci.sans);
		printf(LABEL "%s\n", "Issuer:", e->ci.issuer);
		printf(LABEL "%s\n", "Not before:", from);
		printf(LABEL "%s (%ld days left)\n", "Not after:", until,
		    e->days_left);
	}
	printf(LABEL, "Next renewal:");
	if (strcmp(e->renewal, "none") == 0)
		printf("none, not renewed automatically\n");
	else if (e->revoked)
		printf("due: at the next 'ss-cert renew' (revoked)\n");
	else {
		if (e->next_renewal <= now)
			printf("due: at the next 'ss-cert renew'");
		else {
			time64_text(next, sizeof(next), e->next_renewal);
			printf("%s", next);
		}
		/* The two fit the 80 columns after either. */
		printf(" (%s)\n", strcmp(e->renewal, "ca-window") == 0 ?
		    "from the CA's renewal window" :
		    "renew_days before expiry");
	}
	printf(LABEL "%s\n", "Certificate:", e->path);
	printf(LABEL "%s\n", "Private key:", e->keypath);
	if (e->known && *e->fingerprint != '\0')
		/* 16 of the 32 bytes per line: "AB:" is 3 characters. */
		printf(LABEL "%.47s\n%*s%s\n", "SHA-256:", e->fingerprint,
		    INDENT, "", e->fingerprint + 48);
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
	int64_t		 now = time64_now();
	size_t		 n, i;
	int		 ch, json = 0, names = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'N':
			names = 1;
			break;
		default:
			return tool_usage(SYNOPSIS);
		}
	}
	if (optind != argc || (json && names))
		return tool_usage(SYNOPSIS);
	if ((rc = tool_conf(e)) != 0 ||
	    (rc = collect(e->conf, !names, &v, &n)) != 0)
		return rc;
	if (n == 0 && !names)
		log_info("no certificate in %s yet; make one with "
		    "'ss-cert selfsigned'", e->conf->certs.dir);
	if (json)
		rc = print_json(v, n);
	else
		for (i = 0; i < n; i++) {
			if (names)
				printf("%s\n", v[i].name);
			else {
				if (i > 0)
					putchar('\n');
				print_entry(&v[i], now);
			}
		}
	entries_free(v, n);
	return rc;
}
