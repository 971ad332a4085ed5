/*
 * pwhash: password hashes and the rules new passwords follow.  See
 * pwhash.h for the contract.
 */
#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include <argon2.h>

#include "log.h"
#include "pwhash.h"
#include "secret.h"

#define ARGON2_SALT_LEN	16
#define ARGON2_HASH_LEN	32
#define ARGON2ID_PREFIX	"$argon2id$"

/* No 0/O/o, 1/l/I, 5/S, 2/Z, 8/B: passwords are read off paper and LCDs. */
static const char	pw_alphabet[] =
    "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";

int
pwhash_argon2id(const char *pw, const struct pwhash_params *pp,
    char *out, size_t outlen)
{
	unsigned char	salt[ARGON2_SALT_LEN];
	size_t		need;
	int		r, rc;

	/* RFC 9106 3.1: memory of at least 8 KiB per lane. */
	if (pp->m_kib < 8 * pp->p) {
		log_err("argon2id: argon2_m_kib %u is below 8 KiB per lane "
		    "(argon2_p %u): raise it to at least %u", pp->m_kib,
		    pp->p, 8 * pp->p);
		return EX_CONFIG;
	}
	need = argon2_encodedlen(pp->t, pp->m_kib, pp->p, sizeof(salt),
	    ARGON2_HASH_LEN, Argon2_id);
	if (need > outlen) {
		log_err("argon2id: %zu bytes needed for the hash, %zu given",
		    need, outlen);
		return EX_SOFTWARE;
	}
	if ((rc = secret_random(salt, sizeof(salt))) != 0)
		return rc;
	r = argon2id_hash_encoded(pp->t, pp->m_kib, pp->p, pw, strlen(pw),
	    salt, sizeof(salt), ARGON2_HASH_LEN, out, outlen);
	if (r != ARGON2_OK) {
		log_err("argon2id: %s", argon2_error_message(r));
		return r == ARGON2_MEMORY_ALLOCATION_ERROR ? EX_OSERR :
		    EX_SOFTWARE;
	}
	return 0;
}

void
pwhash_argon2id_work(const struct pwhash_params *pp)
{
	static const unsigned char	salt[ARGON2_SALT_LEN];
	unsigned char			out[ARGON2_HASH_LEN];

	argon2id_hash_raw(pp->t, pp->m_kib, pp->p, "", 0, salt, sizeof(salt),
	    out, sizeof(out));
	secret_zero(out, sizeof(out));
}

int
pwhash_verify_argon2id(const char *phc, const char *pw)
{
	int	r;

	/* libargon2 would say only "Decoding failed" for another hash kind. */
	if (strncmp(phc, ARGON2ID_PREFIX, sizeof(ARGON2ID_PREFIX) - 1) != 0) {
		log_err("not an argon2id hash");
		return -1;
	}
	r = argon2id_verify(phc, pw, strlen(pw));
	if (r == ARGON2_OK)
		return 1;
	if (r == ARGON2_VERIFY_MISMATCH)
		return 0;
	log_err("argon2id hash: %s", argon2_error_message(r));
	return -1;
}

int
pwhash_crypt(const char *pw, char *out, size_t outlen)
{
	struct crypt_data	 cd;
	char			 setting[CRYPT_GENSALT_OUTPUT_SIZE];
	const char		*h;
	int			 rc = EX_SOFTWARE;

	memset(&cd, 0, sizeof(cd));
	/* NULL random bytes: libxcrypt takes them from the kernel. */
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, setting, sizeof(setting)) ==
	    NULL) {
		log_err("yescrypt: cannot make a salt: %s", strerror(errno));
		rc = EX_OSERR;
		goto out;
	}
	if ((h = crypt_rn(pw, setting, &cd, sizeof(cd))) == NULL) {
		log_err("yescrypt: %s", strerror(errno));
		goto out;
	}
	if ((size_t)snprintf(out, outlen, "%s", h) >= outlen) {
		log_err("yescrypt: %zu bytes needed for the hash, %zu given",
		    strlen(h) + 1, outlen);
		goto out;
	}
	rc = 0;
out:
	/* The work area holds the password and what was derived from it. */
	secret_zero(&cd, sizeof(cd));
	return rc;
}

int
pwhash_verify_crypt(const char *hash, const char *pw)
{
	struct crypt_data	 cd;
	const char		*h;
	int			 rc = -1;

	/*
	 * A locked or passwordless account, as passwd -l and useradd leave
	 * it: normal on a device, so no error, and never handed to crypt.
	 */
	if (hash[0] == '\0' || hash[0] == '!' || hash[0] == '*')
		return -1;
	memset(&cd, 0, sizeof(cd));
	if ((h = crypt_rn(pw, hash, &cd, sizeof(cd))) == NULL) {
		log_err("password hash: %s", errno == EINVAL ?
		    "unsupported or malformed" : strerror(errno));
		goto out;
	}
	rc = pwhash_equal(h, hash);
out:
	secret_zero(&cd, sizeof(cd));
	return rc;
}

int
pwhash_random(char *out, size_t n)
{
	/* Bytes at or above LIMIT would make the first letters likelier. */
	const unsigned	 size = sizeof(pw_alphabet) - 1;
	const unsigned	 limit = 256 - 256 % size;
	unsigned char	 r[64];
	size_t		 i = 0, used = sizeof(r);
	int		 rc = 0;

	while (i < n) {
		if (used == sizeof(r)) {
			if ((rc = secret_random(r, sizeof(r))) != 0)
				goto out;
			used = 0;
		}
		if (r[used] < limit)
			out[i++] = pw_alphabet[r[used] % size];
		used++;
	}
	out[n] = '\0';
out:
	secret_zero(r, sizeof(r));
	if (rc != 0)
		secret_zero(out, n + 1);
	return rc;
}

int
pwhash_equal(const char *a, const char *b)
{
	const char	*longer;
	size_t		 la, lb;

	la = strlen(a);
	lb = strlen(b);
	if (la == lb)
		return secret_equal(a, b, la);
	/*
	 * Lengths differ: the answer is known, but the same work is done
	 * as for a match so the time says nothing about the content.
	 */
	longer = la > lb ? a : b;
	(void)secret_equal(longer, longer, la > lb ? la : lb);
	return 0;
}

/* Characters, not bytes: a UTF-8 password is counted as the user typed it. */
static size_t
utf8_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int
pwhash_policy(const char *pw, const char *current, const char *user,
    const char *factory, long min_length, char *why, size_t whylen)
{
	if (whylen > 0)
		why[0] = '\0';
	if (min_length > 0 && utf8_chars(pw) < (size_t)min_length)
		snprintf(why, whylen, "shorter than %ld characters",
		    min_length);
	else if (strlen(pw) > PW_MAX)
		snprintf(why, whylen, "longer than %d bytes", PW_MAX);
	else if (current != NULL && pwhash_equal(pw, current))
		snprintf(why, whylen, "the same as the current password");
	else if (user != NULL && strcasecmp(pw, user) == 0)
		snprintf(why, whylen, "the same as the user name");
	else if (factory != NULL && pwhash_equal(pw, factory))
		snprintf(why, whylen, "the same as the factory password");
	else
		return 0;
	return EX_DATAERR;
}
