/*
 * selfsigned: the device's default certificate, made here and now.
 */
#include <sys/stat.h>

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
#include "certgen.h"
#include "extern.h"
#include "fs.h"
#include "ipaddr.h"
#include "key.h"
#include "log.h"
#include "secret.h"
#include "time64.h"

#define SYNOPSIS "selfsigned [--key-type type] [--days n] [--force] [--json]"
#define MAX_DNS	3

/* The names the configuration gives: fqdn, hostname, hostname.local. */
struct names {
	char	 buf[MAX_DNS][256];
	char	*dns[MAX_DNS + 1];
	char *const	*ips;
};

static void
names_from_conf(const struct ss_conf *c, struct names *nm)
{
	const char	*host = c->device.hostname, *fqdn = c->fqdn;
	size_t		 n = 0;

	memset(nm, 0, sizeof(*nm));
	snprintf(nm->buf[n++], sizeof(nm->buf[0]), "%s", fqdn);
	if (strcmp(fqdn, host) != 0)
		snprintf(nm->buf[n++], sizeof(nm->buf[0]), "%s", host);
	snprintf(nm->buf[n++], sizeof(nm->buf[0]), "%s.local", host);
	for (size_t i = 0; i < n; i++)
		nm->dns[i] = nm->buf[i];
	nm->ips = c->device.addresses;
}

/* 1 when SAN ("DNS:x" / "IP:x") is among the wanted names. */
static int
names_want(const struct names *nm, const char *san)
{
	char *const	*p;

	if (strncmp(san, "DNS:", 4) == 0) {
		for (p = nm->dns; *p != NULL; p++)
			if (strcasecmp(san + 4, *p) == 0)
				return 1;
	} else if (strncmp(san, "IP:", 3) == 0) {
		for (p = nm->ips; *p != NULL; p++)
			if (ipaddr_equal(san + 3, *p))
				return 1;
	}
	return 0;
}

/* The SANs are exactly the wanted names: none missing, none extra. */
static int
names_match(const struct names *nm, const struct cert_info *ci)
{
	size_t		 have = 0, want = 0;
	char *const	*p;

	for (p = ci->sans; *p != NULL; p++, have++)
		if (!names_want(nm, *p))
			return 0;
	for (p = nm->dns; *p != NULL; p++)
		want++;
	for (p = nm->ips; *p != NULL; p++)
		want++;
	return have == want && strcmp(ci->cn, nm->dns[0]) == 0;
}

/* The key type of a certificate's public key, or -1. */
static int
cert_key_type(const struct cert_info *ci)
{
	if (strcmp(ci->key_type, "EC") == 0) {
		if (strcmp(ci->curve, "prime256v1") == 0)
			return KEY_EC256;
		if (strcmp(ci->curve, "secp384r1") == 0)
			return KEY_EC384;
	} else if (strcmp(ci->key_type, "RSA") == 0) {
		switch (ci->key_bits) {
		case 2048:
			return KEY_RSA2048;
		case 3072:
			return KEY_RSA3072;
		case 4096:
			return KEY_RSA4096;
		}
	}
	return -1;
}

/*
 * Whether the certificate in place can stay: it parses, its key matches,
 * it has the wanted key type and names, and renewal is not yet due.  WHY
 * says what is wrong when it cannot.
 */
static int
current_is_good(const struct ss_conf *c, const char *crt, const char *key,
    const struct names *nm, int type, char *why, size_t whylen)
{
	STACK_OF(X509)	*certs = NULL;
	EVP_PKEY	*pkey = NULL;
	X509		*x;
	struct cert_info ci;
	int		 good = 0, have_info = 0;
	long		 left;

	if (access(crt, F_OK) != 0 && access(key, F_OK) != 0) {
		snprintf(why, whylen, "none yet");
		return 0;
	}
	if (access(crt, F_OK) != 0 || access(key, F_OK) != 0) {
		snprintf(why, whylen, "only half of the pair is there");
		return 0;
	}
	if (cert_load(crt, &certs) != 0 ||
	    key_load(key, &pkey) != 0) {
		snprintf(why, whylen, "the files in place do not load");
		goto out;
	}
	x = sk_X509_value(certs, 0);
	if (cert_info(x, &ci) != 0) {
		snprintf(why, whylen, "the certificate does not read");
		goto out;
	}
	have_info = 1;
	left = cert_days_left(x, time64_now());
	if (!cert_matches_key(x, pkey))
		snprintf(why, whylen, "the key does not match the certificate");
	else if (cert_key_type(&ci) != type)
		snprintf(why, whylen, "key type changed to %s",
		    key_type_name(type));
	else if (!names_match(nm, &ci))
		snprintf(why, whylen, "the configured names changed");
	else if (left <= c->certs.renew_days)
		snprintf(why, whylen, "it expires in %ld days", left);
	else
		good = 1;
out:
	if (have_info)
		cert_info_free(&ci);
	EVP_PKEY_free(pkey);
	cert_chain_free(certs);
	return good;
}

/* Refuses anything but a regular file (or nothing) at PATH. */
static int
regular_or_absent(const char *path)
{
	struct stat	st;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : EX_CANTCREAT;
	if (S_ISLNK(st.st_mode)) {
		log_err("%s: is a symbolic link, not replacing it", path);
		return EX_CANTCREAT;
	}
	if (!S_ISREG(st.st_mode)) {
		log_err("%s: not a regular file, not replacing it", path);
		return EX_CANTCREAT;
	}
	return 0;
}

/*
 * Both files are written and synced before either replaces its old self,
 * so a failure leaves the old pair.  Should the certificate's rename fail
 * after the key's, the previous key goes back.
 */
static int
write_pair(const struct ss_conf *c, EVP_PKEY *pkey, X509 *x)
{
	struct fs_dir		 d;
	struct fs_staged	 skey, scrt;
	struct stat		 st;
	char			*keypem = NULL, *crtpem = NULL, *oldkey = NULL;
	size_t			 keylen = 0, crtlen = 0, oldlen = 0;
	int			 rc, had_key;

	/* fs_discard of an empty name does nothing: one cleanup for all. */
	memset(&skey, 0, sizeof(skey));
	memset(&scrt, 0, sizeof(scrt));
	skey.dirfd = scrt.dirfd = -1;
	if ((rc = certdir_open_name(c, CERTDIR_SELF, 1, &d)) != 0)
		return rc;
	had_key = fstatat(d.fd, "server.key", &st, AT_SYMLINK_NOFOLLOW) ==
	    0 && S_ISREG(st.st_mode) && fs_read_at(&d, "server.key",
	    FS_MAX_READ, &oldkey, &oldlen) == 0;
	if ((rc = key_pem(pkey, &keypem, &keylen)) != 0 ||
	    (rc = cert_pem(x, &crtpem, &crtlen)) != 0 ||
	    (rc = fs_stage_at(&skey, &d, "server.key", keypem, keylen,
	    0600)) != 0 ||
	    (rc = fs_stage_at(&scrt, &d, "server.crt", crtpem, crtlen,
	    0644)) != 0 ||
	    (rc = fs_commit(&skey)) != 0)
		goto out;
	if ((rc = fs_commit(&scrt)) != 0) {
		if (had_key ? fs_write_at(&d, "server.key", oldkey, oldlen,
		    0600) != 0 : fs_unlink_at(&d, "server.key") != 0)
			log_err("%s/server.key: the previous key could not be "
			    "put back", d.path);
		goto out;
	}
	fs_settle_at(&d);
out:
	fs_discard(&skey);
	fs_discard(&scrt);
	fs_dir_close(&d);
	secret_free(keypem, keylen);
	secret_free(oldkey, oldlen);
	free(crtpem);
	return rc;
}

/* The --json report; WHY is the reason it changed or was kept. */
static int
print_json(const struct tool_env *e, int changed, int had, const char *crt,
    const char *key, const char *why)
{
	json_t	*paths;

	if ((paths = json_array()) == NULL)
		return tool_print_json(NULL);
	if (changed) {
		result_path(paths, crt);
		result_path(paths, key);
	}
	return result_print(e, changed, !changed ? "unchanged" : had ?
	    "replaced" : "created", paths, json_pack("{s:s, s:s}", "name",
	    CERTDIR_SELF, "reason", why));
}

int
cmd_selfsigned(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "key-type",	required_argument,	NULL, 't' },
		{ "days",	required_argument,	NULL, 'd' },
		{ "force",	no_argument,		NULL, 'f' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct names		 nm;
	struct selfsigned_req	 req;
	char			 crt[PATH_MAX], key[PATH_MAX];
	char			 why[128], until[64];
	const char		*type_arg = NULL;
	EVP_PKEY		*pkey = NULL;
	X509			*x = NULL;
	long			 days = -1;
	int			 ch, rc, type, force = 0, json = 0;
	int			 changed = 0, had, lockfd = -1;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			type_arg = optarg;
			break;
		case 'd':
			if (tool_num("--days", optarg, 1, 36500, &days) != 0)
				return EX_USAGE;
			break;
		case 'f':
			force = 1;
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
	if (type_arg == NULL)
		type_arg = e->conf->certs.key_type;
	if ((type = key_type_parse(type_arg)) == -1) {
		log_err("--key-type: unknown key type '%s' (ec256, ec384, "
		    "rsa2048, rsa3072, rsa4096)", type_arg);
		return EX_USAGE;
	}
	if (days == -1)
		days = e->conf->certs.self_days;
	names_from_conf(e->conf, &nm);

	if ((rc = certdir_path(crt, sizeof(crt), e->conf, CERTDIR_SELF,
	    "server.crt")) != 0 ||
	    (rc = certdir_path(key, sizeof(key), e->conf, CERTDIR_SELF,
	    "server.key")) != 0)
		goto out;
	if (!e->dry_run && (rc = store_lock(e->conf, &lockfd)) != 0)
		goto out;
	if ((rc = regular_or_absent(crt)) != 0 ||
	    (rc = regular_or_absent(key)) != 0)
		goto out;
	had = access(crt, F_OK) == 0;
	if (force)
		snprintf(why, sizeof(why), "--force");
	else if (current_is_good(e->conf, crt, key, &nm, type, why,
	    sizeof(why))) {
		snprintf(why, sizeof(why), "names match and renewal is not "
		    "due");
		log_info("kept %s: %s; nothing changed", crt, why);
		goto report;
	}
	changed = 1;
	if (e->dry_run) {
		log_info("would create %s (%s, CN=%s): %s", crt,
		    key_type_name(type), nm.dns[0], why);
		goto report;
	}

	req.cn = nm.dns[0];
	req.dns = nm.dns;
	req.ips = nm.ips;
	req.days = (int)days;
	if ((pkey = key_new(type)) == NULL ||
	    (x = certgen_selfsigned(pkey, &req)) == NULL) {
		rc = EX_SOFTWARE;
		goto out;
	}
	if ((rc = write_pair(e->conf, pkey, x)) != 0)
		goto out;
	store_audit("self-signed certificate created", CERTDIR_SELF, x, NULL);
	time64_date(until, sizeof(until), time64_now() + days * TIME64_DAY);
	log_info("created %s (%s, CN=%s, until %s): %s", crt,
	    key_type_name(type), req.cn, until, why);
report:
	if (json)
		rc = print_json(e, changed, had, crt, key, why);
out:
	X509_free(x);
	EVP_PKEY_free(pkey);
	if (lockfd != -1)
		fs_unlock(lockfd);
	return rc;
}
