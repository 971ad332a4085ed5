/*
 * cert: certificates in PEM and DER, what they say (names, key,
 * validity), and whether they chain up, through the OpenSSL 3 X509 API.
 */
#define _GNU_SOURCE		/* asprintf */

#include <sys/socket.h>

#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/buffer.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base64.h"
#include "cert.h"
#include "fs.h"
#include "ipaddr.h"
#include "key.h"
#include "log.h"
#include "openssl.h"
#include "time64.h"

/*
 * Copies N bytes of certificate text for display: control characters
 * become '?' so that a hostile name cannot rewrite a terminal or a log
 * line, and truncation never splits a UTF-8 sequence.
 */
static void
copy_text(char *dst, size_t len, const unsigned char *src, size_t n)
{
	size_t	i;

	if (n > len - 1) {
		n = len - 1;
		while (n > 0 && (src[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++)
		dst[i] = src[i] < 0x20 || src[i] == 0x7f ? '?' : (char)src[i];
	dst[n] = '\0';
}

int
cert_chain_pem(X509 *leaf, STACK_OF(X509) *chain, char **pem, size_t *len)
{
	BIO	*bio;
	int	 i, ok, rv = EX_SOFTWARE;

	if ((bio = BIO_new(BIO_s_mem())) == NULL) {
		log_err("certificate PEM: %s", openssl_error());
		return EX_SOFTWARE;
	}
	ok = PEM_write_bio_X509(bio, leaf) == 1;
	for (i = 0; ok && i < sk_X509_num(chain); i++)
		ok = PEM_write_bio_X509(bio, sk_X509_value(chain, i)) == 1;
	if (ok)
		rv = openssl_bio_take(bio, "certificate PEM", pem, len);
	else
		log_err("certificate PEM: %s", openssl_error());
	BIO_free(bio);
	return rv;
}

int
cert_pem(X509 *x, char **pem, size_t *len)
{
	return cert_chain_pem(x, NULL, pem, len);
}

int
cert_parse(const char *what, const char *pem, size_t len,
    STACK_OF(X509) **out)
{
	STACK_OF(X509)	*certs = NULL;
	BIO		*bio = NULL;
	X509		*x;
	unsigned long	 e;
	int		 rv = EX_DATAERR;

	*out = NULL;
	if (len > INT_MAX) {
		log_err("%s: too large for a certificate file", what);
		return EX_DATAERR;
	}
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL ||
	    (certs = sk_X509_new_null()) == NULL) {
		log_err("%s: %s", what, openssl_error());
		rv = EX_SOFTWARE;
		goto out;
	}
	ERR_clear_error();
	while ((x = PEM_read_bio_X509(bio, NULL, openssl_no_passphrase,
	    NULL)) != NULL) {
		if (!sk_X509_push(certs, x)) {
			X509_free(x);
			log_err("%s: %s", what, openssl_error());
			rv = EX_SOFTWARE;
			goto out;
		}
	}
	/* Running out of PEM blocks is how a good file ends. */
	e = ERR_peek_last_error();
	if (ERR_GET_LIB(e) == ERR_LIB_PEM &&
	    ERR_GET_REASON(e) == PEM_R_NO_START_LINE) {
		ERR_clear_error();
		if (sk_X509_num(certs) == 0) {
			log_err("%s: no PEM certificate found", what);
			goto out;
		}
	} else {
		log_err("%s: certificate %d does not parse: %s", what,
		    sk_X509_num(certs) + 1, openssl_error());
		goto out;
	}
	*out = certs;
	certs = NULL;
	rv = 0;
out:
	sk_X509_pop_free(certs, X509_free);
	BIO_free(bio);
	return rv;
}

int
cert_load(const char *path, STACK_OF(X509) **out)
{
	char	*buf;
	size_t	 len;
	int	 rv;

	*out = NULL;
	if ((rv = fs_read_file(path, FS_MAX_READ, &buf, &len)) != 0)
		return rv;
	rv = cert_parse(path, buf, len, out);
	free(buf);
	return rv;
}

void
cert_chain_free(STACK_OF(X509) *chain)
{
	sk_X509_pop_free(chain, X509_free);
}

int
cert_matches_key(X509 *x, EVP_PKEY *key)
{
	EVP_PKEY	*pub;
	int		 match;

	if ((pub = X509_get0_pubkey(x)) == NULL || key == NULL) {
		ERR_clear_error();
		return 0;
	}
	match = EVP_PKEY_eq(pub, key) == 1;
	ERR_clear_error();
	return match;
}

static int
name_oneline(const X509_NAME *name, char *dst, size_t len)
{
	BIO	*bio;
	BUF_MEM	*bm;
	int	 ok = 0;

	dst[0] = '\0';
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return 0;
	/* RFC 2253 escapes every byte above 0x7f: the result is ASCII. */
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0) {
		BIO_get_mem_ptr(bio, &bm);
		copy_text(dst, len, (unsigned char *)bm->data, bm->length);
		ok = 1;
	}
	BIO_free(bio);
	return ok;
}

/* The last (most specific) CN of NAME in UTF-8, "" when there is none. */
static int
name_cn(const X509_NAME *name, char *dst, size_t len)
{
	unsigned char	*utf8;
	int		 i, j, n;

	dst[0] = '\0';
	for (i = -1; (j = X509_NAME_get_index_by_NID(name, NID_commonName,
	    i)) >= 0; i = j)
		;
	if (i < 0)
		return 1;
	n = ASN1_STRING_to_UTF8(&utf8,
	    X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
	if (n < 0)
		return 0;
	copy_text(dst, len, utf8, (size_t)n);
	OPENSSL_free(utf8);
	return 1;
}

/* ASN1_TIME_to_tm takes any year; timegm would stop at 2038 on armhf. */
static int
asn1_time_get(const ASN1_TIME *t, int64_t *out)
{
	struct tm	tm;

	return ASN1_TIME_to_tm(t, &tm) == 1 && time64_from_tm(&tm, out);
}

/* "DNS:name" and "IP:addr" entries of the subjectAltName, NULL-terminated. */
static int
san_list(X509 *x, char ***out)
{
	GENERAL_NAMES	*gens;
	const ASN1_STRING *s;
	char		**v;
	char		 text[CERT_NAME_MAX], entry[CERT_NAME_MAX + 8];
	int		 i, k = 0, n, type, ok = 0;

	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	n = sk_GENERAL_NAME_num(gens);
	if ((v = calloc(n > 0 ? n + 1 : 1, sizeof(*v))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		s = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(gens, i),
		    &type);
		if (type == GEN_DNS)
			copy_text(text, sizeof(text), ASN1_STRING_get0_data(s),
			    (size_t)ASN1_STRING_length(s));
		else if (type != GEN_IPADD || (ASN1_STRING_length(s) != 4 &&
		    ASN1_STRING_length(s) != 16) ||
		    inet_ntop(ASN1_STRING_length(s) == 4 ? AF_INET : AF_INET6,
		    ASN1_STRING_get0_data(s), text, sizeof(text)) == NULL)
			continue;
		snprintf(entry, sizeof(entry), "%s:%s",
		    type == GEN_DNS ? "DNS" : "IP", text);
		if ((v[k] = strdup(entry)) == NULL)
			goto out;
		k++;
	}
	ok = 1;
out:
	GENERAL_NAMES_free(gens);
	ERR_clear_error();
	if (!ok && v != NULL) {
		while (k > 0)
			free(v[--k]);
		free(v);
		v = NULL;
	}
	*out = v;
	return ok;
}

int
cert_info(X509 *x, struct cert_info *ci)
{
	EVP_PKEY	*pub;
	BIGNUM		*bn = NULL;
	char		*hex = NULL;
	int		 rv = EX_SOFTWARE;

	memset(ci, 0, sizeof(*ci));
	if (!name_oneline(X509_get_subject_name(x), ci->subject,
	    sizeof(ci->subject)) ||
	    !name_oneline(X509_get_issuer_name(x), ci->issuer,
	    sizeof(ci->issuer))) {
		log_err("certificate names: %s", openssl_error());
		goto out;
	}
	if (!name_cn(X509_get_subject_name(x), ci->cn, sizeof(ci->cn)) ||
	    !name_cn(X509_get_issuer_name(x), ci->issuer_cn,
	    sizeof(ci->issuer_cn))) {
		log_err("certificate %s: a CN does not decode: %s",
		    ci->subject, openssl_error());
		rv = EX_DATAERR;
		goto out;
	}
	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	if (bn == NULL || (hex = BN_bn2hex(bn)) == NULL) {
		log_err("certificate %s: serial: %s", ci->subject,
		    openssl_error());
		goto out;
	}
	copy_text(ci->serial, sizeof(ci->serial), (unsigned char *)hex,
	    strlen(hex));
	snprintf(ci->sigalg, sizeof(ci->sigalg), "%s",
	    OBJ_nid2ln(X509_get_signature_nid(x)));

	if ((pub = X509_get0_pubkey(x)) != NULL) {
		snprintf(ci->key_type, sizeof(ci->key_type), "%s",
		    key_algorithm(pub));
		ci->key_bits = EVP_PKEY_get_bits(pub);
		if (EVP_PKEY_get_base_id(pub) == EVP_PKEY_EC)
			EVP_PKEY_get_utf8_string_param(pub,
			    OSSL_PKEY_PARAM_GROUP_NAME, ci->curve,
			    sizeof(ci->curve), NULL);
	} else
		snprintf(ci->key_type, sizeof(ci->key_type), "unknown");

	if (!asn1_time_get(X509_get0_notBefore(x), &ci->not_before) ||
	    !asn1_time_get(X509_get0_notAfter(x), &ci->not_after)) {
		log_err("certificate %s: validity dates do not parse",
		    ci->subject);
		rv = EX_DATAERR;
		goto out;
	}
	/*
	 * Not X509_check_issued(): it also wants keyCertSign, which a
	 * self-signed server certificate rightly lacks.
	 */
	ci->self_signed = X509_self_signed(x, 1) == 1;
	ci->is_ca = X509_check_ca(x) != 0;
	ERR_clear_error();
	if (!san_list(x, &ci->sans)) {
		log_err("certificate %s: subjectAltName: out of memory",
		    ci->subject);
		rv = EX_OSERR;
		goto out;
	}
	rv = 0;
out:
	OPENSSL_free(hex);
	BN_free(bn);
	return rv;
}

void
cert_info_free(struct cert_info *ci)
{
	char	**p;

	if (ci->sans == NULL)
		return;
	for (p = ci->sans; *p != NULL; p++)
		free(*p);
	free(ci->sans);
	ci->sans = NULL;
}

long
cert_days_left(X509 *x, int64_t now)
{
	int64_t	end;

	if (!asn1_time_get(X509_get0_notAfter(x), &end)) {
		log_err("certificate end date does not parse: %s",
		    openssl_error());
		return LONG_MIN;
	}
	return (long)time64_days_left(end, now);
}

int
cert_matches_host(X509 *x, const char *host)
{
	int	match;

	if (*host == '\0')
		return 0;
	if (ipaddr_parse(host, strlen(host), NULL) != 0)
		match = X509_check_ip_asc(x, host, 0) == 1;
	else
		match = X509_check_host(x, host, strlen(host),
		    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
	ERR_clear_error();
	return match;
}

int
cert_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted,
    const char *cafile, time_t now, STACK_OF(X509) **built, char *why,
    size_t whylen)
{
	X509_STORE	*store;
	X509_STORE_CTX	*ctx = NULL;
	STACK_OF(X509)	*chain;
	X509		*bad;
	char		 subject[CERT_NAME_MAX];
	int		 r, rv = -1;

	if (built != NULL)
		*built = NULL;
	if (whylen > 0)
		why[0] = '\0';
	if ((store = X509_STORE_new()) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL) {
		log_err("chain verification: %s", openssl_error());
		goto out;
	}
	if (cafile != NULL ? X509_STORE_load_file(store, cafile) != 1 :
	    X509_STORE_set_default_paths(store) != 1) {
		log_err("%s: cannot load trust anchors: %s",
		    cafile != NULL ? cafile : "system store", openssl_error());
		goto out;
	}
	if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) {
		log_err("chain verification: %s", openssl_error());
		goto out;
	}
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), now);
	if ((r = X509_verify_cert(ctx)) < 0) {
		log_err("chain verification: %s", openssl_error());
		goto out;
	}
	ERR_clear_error();
	rv = r == 1;
	if (!rv) {
		if ((bad = X509_STORE_CTX_get_current_cert(ctx)) == NULL)
			bad = leaf;
		name_oneline(X509_get_subject_name(bad), subject,
		    sizeof(subject));
		snprintf(why, whylen, "certificate %d (%s): %s",
		    X509_STORE_CTX_get_error_depth(ctx) + 1, subject,
		    X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx)));
	}
	if (built == NULL)
		goto out;
	/* After a failure the context keeps what it assembled, leaf first. */
	chain = X509_STORE_CTX_get1_chain(ctx);
	if (chain == NULL || sk_X509_num(chain) == 0) {
		sk_X509_free(chain);
		if ((chain = sk_X509_new_null()) == NULL ||
		    !sk_X509_push(chain, leaf)) {
			sk_X509_free(chain);
			log_err("chain verification: %s", openssl_error());
			rv = -1;
			goto out;
		}
		X509_up_ref(leaf);
	}
	*built = chain;
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return rv;
}

int
cert_chain_gap(STACK_OF(X509) *built, char *issuer, size_t len)
{
	X509	*top;
	int	 n = sk_X509_num(built);

	if (len > 0)
		issuer[0] = '\0';
	if (n <= 0)
		return -1;
	top = sk_X509_value(built, n - 1);
	if (X509_self_signed(top, 0) == 1) {
		ERR_clear_error();
		return -1;
	}
	ERR_clear_error();
	name_oneline(X509_get_issuer_name(top), issuer, len);
	return n - 1;
}

int
cert_fingerprint(X509 *x, char *buf, size_t len)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen, i;

	if (X509_digest(x, EVP_sha256(), md, &mdlen) != 1 ||
	    len < (size_t)mdlen * 3) {
		log_err("certificate fingerprint: %s", openssl_error());
		return EX_SOFTWARE;
	}
	for (i = 0; i < mdlen; i++)
		snprintf(buf + i * 3, len - i * 3, "%02X%s", md[i],
		    i + 1 < mdlen ? ":" : "");
	return 0;
}

int
cert_ari_id(X509 *x, char **id)
{
	AUTHORITY_KEYID		*akid;
	const unsigned char	*p;
	unsigned char		*der = NULL;
	char			*kid = NULL, *serial = NULL;
	char			 subject[CERT_NAME_MAX];
	long			 clen;
	int			 n, tag, class, rv = EX_SOFTWARE;

	*id = NULL;
	akid = X509_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
	ERR_clear_error();
	if (akid == NULL || akid->keyid == NULL) {
		name_oneline(X509_get_subject_name(x), subject,
		    sizeof(subject));
		log_err("certificate %s: no authority key identifier", subject);
		rv = EX_DATAERR;
		goto out;
	}
	/*
	 * The serial's DER content octets, without tag and length but with
	 * the sign byte, as RFC 9773 section 4.1 spells out.
	 */
	if ((n = i2d_ASN1_INTEGER(X509_get0_serialNumber(x), &der)) <= 0) {
		log_err("certificate serial: %s", openssl_error());
		goto out;
	}
	p = der;
	if (ASN1_get_object(&p, &clen, &tag, &class, n) & 0x80) {
		log_err("certificate serial: %s", openssl_error());
		goto out;
	}
	if ((kid = base64_urlencode(ASN1_STRING_get0_data(akid->keyid),
	    ASN1_STRING_length(akid->keyid))) == NULL ||
	    (serial = base64_urlencode(p, clen)) == NULL) {
		rv = EX_OSERR;
		goto out;
	}
	if (asprintf(id, "%s.%s", kid, serial) == -1) {
		*id = NULL;
		log_err("ARI certificate identifier: %s", strerror(errno));
		rv = EX_OSERR;
		goto out;
	}
	rv = 0;
out:
	free(kid);
	free(serial);
	OPENSSL_free(der);
	AUTHORITY_KEYID_free(akid);
	return rv;
}

int
cert_der(X509 *x, unsigned char **der, size_t *len)
{
	unsigned char	*p;
	int		 n;

	*der = NULL;
	*len = 0;
	if ((n = i2d_X509(x, NULL)) <= 0 || (*der = malloc(n)) == NULL) {
		log_err("certificate: cannot encode: %s", openssl_error());
		return EX_SOFTWARE;
	}
	p = *der;
	if (i2d_X509(x, &p) != n) {
		log_err("certificate: cannot encode: %s", openssl_error());
		free(*der);
		*der = NULL;
		return EX_SOFTWARE;
	}
	*len = (size_t)n;
	return 0;
}

int
cert_verify_issued(X509 *leaf, STACK_OF(X509) *chain, time_t now,
    char *why, size_t whylen)
{
	X509_STORE	*store = NULL;
	X509_STORE_CTX	*ctx = NULL;
	X509		*top;
	char		 subject[CERT_NAME_MAX];
	int		 n = sk_X509_num(chain), rv = -1;

	if (whylen > 0)
		why[0] = '\0';
	if (n == 0) {
		snprintf(why, whylen, "truncated chain: no issuer certificate "
		    "came with it");
		return 0;
	}
	/*
	 * The top of what was sent is the anchor; everything below it must
	 * link up.
	 */
	top = sk_X509_value(chain, n - 1);
	if ((store = X509_STORE_new()) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_add_cert(store, top) != 1 ||
	    X509_STORE_CTX_init(ctx, store, leaf, chain) != 1) {
		log_err("chain verification: %s", openssl_error());
		goto out;
	}
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), now);
	X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx),
	    X509_V_FLAG_PARTIAL_CHAIN);
	if (X509_verify_cert(ctx) == 1) {
		rv = 1;
		goto out;
	}
	ERR_clear_error();
	name_oneline(X509_get_subject_name(X509_STORE_CTX_get_current_cert(ctx)
	    != NULL ? X509_STORE_CTX_get_current_cert(ctx) : leaf), subject,
	    sizeof(subject));
	snprintf(why, whylen, "certificate %d (%s): %s",
	    X509_STORE_CTX_get_error_depth(ctx) + 1, subject,
	    X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	rv = 0;
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return rv;
}
