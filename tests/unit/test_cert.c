/*
 * cert: certificates read, written, described and checked (names,
 * validity, key, chain), and the ACME renewal identifier.  Where it
 * counts the result is judged by the openssl CLI or by the RFC's own
 * example rather than by libsec reading back what it wrote.
 */
#include <sys/types.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cert.h"
#include "certgen.h"
#include "key.h"
#include "log.h"
#include "time64.h"
#include "util.h"

static char	*dir;		/* scratch, with ca_chain_new()'s files */
static EVP_PKEY	*ec_key;	/* P-256, signs ec_cert */
static EVP_PKEY	*rsa_key;	/* RSA 2048 */
static X509	*ec_cert;	/* self-signed: device.example.test */
static int64_t	 made_from;	/* time just before ec_cert was made */
static int64_t	 made_to;	/* and just after */
static X509	*root;		/* RSA, made by openssl */
static X509	*inter;		/* EC, signed by root */
static X509	*leaf;		/* EC, signed by inter */
static EVP_PKEY	*leaf_key;

static char	*device_dns[] = { "device.example.test", NULL };
static char	*device_ips[] = { "192.0.2.1", "2001:db8::1", NULL };

static void
pathf(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", dir, name);
}

static X509 *
load_cert(const char *name)
{
	STACK_OF(X509)	*certs;
	X509		*x;
	char		 p[PATH_MAX];

	pathf(p, name);
	if (cert_load(p, &certs) != 0)
		return NULL;
	x = sk_X509_shift(certs);
	cert_chain_free(certs);
	return x;
}

static int
group_setup(void **state)
{
	struct selfsigned_req	req = { .cn = "device.example.test",
	    .dns = device_dns, .ips = device_ips, .days = 30 };
	char			p[PATH_MAX];

	(void)state;
	log_init("test_cert");
	if ((dir = tmpdir_new("test_cert")) == NULL || ca_chain_new(dir) != 0)
		return -1;
	pathf(p, "leaf.key");
	if ((ec_key = key_new(KEY_EC256)) == NULL ||
	    (rsa_key = key_new(KEY_RSA2048)) == NULL ||
	    (root = load_cert("root.pem")) == NULL ||
	    (inter = load_cert("inter.pem")) == NULL ||
	    (leaf = load_cert("leaf.pem")) == NULL ||
	    key_load(p, &leaf_key) != 0)
		return -1;
	made_from = time64_now();
	ec_cert = certgen_selfsigned(ec_key, &req);
	made_to = time64_now();
	return ec_cert != NULL ? 0 : -1;
}

static int
group_teardown(void **state)
{
	(void)state;
	X509_free(ec_cert);
	X509_free(root);
	X509_free(inter);
	X509_free(leaf);
	EVP_PKEY_free(ec_key);
	EVP_PKEY_free(rsa_key);
	EVP_PKEY_free(leaf_key);
	return tmpdir_free(dir);
}

static void
test_key_matches_only_its_certificate(void **state)
{
	(void)state;
	assert_int_equal(cert_matches_key(ec_cert, ec_key), 1);
	assert_int_equal(cert_matches_key(leaf, leaf_key), 1);
	assert_int_equal(cert_matches_key(ec_cert, leaf_key), 0);
	assert_int_equal(cert_matches_key(ec_cert, rsa_key), 0);
}

static void
test_cert_info_reports_selfsigned_fields(void **state)
{
	struct cert_info	ci;
	long			span;

	(void)state;
	assert_int_equal(cert_info(ec_cert, &ci), 0);
	assert_string_equal(ci.subject, "CN=device.example.test");
	assert_string_equal(ci.issuer, "CN=device.example.test");
	assert_string_equal(ci.cn, "device.example.test");
	assert_string_equal(ci.issuer_cn, "device.example.test");
	assert_string_equal(ci.sigalg, "ecdsa-with-SHA256");
	assert_string_equal(ci.key_type, "EC");
	assert_string_equal(ci.curve, "prime256v1");
	assert_int_equal(ci.key_bits, 256);
	assert_true(ci.self_signed);
	assert_false(ci.is_ca);
	span = (long)(ci.not_after - ci.not_before);
	assert_in_range(span, 30 * 86400 + 60, 30 * 86400 + 61);
	assert_in_range(ci.not_before, made_from - 60, made_to - 60);
	assert_non_null(ci.sans);
	assert_string_equal(ci.sans[0], "DNS:device.example.test");
	assert_string_equal(ci.sans[1], "IP:192.0.2.1");
	assert_string_equal(ci.sans[2], "IP:2001:db8::1");
	assert_null(ci.sans[3]);
	cert_info_free(&ci);
	assert_null(ci.sans);
}

static void
test_cert_info_reports_ca_certificates(void **state)
{
	struct cert_info	ci;

	(void)state;
	assert_int_equal(cert_info(root, &ci), 0);
	assert_string_equal(ci.subject, "CN=Test Root");
	assert_string_equal(ci.serial, "01");
	assert_string_equal(ci.sigalg, "sha256WithRSAEncryption");
	assert_string_equal(ci.key_type, "RSA");
	assert_int_equal(ci.key_bits, 2048);
	assert_string_equal(ci.curve, "");
	assert_true(ci.self_signed);
	assert_true(ci.is_ca);
	assert_null(ci.sans[0]);
	cert_info_free(&ci);

	assert_int_equal(cert_info(inter, &ci), 0);
	assert_string_equal(ci.cn, "Test Intermediate");
	assert_string_equal(ci.issuer_cn, "Test Root");
	assert_string_equal(ci.sigalg, "sha256WithRSAEncryption");
	assert_string_equal(ci.key_type, "EC");
	assert_false(ci.self_signed);
	assert_true(ci.is_ca);
	cert_info_free(&ci);
}

static void
test_days_left_floors_whole_days(void **state)
{
	struct cert_info	ci;
	int64_t			end, now;

	(void)state;
	assert_int_equal(cert_info(ec_cert, &ci), 0);
	end = ci.not_after;
	cert_info_free(&ci);
	assert_int_equal(cert_days_left(ec_cert, end - 5 * 86400), 5);
	assert_int_equal(cert_days_left(ec_cert, end - 5 * 86400 + 1), 4);
	assert_int_equal(cert_days_left(ec_cert, end), 0);
	assert_int_equal(cert_days_left(ec_cert, end + 1), -1);
	assert_int_equal(cert_days_left(ec_cert, end + 86400), -1);
	assert_int_equal(cert_days_left(ec_cert, end + 86401), -2);
	now = time64_now();
	assert_in_range(cert_days_left(ec_cert, now),
	    time64_days_left(made_from + 30 * TIME64_DAY, now),
	    time64_days_left(made_to + 30 * TIME64_DAY, now));
}

/* EC_CERT with its end of validity set to WHEN and signed again. */
static X509 *
ec_cert_until(const char *when)
{
	X509	*x;

	if ((x = X509_dup(ec_cert)) == NULL ||
	    !ASN1_TIME_set_string_X509(X509_getm_notAfter(x), when) ||
	    X509_sign(x, ec_key, EVP_sha256()) == 0) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/*
 * Ends of validity past 2038 (UTCTime up to 2049, GeneralizedTime from
 * 2050) read as 64-bit seconds, and days left counted from a "now" that
 * is itself past 2038, as it will be on a 32-bit time_t device.
 */
static void
test_cert_info_reads_dates_past_2038(void **state)
{
	static const struct {
		const char	*asn1;
		int64_t		 t;
	} v[] = {
		{ "20380119031408Z", INT64_C(2147483648) },
		{ "20491231235959Z", INT64_C(2524607999) },
		{ "20500630235959Z", INT64_C(2540246399) },
		{ "21000301000000Z", INT64_C(4107542400) },
		{ "99991231235959Z", INT64_C(253402300799) },
	};
	struct cert_info	ci;
	X509			*x;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_non_null(x = ec_cert_until(v[i].asn1));
		assert_int_equal(cert_info(x, &ci), 0);
		assert_int_equal(ci.not_after, v[i].t);
		assert_in_range(ci.not_before, made_from - 60, made_to - 60);
		assert_int_equal(cert_days_left(x, v[i].t - 10 * TIME64_DAY),
		    10);
		assert_int_equal(cert_days_left(x, v[i].t + 1), -1);
		assert_int_equal(cert_days_left(x, INT64_C(2147483648)),
		    (v[i].t - INT64_C(2147483648)) / TIME64_DAY);
		cert_info_free(&ci);
		X509_free(x);
	}
}

static void
test_host_matches_exact_name(void **state)
{
	(void)state;
	assert_int_equal(cert_matches_host(leaf, "leaf.example.test"),
	    1);
	assert_int_equal(cert_matches_host(leaf, "LEAF.Example.Test"),
	    1);
	assert_int_equal(cert_matches_host(ec_cert,
	    "device.example.test"), 1);
}

static void
test_host_matches_one_wildcard_label(void **state)
{
	static char		*dns[] = { "*.wild.example.test", NULL };
	struct selfsigned_req	 req = { .cn = "wild", .dns = dns, .days = 30 };
	X509			*x;

	(void)state;
	assert_non_null(x = certgen_selfsigned(ec_key, &req));
	assert_int_equal(cert_matches_host(x, "a.wild.example.test"),
	    1);
	assert_int_equal(cert_matches_host(x,
	    "a.b.wild.example.test"), 0);
	assert_int_equal(cert_matches_host(x, "wild.example.test"), 0);
	X509_free(x);
}

static void
test_host_matches_ip_literal(void **state)
{
	(void)state;
	assert_int_equal(cert_matches_host(leaf, "127.0.0.1"), 1);
	assert_int_equal(cert_matches_host(ec_cert, "192.0.2.1"), 1);
	assert_int_equal(cert_matches_host(ec_cert, "2001:db8::1"), 1);
	assert_int_equal(cert_matches_host(ec_cert,
	    "2001:DB8:0:0::1"), 1);
}

static void
test_host_rejects_other_names(void **state)
{
	(void)state;
	assert_int_equal(cert_matches_host(leaf, "other.example.test"),
	    0);
	assert_int_equal(cert_matches_host(leaf,
	    "leaf.example.test.evil"), 0);
	assert_int_equal(cert_matches_host(leaf, "127.0.0.2"), 0);
	assert_int_equal(cert_matches_host(ec_cert, "2001:db8::2"), 0);
	assert_int_equal(cert_matches_host(leaf, ""), 0);
}

static void
test_chain_pem_round_trips_in_order(void **state)
{
	STACK_OF(X509)	*chain, *back;
	char		*pem;
	size_t		 len;

	(void)state;
	assert_non_null(chain = sk_X509_new_null());
	assert_true(sk_X509_push(chain, inter));
	assert_int_equal(cert_chain_pem(leaf, chain, &pem, &len), 0);
	sk_X509_free(chain);
	assert_int_equal(cert_parse("chain", pem, len, &back), 0);
	free(pem);
	assert_int_equal(sk_X509_num(back), 2);
	assert_int_equal(X509_cmp(sk_X509_value(back, 0), leaf), 0);
	assert_int_equal(X509_cmp(sk_X509_value(back, 1), inter), 0);
	cert_chain_free(back);
}

static void
test_load_certs_keeps_file_order_past_keys(void **state)
{
	STACK_OF(X509)	*certs;
	char		 p[PATH_MAX];

	(void)state;
	assert_int_equal(sh("cd %s && cat leaf.key leaf.pem root.pem "
	    "inter.pem > mixed.pem", dir), 0);
	pathf(p, "mixed.pem");
	assert_int_equal(cert_load(p, &certs), 0);
	assert_int_equal(sk_X509_num(certs), 3);
	assert_int_equal(X509_cmp(sk_X509_value(certs, 0), leaf), 0);
	assert_int_equal(X509_cmp(sk_X509_value(certs, 1), root), 0);
	assert_int_equal(X509_cmp(sk_X509_value(certs, 2), inter), 0);
	cert_chain_free(certs);
}

static void
assert_certs_refused(const char *name, int code, const char *message)
{
	STACK_OF(X509)	*certs;
	char		 p[PATH_MAX], want[PATH_MAX + 128], *err;

	pathf(p, name);
	snprintf(want, sizeof(want), "%s: %s", p, message);
	capture_begin(STDERR_FILENO);
	assert_int_equal(cert_load(p, &certs), code);
	err = capture_end();
	assert_null(certs);
	if (strstr(err, want) == NULL)
		fail_msg("expected '%s' in '%s'", want, err);
	free(err);
}

static void
test_load_certs_refuses_garbage(void **state)
{
	(void)state;
	assert_int_equal(tmpdir_put(dir, "garbage.pem", "hello, world\n"), 0);
	assert_certs_refused("garbage.pem", EX_DATAERR,
	    "no PEM certificate found");
	assert_int_equal(tmpdir_put(dir, "empty.pem", ""), 0);
	assert_certs_refused("empty.pem", EX_DATAERR,
	    "no PEM certificate found");
}

static void
test_load_certs_refuses_key_only_file(void **state)
{
	(void)state;
	assert_certs_refused("leaf.key", EX_DATAERR,
	    "no PEM certificate found");
}

static void
test_load_certs_names_the_broken_certificate(void **state)
{
	(void)state;
	assert_int_equal(sh("cd %s && { cat leaf.pem; printf '%%s\\n' "
	    "'-----BEGIN CERTIFICATE-----' 'MIIBAAAA' "
	    "'-----END CERTIFICATE-----'; } > broken.pem", dir), 0);
	assert_certs_refused("broken.pem", EX_DATAERR,
	    "certificate 2 does not parse: ");
}

static void
test_load_certs_missing_file_is_noinput(void **state)
{
	(void)state;
	assert_certs_refused("absent.pem", EX_NOINPUT, "");
}

static void
test_verify_chain_builds_leaf_to_root(void **state)
{
	STACK_OF(X509)	*untrusted, *built;
	char		 p[PATH_MAX], why[256];

	(void)state;
	pathf(p, "root.pem");
	assert_non_null(untrusted = sk_X509_new_null());
	assert_true(sk_X509_push(untrusted, inter));
	assert_int_equal(cert_verify_chain(leaf, untrusted, p, time(NULL),
	    &built, why, sizeof(why)), 1);
	assert_string_equal(why, "");
	assert_int_equal(sk_X509_num(built), 3);
	assert_int_equal(X509_cmp(sk_X509_value(built, 0), leaf), 0);
	assert_int_equal(X509_cmp(sk_X509_value(built, 1), inter), 0);
	assert_int_equal(X509_cmp(sk_X509_value(built, 2), root), 0);
	cert_chain_free(built);
	sk_X509_free(untrusted);
}

static void
test_verify_chain_names_missing_intermediate(void **state)
{
	STACK_OF(X509)	*built;
	char		 p[PATH_MAX], why[256];

	(void)state;
	pathf(p, "root.pem");
	assert_int_equal(cert_verify_chain(leaf, NULL, p, time(NULL),
	    &built, why, sizeof(why)), 0);
	assert_string_equal(why, "certificate 1 (CN=leaf.example.test): "
	    "unable to get local issuer certificate");
	assert_int_equal(sk_X509_num(built), 1);
	assert_int_equal(X509_cmp(sk_X509_value(built, 0), leaf), 0);
	cert_chain_free(built);
}

static void
test_verify_chain_checks_validity_at_given_time(void **state)
{
	STACK_OF(X509)	*untrusted;
	char		 p[PATH_MAX], why[256];

	(void)state;
	pathf(p, "root.pem");
	assert_non_null(untrusted = sk_X509_new_null());
	assert_true(sk_X509_push(untrusted, inter));
	assert_int_equal(cert_verify_chain(leaf, untrusted, p,
	    time(NULL) + 365 * 86400, NULL, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "certificate has expired"));
	sk_X509_free(untrusted);
}

static void
test_verify_chain_unreadable_cafile_is_error(void **state)
{
	STACK_OF(X509)	*built;
	char		 p[PATH_MAX], why[256], *err;

	(void)state;
	pathf(p, "absent-ca.pem");
	capture_begin(STDERR_FILENO);
	assert_int_equal(cert_verify_chain(leaf, NULL, p, time(NULL),
	    &built, why, sizeof(why)), -1);
	err = capture_end();
	assert_null(built);
	assert_non_null(strstr(err, "absent-ca.pem: cannot load trust "
	    "anchors: No such file or directory"));
	free(err);
}

/* RFC 9773 section 4.1: the example's AKI keyIdentifier and serial. */
static void
test_ari_cert_id_matches_rfc9773_example(void **state)
{
	static const unsigned char kid[] = {
		0x69, 0x88, 0x5b, 0x6b, 0x87, 0x46, 0x40, 0x41, 0xe1, 0xb3,
		0x7b, 0x84, 0x7b, 0xa0, 0xae, 0x2c, 0xde, 0x01, 0xc8, 0xd4,
	};
	AUTHORITY_KEYID	*akid;
	BIGNUM		*serial = NULL;
	X509		*x;
	char		*id;

	(void)state;
	assert_non_null(x = X509_new());
	assert_non_null(akid = AUTHORITY_KEYID_new());
	assert_non_null(akid->keyid = ASN1_OCTET_STRING_new());
	assert_true(ASN1_OCTET_STRING_set(akid->keyid, kid, sizeof(kid)));
	assert_true(BN_hex2bn(&serial, "87654321"));
	assert_non_null(BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)));
	assert_true(X509_set_version(x, X509_VERSION_3));
	assert_true(X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
	    MBSTRING_ASC, (const unsigned char *)"ari.example.test", -1, -1,
	    0));
	assert_true(X509_set_issuer_name(x, X509_get_subject_name(x)));
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 86400));
	assert_true(X509_set_pubkey(x, ec_key));
	assert_int_equal(X509_add1_ext_i2d(x, NID_authority_key_identifier,
	    akid, 0, X509V3_ADD_DEFAULT), 1);
	assert_true(X509_sign(x, ec_key, EVP_sha256()) > 0);
	assert_int_equal(cert_ari_id(x, &id), 0);
	assert_string_equal(id, "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
	free(id);
	BN_free(serial);
	AUTHORITY_KEYID_free(akid);
	X509_free(x);
}

/*
 * The identifier as the openssl CLI and coreutils see it: the AKI and
 * serial in hex, a sign byte when the top bit is set, base64url.
 */
static const char ari_script[] =
	"cd %1$s && "
	"openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key "
	"-set_serial %2$s -days 30 -extfile ca.cnf -extensions ari "
	"-out ari.pem 2>/dev/null && "
	"t=$(openssl x509 -in ari.pem -noout -ext authorityKeyIdentifier "
	"-serial) && "
	"a=$(echo \"$t\" | sed -n 2p | tr -d ' :') && "
	"s=$(echo \"$t\" | sed -n 's/^serial=//p') && "
	"case $s in [89A-F]*) s=00$s;; esac && "
	"printf '%%s.%%s' "
	"\"$(printf %%s $a | basenc --base16 -d | basenc -w0 --base64url | "
	"tr -d =)\" "
	"\"$(printf %%s $s | basenc --base16 -d | basenc -w0 --base64url | "
	"tr -d =)\"";

static void
test_ari_cert_id_matches_openssl_cli(void **state)
{
	static const char *serials[] = { "0x8BADF00D", "0x7F01" };
	X509	*x;
	char	*want, *id;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(serials) / sizeof(serials[0]); i++) {
		want = sh_out(ari_script, dir, serials[i]);
		assert_non_null(x = load_cert("ari.pem"));
		assert_int_equal(cert_ari_id(x, &id), 0);
		assert_string_equal(id, want);
		free(id);
		free(want);
		X509_free(x);
	}
}

static void
test_ari_cert_id_needs_authority_key_id(void **state)
{
	X509	*x;
	char	*id, *text, *err;

	(void)state;
	/* Self-signed by x509 -req without extensions: a v1 certificate. */
	text = sh_out("cd %s && openssl x509 -req -in leaf.csr -key leaf.key "
	    "-days 1 -out noaki.pem 2>/dev/null && "
	    "openssl x509 -in noaki.pem -noout -text", dir);
	assert_null(strstr(text, "Authority Key Identifier"));
	free(text);
	assert_non_null(x = load_cert("noaki.pem"));
	capture_begin(STDERR_FILENO);
	assert_int_equal(cert_ari_id(x, &id), EX_DATAERR);
	err = capture_end();
	assert_null(id);
	assert_non_null(strstr(err, "certificate CN=leaf.example.test: "
	    "no authority key identifier"));
	free(err);
	X509_free(x);
}

static void
test_chain_gap_at_the_leaf_names_its_issuer(void **state)
{
	STACK_OF(X509)	*built;
	char		 p[PATH_MAX], why[256], issuer[CERT_NAME_MAX];

	(void)state;
	pathf(p, "root.pem");
	assert_int_equal(cert_verify_chain(leaf, NULL, p, time(NULL),
	    &built, why, sizeof(why)), 0);
	assert_int_equal(cert_chain_gap(built, issuer, sizeof(issuer)), 0);
	assert_string_equal(issuer, "CN=Test Intermediate");
	cert_chain_free(built);
}

static void
test_chain_gap_above_the_intermediate_names_the_root(void **state)
{
	STACK_OF(X509)	*untrusted, *built;
	char		 p[PATH_MAX], why[256], issuer[CERT_NAME_MAX];

	(void)state;
	/* A trust store without the root (it must hold something). */
	assert_int_equal(sh("cd %s && openssl x509 -in leaf.pem >only.pem",
	    dir), 0);
	pathf(p, "only.pem");
	assert_non_null(untrusted = sk_X509_new_null());
	assert_true(sk_X509_push(untrusted, inter));
	assert_int_equal(cert_verify_chain(leaf, untrusted, p, time(NULL),
	    &built, why, sizeof(why)), 0);
	assert_int_equal(cert_chain_gap(built, issuer, sizeof(issuer)), 1);
	assert_string_equal(issuer, "CN=Test Root");
	cert_chain_free(built);
	sk_X509_free(untrusted);
}

static void
test_chain_gap_of_a_complete_chain_is_none(void **state)
{
	STACK_OF(X509)	*untrusted, *built;
	char		 p[PATH_MAX], why[256], issuer[CERT_NAME_MAX];

	(void)state;
	pathf(p, "root.pem");
	assert_non_null(untrusted = sk_X509_new_null());
	assert_true(sk_X509_push(untrusted, inter));
	assert_int_equal(cert_verify_chain(leaf, untrusted, p, time(NULL),
	    &built, why, sizeof(why)), 1);
	assert_int_equal(cert_chain_gap(built, issuer, sizeof(issuer)), -1);
	assert_string_equal(issuer, "");
	cert_chain_free(built);
	sk_X509_free(untrusted);
}

static void
test_fingerprint_is_what_openssl_prints(void **state)
{
	char	fp[CERT_FINGERPRINT_MAX], *want, *nl;

	(void)state;
	want = sh_out("cd %s && openssl x509 -in leaf.pem -noout "
	    "-fingerprint -sha256 | sed 's/^.*=//'", dir);
	if ((nl = strchr(want, '\n')) != NULL)
		*nl = '\0';
	assert_int_equal(cert_fingerprint(leaf, fp, sizeof(fp)), 0);
	assert_int_equal(strlen(fp), 95);
	assert_string_equal(fp, want);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_matches_only_its_certificate),
		cmocka_unit_test(test_cert_info_reports_selfsigned_fields),
		cmocka_unit_test(test_cert_info_reports_ca_certificates),
		cmocka_unit_test(test_days_left_floors_whole_days),
		cmocka_unit_test(test_cert_info_reads_dates_past_2038),
		cmocka_unit_test(test_host_matches_exact_name),
		cmocka_unit_test(test_host_matches_one_wildcard_label),
		cmocka_unit_test(test_host_matches_ip_literal),
		cmocka_unit_test(test_host_rejects_other_names),
		cmocka_unit_test(test_chain_pem_round_trips_in_order),
		cmocka_unit_test(test_load_certs_keeps_file_order_past_keys),
		cmocka_unit_test(test_load_certs_refuses_garbage),
		cmocka_unit_test(test_load_certs_refuses_key_only_file),
		cmocka_unit_test(test_load_certs_names_the_broken_certificate),
		cmocka_unit_test(test_load_certs_missing_file_is_noinput),
		cmocka_unit_test(test_verify_chain_builds_leaf_to_root),
		cmocka_unit_test(test_verify_chain_names_missing_intermediate),
		cmocka_unit_test(
		    test_verify_chain_checks_validity_at_given_time),
		cmocka_unit_test(test_verify_chain_unreadable_cafile_is_error),
		cmocka_unit_test(test_ari_cert_id_matches_rfc9773_example),
		cmocka_unit_test(test_ari_cert_id_matches_openssl_cli),
		cmocka_unit_test(test_ari_cert_id_needs_authority_key_id),
		cmocka_unit_test(test_chain_gap_at_the_leaf_names_its_issuer),
		cmocka_unit_test(
		    test_chain_gap_above_the_intermediate_names_the_root),
		cmocka_unit_test(test_chain_gap_of_a_complete_chain_is_none),
		cmocka_unit_test(test_fingerprint_is_what_openssl_prints),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
