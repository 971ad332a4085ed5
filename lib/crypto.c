/*
 * crypto: keys, certificates, chain verification, TLS peer chains, DH
 * parameters, PKCS#12 and the JOSE pieces of ACME (base64url, JWK, JWS,
 * CSR, ARI identifiers) through the OpenSSL 3 EVP and X509 APIs.  The
 * tools are single-threaded; the OpenSSL error queue is drained after
 * every failure so that one message never reports another's reason.
 */
#define _GNU_SOURCE		/* memmem */

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/buffer.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "crypto.h"
#include "fs.h"
#include "log.h"
#include "secret.h"

#define CN_MAX		64	/* ub-common-name, RFC 5280 */
#define DNS_NAME_MAX	253
#define DNS_LABEL_MAX	63
#define P12_ITER	10000	/* what keytool itself writes */
#define PEM_KEY_END	"PRIVATE KEY-----"	/* of every key's PEM label */

static const struct {
	const char	*name;
	const char	*curve;		/* NULL for RSA */
	size_t		 bits;
} key_types[] = {
	[KEY_EC256] =	{ "ec256", "P-256", 256 },
	[KEY_EC384] =	{ "ec384", "P-384", 384 },
	[KEY_RSA2048] =	{ "rsa2048", NULL, 2048 },
	[KEY_RSA3072] =	{ "rsa3072", NULL, 3072 },
	[KEY_RSA4096] =	{ "rsa4096", NULL, 4096 },
};
#define NKEY_TYPES	(sizeof(key_types) / sizeof(key_types[0]))

/*
 * The reason of the last queued OpenSSL error, or of the system error
 * under it ("No such file or directory" rather than "system lib");
 * empties the queue.
 */
const char *
crypto_last_error(void)
{
	static char	 buf[256];
	unsigned long	 e, last = 0, sys = 0;
	const char	*r;

	while ((e = ERR_get_error()) != 0) {
		if (ERR_SYSTEM_ERROR(e))
			sys = e;
		last = e;
	}
	if (sys != 0)
		snprintf(buf, sizeof(buf), "%s", strerror(ERR_GET_REASON(sys)));
	else if (last == 0)
		snprintf(buf, sizeof(buf), "unknown error");
	else if ((r = ERR_reason_error_string(last)) != NULL)
		snprintf(buf, sizeof(buf), "%s", r);
	else
		ERR_error_string_n(last, buf, sizeof(buf));
	return buf;
}

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
crypto_is_ip(const char *s)
{
	unsigned char	addr[16];

	return inet_pton(AF_INET, s, addr) == 1 ||
	    inet_pton(AF_INET6, s, addr) == 1;
}

/* "EC", "RSA", "ED25519", ... */
static const char *
key_type_name(EVP_PKEY *key)
{
	const char	*type;

	if ((type = EVP_PKEY_get0_type_name(key)) == NULL)
		type = OBJ_nid2sn(EVP_PKEY_get_base_id(key));
	return type;
}

int
crypto_key_type_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < NKEY_TYPES; i++)
		if (strcmp(s, key_types[i].name) == 0)
			return (int)i;
	return -1;
}

const char *
crypto_key_type_name(enum key_type t)
{
	if ((size_t)t >= NKEY_TYPES)
		return "unknown";
	return key_types[t].name;
}

EVP_PKEY *
crypto_key_new(enum key_type t)
{
	EVP_PKEY	*key;

	if ((size_t)t >= NKEY_TYPES) {
		log_err("key type %d is not one of ec256 ... rsa4096", (int)t);
		return NULL;
	}
	/* OpenSSL 3 defaults: named curve, uncompressed points, e = 65537. */
	if (key_types[t].curve != NULL)
		key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", key_types[t].curve);
	else
		key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", key_types[t].bits);
	if (key == NULL)
		log_err("%s key generation failed: %s", key_types[t].name,
		    crypto_last_error());
	return key;
}

/* Copies what was written to the memory BIO into a NUL-terminated buffer. */
static int
bio_take(BIO *bio, const char *what, char **out, size_t *outlen)
{
	BUF_MEM	*bm;
	char	*p;

	BIO_get_mem_ptr(bio, &bm);
	if ((p = malloc(bm->length + 1)) == NULL) {
		log_err("%s: %s", what, strerror(errno));
		return EX_OSERR;
	}
	memcpy(p, bm->data, bm->length);
	p[bm->length] = '\0';
	*out = p;
	*outlen = bm->length;
	return 0;
}

/* Frees a memory BIO that held a secret, wiping what it held first. */
static void
bio_free_wiped(BIO *bio)
{
	BUF_MEM	*bm;

	if (bio == NULL)
		return;
	BIO_get_mem_ptr(bio, &bm);
	if (bm != NULL && bm->data != NULL)
		OPENSSL_cleanse(bm->data, bm->length);
	BIO_free(bio);
}

int
crypto_key_pem(EVP_PKEY *key, char **pem, size_t *len)
{
	BIO	*bio;
	int	 rv = EX_SOFTWARE;

	if ((bio = BIO_new(BIO_s_mem())) == NULL) {
		log_err("private key PEM: %s", crypto_last_error());
		return EX_SOFTWARE;
	}
	/* OpenSSL 3 writes PKCS#8 ("BEGIN PRIVATE KEY") here. */
	if (PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL,
	    NULL) != 1) {
		log_err("private key PEM: %s", crypto_last_error());
		goto out;
	}
	rv = bio_take(bio, "private key PEM", pem, len);
out:
	bio_free_wiped(bio);
	return rv;
}

int
crypto_chain_pem(X509 *leaf, STACK_OF(X509) *chain, char **pem, size_t *len)
{
	BIO	*bio;
	int	 i, ok, rv = EX_SOFTWARE;

	if ((bio = BIO_new(BIO_s_mem())) == NULL) {
		log_err("certificate PEM: %s", crypto_last_error());
		return EX_SOFTWARE;
	}
	ok = PEM_write_bio_X509(bio, leaf) == 1;
	for (i = 0; ok && i < sk_X509_num(chain); i++)
		ok = PEM_write_bio_X509(bio, sk_X509_value(chain, i)) == 1;
	if (ok)
		rv = bio_take(bio, "certificate PEM", pem, len);
	else
		log_err("certificate PEM: %s", crypto_last_error());
	BIO_free(bio);
	return rv;
}

int
crypto_cert_pem(X509 *x, char **pem, size_t *len)
{
	return crypto_chain_pem(x, NULL, pem, len);
}

/*
 * Letters, digits and inner hyphens in labels of 1 to 63 bytes, with an
 * optional "*." in front: nothing else can reach a subjectAltName.
 */
static int
dns_name_valid(const char *name)
{
	const char	*p;
	size_t		 label = 0;

	if (strncmp(name, "*.", 2) == 0)
		name += 2;
	if (*name == '\0' || strlen(name) > DNS_NAME_MAX)
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return 0;
			label = 0;
		} else if ((*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    (*p == '-' && label > 0)) {
			if (++label > DNS_LABEL_MAX)
				return 0;
		} else
			return 0;
	}
	return label > 0 && p[-1] != '-';
}

/* 1 when every name of the NULL-terminated list passes dns_name_valid. */
static int
dns_names_valid(const char *what, char *const *names)
{
	char *const	*n;

	for (n = names; n != NULL && *n != NULL; n++)
		if (!dns_name_valid(*n)) {
			log_err("%s: '%s' is not a valid DNS name", what, *n);
			return 0;
		}
	return 1;
}

/* Refuses what would make a broken certificate, naming the culprit. */
static int
selfsigned_req_valid(const struct selfsigned_req *req)
{
	unsigned char	 addr[16];
	char *const	*n;

	if (req->cn == NULL || *req->cn == '\0' || strlen(req->cn) > CN_MAX) {
		log_err("self-signed certificate: the CN must be 1 to %d "
		    "bytes", CN_MAX);
		return 0;
	}
	if (req->days < 1) {
		log_err("self-signed certificate: validity of %d days",
		    req->days);
		return 0;
	}
	if (!dns_names_valid("self-signed certificate", req->dns))
		return 0;
	for (n = req->ips; n != NULL && *n != NULL; n++)
		if (inet_pton(AF_INET, *n, addr) != 1 &&
		    inet_pton(AF_INET6, *n, addr) != 1) {
			log_err("self-signed certificate: '%s' is not an IP "
			    "address", *n);
			return 0;
		}
	return 1;
}

static int
san_push(GENERAL_NAMES *gens, int type, const void *data, size_t len)
{
	GENERAL_NAME	*gn;
	ASN1_STRING	*s;

	gn = GENERAL_NAME_new();
	s = ASN1_STRING_type_new(type == GEN_DNS ? V_ASN1_IA5STRING :
	    V_ASN1_OCTET_STRING);
	if (gn == NULL || s == NULL || !ASN1_STRING_set(s, data, (int)len)) {
		GENERAL_NAME_free(gn);
		ASN1_STRING_free(s);
		return 0;
	}
	GENERAL_NAME_set0_value(gn, type, s);
	if (!sk_GENERAL_NAME_push(gens, gn)) {
		GENERAL_NAME_free(gn);
		return 0;
	}
	return 1;
}

/*
 * The subjectAltName of a validated REQ, built from GENERAL_NAME objects
 * rather than configuration text so that no name can inject syntax.
 */
static int
add_sans(X509 *x, const struct selfsigned_req *req)
{
	GENERAL_NAMES	*gens;
	unsigned char	 addr[16];
	char *const	*n;
	int		 ok;

	if ((gens = sk_GENERAL_NAME_new_null()) == NULL)
		return 0;
	ok = 1;
	for (n = req->dns; ok && n != NULL && *n != NULL; n++)
		ok = san_push(gens, GEN_DNS, *n, strlen(*n));
	for (n = req->ips; ok && n != NULL && *n != NULL; n++) {
		if (inet_pton(AF_INET, *n, addr) == 1)
			ok = san_push(gens, GEN_IPADD, addr, 4);
		else if (inet_pton(AF_INET6, *n, addr) == 1)
			ok = san_push(gens, GEN_IPADD, addr, 16);
	}
	if (ok && sk_GENERAL_NAME_num(gens) > 0)
		ok = X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0,
		    X509V3_ADD_DEFAULT) == 1;
	GENERAL_NAMES_free(gens);
	return ok;
}

static int
add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION	*ext;
	int		 ok;

	if ((ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value)) == NULL)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

X509 *
crypto_selfsigned(EVP_PKEY *key, const struct selfsigned_req *req)
{
	X509V3_CTX	 ctx;
	X509		*x;
	X509_NAME	*name;
	unsigned char	 serial[16];
	int		 ok = 0;

	if (!selfsigned_req_valid(req))
		return NULL;
	if ((x = X509_new()) == NULL ||
	    RAND_bytes(serial, sizeof(serial)) != 1)
		goto out;
	/* Top bit clear keeps it positive; the next bit keeps it non-zero. */
	serial[0] = (serial[0] & 0x7f) | 0x40;
	name = X509_get_subject_name(x);
	if (!X509_set_version(x, X509_VERSION_3) ||
	    !ASN1_STRING_set(X509_get_serialNumber(x), serial,
	    sizeof(serial)) ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -60) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(x), req->days, 0,
	    NULL) == NULL ||
	    !X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
	    (const unsigned char *)req->cn, -1, -1, 0) ||
	    !X509_set_issuer_name(x, name) ||
	    !X509_set_pubkey(x, key))
		goto out;
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	X509V3_set_ctx_nodb(&ctx);
	/* The subject key identifier first: the authority one copies it. */
	if (!X509V3_set_issuer_pkey(&ctx, key) ||
	    !add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(x, &ctx, NID_key_usage, EVP_PKEY_is_a(key, "RSA") ?
	    "critical,digitalSignature,keyEncipherment" :
	    "critical,digitalSignature") ||
	    !add_ext(x, &ctx, NID_ext_key_usage, "serverAuth") ||
	    !add_ext(x, &ctx, NID_subject_key_identifier, "hash") ||
	    !add_ext(x, &ctx, NID_authority_key_identifier, "keyid") ||
	    !add_sans(x, req) ||
	    X509_sign(x, key, EVP_sha256()) == 0)
		goto out;
	ok = 1;
out:
	if (!ok) {
		log_err("self-signed certificate for %s: %s", req->cn,
		    crypto_last_error());
		X509_free(x);
		x = NULL;
	}
	return x;
}

/* Never asks: a key that needs a passphrase is refused, not prompted for. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	if (u != NULL)
		*(int *)u = 1;
	return -1;
}

int
crypto_parse_certs(const char *what, const char *pem, size_t len,
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
		log_err("%s: %s", what, crypto_last_error());
		rv = EX_SOFTWARE;
		goto out;
	}
	ERR_clear_error();
	while ((x = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL)) !=
	    NULL) {
		if (!sk_X509_push(certs, x)) {
			X509_free(x);
			log_err("%s: %s", what, crypto_last_error());
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
		    sk_X509_num(certs) + 1, crypto_last_error());
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
crypto_load_certs(const char *path, STACK_OF(X509) **out)
{
	char	*buf;
	size_t	 len;
	int	 rv;

	*out = NULL;
	if ((rv = fs_read_file(path, FS_MAX_READ, &buf, &len)) != 0)
		return rv;
	rv = crypto_parse_certs(path, buf, len, out);
	free(buf);
	return rv;
}

void
crypto_chain_free(STACK_OF(X509) *chain)
{
	sk_X509_pop_free(chain, X509_free);
}

int
crypto_parse_key(const char *what, const char *pem, size_t len,
    EVP_PKEY **out)
{
	BIO	*bio;
	int	 encrypted = 0;

	*out = NULL;
	if (len > INT_MAX) {
		log_err("%s: too large for a key file", what);
		return EX_DATAERR;
	}
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL) {
		log_err("%s: %s", what, crypto_last_error());
		return EX_SOFTWARE;
	}
	ERR_clear_error();
	*out = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, &encrypted);
	/* The decoder's own reason is "unsupported" whatever went wrong. */
	ERR_clear_error();
	BIO_free(bio);
	if (*out != NULL)
		return 0;
	if (encrypted)
		log_err("%s: private key is encrypted", what);
	else
		log_err("%s: %s", what, memmem(pem, len, PEM_KEY_END,
		    sizeof(PEM_KEY_END) - 1) == NULL ?
		    "no PEM private key found" : "private key does not parse");
	return EX_DATAERR;
}

int
crypto_load_key(const char *path, EVP_PKEY **out)
{
	char	*buf;
	size_t	 len;
	int	 rv;

	*out = NULL;
	if ((rv = fs_read_file(path, FS_MAX_READ, &buf, &len)) != 0)
		return rv;
	rv = crypto_parse_key(path, buf, len, out);
	secret_free(buf, len);
	return rv;
}

int
crypto_key_matches(X509 *x, EVP_PKEY *key)
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

static int
asn1_time_get(const ASN1_TIME *t, time_t *out)
{
	struct tm	tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	*out = timegm(&tm);
	return 1;
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
crypto_cert_info(X509 *x, struct cert_info *ci)
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
		log_err("certificate names: %s", crypto_last_error());
		goto out;
	}
	if (!name_cn(X509_get_subject_name(x), ci->cn, sizeof(ci->cn)) ||
	    !name_cn(X509_get_issuer_name(x), ci->issuer_cn,
	    sizeof(ci->issuer_cn))) {
		log_err("certificate %s: a CN does not decode: %s",
		    ci->subject, crypto_last_error());
		rv = EX_DATAERR;
		goto out;
	}
	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	if (bn == NULL || (hex = BN_bn2hex(bn)) == NULL) {
		log_err("certificate %s: serial: %s", ci->subject,
		    crypto_last_error());
		goto out;
	}
	copy_text(ci->serial, sizeof(ci->serial), (unsigned char *)hex,
	    strlen(hex));
	snprintf(ci->sigalg, sizeof(ci->sigalg), "%s",
	    OBJ_nid2ln(X509_get_signature_nid(x)));

	if ((pub = X509_get0_pubkey(x)) != NULL) {
		snprintf(ci->key_type, sizeof(ci->key_type), "%s",
		    key_type_name(pub));
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
crypto_cert_info_free(struct cert_info *ci)
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
crypto_days_left(X509 *x, time_t now)
{
	ASN1_TIME	*t;
	int		 days, secs;
	long		 left = LONG_MIN;

	if ((t = ASN1_TIME_set(NULL, now)) != NULL &&
	    ASN1_TIME_diff(&days, &secs, t, X509_get0_notAfter(x)) == 1)
		/* days and secs share a sign: floor means one more back. */
		left = (long)days - (secs < 0 ? 1 : 0);
	else
		log_err("certificate end date does not parse: %s",
		    crypto_last_error());
	ASN1_TIME_free(t);
	return left;
}

int
crypto_cert_matches_host(X509 *x, const char *host)
{
	int	match;

	if (*host == '\0')
		return 0;
	if (crypto_is_ip(host))
		match = X509_check_ip_asc(x, host, 0) == 1;
	else
		match = X509_check_host(x, host, strlen(host),
		    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
	ERR_clear_error();
	return match;
}

int
crypto_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted,
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
		log_err("chain verification: %s", crypto_last_error());
		goto out;
	}
	if (cafile != NULL ? X509_STORE_load_file(store, cafile) != 1 :
	    X509_STORE_set_default_paths(store) != 1) {
		log_err("%s: cannot load trust anchors: %s",
		    cafile != NULL ? cafile : "system store", crypto_last_error());
		goto out;
	}
	if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) {
		log_err("chain verification: %s", crypto_last_error());
		goto out;
	}
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), now);
	if ((r = X509_verify_cert(ctx)) < 0) {
		log_err("chain verification: %s", crypto_last_error());
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
			log_err("chain verification: %s", crypto_last_error());
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
crypto_dhparam_pem(int bits, char **pem, size_t *len)
{
	EVP_PKEY_CTX	*pctx;
	EVP_PKEY	*params = NULL;
	BIO		*bio = NULL;
	int		 rv = EX_SOFTWARE;

	/* "DH" (not "DHX") generates safe primes: PKCS#3, as nginx reads. */
	if ((pctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL)) == NULL ||
	    EVP_PKEY_paramgen_init(pctx) != 1 ||
	    EVP_PKEY_CTX_set_dh_paramgen_prime_len(pctx, bits) != 1 ||
	    EVP_PKEY_CTX_set_dh_paramgen_generator(pctx, 2) != 1 ||
	    EVP_PKEY_paramgen(pctx, &params) != 1 ||
	    (bio = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio_Parameters(bio, params) != 1) {
		log_err("%d-bit DH parameters: %s", bits, crypto_last_error());
		goto out;
	}
	rv = bio_take(bio, "DH parameters", pem, len);
out:
	BIO_free(bio);
	EVP_PKEY_free(params);
	EVP_PKEY_CTX_free(pctx);
	return rv;
}

int
crypto_dhparam_bits(const char *path)
{
	EVP_PKEY	*params = NULL;
	BIO		*bio;
	int		 bits = 0;

	/* Quietly: a missing or unreadable file just means "make one". */
	if ((bio = BIO_new_file(path, "r")) != NULL &&
	    (params = PEM_read_bio_Parameters(bio, NULL)) != NULL &&
	    EVP_PKEY_is_a(params, "DH"))
		bits = EVP_PKEY_get_bits(params);
	EVP_PKEY_free(params);
	BIO_free(bio);
	ERR_clear_error();
	return bits;
}

int
crypto_pkcs12(EVP_PKEY *key, X509 *cert, STACK_OF(X509) *chain,
    const char *alias, const char *password, unsigned char **der,
    size_t *len)
{
	PKCS12		*p12;
	unsigned char	*buf = NULL, *p;
	int		 n, rv = EX_SOFTWARE;

	*der = NULL;
	*len = 0;
	/* No MAC here (-1): it is set below with SHA-256 instead of SHA-1. */
	p12 = PKCS12_create_ex(password, alias, key, cert, chain,
	    NID_aes_256_cbc, NID_aes_256_cbc, P12_ITER, -1, 0, NULL, NULL);
	if (p12 == NULL || PKCS12_set_mac(p12, password, -1, NULL, 0,
	    P12_ITER, EVP_sha256()) != 1 || (n = i2d_PKCS12(p12, NULL)) <= 0) {
		log_err("PKCS#12 for '%s': %s", alias, crypto_last_error());
		goto out;
	}
	if ((buf = malloc(n)) == NULL) {
		log_err("PKCS#12 for '%s': %s", alias, strerror(errno));
		rv = EX_OSERR;
		goto out;
	}
	p = buf;
	if (i2d_PKCS12(p12, &p) != n) {
		log_err("PKCS#12 for '%s': %s", alias, crypto_last_error());
		goto out;
	}
	*der = buf;
	*len = (size_t)n;
	buf = NULL;
	rv = 0;
out:
	free(buf);
	PKCS12_free(p12);
	return rv;
}

#define EC_COORD_MAX	48	/* bytes, P-384 */

/*
 * The curves JOSE names (RFC 7518 sections 3.4 and 6.2.1): JWK "crv",
 * JWS "alg", its digest, and the fixed size of a coordinate, of r and
 * of s.
 */
static const struct ec_curve {
	int		 nid;
	const char	*crv;
	const char	*alg;
	const char	*md;
	int		 size;
} ec_curves[] = {
	{ NID_X9_62_prime256v1, "P-256", "ES256", "SHA256", 32 },
	{ NID_secp384r1, "P-384", "ES384", "SHA384", EC_COORD_MAX },
};

/* The curve of an EC key when JOSE names it, else NULL. */
static const struct ec_curve *
ec_curve_of(EVP_PKEY *key)
{
	char	group[64];
	size_t	i;
	int	nid;

	if (!EVP_PKEY_is_a(key, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, sizeof(group), NULL)) {
		ERR_clear_error();
		return NULL;
	}
	nid = OBJ_sn2nid(group);
	for (i = 0; i < sizeof(ec_curves) / sizeof(ec_curves[0]); i++)
		if (ec_curves[i].nid == nid)
			return &ec_curves[i];
	return NULL;
}

static char	*str_printf(const char *, ...)
		    __attribute__((format(printf, 1, 2)));

/* A formatted string in a fresh buffer; NULL when out of memory. */
static char *
str_printf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *
crypto_b64(const void *data, size_t len)
{
	char	*s;

	/* EVP_EncodeBlock counts in int, four bytes out for three in. */
	if (len > INT_MAX / 4 * 3) {
		log_err("base64: %zu bytes is too long", len);
		return NULL;
	}
	if ((s = malloc(len / 3 * 4 + 5)) == NULL) {
		log_err("base64: %s", strerror(errno));
		return NULL;
	}
	EVP_EncodeBlock((unsigned char *)s, data, (int)len);
	return s;
}

char *
crypto_b64url(const void *data, size_t len)
{
	char	*s, *p;

	if ((s = crypto_b64(data, len)) == NULL)
		return NULL;
	for (p = s; *p != '\0' && *p != '='; p++)
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
	*p = '\0';
	return s;
}

int
crypto_b64url_decode(const char *s, unsigned char **out, size_t *len)
{
	unsigned char	*buf = NULL;
	char		*b64 = NULL, c;
	size_t		 i, n, padded;
	int		 r, rv = EX_DATAERR;

	*out = NULL;
	*len = 0;
	n = strlen(s);
	/* A lone character after the last group of four is not a byte. */
	if (n % 4 == 1 || n > INT_MAX / 2) {
		log_err("not base64url");
		return EX_DATAERR;
	}
	padded = (n + 3) / 4 * 4;
	if ((b64 = malloc(padded + 1)) == NULL ||
	    (buf = malloc(padded / 4 * 3 + 1)) == NULL) {
		log_err("base64url: %s", strerror(errno));
		rv = EX_OSERR;
		goto out;
	}
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		else if ((c < 'A' || c > 'Z') && (c < 'a' || c > 'z') &&
		    (c < '0' || c > '9')) {
			log_err("not base64url");
			goto out;
		}
		b64[i] = c;
	}
	memset(b64 + n, '=', padded - n);
	b64[padded] = '\0';
	/* EVP_DecodeBlock counts the bytes the padding stands for. */
	if ((r = EVP_DecodeBlock(buf, (unsigned char *)b64,
	    (int)padded)) < 0) {
		log_err("not base64url");
		goto out;
	}
	*out = buf;
	*len = (size_t)r - (padded - n);
	buf = NULL;
	rv = 0;
out:
	/* What is decoded may be a MAC key (external account binding). */
	if (b64 != NULL)
		OPENSSL_cleanse(b64, padded);
	free(b64);
	if (buf != NULL)
		secret_free((char *)buf, padded / 4 * 3);
	return rv;
}

int
crypto_sha256(const void *data, size_t len, unsigned char out[32])
{
	if (EVP_Digest(data, len, out, NULL, EVP_sha256(), NULL) != 1) {
		log_err("SHA-256: %s", crypto_last_error());
		return EX_SOFTWARE;
	}
	return 0;
}

/* base64url of the big-endian BN in SIZE bytes (0: no leading zeros). */
static char *
bn_b64url(const BIGNUM *bn, int size)
{
	unsigned char	*buf;
	char		*s = NULL;

	if (size == 0)
		size = BN_num_bytes(bn);
	if ((buf = malloc(size > 0 ? size : 1)) == NULL) {
		log_err("JWK: %s", strerror(errno));
		return NULL;
	}
	if (BN_bn2binpad(bn, buf, size) == size)
		s = crypto_b64url(buf, size);
	else
		log_err("JWK: a key parameter does not fit %d bytes", size);
	free(buf);
	return s;
}

int
crypto_jwk(EVP_PKEY *key, char **json)
{
	const struct ec_curve	*ec;
	BIGNUM			*a = NULL, *b = NULL;
	char			*sa = NULL, *sb = NULL;
	int			 size, rv = EX_SOFTWARE;

	*json = NULL;
	if ((ec = ec_curve_of(key)) == NULL && !EVP_PKEY_is_a(key, "RSA")) {
		log_err("JWK: %s keys are not supported", key_type_name(key));
		return EX_DATAERR;
	}
	if (!EVP_PKEY_get_bn_param(key, ec != NULL ? OSSL_PKEY_PARAM_EC_PUB_X :
	    OSSL_PKEY_PARAM_RSA_N, &a) ||
	    !EVP_PKEY_get_bn_param(key, ec != NULL ? OSSL_PKEY_PARAM_EC_PUB_Y :
	    OSSL_PKEY_PARAM_RSA_E, &b)) {
		log_err("JWK: %s", crypto_last_error());
		goto out;
	}
	/* RFC 7518: fixed-size coordinates, but n and e without padding. */
	size = ec != NULL ? ec->size : 0;
	if ((sa = bn_b64url(a, size)) == NULL ||
	    (sb = bn_b64url(b, size)) == NULL)
		goto out;
	/* Required members only, sorted, no blanks: RFC 7638 section 3. */
	if (ec != NULL)
		*json = str_printf("{\"crv\":\"%s\",\"kty\":\"EC\","
		    "\"x\":\"%s\",\"y\":\"%s\"}", ec->crv, sa, sb);
	else
		*json = str_printf("{\"e\":\"%s\",\"kty\":\"RSA\","
		    "\"n\":\"%s\"}", sb, sa);
	if (*json == NULL) {
		log_err("JWK: %s", strerror(errno));
		rv = EX_OSERR;
		goto out;
	}
	rv = 0;
out:
	free(sa);
	free(sb);
	BN_free(a);
	BN_free(b);
	return rv;
}

int
crypto_jwk_thumbprint(EVP_PKEY *key, char **b64)
{
	unsigned char	 md[32];
	char		*jwk;
	int		 rv;

	*b64 = NULL;
	if ((rv = crypto_jwk(key, &jwk)) != 0)
		return rv;
	if ((rv = crypto_sha256(jwk, strlen(jwk), md)) == 0 &&
	    (*b64 = crypto_b64url(md, sizeof(md))) == NULL)
		rv = EX_OSERR;
	free(jwk);
	return rv;
}

const char *
crypto_jws_alg(EVP_PKEY *key)
{
	const struct ec_curve	*ec;

	if ((ec = ec_curve_of(key)) != NULL)
		return ec->alg;
	return EVP_PKEY_is_a(key, "RSA") ? "RS256" : NULL;
}

/* b64u(PROTECTED) "." b64u(PAYLOAD), the JWS signing input. */
static char *
jws_input(const char *protected, const char *payload)
{
	char	*p, *q = NULL, *in = NULL;

	if ((p = crypto_b64url(protected, strlen(protected))) != NULL &&
	    (q = crypto_b64url(payload, strlen(payload))) != NULL &&
	    (in = str_printf("%s.%s", p, q)) == NULL)
		log_err("JWS: %s", strerror(errno));
	free(p);
	free(q);
	return in;
}

/* The flattened JSON serialization of signing INPUT and its signature. */
static int
jws_flatten(const char *input, const unsigned char *sig, size_t siglen,
    char **out)
{
	const char	*dot;
	char		*s;

	if ((s = crypto_b64url(sig, siglen)) == NULL)
		return EX_OSERR;
	dot = strchr(input, '.');
	*out = str_printf("{\"protected\":\"%.*s\",\"payload\":\"%s\","
	    "\"signature\":\"%s\"}", (int)(dot - input), input, dot + 1, s);
	free(s);
	if (*out == NULL) {
		log_err("JWS: %s", strerror(errno));
		return EX_OSERR;
	}
	return 0;
}

int
crypto_jws(EVP_PKEY *key, const char *protected, const char *payload,
    char **out)
{
	const struct ec_curve	*ec;
	EVP_MD_CTX		*ctx = NULL;
	ECDSA_SIG		*es = NULL;
	const BIGNUM		*r, *s;
	const unsigned char	*p;
	unsigned char		*sig = NULL, rs[2 * EC_COORD_MAX];
	char			*input;
	size_t			 siglen;
	int			 rv = EX_SOFTWARE;

	*out = NULL;
	if ((ec = ec_curve_of(key)) == NULL && !EVP_PKEY_is_a(key, "RSA")) {
		log_err("JWS: %s keys cannot sign", key_type_name(key));
		return EX_DATAERR;
	}
	if ((input = jws_input(protected, payload)) == NULL)
		return EX_OSERR;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit_ex(ctx, NULL, ec != NULL ? ec->md : "SHA256",
	    NULL, NULL, key, NULL) != 1 ||
	    EVP_DigestSign(ctx, NULL, &siglen, (unsigned char *)input,
	    strlen(input)) != 1) {
		log_err("JWS: %s", crypto_last_error());
		goto out;
	}
	if ((sig = malloc(siglen)) == NULL) {
		log_err("JWS: %s", strerror(errno));
		rv = EX_OSERR;
		goto out;
	}
	if (EVP_DigestSign(ctx, sig, &siglen, (unsigned char *)input,
	    strlen(input)) != 1) {
		log_err("JWS: %s", crypto_last_error());
		goto out;
	}
	if (ec == NULL) {
		rv = jws_flatten(input, sig, siglen, out);
		goto out;
	}
	/* JWS wants r || s, each as wide as a coordinate, not DER. */
	p = sig;
	if ((es = d2i_ECDSA_SIG(NULL, &p, (long)siglen)) == NULL) {
		log_err("JWS: %s", crypto_last_error());
		goto out;
	}
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, rs, ec->size) != ec->size ||
	    BN_bn2binpad(s, rs + ec->size, ec->size) != ec->size) {
		log_err("JWS: ECDSA signature wider than the curve");
		goto out;
	}
	rv = jws_flatten(input, rs, 2 * (size_t)ec->size, out);
out:
	ECDSA_SIG_free(es);
	free(sig);
	EVP_MD_CTX_free(ctx);
	free(input);
	return rv;
}

int
crypto_jws_hmac(const unsigned char *key, size_t keylen,
    const char *protected, const char *payload, char **out)
{
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	char		*input;
	size_t		 maclen;
	int		 rv = EX_SOFTWARE;

	*out = NULL;
	if ((input = jws_input(protected, payload)) == NULL)
		return EX_OSERR;
	if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, keylen,
	    (unsigned char *)input, strlen(input), mac, sizeof(mac),
	    &maclen) == NULL)
		log_err("HS256 JWS: %s", crypto_last_error());
	else
		rv = jws_flatten(input, mac, maclen, out);
	free(input);
	return rv;
}

int
crypto_csr(EVP_PKEY *key, char *const *domains, unsigned char **der,
    size_t *len)
{
	const struct ec_curve		*ec;
	X509_REQ			*req;
	GENERAL_NAMES			*gens = NULL;
	STACK_OF(X509_EXTENSION)	*exts = NULL;
	unsigned char			*buf = NULL, *p;
	char *const			*d;
	int				 n, rv = EX_SOFTWARE;

	*der = NULL;
	*len = 0;
	if (domains == NULL || domains[0] == NULL) {
		log_err("certificate request: no domain names");
		return EX_DATAERR;
	}
	if (!dns_names_valid("certificate request", domains))
		return EX_DATAERR;
	if ((req = X509_REQ_new()) == NULL ||
	    (gens = sk_GENERAL_NAME_new_null()) == NULL)
		goto out;
	for (d = domains; *d != NULL; d++)
		if (!san_push(gens, GEN_DNS, *d, strlen(*d)))
			goto out;
	ec = ec_curve_of(key);
	/* ACME goes by the SANs: a name too long for a CN goes without. */
	if (!X509_REQ_set_version(req, X509_REQ_VERSION_1) ||
	    (strlen(domains[0]) <= CN_MAX && !X509_NAME_add_entry_by_NID(
	    X509_REQ_get_subject_name(req), NID_commonName, MBSTRING_ASC,
	    (const unsigned char *)domains[0], -1, -1, 0)) ||
	    !X509_REQ_set_pubkey(req, key) ||
	    X509V3_add1_i2d(&exts, NID_subject_alt_name, gens, 0,
	    X509V3_ADD_DEFAULT) != 1 ||
	    !X509_REQ_add_extensions(req, exts) ||
	    !X509_REQ_sign(req, key, EVP_get_digestbyname(ec != NULL ?
	    ec->md : "SHA256")) ||
	    (n = i2d_X509_REQ(req, NULL)) <= 0)
		goto out;
	if ((buf = malloc(n)) == NULL) {
		log_err("certificate request for %s: %s", domains[0],
		    strerror(errno));
		rv = EX_OSERR;
		goto out;
	}
	p = buf;
	if (i2d_X509_REQ(req, &p) != n)
		goto out;
	*der = buf;
	*len = (size_t)n;
	buf = NULL;
	rv = 0;
out:
	if (rv == EX_SOFTWARE)
		log_err("certificate request for %s: %s", domains[0],
		    crypto_last_error());
	free(buf);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	GENERAL_NAMES_free(gens);
	X509_REQ_free(req);
	return rv;
}

int
crypto_ari_cert_id(X509 *x, char **id)
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
		log_err("certificate serial: %s", crypto_last_error());
		goto out;
	}
	p = der;
	if (ASN1_get_object(&p, &clen, &tag, &class, n) & 0x80) {
		log_err("certificate serial: %s", crypto_last_error());
		goto out;
	}
	if ((kid = crypto_b64url(ASN1_STRING_get0_data(akid->keyid),
	    ASN1_STRING_length(akid->keyid))) == NULL ||
	    (serial = crypto_b64url(p, clen)) == NULL) {
		rv = EX_OSERR;
		goto out;
	}
	if ((*id = str_printf("%s.%s", kid, serial)) == NULL) {
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
crypto_cert_der(X509 *x, unsigned char **der, size_t *len)
{
	unsigned char	*p;
	int		 n;

	*der = NULL;
	*len = 0;
	if ((n = i2d_X509(x, NULL)) <= 0 || (*der = malloc(n)) == NULL) {
		log_err("certificate: cannot encode: %s", crypto_last_error());
		return EX_SOFTWARE;
	}
	p = *der;
	if (i2d_X509(x, &p) != n) {
		log_err("certificate: cannot encode: %s", crypto_last_error());
		free(*der);
		*der = NULL;
		return EX_SOFTWARE;
	}
	*len = (size_t)n;
	return 0;
}

int
crypto_verify_issued(X509 *leaf, STACK_OF(X509) *chain, time_t now,
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
	/* The top of what was sent is the anchor; everything below it must link up. */
	top = sk_X509_value(chain, n - 1);
	if ((store = X509_STORE_new()) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_add_cert(store, top) != 1 ||
	    X509_STORE_CTX_init(ctx, store, leaf, chain) != 1) {
		log_err("chain verification: %s", crypto_last_error());
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
