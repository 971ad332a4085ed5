/*
 * rfc2136: DNS UPDATE (RFC 2136) signed with TSIG (RFC 8945) and sent to
 * the zone's primary, for the device's A/AAAA records and for dns-01 TXT
 * records; and plain questions to one name server.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
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
#define TXT_TTL		60
#define MAX_ADDRS	8
#define QUERY_TIMEOUT	2	/* seconds per try */
#define QUERY_TRIES	2

/* TSIG errors in the TSIG record of a NOTAUTH answer (RFC 8945 5.3). */
#define TSIG_BADSIG	16
#define TSIG_BADKEY	17
#define TSIG_BADTIME	18

struct tsig_key {
	char	 name[256];
	char	 secret[TOKEN_MAX];	/* base64, as the file has it */
};

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
    struct tsig_key *key)
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

/*
 * [ddns] tsig_key_file.  A secret that others can read has leaked already,
 * or soon will: refused.
 */
static int
key_load(const struct ss_conf *c, struct tsig_key *key)
{
	const char	*path = c->ddns.tsig_key_file;
	struct stat	 st;
	char		 buf[KEY_FILE_MAX];
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd, rc = EX_CONFIG;

	if (*path == '\0') {
		log_err("%s: [ddns] protocol rfc2136 needs tsig_key_file (a "
		    "key from tsig-keygen -a hmac-sha256 NAME)", c->file);
		return EX_CONFIG;
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		log_err("[ddns] tsig_key_file %s: %s", path, strerror(errno));
		return EX_CONFIG;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		log_err("[ddns] tsig_key_file %s: not a regular file", path);
		goto out;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		log_err("[ddns] tsig_key_file %s: readable or writable by "
		    "group or others (mode %04o); chmod 600 %s", path,
		    (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	while (len < sizeof(buf)) {
		if ((n = read(fd, buf + len, sizeof(buf) - len)) == -1) {
			if (errno == EINTR)
				continue;
			log_err("[ddns] tsig_key_file %s: %s", path,
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

/* "HOST", "HOST:PORT", "[V6]:PORT" or a bare IPv6 address. */
static int
server_split(const char *server, char *host, size_t hostlen,
    uint16_t *port)
{
	const char	*h = server, *p = NULL, *end;
	size_t		 hl;
	long		 n;
	char		*ep;

	if (*server == '[') {
		if ((end = strchr(server, ']')) == NULL ||
		    (end[1] != '\0' && end[1] != ':'))
			return 0;
		h = server + 1;
		hl = end - h;
		if (end[1] == ':')
			p = end + 2;
	} else if ((end = strchr(server, ':')) != NULL &&
	    strchr(end + 1, ':') == NULL) {
		hl = end - server;
		p = end + 1;
	} else
		hl = strlen(server);
	if (hl == 0 || hl >= hostlen)
		return 0;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = 53;
	if (p != NULL) {
		errno = 0;
		n = strtol(p, &ep, 10);
		if (!isdigit((unsigned char)*p) || *ep != '\0' ||
		    errno != 0 || n < 1 || n > 65535)
			return 0;
		*port = n;
	}
	return 1;
}

/* Copies of the secret that ldns keeps are wiped before they are freed. */
static void
resolver_free(ldns_resolver *r)
{
	const char	*k;

	if (r == NULL)
		return;
	if ((k = ldns_resolver_tsig_keydata(r)) != NULL)
		secret_zero((char *)k, strlen(k));
	ldns_resolver_deep_free(r);
}

/*
 * A resolver that asks SERVER (HOST[:PORT]) and nothing else, every
 * address HOST has in turn.  EX_DATAERR when SERVER does not parse,
 * EX_TEMPFAIL when HOST has no address now; WHY says so.
 */
static int
resolver_for(const char *server, ldns_resolver **out, char *why,
    size_t len)
{
	struct addrinfo		 hints, *res = NULL, *ai;
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { QUERY_TIMEOUT, 0 };
	ldns_resolver		*r = NULL;
	ldns_rdf		*a;
	char			 host[256];
	uint16_t		 port;
	int			 e, n = 0, rc = EX_OSERR;

	*out = NULL;
	if (!server_split(server, host, sizeof(host), &port)) {
		snprintf(why, len, "'%s' is not HOST[:PORT]", server);
		return EX_DATAERR;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if ((e = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		snprintf(why, len, "%s: %s", host, e == EAI_SYSTEM ?
		    strerror(errno) : gai_strerror(e));
		return EX_TEMPFAIL;
	}
	if ((r = ldns_resolver_new()) == NULL) {
		snprintf(why, len, "%s: out of memory", server);
		goto out;
	}
	for (ai = res; ai != NULL && n < MAX_ADDRS; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof(ss))
			continue;
		memset(&ss, 0, sizeof(ss));
		memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
		if ((a = ldns_sockaddr_storage2rdf(&ss, NULL)) == NULL)
			continue;
		if (ldns_resolver_push_nameserver(r, a) == LDNS_STATUS_OK)
			n++;
		ldns_rdf_deep_free(a);
	}
	if (n == 0) {
		snprintf(why, len, "%s: no address to ask", host);
		rc = EX_TEMPFAIL;
		goto out;
	}
	ldns_resolver_set_port(r, port);
	ldns_resolver_set_recursive(r, false);
	ldns_resolver_set_random(r, false);
	ldns_resolver_set_retry(r, QUERY_TRIES);
	ldns_resolver_set_retrans(r, 0);
	ldns_resolver_set_timeout(r, tv);
	*out = r;
	r = NULL;
	rc = 0;
out:
	resolver_free(r);
	freeaddrinfo(res);
	return rc;
}

/* Sends Q over UDP, and again over TCP when the answer was truncated. */
static ldns_status
exchange(ldns_resolver *r, const ldns_pkt *q, ldns_pkt **reply)
{
	ldns_status	st;

	st = ldns_send(reply, r, q);
	if (*reply != NULL && ldns_pkt_tc(*reply)) {
		ldns_pkt_free(*reply);
		*reply = NULL;
		ldns_resolver_set_usevc(r, true);
		st = ldns_send(reply, r, q);
	}
	return st;
}

/* 0 when REPLY is an answer to Q, else EX_TEMPFAIL and why not. */
static int
reply_check(const char *server, const ldns_pkt *q, ldns_status st,
    const ldns_pkt *reply, char *why, size_t len)
{
	if (reply == NULL) {
		if (st == LDNS_STATUS_NETWORK_ERR ||
		    st == LDNS_STATUS_SOCKET_ERROR ||
		    st == LDNS_STATUS_RES_NO_NS)
			snprintf(why, len, "no answer from %s within %d s",
			    server, QUERY_TIMEOUT * QUERY_TRIES);
		else
			snprintf(why, len, "the answer from %s does not parse "
			    "(%s)", server, ldns_get_errorstr_by_id(st));
		return EX_TEMPFAIL;
	}
	if (ldns_pkt_id(reply) != ldns_pkt_id(q)) {
		snprintf(why, len, "the answer from %s is to another question",
		    server);
		return EX_TEMPFAIL;
	}
	return 0;
}

static const char *
rcode_name(int rcode)
{
	const ldns_lookup_table	*lt;

	if ((lt = ldns_lookup_by_id(ldns_rcodes, rcode)) == NULL)
		return "an unknown RCODE";
	return lt->name;
}

/* How the primary took the update, from its answer. */
static void
update_judge(const char *server, const struct tsig_key *key,
    const char *zone, ldns_status st, const ldns_pkt *reply,
    enum presult *res, char *detail, size_t len)
{
	const ldns_rr	*tsig;
	int		 rcode = ldns_pkt_get_rcode(reply);
	uint16_t	 err = 0;

	if ((tsig = ldns_pkt_tsig(reply)) != NULL && ldns_rr_rd_count(tsig) > 5)
		err = ldns_rdf2native_int16(ldns_rr_rdf(tsig, 5));
	log_debug("%s answered %s%s", server, rcode_name(rcode),
	    st == LDNS_STATUS_OK ? ", signed with the key" : "");
	*res = UPDATE_STOP;
	switch (rcode) {
	case LDNS_RCODE_NOERROR:
		if (st == LDNS_STATUS_OK) {
			*res = UPDATE_OK;
			snprintf(detail, len, "%s took the update", server);
		} else {
			*res = UPDATE_RETRY;
			snprintf(detail, len, "the answer from %s is not "
			    "signed with the key %s; not trusted", server,
			    key->name);
		}
		break;
	case LDNS_RCODE_SERVFAIL:
		*res = UPDATE_RETRY;
		snprintf(detail, len, "%s could not apply the update "
		    "(SERVFAIL)", server);
		break;
	case LDNS_RCODE_NOTAUTH:
		if (err == TSIG_BADKEY)
			snprintf(detail, len, "the server refused the TSIG key "
			    "%s (BADKEY: it does not know the key)", key->name);
		else if (err == TSIG_BADSIG)
			snprintf(detail, len, "the server refused the TSIG key "
			    "%s (BADSIG: the secret differs)", key->name);
		else if (err == TSIG_BADTIME) {
			*res = UPDATE_RETRY;
			snprintf(detail, len, "%s refused the signature's time "
			    "(BADTIME): the clocks differ by over 5 minutes",
			    server);
		} else
			snprintf(detail, len, "%s is not authoritative for the "
			    "zone %s (NOTAUTH)", server, zone);
		break;
	case LDNS_RCODE_REFUSED:
		snprintf(detail, len, "%s refused the update (REFUSED): the "
		    "key %s may not change these records in %s", server,
		    key->name, zone);
		break;
	case LDNS_RCODE_NOTZONE:
		snprintf(detail, len, "the name is not in the zone %s "
		    "(NOTZONE)", zone);
		break;
	default:
		snprintf(detail, len, "%s answered %s", server,
		    rcode_name(rcode));
		break;
	}
}

/*
 * Sends the update RRS for ZONE to [ddns] server, signed with the key
 * from tsig_key_file.  Returns 0 with *RES and DETAIL, or a sysexits code
 * (logged) when the configuration is not usable.
 */
static int
update_send(const struct ss_conf *c, const ldns_rdf *zone,
    const ldns_rr_list *rrs, enum presult *res, char *detail, size_t len)
{
	const char	*server = c->ddns.server;
	struct tsig_key	 key;
	ldns_resolver	*r = NULL;
	ldns_pkt	*q = NULL, *reply = NULL;
	ldns_status	 st;
	char		*zs = NULL, *s;
	size_t		 i;
	int		 rc;

	memset(&key, 0, sizeof(key));
	if (*server == '\0') {
		log_err("%s: [ddns] protocol rfc2136 needs server (HOST[:PORT] "
		    "of the zone's primary)", c->file);
		return EX_CONFIG;
	}
	if ((rc = key_load(c, &key)) != 0)
		goto out;
	if ((rc = resolver_for(server, &r, detail, len)) != 0) {
		if (rc == EX_DATAERR) {
			log_err("%s: [ddns] server %s", c->file, detail);
			rc = EX_CONFIG;
		} else if (rc == EX_TEMPFAIL) {
			*res = UPDATE_RETRY;
			rc = 0;
		} else
			log_err("%s", detail);
		goto out;
	}
	ldns_resolver_set_tsig_keyname(r, key.name);
	ldns_resolver_set_tsig_algorithm(r, "hmac-sha256.");
	ldns_resolver_set_tsig_keydata(r, key.secret);

	rc = EX_OSERR;
	if ((zs = ldns_rdf2str(zone)) == NULL ||
	    (q = ldns_update_pkt_new(ldns_rdf_clone(zone), LDNS_RR_CLASS_IN,
	    NULL, rrs, NULL)) == NULL) {
		log_err("the update for %s: out of memory", server);
		goto out;
	}
	/* RFC 2136 2.2: the header's other bits are zero in an update. */
	ldns_pkt_set_rd(q, false);
	ldns_pkt_set_random_id(q);
	if ((st = ldns_update_pkt_tsig_add(q, r)) != LDNS_STATUS_OK) {
		log_err("cannot sign the update with the key %s: %s", key.name,
		    ldns_get_errorstr_by_id(st));
		goto out;
	}
	/* Messages name the zone without the root's dot. */
	if (strlen(zs) > 1)
		zs[strlen(zs) - 1] = '\0';
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++)
		if ((s = ldns_rr2str(ldns_rr_list_rr(rrs, i))) != NULL) {
			s[strcspn(s, "\n")] = '\0';
			log_debug("update %s at %s: %s", zs, server, s);
			free(s);
		}
	st = exchange(r, q, &reply);
	rc = 0;
	if (reply_check(server, q, st, reply, detail, len) != 0)
		*res = UPDATE_RETRY;
	else
		update_judge(server, &key, zs, st, reply, res, detail, len);
out:
	ldns_pkt_free(reply);
	ldns_pkt_free(q);
	free(zs);
	resolver_free(r);
	secret_zero(&key, sizeof(key));
	return rc;
}

int
ddns_zone(const struct ss_conf *c, char *buf, size_t len)
{
	const char	*zone = c->ddns.zone;
	const char	*fqdn = c->fqdn, *dot;

	if (*zone == '\0') {
		if ((dot = strchr(fqdn, '.')) == NULL || dot[1] == '\0') {
			log_err("%s: %s has no domain: set [ddns] zone or "
			    "[device] domain", c->file, fqdn);
			return EX_CONFIG;
		}
		zone = dot + 1;
	}
	if (snprintf(buf, len, "%s", zone) >= (int)len) {
		log_err("%s: [ddns] zone is too long", c->file);
		return EX_CONFIG;
	}
	return 0;
}

/*
 * The zone and NAME as domain names, NAME inside the zone: EX_USAGE when
 * NAME is not a domain name, EX_CONFIG when it is outside the zone.
 */
static int
zone_names(const struct ss_conf *c, const char *name, ldns_rdf **zone,
    ldns_rdf **owner)
{
	char	z[256];
	int	rc;

	*zone = *owner = NULL;
	if ((rc = ddns_zone(c, z, sizeof(z))) != 0)
		return rc;
	if (ldns_str2rdf_dname(zone, z) != LDNS_STATUS_OK) {
		log_err("%s: the zone %s is not a domain name", c->file,
		    z);
		return EX_CONFIG;
	}
	if (ldns_str2rdf_dname(owner, name) != LDNS_STATUS_OK) {
		log_err("%s: not a domain name", name);
		return EX_USAGE;
	}
	if (ldns_dname_compare(*owner, *zone) != 0 &&
	    !ldns_dname_is_subdomain(*owner, *zone)) {
		log_err("%s is not in the zone %s ([ddns] zone in %s)", name, z,
		    c->file);
		return EX_CONFIG;
	}
	return 0;
}

/* An RR for OWNER that owns RDATA (may be NULL: an RRset deletion). */
static int
rr_push(ldns_rr_list *rrs, const ldns_rdf *owner, ldns_rr_type type,
    ldns_rr_class class, uint32_t ttl, ldns_rdf *rdata)
{
	ldns_rr		*rr;
	ldns_rdf	*o;

	if ((rr = ldns_rr_new()) == NULL || (o = ldns_rdf_clone(owner)) ==
	    NULL) {
		ldns_rr_free(rr);
		ldns_rdf_deep_free(rdata);
		return 0;
	}
	ldns_rr_set_owner(rr, o);
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, class);
	ldns_rr_set_ttl(rr, ttl);
	if (rdata != NULL && !ldns_rr_push_rdf(rr, rdata)) {
		ldns_rdf_deep_free(rdata);
		ldns_rr_free(rr);
		return 0;
	}
	if (!ldns_rr_list_push_rr(rrs, rr)) {
		ldns_rr_free(rr);
		return 0;
	}
	return 1;
}

/* Replaces the fqdn's A and/or AAAA RRset with the address given. */
static int
rfc2136_update(const struct ss_conf *c, const struct addr *v4,
    const struct addr *v6, enum presult *res, char *detail, size_t len)
{
	const struct addr *const addrs[] = { v4, v6 };
	const char	*fqdn = c->fqdn;
	ldns_rdf	*zone = NULL, *owner = NULL, *rdata;
	ldns_rr_list	*rrs = NULL;
	ldns_rr_type	 type;
	uint32_t	 ttl = c->ddns.ttl;
	char		 sent[128] = "";
	size_t		 i, n;
	int		 rc;

	if ((rc = zone_names(c, fqdn, &zone, &owner)) != 0) {
		if (rc == EX_USAGE)
			rc = EX_CONFIG;
		goto out;
	}
	rc = EX_OSERR;
	if ((rrs = ldns_rr_list_new()) == NULL)
		goto nomem;
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		if (addrs[i] == NULL)
			continue;
		type = addrs[i]->family == AF_INET6 ? LDNS_RR_TYPE_AAAA :
		    LDNS_RR_TYPE_A;
		if ((rdata = ldns_rdf_new_frm_str(type == LDNS_RR_TYPE_A ?
		    LDNS_RDF_TYPE_A : LDNS_RDF_TYPE_AAAA, addrs[i]->text)) ==
		    NULL) {
			log_err("%s: not an IPv%c address", addrs[i]->text,
			    type == LDNS_RR_TYPE_A ? '4' : '6');
			rc = EX_SOFTWARE;
			goto out;
		}
		if (!rr_push(rrs, owner, type, LDNS_RR_CLASS_ANY, 0, NULL) ||
		    !rr_push(rrs, owner, type, LDNS_RR_CLASS_IN, ttl, rdata))
			goto nomem;
		n = strlen(sent);
		snprintf(sent + n, sizeof(sent) - n, " %s %s",
		    type == LDNS_RR_TYPE_A ? "A" : "AAAA", addrs[i]->text);
	}
	if ((rc = update_send(c, zone, rrs, res, detail, len)) == 0 &&
	    *res == UPDATE_OK)
		snprintf(detail, len, "%s%s ttl %u", fqdn, sent, ttl);
	goto out;
nomem:
	log_err("the update for %s: out of memory", fqdn);
out:
	ldns_rr_list_deep_free(rrs);
	ldns_rdf_deep_free(zone);
	ldns_rdf_deep_free(owner);
	return rc;
}

const struct provider provider_rfc2136 = { "rfc2136", rfc2136_update };

int
rfc2136_txt(const struct ss_conf *c, int add, const char *name,
    const char *value)
{
	enum presult	 res;
	ldns_rdf	*zone = NULL, *owner = NULL, *rdata;
	ldns_rr_list	*rrs = NULL;
	unsigned char	 str[256];
	char		 detail[256];
	size_t		 vlen = strlen(value);
	int		 rc;

	if (vlen > 255) {
		log_err("the TXT value is longer than 255 bytes");
		return EX_USAGE;
	}
	if ((rc = zone_names(c, name, &zone, &owner)) != 0)
		goto out;
	str[0] = vlen;
	memcpy(str + 1, value, vlen);
	rc = EX_OSERR;
	if ((rrs = ldns_rr_list_new()) == NULL ||
	    (rdata = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR, vlen + 1,
	    str)) == NULL ||
	    !rr_push(rrs, owner, LDNS_RR_TYPE_TXT, add ? LDNS_RR_CLASS_IN :
	    LDNS_RR_CLASS_NONE, add ? TXT_TTL : 0, rdata)) {
		log_err("the update for %s: out of memory", name);
		goto out;
	}
	if ((rc = update_send(c, zone, rrs, &res, detail,
	    sizeof(detail))) != 0)
		goto out;
	switch (res) {
	case UPDATE_OK:
		log_debug("%s TXT \"%s\": %s", name, value, detail);
		break;
	case UPDATE_STOP:
		log_err("%s TXT: %s", name, detail);
		rc = EX_UNAVAILABLE;
		break;
	default:
		log_err("%s TXT: %s", name, detail);
		rc = EX_TEMPFAIL;
		break;
	}
out:
	ldns_rr_list_deep_free(rrs);
	ldns_rdf_deep_free(zone);
	ldns_rdf_deep_free(owner);
	return rc;
}

/* The record's data as text; TXT as its bytes, strings joined. */
static void
rr_value(const ldns_rr *rr, char *buf, size_t len)
{
	const ldns_rdf	*rd;
	char		*s;
	size_t		 i, n = 0, sl;

	*buf = '\0';
	if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT) {
		if (ldns_rr_rd_count(rr) > 0 &&
		    (s = ldns_rdf2str(ldns_rr_rdf(rr, 0))) != NULL) {
			snprintf(buf, len, "%s", s);
			free(s);
		}
		return;
	}
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		rd = ldns_rr_rdf(rr, i);
		if (ldns_rdf_size(rd) < 1)
			continue;
		sl = ldns_rdf_data(rd)[0];
		if (sl > ldns_rdf_size(rd) - 1 || n + sl >= len)
			break;
		memcpy(buf + n, ldns_rdf_data(rd) + 1, sl);
		n += sl;
		buf[n] = '\0';
	}
}

/* A resolver with the system's name servers, which recurse. */
static int
resolver_system(ldns_resolver **out, char *why, size_t len)
{
	struct timeval	tv = { QUERY_TIMEOUT, 0 };
	ldns_status	st;

	if ((st = ldns_resolver_new_frm_file(out, NULL)) != LDNS_STATUS_OK) {
		*out = NULL;
		snprintf(why, len, "the system resolver: %s",
		    ldns_get_errorstr_by_id(st));
		return EX_UNAVAILABLE;
	}
	ldns_resolver_set_retry(*out, QUERY_TRIES);
	ldns_resolver_set_retrans(*out, 0);
	ldns_resolver_set_timeout(*out, tv);
	return 0;
}

int
ns_query(const char *server, const char *name, int type,
    struct ns_answer *ans, char *why, size_t len)
{
	ldns_resolver	*r = NULL;
	ldns_pkt	*q = NULL, *reply = NULL;
	ldns_rr_list	*rrs = NULL;
	ldns_rdf	*owner = NULL, *o;
	ldns_status	 st;
	const char	*who = server != NULL ? server : "the system resolver";
	size_t		 i;
	int		 rcode, rc;

	memset(ans, 0, sizeof(*ans));
	if (ldns_str2rdf_dname(&owner, name) != LDNS_STATUS_OK) {
		snprintf(why, len, "%s: not a domain name", name);
		return EX_DATAERR;
	}
	if ((rc = server != NULL ? resolver_for(server, &r, why, len) :
	    resolver_system(&r, why, len)) != 0)
		goto out;
	rc = EX_OSERR;
	if ((o = ldns_rdf_clone(owner)) == NULL ||
	    (q = ldns_pkt_query_new(o, type, LDNS_RR_CLASS_IN,
	    server != NULL ? 0 : LDNS_RD)) == NULL) {
		snprintf(why, len, "%s: out of memory", who);
		goto out;
	}
	ldns_pkt_set_random_id(q);
	st = exchange(r, q, &reply);
	if ((rc = reply_check(who, q, st, reply, why, len)) != 0)
		goto out;
	rc = EX_UNAVAILABLE;
	rcode = ldns_pkt_get_rcode(reply);
	if (rcode != LDNS_RCODE_NOERROR && rcode != LDNS_RCODE_NXDOMAIN) {
		snprintf(why, len, "%s answered %s", who, rcode_name(rcode));
		goto out;
	}
	if (server != NULL && !ldns_pkt_aa(reply)) {
		snprintf(why, len, "%s is not authoritative for %s", who, name);
		goto out;
	}
	rc = 0;
	ans->nxdomain = rcode == LDNS_RCODE_NXDOMAIN;
	if ((rrs = ldns_pkt_rr_list_by_name_and_type(reply, owner, type,
	    LDNS_SECTION_ANSWER)) == NULL)
		goto out;
	for (i = 0; i < ldns_rr_list_rr_count(rrs) && ans->n < NS_MAX_VALUES;
	    i++)
		rr_value(ldns_rr_list_rr(rrs, i), ans->value[ans->n++],
		    sizeof(ans->value[0]));
out:
	ldns_rr_list_deep_free(rrs);
	ldns_pkt_free(reply);
	ldns_pkt_free(q);
	ldns_rdf_deep_free(owner);
	resolver_free(r);
	return rc;
}
