/*
 * certgen: self-signed certificates and PKCS#10 requests.  Every name is
 * checked before it reaches a subjectAltName, which is built from
 * GENERAL_NAME objects, never from configuration text.
 */
#include <sys/socket.h>


#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "certgen.h"
#include "dnsname.h"
#include "ipaddr.h"
#include "log.h"
#include "openssl.h"

#define CN_MAX		64	/* ub-common-name, RFC 5280 */

/*
 * Letters, digits and inner hyphens in labels of 1 to 63 bytes, with an
 * optional "*." in front: nothing else can reach a subjectAltName.
 */
/* A name for a certificate: a DNS name, or a wildcard "*." before one. */
static int
dns_name_valid(const char *name)
{
	if (strncmp(name, "*.", 2) == 0)
		name += 2;
	return dnsname_ok(name);
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
		if (ipaddr_parse(*n, strlen(*n), NULL) == 0) {
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
	unsigned char	 addr[IPADDR_MAX];
	char *const	*n;
	int		 af, ok;

	if ((gens = sk_GENERAL_NAME_new_null()) == NULL)
		return 0;
	ok = 1;
	for (n = req->dns; ok && n != NULL && *n != NULL; n++)
		ok = san_push(gens, GEN_DNS, *n, strlen(*n));
	for (n = req->ips; ok && n != NULL && *n != NULL; n++) {
		if ((af = ipaddr_parse(*n, strlen(*n), addr)) != 0)
			ok = san_push(gens, GEN_IPADD, addr,
			    af == AF_INET ? 4 : 16);
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
certgen_selfsigned(EVP_PKEY *key, const struct selfsigned_req *req)
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
	    /* Whole days, added to a broken-down time: no time_t overflow. */
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
		    openssl_error());
		X509_free(x);
		x = NULL;
	}
	return x;
}

/*
 * The digest a request signed by KEY uses: SHA-384 for a P-384 key, as
 * its ACME account signatures (ES384) do, SHA-256 for every other key.
 */
static const char *
csr_digest(EVP_PKEY *key)
{
	char	group[64];

	if (!EVP_PKEY_is_a(key, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, sizeof(group), NULL)) {
		ERR_clear_error();
		return "SHA256";
	}
	return OBJ_sn2nid(group) == NID_secp384r1 ? "SHA384" : "SHA256";
}

int
certgen_csr(EVP_PKEY *key, char *const *domains, unsigned char **der,
    size_t *len)
{
	X509_REQ			*req;
	GENERAL_NAMES			*gens = NULL;
	STACK_OF(X509_EXTENSION)	*exts = NULL;
	unsigned char			*buf = NULL, *p;
	char *const			*d;
	const char			*md;
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
	md = csr_digest(key);
	/* ACME goes by the SANs: a name too long for a CN goes without. */
	if (!X509_REQ_set_version(req, X509_REQ_VERSION_1) ||
	    (strlen(domains[0]) <= CN_MAX && !X509_NAME_add_entry_by_NID(
	    X509_REQ_get_subject_name(req), NID_commonName, MBSTRING_ASC,
	    (const unsigned char *)domains[0], -1, -1, 0)) ||
	    !X509_REQ_set_pubkey(req, key) ||
	    X509V3_add1_i2d(&exts, NID_subject_alt_name, gens, 0,
	    X509V3_ADD_DEFAULT) != 1 ||
	    !X509_REQ_add_extensions(req, exts) ||
	    !X509_REQ_sign(req, key, EVP_get_digestbyname(md)) ||
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
		    openssl_error());
	free(buf);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	GENERAL_NAMES_free(gens);
	X509_REQ_free(req);
	return rv;
}
