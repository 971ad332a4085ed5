/*
 * tsigkey: the TSIG key of [ddns] tsig_key_file, a BIND key file as
 * tsig-keygen writes it, read strictly: one hmac-sha256 key and nothing
 * else, from a file nobody but its owner can read.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

/*
 * ldns.h declares its DNSSEC functions with OpenSSL types that
 * OPENSSL_NO_DEPRECATED hides; nothing here uses them.
 */
#undef OPENSSL_NO_DEPRECATED
#include <ldns/ldns.h>

#include "extern.h"
#include "log.h"
#include "secret.h"

#define KEY_FILE_MAX	4096
#define TOKEN_MAX	512

struct lexer {
	const char	*path;
	const char	*p, *end;
	int		 line;
	int		 quoted;
	char		 tok[TOKEN_MAX];
};

/* Skips blanks and the three comment forms named.conf allows. */
static int
lex_skip(struct lexer *lx)
{
	for (;;) {
		while (lx->p < lx->end && isspace((unsigned char)*lx->p))
			if (*lx->p++ == '\n')
				lx->line++;
		if (lx->p < lx->end && (*lx->p == '#' || (*lx->p == '/' &&
		    lx->p + 1 < lx->end && lx->p[1] == '/'))) {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (lx->p + 1 < lx->end && lx->p[0] == '/' &&
		    lx->p[1] == '*') {
			for (lx->p += 2; lx->p + 1 < lx->end &&
			    !(lx->p[0] == '*' && lx->p[1] == '/'); lx->p++)
				if (*lx->p == '\n')
					lx->line++;
			if (lx->p + 1 >= lx->end) {
				log_err("%s:%d: unterminated comment",
				    lx->path, lx->line);
				return 0;
			}
			lx->p += 2;
		} else
			return 1;
	}
}

/*
 * The next token into lx->tok: a word, a quoted string or one of "{};".
 * 1 for a token, 0 at the end of the file, -1 on an error (logged).
 */
static int
lex(struct lexer *lx)
{
	size_t	n = 0;

	if (!lex_skip(lx))
		return -1;
	if (lx->p == lx->end)
		return 0;
	lx->quoted = *lx->p == '"';
	if (strchr("{};", *lx->p) != NULL) {
		lx->tok[n++] = *lx->p++;
	} else if (lx->quoted) {
		for (lx->p++; lx->p < lx->end && *lx->p != '"' &&
		    *lx->p != '\n' && n < sizeof(lx->tok) - 1; lx->p++)
			lx->tok[n++] = *lx->p;
		if (lx->p == lx->end || *lx->p != '"') {
			log_err("%s:%d: unterminated or over-long string",
			    lx->path, lx->line);
			return -1;
		}
		lx->p++;
	} else {
		while (lx->p < lx->end && !isspace((unsigned char)*lx->p) &&
		    strchr("{};\"", *lx->p) == NULL &&
		    n < sizeof(lx->tok) - 1)
			lx->tok[n++] = *lx->p++;
		if (n == sizeof(lx->tok) - 1) {
			log_err("%s:%d: over-long word", lx->path, lx->line);
			return -1;
		}
	}
	lx->tok[n] = '\0';
	return 1;
}

static int
is_punct(const struct lexer *lx, const char *p)
{
	return !lx->quoted && strcmp(lx->tok, p) == 0;
}

/* The next token must be the punctuation P. */
static int
expect(struct lexer *lx, const char *p)
{
	int	t;

	if ((t = lex(lx)) == 1 && is_punct(lx, p))
		return 1;
	if (t == 0)
		log_err("%s:%d: the file ends where '%s' belongs", lx->path,
		    lx->line, p);
	else if (t == 1)
		log_err("%s:%d: '%s' expected", lx->path, lx->line, p);
	return 0;
}

/* The value of a statement: a word or a string, then ';'. */
static int
statement_value(struct lexer *lx, const char *what, char *buf, size_t len)
{
	int	t;

	if ((t = lex(lx)) != 1 || (!lx->quoted &&
	    strchr("{};", lx->tok[0]) != NULL)) {
		if (t != -1)
			log_err("%s:%d: %s has no value", lx->path, lx->line,
			    what);
		return 0;
	}
	if (*buf != '\0') {
		log_err("%s:%d: a second %s statement", lx->path, lx->line,
		    what);
		return 0;
	}
	if (snprintf(buf, len, "%s", lx->tok) >= (int)len) {
		log_err("%s:%d: the %s is too long", lx->path, lx->line, what);
		return 0;
	}
	return expect(lx, ";");
}

/* 1 when SECRET decodes as base64 to at least one byte. */
static int
secret_ok(const char *secret)
{
	ldns_rdf	*rd = NULL;
	int		 ok;

	ok = ldns_str2rdf_b64(&rd, secret) == LDNS_STATUS_OK && rd != NULL &&
	    ldns_rdf_size(rd) > 0;
	if (rd != NULL) {
		secret_zero(ldns_rdf_data(rd), ldns_rdf_size(rd));
		ldns_rdf_deep_free(rd);
	}
	return ok;
}

/*
 * key "NAME" { algorithm hmac-sha256; secret "B64"; }; as tsig-keygen
 * writes it, and nothing else.
 */
static int
key_parse(const char *path, const char *buf, size_t len,
    struct tsigkey *key)
{
	struct lexer	 lx;
	ldns_rdf	*dname;
	char		 alg[64] = "";
	int		 t, alg_line = 0, secret_line = 0, rc = EX_CONFIG;

	memset(&lx, 0, sizeof(lx));
	lx.path = path;
	lx.p = buf;
	lx.end = buf + len;
	lx.line = 1;
	if ((t = lex(&lx)) != 1 || lx.quoted || strcmp(lx.tok, "key") != 0) {
		if (t != -1)
			log_err("%s: not a BIND key file (key \"NAME\" { "
			    "algorithm hmac-sha256; secret \"...\"; };)", path);
		goto out;
	}
	if ((t = lex(&lx)) != 1 || (!lx.quoted &&
	    strchr("{};", lx.tok[0]) != NULL)) {
		if (t != -1)
			log_err("%s:%d: the key has no name", path, lx.line);
		goto out;
	}
	if (snprintf(key->name, sizeof(key->name), "%s", lx.tok) >=
	    (int)sizeof(key->name) ||
	    (dname = ldns_dname_new_frm_str(key->name)) == NULL) {
		log_err("%s:%d: the key name is not a domain name", path,
		    lx.line);
		goto out;
	}
	ldns_rdf_deep_free(dname);
	if (!expect(&lx, "{"))
		goto out;
	for (;;) {
		if ((t = lex(&lx)) != 1) {
			if (t == 0)
				log_err("%s:%d: the file ends inside the key",
				    path, lx.line);
			goto out;
		}
		if (is_punct(&lx, "}"))
			break;
		if (!lx.quoted && strcmp(lx.tok, "algorithm") == 0) {
			alg_line = lx.line;
			if (!statement_value(&lx, "algorithm", alg,
			    sizeof(alg)))
				goto out;
		} else if (!lx.quoted && strcmp(lx.tok, "secret") == 0) {
			secret_line = lx.line;
			if (!statement_value(&lx, "secret", key->secret,
			    sizeof(key->secret)))
				goto out;
		} else {
			log_err("%s:%d: unknown statement '%.32s' in the key",
			    path, lx.line, lx.tok);
			goto out;
		}
	}
	if (!expect(&lx, ";"))
		goto out;
	if ((t = lex(&lx)) != 0) {
		if (t == 1)
			log_err("%s:%d: more after the key; the file must "
			    "hold one key and nothing else", path, lx.line);
		goto out;
	}
	if (*alg == '\0' || *key->secret == '\0') {
		log_err("%s: the key %s has no %s", path, key->name,
		    *alg == '\0' ? "algorithm" : "secret");
		goto out;
	}
	if (strcasecmp(alg, "hmac-sha256") != 0 &&
	    strcasecmp(alg, "hmac-sha256.") != 0) {
		log_err("%s:%d: algorithm %s is not supported: the key must be "
		    "hmac-sha256 (tsig-keygen -a hmac-sha256 %s)", path,
		    alg_line, alg, key->name);
		goto out;
	}
	if (!secret_ok(key->secret)) {
		log_err("%s:%d: the secret is not base64", path, secret_line);
		goto out;
	}
	rc = 0;
out:
	secret_zero(&lx, sizeof(lx));
	return rc;
}

int
tsigkey_load(const struct ss_conf *c, struct tsigkey *key)
{
	const char	*path = c->ddns.tsig_key_file;
	const char	*sec = ddnsname_section(c);
	struct stat	 st;
	char		 buf[KEY_FILE_MAX];
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd, rc = EX_CONFIG;

	if (*path == '\0') {
		log_err("%s: %s protocol rfc2136 needs tsig_key_file (a "
		    "key from tsig-keygen -a hmac-sha256 NAME)", c->file, sec);
		return EX_CONFIG;
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		log_err("%s tsig_key_file %s: %s", sec, path, strerror(errno));
		return EX_CONFIG;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		log_err("%s tsig_key_file %s: not a regular file", sec, path);
		goto out;
	}
	if (st.st_uid != geteuid()) {
		log_err("%s tsig_key_file %s: owned by uid %u, not by the "
		    "user reading it (uid %u); chown %u %s", sec, path,
		    (unsigned)st.st_uid, (unsigned)geteuid(),
		    (unsigned)geteuid(), path);
		goto out;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		log_err("%s tsig_key_file %s: readable or writable by "
		    "group or others (mode %04o); chmod 600 %s", sec, path,
		    (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	while (len < sizeof(buf)) {
		if ((n = read(fd, buf + len, sizeof(buf) - len)) == -1) {
			if (errno == EINTR)
				continue;
			log_err("%s tsig_key_file %s: %s", sec, path,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += n;
	}
	if (len == sizeof(buf)) {
		log_err("%s: not a BIND key file (larger than %d bytes)", path,
		    KEY_FILE_MAX - 1);
		goto out;
	}
	rc = key_parse(path, buf, len, key);
out:
	close(fd);
	secret_zero(buf, sizeof(buf));
	return rc;
}
