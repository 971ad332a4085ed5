/*
 * The ACME account: its key and URL under state_dir, one account per CA
 * (the directory's host and port name its folder), and key rotation.
 *
 *   STATE/acme/HOST[_PORT]/account.key   EC P-256, mode 0600
 *   STATE/acme/HOST[_PORT]/account.url
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "base64.h"
#include "extern.h"
#include "fs.h"
#include "key.h"
#include "log.h"
#include "secret.h"

#define SYNOPSIS	"account [--staging] [--agree-tos] [--rotate-key]"
#define EAB_KEY_MAX	256

/* PATH/FILE into BUF, refusing to cut it short. */
static int
join(char *buf, size_t len, const char *path, const char *file)
{
	int	n;

	n = snprintf(buf, len, "%s/%s", path, file);
	if (n < 0 || (size_t)n >= len) {
		log_err("%s: path too long", path);
		return EX_SOFTWARE;
	}
	return 0;
}

/* STATE/acme/HOST_PORT for the CA at DIRECTORY. */
static int
account_dir(const struct ss_conf *c, const char *directory, char *buf,
    size_t len)
{
	const char	*host, *end;
	size_t		 n, i;
	int		 w;

	host = strstr(directory, "://");
	host = host != NULL ? host + 3 : directory;
	end = host + strcspn(host, "/?#");
	n = end - host;
	w = snprintf(buf, len, "%s/acme/%.*s", c->device.state_dir, (int)n,
	    host);
	if (w < 0 || (size_t)w >= len || n == 0) {
		log_err("%s: cannot name an account folder for it", directory);
		return EX_CONFIG;
	}
	/* "127.0.0.1:14000" becomes "127.0.0.1_14000": one plain name. */
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

/* Reads the account key, or makes and keeps one the first time. */
static int
account_key(const char *dir, EVP_PKEY **key)
{
	char	 path[PATH_MAX];
	char	*pem = NULL;
	size_t	 len = 0;
	int	 rc;

	if ((rc = join(path, sizeof(path), dir, "account.key")) != 0)
		return rc;
	if (access(path, F_OK) == 0)
		return key_load(path, key);
	if ((rc = fs_mkdir_p(dir, 0700)) != 0)
		return rc;
	if ((*key = key_new(KEY_EC256)) == NULL)
		return EX_SOFTWARE;
	if ((rc = key_pem(*key, &pem, &len)) == 0 &&
	    (rc = fs_write_atomic(path, pem, len, 0600)) == 0)
		log_info("created account key %s", path);
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
	char		*text = NULL, *end;
	size_t		 n;
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
	if ((rc = fs_read_file(path, EAB_KEY_MAX, &text, &n)) != 0)
		return rc;
	for (end = text + n; end > text && (end[-1] == '\n' ||
	    end[-1] == '\r' || end[-1] == ' '); end--)
		*(end - 1) = '\0';
	if ((rc = base64_urldecode(text, key, len)) != 0)
		log_err("%s: not a base64url MAC key", path);
	secret_free(text, n);
	return rc;
}

int
account_open(const struct ss_conf *c, const char *directory, int agree_tos,
    struct acme **out)
{
	struct acme_account	 acct;
	EVP_PKEY		*key = NULL;
	unsigned char		*mac = NULL;
	char			 dir[PATH_MAX], urlfile[PATH_MAX];
	char			*url = NULL, *new_url = NULL;
	size_t			 maclen = 0, len;
	int			 rc;

	*out = NULL;
	if ((rc = account_dir(c, directory, dir, sizeof(dir))) != 0 ||
	    (rc = account_key(dir, &key)) != 0)
		return rc;
	if ((rc = join(urlfile, sizeof(urlfile), dir, "account.url")) != 0)
		goto out;
	if (access(urlfile, F_OK) == 0 &&
	    (rc = fs_read_file(urlfile, 4096, &url, &len)) != 0)
		goto out;
	if (url != NULL)
		url[strcspn(url, "\r\n")] = '\0';
	if ((rc = eab_key(c, &mac, &maclen)) != 0 ||
	    (rc = acme_open(c, directory, key, out)) != 0)
		goto out;
	acct.email = c->acme.email;
	acct.agree_tos = agree_tos || c->acme.agree_tos;
	acct.eab_kid = c->acme.eab_kid;
	acct.eab_key = mac;
	acct.eab_len = maclen;
	if ((rc = acme_login(*out, url, &acct, &new_url)) != 0)
		goto out;
	if (new_url != NULL && (rc = fs_write_atomic(urlfile, new_url,
	    strlen(new_url), 0600)) != 0)
		goto out;
out:
	if (rc != 0) {
		acme_close(*out);
		*out = NULL;
	}
	EVP_PKEY_free(key);
	if (mac != NULL)
		secret_free((char *)mac, maclen);
	free(url);
	free(new_url);
	return rc;
}

const char *
account_directory(const struct ss_conf *c, int staging)
{
	return staging ? ACME_STAGING : c->acme.directory;
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
	EVP_PKEY	*nk = NULL;
	char		 dir[PATH_MAX], path[PATH_MAX], next[PATH_MAX];
	char		*pem = NULL;
	size_t		 len = 0;
	int		 rc, answered;

	if ((rc = account_dir(c, directory, dir, sizeof(dir))) != 0 ||
	    (rc = join(path, sizeof(path), dir, "account.key")) != 0 ||
	    (rc = join(next, sizeof(next), dir, "account.key.new")) != 0)
		return rc;
	if ((nk = key_new(KEY_EC256)) == NULL)
		return EX_SOFTWARE;
	if ((rc = key_pem(nk, &pem, &len)) != 0 ||
	    (rc = fs_write_atomic(next, pem, len, 0600)) != 0)
		goto out;
	if ((rc = acme_key_change(a, nk, &answered)) != 0) {
		if (answered)
			unlink(next);
		else
			log_err("%s: the CA may have switched to this key; if "
			    "the account no longer works, move it over %s",
			    next, path);
		goto out;
	}
	if ((rc = fs_write_atomic(path, pem, len, 0600)) != 0) {
		log_err("%s: the CA now knows the key in %s; move it over "
		    "%s", path, next, path);
		goto out;
	}
	unlink(next);
	log_info("account key rotated: %s", path);
out:
	secret_free(pem, len);
	EVP_PKEY_free(nk);
	return rc;
}

int
cmd_account(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "staging",	no_argument,	NULL, 's' },
		{ "agree-tos",	no_argument,	NULL, 'a' },
		{ "rotate-key",	no_argument,	NULL, 'r' },
		{ NULL,		0,		NULL, 0 }
	};
	struct acme	*a = NULL;
	const char	*directory;
	char		 dir[PATH_MAX], urlfile[PATH_MAX];
	char		*url = NULL;
	size_t		 len;
	int		 ch, rc, staging = 0, agree = 0, rotate = 0;
	int		 lockfd = -1;

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
		return 0;
	}
	if ((rc = store_lock(e->conf, &lockfd)) != 0 ||
	    (rc = account_open(e->conf, directory, agree, &a)) != 0)
		goto out;
	if (rotate && (rc = rotate_key(e->conf, directory, a)) != 0)
		goto out;
	if ((rc = account_dir(e->conf, directory, dir, sizeof(dir))) != 0 ||
	    (rc = join(urlfile, sizeof(urlfile), dir, "account.url")) != 0)
		goto out;
	if ((rc = fs_read_file(urlfile, 4096, &url, &len)) == 0)
		printf("%s\n", url);
out:
	free(url);
	acme_close(a);
	if (lockfd != -1)
		fs_unlock(lockfd);
	return rc;
}
