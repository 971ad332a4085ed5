/*
 * The certificates directory: where each kind of certificate lives, the
 * lock every change takes, and versioned installs behind symlinks.
 *
 *   DIR/self/server.crt, server.key        self-signed, regular files
 *   DIR/NAME/fullchain.pem -> fullchain-N.pem, privkey.pem -> privkey-N.pem,
 *            cert.pem -> cert-N.pem, chain.pem -> chain-N.pem
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "cert.h"
#include "certdir.h"
#include "extern.h"
#include "fs.h"
#include "key.h"
#include "log.h"
#include "secret.h"
#include "time64.h"

void
store_audit(const char *event, const char *name, X509 *leaf,
    const char *reason)
{
	struct cert_info	 ci;
	char			 until[TIME64_TEXT_MAX] = "?";
	int			 known;

	if ((known = cert_info(leaf, &ci) == 0))
		time64_rfc3339(until, sizeof(until), ci.not_after);
	audit_notice(event, "name", name, "serial", known ? ci.serial : "?",
	    "not_after", until, "reason", reason);
	cert_info_free(&ci);
}

int
store_lock(const struct ss_conf *c, int *fd)
{
	struct fs_dir	d;
	int		rc;

	*fd = -1;
	if ((rc = certdir_open(c, &d)) != 0)
		return rc;
	rc = fs_lock_at(&d, ".lock", LOCK_WAIT, fd);
	fs_dir_close(&d);
	return rc;
}

/*
 * One more than the highest N of any "*-N.pem" in D; 1 when none.  Each
 * must be a regular file: a link planted as a version would be pruned or
 * pointed at later, and is refused now.
 */
static int
next_version(const struct fs_dir *d, int *version)
{
	DIR		*dp = NULL;
	struct dirent	*de;
	struct stat	 st;
	const char	*dash;
	char		*end;
	long		 n, max = 0;
	int		 fd, rc = 0;

	/* A descriptor of its own: readdir moves the offset. */
	if ((fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1 || (dp = fdopendir(fd)) == NULL) {
		log_err("%s: %s", d->path, strerror(errno));
		if (fd != -1)
			close(fd);
		return EX_CANTCREAT;
	}
	while ((de = readdir(dp)) != NULL) {
		if ((dash = strrchr(de->d_name, '-')) == NULL)
			continue;
		errno = 0;
		n = strtol(dash + 1, &end, 10);
		if (errno != 0 || end == dash + 1 || strcmp(end, ".pem") != 0)
			continue;
		if (fstatat(d->fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		    -1 || !S_ISREG(st.st_mode)) {
			log_err("%s/%s: not a regular file; remove it", d->path,
			    de->d_name);
			rc = EX_CANTCREAT;
		}
		if (n > max)
			max = n;
	}
	closedir(dp);
	if (rc != 0)
		return rc;
	if (max >= INT_MAX) {
		log_err("%s: no version number left", d->path);
		return EX_CANTCREAT;
	}
	*version = (int)max + 1;
	return 0;
}

const char *const store_kinds[STORE_NKINDS] = {
	"privkey", "fullchain", "cert", "chain"
};
#define NKINDS		STORE_NKINDS
#define KEEP_VERSIONS	3

/* KIND.pem, or KIND-N.pem when N > 0. */
static void
kind_file(char *buf, size_t len, size_t kind, int n)
{
	if (n > 0)
		snprintf(buf, len, "%s-%d.pem", store_kinds[kind], n);
	else
		snprintf(buf, len, "%s.pem", store_kinds[kind]);
}

/*
 * What KIND.pem points at now into OLD ("" when it is missing).  It must
 * be a link to a file of this directory: a link that leads out of it, or
 * anything else in its place, was not put there by us and is refused
 * before anything is written.
 */
static int
current_link(const struct fs_dir *d, size_t kind, char *old, size_t len)
{
	struct stat	 st;
	char		 link[64];
	ssize_t		 l;

	old[0] = '\0';
	kind_file(link, sizeof(link), kind, 0);
	if (fstatat(d->fd, link, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno == ENOENT)
			return 0;
		log_err("%s/%s: %s", d->path, link, strerror(errno));
		return EX_CANTCREAT;
	}
	if (!S_ISLNK(st.st_mode)) {
		log_err("%s/%s: not a symbolic link, not replacing it; "
		    "remove it", d->path, link);
		return EX_CANTCREAT;
	}
	if ((l = readlinkat(d->fd, link, old, len - 1)) == -1) {
		log_err("%s/%s: %s", d->path, link, strerror(errno));
		return EX_CANTCREAT;
	}
	old[l] = '\0';
	if (strchr(old, '/') != NULL || old[0] == '.' ||
	    (fstatat(d->fd, old, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISREG(st.st_mode))) {
		log_err("%s/%s: points at %s, not at a file of this "
		    "directory; remove it", d->path, link, old);
		return EX_CANTCREAT;
	}
	return 0;
}

/*
 * Older versions than the KEEP_VERSIONS newest go: enough to roll back by
 * hand, not a pile that grows with every renewal on a small flash disk.
 * unlinkat in D: a planted link goes itself, never what it points at.
 */
static void
prune(const struct fs_dir *d, int n)
{
	char	file[64];
	size_t	i;
	int	v;

	for (v = n - KEEP_VERSIONS; v > 0; v--) {
		for (i = 0; i < NKINDS; i++) {
			kind_file(file, sizeof(file), i, v);
			fs_unlink_at(d, file);
		}
	}
}

/* The bytes of each kind of file for S; *FULL, malloc'd, is fullchain. */
static int
set_data(const struct store_set *s, const char **data, size_t *datalen,
    char **full)
{
	if ((*full = malloc(s->certlen + s->chainlen + 1)) == NULL) {
		log_err("out of memory");
		return EX_OSERR;
	}
	memcpy(*full, s->cert, s->certlen);
	memcpy(*full + s->certlen, s->chain, s->chainlen);
	data[0] = s->key;	datalen[0] = s->keylen;
	data[1] = *full;	datalen[1] = s->certlen + s->chainlen;
	data[2] = s->cert;	datalen[2] = s->certlen;
	data[3] = s->chain;	datalen[3] = s->chainlen;
	return 0;
}

/*
 * *same is 1 when the links of D, whose targets are OLD, all point at one
 * version N (then in *version) and its files hold exactly DATA.
 */
static int
holds(const struct fs_dir *d, char old[][NAME_MAX + 1], const char **data,
    const size_t *datalen, int *same, int *version)
{
	char	*have = NULL, want[64];
	size_t	 len, i;
	int	 rc = 0, n;

	*same = 0;
	if (sscanf(old[1], "fullchain-%d.pem", &n) != 1 || n <= 0)
		return 0;
	for (i = 0; i < NKINDS; i++) {
		kind_file(want, sizeof(want), i, n);
		if (strcmp(old[i], want) != 0)
			return 0;
	}
	for (i = 0; i < NKINDS; i++) {
		if ((rc = fs_read_at(d, old[i], FS_MAX_READ, &have,
		    &len)) != 0)
			return rc;
		*same = len == datalen[i] && memcmp(have, data[i], len) == 0;
		secret_free(have, len);
		if (!*same)
			return 0;
	}
	*version = n;
	return 0;
}

/* What store_install of S as NAME would do; see store_plan_x509. */
static int
store_plan(const struct ss_conf *c, const char *name,
    const struct store_set *s, int *same, int *version)
{
	struct fs_dir	 d;
	char		 old[NKINDS][NAME_MAX + 1], *full = NULL;
	const char	*data[NKINDS];
	size_t		 datalen[NKINDS], i;
	int		 rc;

	*same = 0;
	*version = 1;
	if ((rc = fs_dir_open(&d, c->certs.dir, "[certs] dir", 0, name,
	    0)) != 0)
		return rc == EX_NOINPUT ? 0 : rc;
	if ((rc = next_version(&d, version)) != 0)
		goto out;
	for (i = 0; i < NKINDS; i++)
		if ((rc = current_link(&d, i, old[i], sizeof(old[i]))) != 0)
			goto out;
	if ((rc = set_data(s, data, datalen, &full)) != 0)
		goto out;
	rc = holds(&d, old, data, datalen, same, version);
out:
	free(full);
	fs_dir_close(&d);
	return rc;
}

/*
 * Writes version N of every file, then points the links at it, the key's
 * link first.  When a swap fails the links already moved are put back, so
 * the previous version stays active whole, and the new files go.  All in
 * DIR/NAME opened by descriptor: a symlink planted as NAME, as a file or
 * as a link's target is refused, never followed.
 */
int
store_install(const struct ss_conf *c, const char *name,
    const struct store_set *s, int *version)
{
	struct fs_dir	 d;
	char		 file[64], link[64], old[NKINDS][NAME_MAX + 1];
	char		*full = NULL;
	const char	*data[NKINDS];
	size_t		 datalen[NKINDS], i, written = 0;
	int		 rc, n;

	if ((rc = certdir_open_name(c, name, 1, &d)) != 0)
		return rc;
	if ((rc = next_version(&d, &n)) != 0)
		goto out;
	for (i = 0; i < NKINDS; i++)
		if ((rc = current_link(&d, i, old[i], sizeof(old[i]))) != 0)
			goto out;

	if ((rc = set_data(s, data, datalen, &full)) != 0)
		goto out;

	for (; written < NKINDS; written++) {
		kind_file(file, sizeof(file), written, n);
		if ((rc = fs_write_at(&d, file, data[written],
		    datalen[written], written == 0 ? 0600 : 0644)) != 0)
			goto out;
	}
	for (i = 0; i < NKINDS; i++) {
		kind_file(link, sizeof(link), i, 0);
		kind_file(file, sizeof(file), i, n);
		if ((rc = fs_symlink_swap_at(&d, link, file)) != 0)
			break;
	}
	if (rc == 0)
		prune(&d, n);
	while (rc != 0 && i-- > 0) {
		kind_file(link, sizeof(link), i, 0);
		if (old[i][0] == '\0' ? fs_unlink_at(&d, link) != 0 :
		    fs_symlink_swap_at(&d, link, old[i]) != 0)
			log_err("%s/%s: could not be put back", d.path, link);
	}
out:
	while (rc != 0 && written-- > 0) {
		kind_file(file, sizeof(file), written, n);
		fs_unlink_at(&d, file);
	}
	free(full);
	fs_dir_close(&d);
	if (rc == 0)
		*version = n;
	return rc;
}

/* The PEM of every certificate in CHAIN, one after the other. */
static int
chain_pem(STACK_OF(X509) *chain, char **out, size_t *outlen)
{
	char	*pem, *all = NULL, *p;
	size_t	 len, total = 0;
	int	 i, rc = 0;

	if ((all = strdup("")) == NULL)
		goto oom;
	for (i = 0; i < sk_X509_num(chain); i++) {
		if ((rc = cert_pem(sk_X509_value(chain, i), &pem,
		    &len)) != 0)
			goto out;
		p = realloc(all, total + len + 1);
		if (p == NULL) {
			free(pem);
			goto oom;
		}
		all = p;
		memcpy(all + total, pem, len);
		total += len;
		all[total] = '\0';
		free(pem);
	}
	*out = all;
	*outlen = total;
	return 0;
oom:
	log_err("out of memory");
	rc = EX_OSERR;
out:
	free(all);
	return rc;
}

/* The PEM of LEAF, CHAIN and KEY in SET; free with set_free. */
static int
set_from_x509(X509 *leaf, STACK_OF(X509) *chain, EVP_PKEY *key,
    struct store_set *set)
{
	char	*certpem = NULL, *chainpem = NULL, *keypem = NULL;
	int	 rc;

	memset(set, 0, sizeof(*set));
	if ((rc = cert_pem(leaf, &certpem, &set->certlen)) == 0 &&
	    (rc = chain_pem(chain, &chainpem, &set->chainlen)) == 0)
		rc = key_pem(key, &keypem, &set->keylen);
	set->cert = certpem;
	set->chain = chainpem;
	set->key = keypem;
	return rc;
}

static void
set_free(struct store_set *set)
{
	secret_free((char *)set->key, set->keylen);
	free((char *)set->cert);
	free((char *)set->chain);
}

/* store_install for parsed objects: their PEM, key wiped afterwards. */
int
store_install_x509(const struct ss_conf *c, const char *name, X509 *leaf,
    STACK_OF(X509) *chain, EVP_PKEY *key, int *version)
{
	struct store_set	 set;
	int			 rc;

	if ((rc = set_from_x509(leaf, chain, key, &set)) == 0)
		rc = store_install(c, name, &set, version);
	set_free(&set);
	return rc;
}

int
store_plan_x509(const struct ss_conf *c, const char *name, X509 *leaf,
    STACK_OF(X509) *chain, EVP_PKEY *key, int *same, int *version)
{
	struct store_set	 set;
	int			 rc;

	if ((rc = set_from_x509(leaf, chain, key, &set)) == 0)
		rc = store_plan(c, name, &set, same, version);
	set_free(&set);
	return rc;
}
