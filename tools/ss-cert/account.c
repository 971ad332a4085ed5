/*
 * The ACME account: its key and URL under state_dir, one account per CA
 * (the directory's host and port name its folder), and key rotation.
 *
 *   STATE/acme/HOST[_PORT]/account.key   EC P-256, mode 0600
 *   STATE/acme/HOST[_PORT]/account.url
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "base64.h"
#include "extern.h"
#include "fs.h"
#include "key.h"
#include "log.h"
#include "secret.h"

#define SYNOPSIS	"account [--staging] [--agree-tos] [--rotate-key]" \
	" [--json]"
#define EAB_KEY_MAX	256

/* acme/HOST_PORT, under STATE, for the CA at DIRECTORY. */
static int
account_dir(const char *directory, char *buf, size_t len)
{
	const char	*host, *end;
	size_t		 n, i;
	int		 w;

	host = strstr(directory, "://");
	host = host != NULL ? host + 3 : directory;
	end = host + strcspn(host, "/?#");
	n = end - host;
	w = snprintf(buf, len, "acme/%.*s", (int)n, host);
	if (w < 0 || (size_t)w >= len || n == 0) {
		log_err("%s: cannot name an account folder for it", directory);
		return EX_CONFIG;
	}
	for (i = (size_t)w - n; i < (size_t)w; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.-", buf[i]) == NULL)
			buf[i] = '_';
	if (buf[(size_t)w - n] == '.') {
		log_err("%s: cannot name an account folder for it", directory);
		return EX_CONFIG;
	}
	return 0;
}

/*
 * Opens STATE/acme/HOST_PORT into D by descriptor, created 0700 when
 * missing: the account key is read and written only through it.
 */
static int
account_open_dir(const struct ss_conf *c, const char *directory, int create,
    struct fs_dir *d)
{
	char	rel[PATH_MAX];
	int	rc;

	d->fd = -1;
	if ((rc = account_dir(directory, rel, sizeof(rel))) != 0)
		return rc;
	return fs_dir_open(d, c->device.state_dir, "[device] state_dir",
	    0700, rel, create ? 0700 : 0);
}

/* 1 when NAME is in D, whatever it is (fs_*_at refuse what is wrong). */
static int
account_has(const struct fs_dir *d, const char *name)
{
	struct stat	st;

	return fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Reads the account key, or makes and keeps one the first time. */
static int
account_key(const struct fs_dir *d, EVP_PKEY **key, int *made)
{
	char	 what[PATH_MAX];
	char	*pem = NULL;
	size_t	 len = 0;
	int	 rc;

	if (account_has(d, "account.key")) {
		if ((size_t)snprintf(what, sizeof(what), "%s/account.key",
		    d->path) >= sizeof(what))
			what[0] = '\0';
		if ((rc = fs_read_at(d, "account.key", FS_MAX_READ, &pem,
		    &len)) == 0)
			rc = key_parse(what, pem, len, key);
		secret_free(pem, len);
		return rc;
	}
	if ((*key = key_new(KEY_EC256)) == NULL)
		return EX_SOFTWARE;
	if ((rc = key_pem(*key, &pem, &len)) == 0 &&
	    (rc = fs_write_at(d, "account.key", pem, len, 0600)) == 0) {
		log_info("created account key %s/account.key", d->path);
		*made = 1;
	}
	secret_free(pem, len);
	if (rc != 0) {
		EVP_PKEY_free(*key);
		*key = NULL;
	}
	return rc;
}

/* The EAB MAC key: base64url text in a 0600 file, as CAs hand it out. */
static int
eab_key(const struct ss_conf *c, unsigned char **key, size_t *len)
{
	const char	*path = c->acme.eab_hmac_file;
	char		 text[EAB_KEY_MAX];
	int		 rc;

	*key = NULL;
	*len = 0;
	if (*c->acme.eab_kid == '\0')
		return 0;
	if (*path == '\0') {
		log_err("%s: eab_kid is set but eab_hmac_file is not",
		    c->file);
		return EX_CONFIG;
	}
	if ((rc = fs_read_secret("[acme] eab_hmac_file", path, text,
	    sizeof(text))) != 0)
		return rc;
	if ((rc = base64_urldecode(text, key, len)) != 0)
		log_err("%s: not a base64url MAC key", path);
	secret_zero(text, sizeof(text));
	return rc;
}

/*
 * Logs A in with URL, or registers its key when URL is NULL, and keeps
 * the new account's URL in D.
 */
static int
account_login(const struct ss_conf *c, const struct fs_dir *d,
    const char *url, int agree_tos, struct acme *a, int *changed)
{
	struct acme_account	 acct;
	unsigned char		*mac = NULL;
	char			*new_url = NULL;
	size_t			 maclen = 0;
	int			 rc;

	if ((rc = eab_key(c, &mac, &maclen)) != 0)
		return rc;
	acct.email = c->acme.email;
	acct.agree_tos = agree_tos || c->acme.agree_tos;
	acct.eab_kid = c->acme.eab_kid;
	acct.eab_key = mac;
	acct.eab_len = maclen;
	if ((rc = acme_login(a, url, &acct, &new_url)) == 0 &&
	    new_url != NULL && (rc = fs_write_at(d, "account.url", new_url,
	    strlen(new_url), 0600)) == 0)
		*changed = 1;
	if (mac != NULL)
		secret_free((char *)mac, maclen);
	free(new_url);
	return rc;
}

int
account_open(const struct ss_conf *c, const char *directory, int agree_tos,
    struct acme **out, int *changed)
{
	struct fs_dir		 d;
	EVP_PKEY		*key = NULL;
	char			*url = NULL;
	size_t			 len;
	int			 rc, made = 0;

	*out = NULL;
	if ((rc = account_open_dir(c, directory, 1, &d)) != 0)
		return rc;
	if ((rc = account_key(&d, &key, &made)) != 0)
		goto out;
	if (account_has(&d, "account.url") &&
	    (rc = fs_read_at(&d, "account.url", 4096, &url, &len)) != 0)
		goto out;
	if (url != NULL)
		url[strcspn(url, "\r\n")] = '\0';
	if ((rc = acme_open(c, directory, key, out)) != 0)
		goto out;
	rc = account_login(c, &d, url, agree_tos, *out, &made);
out:
	fs_dir_close(&d);
	if (rc != 0) {
		acme_close(*out);
		*out = NULL;
	}
	if (changed != NULL)
		*changed = made;
	EVP_PKEY_free(key);
	free(url);
	return rc;
}

/*
 * The CA forgot the account (a test CA restarted, or the account was
 * deactivated): RFC 8555 lets the same key register again.  The terms
 * need agreeing to again, which an unattended renewal cannot do unless
 * agree_tos says so.
 */
int
account_reregister(const struct ss_conf *c, const char *directory,
    int agree_tos, struct acme *a)
{
	struct fs_dir	 d;
	const char	*terms = acme_terms(a);
	int		 rc, changed = 0;

	log_warn("account at CA no longer exists; registering a new one");
	if (terms != NULL && !agree_tos && !c->acme.agree_tos) {
		log_err("the CA asks to agree to its terms of service at %s "
		    "for the new account: read them, then run 'ss-cert "
		    "account --agree-tos' (or set agree_tos = yes in [acme])",
		    terms);
		return EX_CONFIG;
	}
	if ((rc = account_open_dir(c, directory, 1, &d)) != 0)
		return rc;
	rc = account_login(c, &d, NULL, agree_tos, a, &changed);
	fs_dir_close(&d);
	return rc;
}

const char *
account_directory(const struct ss_conf *c, int staging)
{
	return staging ? c->acme.staging_directory : c->acme.directory;
}

/*
 * The new key is on disk (account.key.new) before the CA hears of it, and
 * replaces the old one once the CA agreed.  Should the answer be lost on
 * the way, the CA may have switched: the new key stays where it is, and
 * the message says what to do with it.
 */
static int
rotate_key(const struct ss_conf *c, const char *directory, struct acme *a)
{
	struct fs_dir	 d;
	EVP_PKEY	*nk = NULL;
	char		*pem = NULL;
	size_t		 len = 0;
	int		 rc, answered;

	if ((rc = account_open_dir(c, directory, 1, &d)) != 0)
		return rc;
	if ((nk = key_new(KEY_EC256)) == NULL) {
		rc = EX_SOFTWARE;
		goto out;
	}
	if ((rc = key_pem(nk, &pem, &len)) != 0 ||
	    (rc = fs_write_at(&d, "account.key.new", pem, len, 0600)) != 0)
		goto out;
	if ((rc = acme_key_change(a, nk, &answered)) != 0) {
		if (answered)
			fs_unlink_at(&d, "account.key.new");
		else
			log_err("%s/account.key.new: the CA may have switched "
			    "to this key; if the account no longer works, "
			    "move it over account.key", d.path);
		goto out;
	}
	if ((rc = fs_write_at(&d, "account.key", pem, len, 0600)) != 0) {
		log_err("%s/account.key: the CA now knows the key in "
		    "account.key.new; move it over account.key", d.path);
		goto out;
	}
	fs_unlink_at(&d, "account.key.new");
	log_info("account key rotated: %s/account.key", d.path);
out:
	fs_dir_close(&d);
	secret_free(pem, len);
	EVP_PKEY_free(nk);
	return rc;
}

/* The --json report of cmd_account. */
static int
account_json(const struct ss_conf *c, const char *directory, int dry_run,
    const char *action, int changed, const char *url)
{
	json_t	*o, *paths;
	char	 rel[PATH_MAX], p[PATH_MAX * 2];

	if ((paths = json_array()) == NULL)
		return EX_OSERR;
	if (changed && account_dir(directory, rel, sizeof(rel)) == 0) {
		snprintf(p, sizeof(p), "%s/%s/account.url",
		    c->device.state_dir, rel);
		json_array_append_new(paths, json_string(p));
		if (strcmp(action, "rotated") == 0 ||
		    strcmp(action, "would-rotate") == 0) {
			snprintf(p, sizeof(p), "%s/%s/account.key",
			    c->device.state_dir, rel);
			json_array_set_new(paths, 0, json_string(p));
		}
	}
	o = tool_result(changed, action, paths, dry_run);
	if (o != NULL && (json_object_set_new(o, "directory",
	    json_string(directory)) == -1 || (url != NULL &&
	    json_object_set_new(o, "url", json_string(url)) == -1))) {
		json_decref(o);
		o = NULL;
	}
	return tool_print_json(o);
}

int
cmd_account(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "staging",	no_argument,	NULL, 's' },
		{ "agree-tos",	no_argument,	NULL, 'a' },
		{ "rotate-key",	no_argument,	NULL, 'r' },
		{ "json",	no_argument,	NULL, 'j' },
		{ NULL,		0,		NULL, 0 }
	};
	struct fs_dir	 d;
	struct acme	*a = NULL;
	const char	*directory, *action;
	char		*url = NULL;
	size_t		 len;
	int		 ch, rc, staging = 0, agree = 0, rotate = 0, json = 0;
	int		 lockfd = -1, changed = 0;

	d.fd = -1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			staging = 1;
			break;
		case 'a':
			agree = 1;
			break;
		case 'r':
			rotate = 1;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return tool_usage(SYNOPSIS);
		}
	}
	if (optind != argc)
		return tool_usage(SYNOPSIS);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	directory = account_directory(e->conf, staging);
	if (e->dry_run) {
		log_info("would %s the account at %s", rotate ?
		    "rotate the key of" : "register or look up", directory);
		if (!json)
			return 0;
		if ((rc = account_open_dir(e->conf, directory, 0, &d)) != 0 &&
		    rc != EX_NOINPUT)
			return rc;
		changed = rotate || d.fd == -1 || !account_has(&d,
		    "account.url");
		rc = account_json(e->conf, directory, 1, rotate ?
		    "would-rotate" : changed ? "would-register" : "unchanged",
		    changed, NULL);
		goto out;
	}
	if ((rc = store_lock(e->conf, &lockfd)) != 0 ||
	    (rc = account_open(e->conf, directory, agree, &a, &changed)) != 0)
		goto out;
	action = changed ? "registered" : "unchanged";
	/* A remembered account may be one the CA has forgotten. */
	if (!changed && (rc = acme_account_check(a)) != 0) {
		if (!acme_account_gone(a) || (rc = account_reregister(e->conf,
		    directory, agree, a)) != 0)
			goto out;
		action = "reregistered";
		changed = 1;
	}
	if (rotate) {
		if ((rc = rotate_key(e->conf, directory, a)) != 0)
			goto out;
		action = "rotated";
		changed = 1;
	}
	if ((rc = account_open_dir(e->conf, directory, 1, &d)) != 0 ||
	    (rc = fs_read_at(&d, "account.url", 4096, &url, &len)) != 0)
		goto out;
	url[strcspn(url, "\r\n")] = '\0';
	if (json)
		rc = account_json(e->conf, directory, 0, action, changed, url);
	else {
		printf("%s\n", url);
		if (!changed)
			log_info("account unchanged");
	}
out:
	fs_dir_close(&d);
	free(url);
	acme_close(a);
	if (lockfd != -1)
		fs_unlock(lockfd);
	return rc;
}
