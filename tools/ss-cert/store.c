/*
 * The certificates directory: where each kind of certificate lives, the
 * lock every change takes, and versioned installs behind symlinks.
 *
 *   DIR/self/server.crt, server.key        self-signed, regular files
 *   DIR/NAME/fullchain.pem -> fullchain-N.pem, privkey.pem -> privkey-N.pem,
 *            cert.pem -> cert-N.pem, chain.pem -> chain-N.pem
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cert.h"
#include "certdir.h"
#include "extern.h"
#include "fs.h"
#include "key.h"
#include "log.h"
#include "secret.h"

int
store_lock(const struct ss_conf *c, int *fd)
{
	char	path[PATH_MAX];
	int	rc;

	if ((rc = fs_mkdir_p(c->certs.dir, 0755)) != 0)
		return rc;
	if ((rc = certdir_path(path, sizeof(path), c, NULL, ".lock")) != 0)
		return rc;
	return fs_lock(path, LOCK_WAIT, fd);
}

/* One more than the highest N of any "*-N.pem" in DIR; 1 when none. */
static int
next_version(const char *dir, int *version)
{
	DIR		*d;
	struct dirent	*de;
	const char	*dash;
	char		*end;
	long		 n, max = 0;

	if ((d = opendir(dir)) == NULL) {
		log_err("%s: %s", dir, strerror(errno));
		return EX_CANTCREAT;
	}
	while ((de = readdir(d)) != NULL) {
		if ((dash = strrchr(de->d_name, '-')) == NULL)
			continue;
		errno = 0;
		n = strtol(dash + 1, &end, 10);
		if (errno == 0 && end != dash + 1 && strcmp(end, ".pem") == 0 &&
		    n > max)
			max = n;
	}
	closedir(d);
	if (max >= INT_MAX) {
		log_err("%s: no version number left", dir);
		return EX_CANTCREAT;
	}
	*version = (int)max + 1;
	return 0;
}

static const char *const kinds[] = { "privkey", "fullchain", "cert", "chain" };
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))
#define KEEP_VERSIONS	3

/* DIR/NAME/KIND.pem, or DIR/NAME/KIND-N.pem when N > 0. */
static int
kind_path(char *buf, size_t len, const struct ss_conf *c, const char *name,
    size_t kind, int n)
{
	char	file[64];

	if (n > 0)
		snprintf(file, sizeof(file), "%s-%d.pem", kinds[kind], n);
	else
		snprintf(file, sizeof(file), "%s.pem", kinds[kind]);
	return certdir_path(buf, len, c, name, file);
}

/*
 * Older versions than the KEEP_VERSIONS newest go: enough to roll back by
 * hand, not a pile that grows with every renewal on a small flash disk.
 */
static void
prune(const struct ss_conf *c, const char *name, int n)
{
	char	file[PATH_MAX];
	size_t	i;
	int	v;

	for (v = n - KEEP_VERSIONS; v > 0; v--) {
		for (i = 0; i < NKINDS; i++) {
			if (kind_path(file, sizeof(file), c, name, i, v) != 0)
				return;
			if (unlink(file) == -1 && errno != ENOENT)
				log_warn("%s: cannot remove: %s", file,
				    strerror(errno));
		}
	}
}

/*
 * Writes version N of every file, then points the links at it, the key's
 * link first.  When a swap fails the links already moved are put back, so
 * the previous version stays active whole, and the new files go.
 */
int
store_install(const struct ss_conf *c, const char *name,
    const struct store_set *s, int *version)
{
	char		 dir[PATH_MAX], file[PATH_MAX], link[PATH_MAX];
	char		 old[NKINDS][PATH_MAX], target[64];
	char		*full = NULL;
	const char	*data[NKINDS];
	size_t		 datalen[NKINDS], i, written = 0;
	ssize_t		 l;
	int		 rc, n;

	if ((rc = certdir_path(dir, sizeof(dir), c, name, NULL)) != 0)
		return rc;
	if ((rc = fs_mkdir_p(dir, 0755)) != 0 ||
	    (rc = next_version(dir, &n)) != 0)
		return rc;

	if ((full = malloc(s->certlen + s->chainlen + 1)) == NULL) {
		log_err("out of memory");
		return EX_OSERR;
	}
	memcpy(full, s->cert, s->certlen);
	memcpy(full + s->certlen, s->chain, s->chainlen);
	data[0] = s->key;	datalen[0] = s->keylen;
	data[1] = full;		datalen[1] = s->certlen + s->chainlen;
	data[2] = s->cert;	datalen[2] = s->certlen;
	data[3] = s->chain;	datalen[3] = s->chainlen;

	for (; written < NKINDS; written++) {
		if ((rc = kind_path(file, sizeof(file), c, name, written,
		    n)) != 0 || (rc = fs_write_atomic(file, data[written],
		    datalen[written], written == 0 ? 0600 : 0644)) != 0)
			goto out;
	}
	for (i = 0; i < NKINDS; i++) {
		if ((rc = kind_path(link, sizeof(link), c, name, i, 0)) != 0)
			goto out;
		l = readlink(link, old[i], sizeof(old[i]) - 1);
		old[i][l < 0 ? 0 : l] = '\0';
	}
	for (i = 0; i < NKINDS; i++) {
		snprintf(target, sizeof(target), "%s-%d.pem", kinds[i], n);
		kind_path(link, sizeof(link), c, name, i, 0);
		if ((rc = fs_symlink_swap(link, target)) != 0)
			break;
	}
	if (rc == 0)
		prune(c, name, n);
	while (rc != 0 && i-- > 0) {
		kind_path(link, sizeof(link), c, name, i, 0);
		if (old[i][0] == '\0' ? unlink(link) == -1 :
		    fs_symlink_swap(link, old[i]) != 0)
			log_err("%s: could not be put back", link);
	}
out:
	while (rc != 0 && written-- > 0)
		if (kind_path(file, sizeof(file), c, name, written, n) == 0)
			unlink(file);
	free(full);
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

/* store_install for parsed objects: their PEM, key wiped afterwards. */
int
store_install_x509(const struct ss_conf *c, const char *name, X509 *leaf,
    STACK_OF(X509) *chain, EVP_PKEY *key, int *version)
{
	struct store_set	 set;
	char			*certpem = NULL, *chainpem = NULL,
	    *keypem = NULL;
	size_t			 keylen = 0;
	int			 rc;

	memset(&set, 0, sizeof(set));
	if ((rc = cert_pem(leaf, &certpem, &set.certlen)) == 0 &&
	    (rc = chain_pem(chain, &chainpem, &set.chainlen)) == 0 &&
	    (rc = key_pem(key, &keypem, &keylen)) == 0) {
		set.cert = certpem;
		set.chain = chainpem;
		set.key = keypem;
		set.keylen = keylen;
		rc = store_install(c, name, &set, version);
	}
	secret_free(keypem, keylen);
	free(certpem);
	free(chainpem);
	return rc;
}
