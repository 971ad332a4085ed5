/*
 * pwhash: password hashes and the rules new passwords follow.
 *
 *   argon2id (RFC 9106) in PHC string form for CMS users: the parameters
 *   travel in the string, so old hashes verify after the config changes;
 *   yescrypt through crypt(3) for /etc/shadow and htpasswd.
 *
 * Passwords are NUL-terminated strings the caller wipes.
 */
#ifndef SEC_PWHASH_H
#define SEC_PWHASH_H

#include <stddef.h>
#include <stdint.h>

#define PW_HASH_MAX	256	/* room for any hash string made here */
#define PW_MAX		256	/* longest password accepted, bytes */

struct pwhash_params {
	uint32_t	t;	/* passes */
	uint32_t	m_kib;	/* memory */
	uint32_t	p;	/* lanes */
};

/* $argon2id$v=19$m=...,t=...,p=...$salt$hash with a fresh 16-byte salt. */
int	pwhash_argon2id(const char *pw, const struct pwhash_params *,
	    char *out, size_t outlen);
/*
 * 1 when PW matches the PHC string, 0 when not, -1 when it is no argon2id
 * hash (logged).
 */
int	pwhash_verify_argon2id(const char *phc, const char *pw);

/*
 * The work of one argon2id hash with PP, the result thrown away: a path
 * that has no hash to check (no such user) then takes as long as one that
 * has.  Nothing is logged.
 */
void	pwhash_argon2id_work(const struct pwhash_params *);

/* $y$... yescrypt with a fresh salt (crypt_gensalt_rn, default cost). */
int	pwhash_crypt(const char *pw, char *out, size_t outlen);
/*
 * 1 match, 0 no match, -1 unusable hash ("!", "*", empty: never matches,
 * not logged as an error).
 */
int	pwhash_verify_crypt(const char *hash, const char *pw);

/*
 * A random password of N characters (N+1 bytes in OUT) from an alphabet
 * without look-alikes (no 0/O/o, 1/l/I, 5/S, 2/Z, 8/B).
 */
int	pwhash_random(char *out, size_t n);

/* Constant-time equality of two strings. */
int	pwhash_equal(const char *, const char *);

/*
 * The policy: at least MIN_LENGTH characters, at most PW_MAX bytes,
 * different from CURRENT, from USER and from FACTORY (either may be NULL).
 * 0, or EX_DATAERR with the rule broken in WHY (never the password).
 */
int	pwhash_policy(const char *pw, const char *current, const char *user,
	    const char *factory, long min_length, char *why, size_t whylen);

#endif
