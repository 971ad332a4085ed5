/*
 * crypto: keys, certificates, chains, DH parameters, PKCS#12 and the
 * ACME building blocks.  Where it counts the result is judged by
 * independent tools (openssl, keytool, python3-cryptography) or by the
 * RFCs' own examples rather than by libsec reading back what it wrote.
 */
#include <sys/types.h>
#include <sys/wait.h>

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
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base64.h"
#include "cert.h"
#include "certgen.h"
#include "dhparam.h"
#include "digest.h"
#include "jose.h"
#include "key.h"
#include "log.h"
#include "p12.h"
#include "secret.h"
#include "util.h"

static char	*dir;		/* scratch directory */
static EVP_PKEY	*ec_key;	/* P-256, signs ec_cert */
static EVP_PKEY	*rsa_key;	/* RSA 2048 */
static X509	*ec_cert;	/* self-signed: device.example.test */
static X509	*root;		/* RSA, made by openssl */
static X509	*inter;		/* EC, signed by root */
static X509	*leaf;		/* EC, signed by inter */
static EVP_PKEY	*leaf_key;

static char	*device_dns[] = { "device.example.test", NULL };
static char	*device_ips[] = { "192.0.2.1", "2001:db8::1", NULL };

/* A throwaway CA: RSA root, EC intermediate and leaf, 30 days each. */
static const char ca_conf[] =
	"[req]\n"
	"distinguished_name = dn\n"
	"[dn]\n"
	"[ca]\n"
	"basicConstraints = critical,CA:TRUE\n"
	"keyUsage = critical,keyCertSign,cRLSign\n"
	"subjectKeyIdentifier = hash\n"
	"authorityKeyIdentifier = keyid\n"
	"[leaf]\n"
	"basicConstraints = critical,CA:FALSE\n"
	"keyUsage = critical,digitalSignature\n"
	"extendedKeyUsage = serverAuth\n"
	"subjectAltName = DNS:leaf.example.test,IP:127.0.0.1\n"
	"[ari]\n"
	"authorityKeyIdentifier = keyid\n";

static const char ca_script[] =
	"cd %s && exec >ca.log 2>&1 && "
	"openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 "
	"-out root.key && "
	"openssl req -x509 -new -key root.key -subj '/CN=Test Root' -days 30 "
	"-config ca.cnf -extensions ca -set_serial 1 -out root.pem && "
	"openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
	"-out inter.key && "
	"openssl req -new -key inter.key -subj '/CN=Test Intermediate' "
	"-config ca.cnf -out inter.csr && "
	"openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key "
	"-set_serial 2 -days 30 -extfile ca.cnf -extensions ca "
	"-out inter.pem && "
	"openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
	"-out leaf.key && "
	"openssl req -new -key leaf.key -subj '/CN=leaf.example.test' "
	"-config ca.cnf -out leaf.csr && "
	"openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key "
	"-set_serial 3 -days 30 -extfile ca.cnf -extensions leaf "
	"-out leaf.pem && "
	"cat leaf.pem inter.pem > fullchain.pem";

static void
pathf(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", dir, name);
}

static int
write_file(const char *name, const void *data, size_t len)
{
	char	 p[PATH_MAX];
	FILE	*f;
	int	 ok;

	pathf(p, name);
	if ((f = fopen(p, "w")) == NULL)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int
write_text(const char *name, const char *text)
{
	return write_file(name, text, strlen(text));
}

/* Exit status of a shell command, -1 when it did not exit. */
static int
sh(const char *fmt, ...)
{
	char	 cmd[4096];
	va_list	 ap;
	int	 st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Output (stdout and stderr) of a shell command that must succeed. */
static char *
sh_out(const char *fmt, ...)
{
	char	 cmd[4096], *buf;
	va_list	 ap;
	FILE	*p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_non_null(p = popen(cmd, "r"));
	buf = slurp_stream(p);
	if (pclose(p) != 0)
		fail_msg("'%s' failed:\n%s", cmd, buf);
	return buf;
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
save_cert(X509 *x, const char *name)
{
	char	*pem;
	size_t	 len;
	int	 rv;

	if (cert_pem(x, &pem, &len) != 0)
		return -1;
	rv = write_file(name, pem, len);
	free(pem);
	return rv;
}

static int
save_key(EVP_PKEY *key, const char *name)
{
	char	*pem;
	size_t	 len;
	int	 rv;

	if (key_pem(key, &pem, &len) != 0)
		return -1;
	rv = write_file(name, pem, len);
	secret_free(pem, len);
	return rv;
}

static X509 *
device_cert(EVP_PKEY *key, const char *cn, char **dns, char **ips)
{
	struct selfsigned_req	req;

	req.cn = cn;
	req.dns = dns;
	req.ips = ips;
	req.days = 30;
	return certgen_selfsigned(key, &req);
}

static int
group_setup(void **state)
{
	char	p[PATH_MAX];

	(void)state;
	log_init("test_crypto");
	if ((dir = tmpdir_new("test_crypto")) == NULL ||
	    write_text("ca.cnf", ca_conf) != 0 ||
	    sh(ca_script, dir) != 0)
		return -1;
	pathf(p, "leaf.key");
	if ((ec_key = key_new(KEY_EC256)) == NULL ||
	    (rsa_key = key_new(KEY_RSA2048)) == NULL ||
	    (ec_cert = device_cert(ec_key, "device.example.test", device_dns,
	    device_ips)) == NULL ||
	    save_cert(ec_cert, "ec.pem") != 0 ||
	    save_key(ec_key, "ec.key") != 0 ||
	    (root = load_cert("root.pem")) == NULL ||
	    (inter = load_cert("inter.pem")) == NULL ||
	    (leaf = load_cert("leaf.pem")) == NULL ||
	    key_load(p, &leaf_key) != 0)
		return -1;
	return 0;
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
test_key_type_names_round_trip(void **state)
{
	static const char *names[] = { "ec256", "ec384", "rsa2048",
	    "rsa3072", "rsa4096" };
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(key_type_parse(names[i]), (int)i);
		assert_string_equal(key_type_name(i), names[i]);
	}
	assert_int_equal(key_type_parse("ec521"), -1);
	assert_int_equal(key_type_parse("EC256"), -1);
	assert_int_equal(key_type_parse(""), -1);
}

static void
assert_ec_key(EVP_PKEY *key, const char *group, int bits)
{
	char	buf[64];

	assert_true(EVP_PKEY_is_a(key, "EC"));
	assert_int_equal(EVP_PKEY_get_bits(key), bits);
	assert_true(EVP_PKEY_get_utf8_string_param(key,
	    OSSL_PKEY_PARAM_GROUP_NAME, buf, sizeof(buf), NULL));
	assert_string_equal(buf, group);
	assert_true(EVP_PKEY_get_utf8_string_param(key,
	    OSSL_PKEY_PARAM_EC_ENCODING, buf, sizeof(buf), NULL));
	assert_string_equal(buf, "named_curve");
	assert_true(EVP_PKEY_get_utf8_string_param(key,
	    OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, buf, sizeof(buf),
	    NULL));
	assert_string_equal(buf, "uncompressed");
}

static void
test_key_ec256_is_named_p256_uncompressed(void **state)
{
	(void)state;
	assert_ec_key(ec_key, "prime256v1", 256);
}

static void
test_key_ec384_is_named_p384_uncompressed(void **state)
{
	EVP_PKEY	*key;

	(void)state;
	assert_non_null(key = key_new(KEY_EC384));
	assert_ec_key(key, "secp384r1", 384);
	EVP_PKEY_free(key);
}

static void
test_key_rsa_sizes_with_exponent_65537(void **state)
{
	static const struct {
		enum key_type	type;
		int		bits;
	} t[] = { { KEY_RSA3072, 3072 }, { KEY_RSA4096, 4096 } };
	EVP_PKEY	*key;
	BIGNUM		*e = NULL;
	size_t		 i;

	(void)state;
	assert_true(EVP_PKEY_is_a(rsa_key, "RSA"));
	assert_int_equal(EVP_PKEY_get_bits(rsa_key), 2048);
	assert_true(EVP_PKEY_get_bn_param(rsa_key, OSSL_PKEY_PARAM_RSA_E, &e));
	assert_true(BN_is_word(e, 65537));
	BN_free(e);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_non_null(key = key_new(t[i].type));
		assert_true(EVP_PKEY_is_a(key, "RSA"));
		assert_int_equal(EVP_PKEY_get_bits(key), t[i].bits);
		EVP_PKEY_free(key);
	}
}

static void
test_key_pem_is_pkcs8_and_round_trips(void **state)
{
	EVP_PKEY	*back;
	char		*pem, p[PATH_MAX];
	size_t		 len;

	(void)state;
	assert_int_equal(key_pem(rsa_key, &pem, &len), 0);
	assert_int_equal(strlen(pem), len);
	assert_true(strncmp(pem, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
	assert_int_equal(write_file("rsa.key", pem, len), 0);
	secret_free(pem, len);
	assert_int_equal(sh("openssl pkey -in %s/rsa.key -check -noout "
	    ">/dev/null 2>&1", dir), 0);
	pathf(p, "rsa.key");
	assert_int_equal(key_load(p, &back), 0);
	assert_int_equal(EVP_PKEY_eq(back, rsa_key), 1);
	EVP_PKEY_free(back);
}

static void
test_load_key_reads_traditional_pem(void **state)
{
	EVP_PKEY	*back;
	char		 p[PATH_MAX];

	(void)state;
	assert_int_equal(sh("openssl pkey -in %1$s/ec.key -traditional "
	    "-out %1$s/ec-trad.key && grep -q 'BEGIN EC PRIVATE KEY' "
	    "%1$s/ec-trad.key", dir), 0);
	pathf(p, "ec-trad.key");
	assert_int_equal(key_load(p, &back), 0);
	assert_int_equal(EVP_PKEY_eq(back, ec_key), 1);
	EVP_PKEY_free(back);
}

static void
test_load_key_refuses_encrypted_keys(void **state)
{
	static const char *forms[] = { "", "-traditional" };
	EVP_PKEY	*key;
	char		 p[PATH_MAX], want[PATH_MAX + 64], *err;
	size_t		 i;

	(void)state;
	pathf(p, "enc.key");
	snprintf(want, sizeof(want), "%s: private key is encrypted", p);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		assert_int_equal(sh("openssl pkey -in %1$s/ec.key %2$s -aes256 "
		    "-passout pass:secret -out %1$s/enc.key", dir, forms[i]),
		    0);
		capture_begin(STDERR_FILENO);
		assert_int_equal(key_load(p, &key), EX_DATAERR);
		err = capture_end();
		assert_null(key);
		assert_non_null(strstr(err, want));
		free(err);
	}
}

static void
test_load_key_refuses_file_without_key(void **state)
{
	EVP_PKEY	*key;
	char		 p[PATH_MAX], *err;

	(void)state;
	pathf(p, "leaf.pem");
	capture_begin(STDERR_FILENO);
	assert_int_equal(key_load(p, &key), EX_DATAERR);
	err = capture_end();
	assert_null(key);
	assert_non_null(strstr(err, "leaf.pem: no PEM private key found"));
	free(err);
}

static void
test_load_key_names_a_damaged_key(void **state)
{
	EVP_PKEY	*key;
	char		 p[PATH_MAX], *err;

	(void)state;
	assert_int_equal(sh("head -n 2 %1$s/ec.key > %1$s/cut.key", dir), 0);
	pathf(p, "cut.key");
	capture_begin(STDERR_FILENO);
	assert_int_equal(key_load(p, &key), EX_DATAERR);
	err = capture_end();
	assert_null(key);
	assert_non_null(strstr(err, "cut.key: private key does not parse"));
	free(err);
}

static void
test_load_key_missing_file_is_noinput(void **state)
{
	EVP_PKEY	*key;
	char		 p[PATH_MAX], *err;

	(void)state;
	pathf(p, "absent.key");
	capture_begin(STDERR_FILENO);
	assert_int_equal(key_load(p, &key), EX_NOINPUT);
	err = capture_end();
	assert_non_null(strstr(err, "absent.key"));
	free(err);
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
test_selfsigned_has_server_extensions(void **state)
{
	char	*text;

	(void)state;
	text = sh_out("openssl x509 -in %s/ec.pem -noout -text 2>&1", dir);
	assert_non_null(strstr(text, "Version: 3 (0x2)"));
	assert_non_null(strstr(text,
	    "Signature Algorithm: ecdsa-with-SHA256"));
	assert_non_null(strstr(text, "Issuer: CN = device.example.test\n"));
	assert_non_null(strstr(text, "Subject: CN = device.example.test\n"));
	assert_non_null(strstr(text, "ASN1 OID: prime256v1"));
	assert_non_null(strstr(text, "X509v3 Basic Constraints: critical\n"
	    "                CA:FALSE\n"));
	assert_non_null(strstr(text, "X509v3 Key Usage: critical\n"
	    "                Digital Signature\n"));
	assert_non_null(strstr(text, "X509v3 Extended Key Usage: \n"
	    "                TLS Web Server Authentication\n"));
	assert_non_null(strstr(text, "X509v3 Subject Key Identifier"));
	assert_non_null(strstr(text, "X509v3 Authority Key Identifier"));
	assert_non_null(strstr(text, "X509v3 Subject Alternative Name: \n"
	    "                DNS:device.example.test, IP Address:192.0.2.1, "
	    "IP Address:2001:DB8:0:0:0:0:0:1\n"));
	free(text);
}

static void
test_selfsigned_rsa_adds_key_encipherment(void **state)
{
	X509	*x;
	char	*text;

	(void)state;
	assert_non_null(x = device_cert(rsa_key, "rsa.example.test", NULL,
	    NULL));
	assert_int_equal(save_cert(x, "rsa.pem"), 0);
	X509_free(x);
	text = sh_out("openssl x509 -in %s/rsa.pem -noout -text 2>&1", dir);
	assert_non_null(strstr(text, "X509v3 Key Usage: critical\n"
	    "                Digital Signature, Key Encipherment\n"));
	assert_non_null(strstr(text,
	    "Signature Algorithm: sha256WithRSAEncryption"));
	assert_null(strstr(text, "Subject Alternative Name"));
	free(text);
}

static void
test_selfsigned_verifies_as_its_own_anchor(void **state)
{
	char	*out, p[PATH_MAX], why[256];

	(void)state;
	out = sh_out("openssl verify -CAfile %1$s/ec.pem %1$s/ec.pem 2>&1",
	    dir);
	assert_non_null(strstr(out, "ec.pem: OK"));
	free(out);
	pathf(p, "ec.pem");
	assert_int_equal(cert_verify_chain(ec_cert, NULL, p, time(NULL),
	    NULL, why, sizeof(why)), 1);
}

static void
test_selfsigned_serial_is_positive_128_bit(void **state)
{
	struct cert_info	 ci;
	char			*out, want[128];

	(void)state;
	assert_int_equal(cert_info(ec_cert, &ci), 0);
	assert_int_equal(strlen(ci.serial), 32);
	assert_in_range(ci.serial[0], '4', '7');
	snprintf(want, sizeof(want), "serial=%s\n", ci.serial);
	out = sh_out("openssl x509 -in %s/ec.pem -noout -serial", dir);
	assert_string_equal(out, want);
	free(out);
	cert_info_free(&ci);
}

static void
test_selfsigned_refuses_bad_names(void **state)
{
	static char *bad_dns[][2] = {
		{ "a.example.test,IP:10.0.0.1", NULL },
		{ "a.example.test\nDNS:b", NULL },
		{ "-a.example.test", NULL },
		{ "a..example.test", NULL },
		{ "*.*.example.test", NULL },
		{ "", NULL },
	};
	static char *bad_ips[][2] = {
		{ "10.0.0.1,DNS:evil.test", NULL },
		{ "10.0.0.256", NULL },
		{ "example.test", NULL },
	};
	char	*err, longcn[80];
	size_t	 i;

	(void)state;
	capture_begin(STDERR_FILENO);
	for (i = 0; i < sizeof(bad_dns) / sizeof(bad_dns[0]); i++)
		assert_null(device_cert(ec_key, "x", bad_dns[i], NULL));
	for (i = 0; i < sizeof(bad_ips) / sizeof(bad_ips[0]); i++)
		assert_null(device_cert(ec_key, "x", NULL, bad_ips[i]));
	memset(longcn, 'a', sizeof(longcn) - 1);
	longcn[sizeof(longcn) - 1] = '\0';
	assert_null(device_cert(ec_key, longcn, NULL, NULL));
	err = capture_end();
	assert_non_null(strstr(err,
	    "'a.example.test,IP:10.0.0.1' is not a valid DNS name"));
	assert_non_null(strstr(err,
	    "'10.0.0.1,DNS:evil.test' is not an IP address"));
	free(err);
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
	assert_in_range(ci.not_before, time(NULL) - 120, time(NULL));
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
	time_t			end;

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
	assert_in_range(cert_days_left(ec_cert, time(NULL)), 29, 30);
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
	static char	*dns[] = { "*.wild.example.test", NULL };
	X509		*x;

	(void)state;
	assert_non_null(x = device_cert(ec_key, "wild", dns, NULL));
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
	assert_int_equal(write_text("garbage.pem", "hello, world\n"), 0);
	assert_certs_refused("garbage.pem", EX_DATAERR,
	    "no PEM certificate found");
	assert_int_equal(write_text("empty.pem", ""), 0);
	assert_certs_refused("empty.pem", EX_DATAERR,
	    "no PEM certificate found");
}

static void
test_load_certs_refuses_key_only_file(void **state)
{
	(void)state;
	assert_certs_refused("ec.key", EX_DATAERR, "no PEM certificate found");
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

static void
test_dhparam_pem_is_pkcs3_that_openssl_checks(void **state)
{
	char	*pem, *out;
	size_t	 len;

	(void)state;
	/* 512 bits keeps the test fast; callers are held to 2048 and up. */
	assert_int_equal(dhparam_pem(512, &pem, &len), 0);
	assert_true(strncmp(pem, "-----BEGIN DH PARAMETERS-----\n", 30) == 0);
	assert_int_equal(write_file("dh.pem", pem, len), 0);
	free(pem);
	out = sh_out("openssl dhparam -in %s/dh.pem -check -noout 2>&1", dir);
	assert_non_null(strstr(out, "DH parameters appear to be ok"));
	free(out);
	out = sh_out("openssl pkeyparam -in %s/dh.pem -text -noout 2>&1",
	    dir);
	assert_non_null(strstr(out, "(512 bit)"));
	assert_non_null(strstr(out, "G:    2 (0x2)"));
	free(out);
}

static void
test_pkcs12_is_read_by_keytool(void **state)
{
	STACK_OF(X509)	*chain;
	unsigned char	*der;
	size_t		 len;
	char		*out;

	(void)state;
	assert_non_null(chain = sk_X509_new_null());
	assert_true(sk_X509_push(chain, inter));
	assert_int_equal(p12_der(leaf_key, leaf, chain, "ss-server",
	    "changeit", &der, &len), 0);
	sk_X509_free(chain);
	assert_int_equal(write_file("server.p12", der, len), 0);
	secret_free((char *)der, len);
	out = sh_out("keytool -list -v -keystore %s/server.p12 "
	    "-storetype PKCS12 -storepass changeit 2>&1", dir);
	assert_non_null(strstr(out, "Alias name: ss-server\n"));
	assert_non_null(strstr(out, "Entry type: PrivateKeyEntry\n"));
	assert_non_null(strstr(out, "Certificate chain length: 2\n"));
	free(out);
	out = sh_out("openssl pkcs12 -in %s/server.p12 -info -noout "
	    "-passin pass:changeit 2>&1", dir);
	assert_non_null(strstr(out, "MAC: sha256"));
	assert_non_null(strstr(out, "Shrouded Keybag: PBES2, PBKDF2, "
	    "AES-256-CBC"));
	assert_non_null(strstr(out, "PKCS7 Encrypted data: PBES2, PBKDF2, "
	    "AES-256-CBC"));
	free(out);
}

static void
test_random_fills_buffers_differently(void **state)
{
	unsigned char	a[32], b[32], zero[32];

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(zero, 0, sizeof(zero));
	assert_int_equal(secret_random(a, sizeof(a)), 0);
	assert_int_equal(secret_random(b, sizeof(b)), 0);
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));
	secret_zero(a, sizeof(a));
	assert_memory_equal(a, zero, sizeof(a));
}

/* RFC 4648 section 10, in the URL and filename safe alphabet unpadded. */
static const struct {
	const char	*bytes;
	const char	*b64u;
} rfc4648[] = {
	{ "", "" },
	{ "f", "Zg" },
	{ "fo", "Zm8" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg" },
	{ "fooba", "Zm9vYmE" },
	{ "foobar", "Zm9vYmFy" },
	{ "\xfb\xef\xff", "--__" },
	{ "\xfb\xff", "-_8" },
};

static void
test_b64url_encodes_rfc4648_vectors(void **state)
{
	char	*s;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		assert_non_null(s = base64_urlencode(rfc4648[i].bytes,
		    strlen(rfc4648[i].bytes)));
		assert_string_equal(s, rfc4648[i].b64u);
		free(s);
	}
}

static void
test_b64url_decodes_rfc4648_vectors(void **state)
{
	unsigned char	*b, rnd[64];
	char		*s;
	size_t		 i, len;

	(void)state;
	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		assert_int_equal(base64_urldecode(rfc4648[i].b64u, &b,
		    &len), 0);
		assert_int_equal(len, strlen(rfc4648[i].bytes));
		assert_memory_equal(b, rfc4648[i].bytes, len);
		free(b);
	}
	assert_int_equal(secret_random(rnd, sizeof(rnd)), 0);
	for (i = 0; i <= sizeof(rnd); i++) {
		assert_non_null(s = base64_urlencode(rnd, i));
		assert_int_equal(base64_urldecode(s, &b, &len), 0);
		assert_int_equal(len, i);
		assert_memory_equal(b, rnd, i);
		free(b);
		free(s);
	}
}

static void
test_b64url_decode_refuses_padding_and_other_alphabets(void **state)
{
	static const char *bad[] = { "Zg==", "Zm8=", "Zm9v+w", "Zm9v/w",
	    "Zm 9v", "Zm9v\n", "Z", "Zm9vY", "Zm9v=Yg", "Zm9v\xc3\xa9" };
	unsigned char	*b;
	char		*err;
	size_t		 i, len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		capture_begin(STDERR_FILENO);
		assert_int_equal(base64_urldecode(bad[i], &b, &len),
		    EX_DATAERR);
		err = capture_end();
		assert_null(b);
		assert_int_equal(len, 0);
		if (strstr(err, "not base64url") == NULL)
			fail_msg("'%s': no message in '%s'", bad[i], err);
		free(err);
	}
}

static void
test_sha256_of_abc(void **state)
{
	/* FIPS 180-2 appendix B.1. */
	static const unsigned char want[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	unsigned char	md[32];

	(void)state;
	assert_int_equal(digest_sha256("abc", 3, md), 0);
	assert_memory_equal(md, want, sizeof(want));
}

/* The string member NAME of flat JSON, malloc'd; fails the test if absent. */
static char *
json_str(const char *json, const char *name)
{
	const char	*p, *q;
	char		 key[64], *v;

	snprintf(key, sizeof(key), "\"%s\":\"", name);
	if ((p = strstr(json, key)) == NULL ||
	    (q = strchr(p + strlen(key), '"')) == NULL)
		fail_msg("no \"%s\" in %s", name, json);
	p += strlen(key);
	assert_non_null(v = strndup(p, (size_t)(q - p)));
	return v;
}

static unsigned char *
b64u_bytes(const char *s, size_t *len)
{
	unsigned char	*b;

	assert_int_equal(base64_urldecode(s, &b, len), 0);
	return b;
}

/* RFC 7638 section 3.1. */
static const char rfc7638_n[] =
	"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK"
	"7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9y"
	"BXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgn"
	"Yb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZ"
	"u0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

static void
test_jwk_thumbprint_matches_rfc7638_example(void **state)
{
	OSSL_PARAM_BLD	*bld;
	OSSL_PARAM	*params;
	EVP_PKEY_CTX	*ctx;
	EVP_PKEY	*key = NULL;
	BIGNUM		*n, *e;
	unsigned char	*nb;
	char		*jwk, *tp, want[512];
	size_t		 nlen;

	(void)state;
	nb = b64u_bytes(rfc7638_n, &nlen);
	assert_non_null(n = BN_bin2bn(nb, (int)nlen, NULL));
	assert_non_null(e = BN_new());
	assert_true(BN_set_word(e, 65537));
	assert_non_null(bld = OSSL_PARAM_BLD_new());
	assert_true(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n));
	assert_true(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e));
	assert_non_null(params = OSSL_PARAM_BLD_to_param(bld));
	assert_non_null(ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL));
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY,
	    params), 1);

	assert_int_equal(jose_jwk(key, &jwk), 0);
	snprintf(want, sizeof(want), "{\"e\":\"AQAB\",\"kty\":\"RSA\","
	    "\"n\":\"%s\"}", rfc7638_n);
	assert_string_equal(jwk, want);
	assert_int_equal(jose_jwk_thumbprint(key, &tp), 0);
	assert_string_equal(tp, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
	assert_string_equal(jose_jws_alg(key), "RS256");
	free(tp);
	free(jwk);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	free(nb);
}

/* The public key a JWK of an EC key describes, built from x and y alone. */
static EVP_PKEY *
ec_key_from_jwk(const char *jwk, const char *crv, size_t size)
{
	OSSL_PARAM	 params[3];
	EVP_PKEY_CTX	*ctx;
	EVP_PKEY	*key = NULL;
	unsigned char	*x, *y, pt[1 + 2 * 48];
	char		*xs, *ys, *c, group[16];
	size_t		 xlen, ylen;

	assert_non_null(c = json_str(jwk, "crv"));
	assert_string_equal(c, crv);
	free(c);
	x = b64u_bytes(xs = json_str(jwk, "x"), &xlen);
	y = b64u_bytes(ys = json_str(jwk, "y"), &ylen);
	assert_int_equal(xlen, size);
	assert_int_equal(ylen, size);
	pt[0] = 0x04;
	memcpy(pt + 1, x, size);
	memcpy(pt + 1 + size, y, size);
	snprintf(group, sizeof(group), "%s", crv);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
	    pt, 1 + 2 * size);
	params[2] = OSSL_PARAM_construct_end();
	assert_non_null(ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL));
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY,
	    params), 1);
	EVP_PKEY_CTX_free(ctx);
	free(x);
	free(y);
	free(xs);
	free(ys);
	return key;
}

static void
assert_ec_jwk(EVP_PKEY *key, const char *crv, size_t size)
{
	EVP_PKEY	*back;
	char		*jwk, prefix[64];

	assert_int_equal(jose_jwk(key, &jwk), 0);
	snprintf(prefix, sizeof(prefix), "{\"crv\":\"%s\",\"kty\":\"EC\","
	    "\"x\":\"", crv);
	assert_true(strncmp(jwk, prefix, strlen(prefix)) == 0);
	assert_non_null(strstr(jwk, "\",\"y\":\""));
	assert_string_equal(jwk + strlen(jwk) - 2, "\"}");
	back = ec_key_from_jwk(jwk, crv, size);
	assert_int_equal(EVP_PKEY_eq(back, key), 1);
	EVP_PKEY_free(back);
	free(jwk);
}

static void
test_jwk_ec_coordinates_rebuild_the_key(void **state)
{
	EVP_PKEY	*key;

	(void)state;
	assert_ec_jwk(ec_key, "P-256", 32);
	assert_non_null(key = key_new(KEY_EC384));
	assert_ec_jwk(key, "P-384", 48);
	EVP_PKEY_free(key);
}

/* One key in 256 has an x below 2^248: it must still take 32 bytes. */
static void
test_jwk_ec_pads_short_coordinates(void **state)
{
	EVP_PKEY	*key = NULL;
	BIGNUM		*x = NULL;
	int		 i;

	(void)state;
	for (i = 0; i < 8192; i++) {
		assert_non_null(key = key_new(KEY_EC256));
		assert_true(EVP_PKEY_get_bn_param(key,
		    OSSL_PKEY_PARAM_EC_PUB_X, &x));
		if (BN_num_bytes(x) < 32)
			break;
		BN_free(x);
		x = NULL;
		EVP_PKEY_free(key);
		key = NULL;
	}
	assert_non_null(key);
	assert_ec_jwk(key, "P-256", 32);
	BN_free(x);
	EVP_PKEY_free(key);
}

static void
test_jws_alg_names_supported_keys_only(void **state)
{
	EVP_PKEY	*ec384, *ed;
	char		*out, *err;

	(void)state;
	assert_non_null(ec384 = key_new(KEY_EC384));
	assert_non_null(ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"));
	assert_string_equal(jose_jws_alg(ec_key), "ES256");
	assert_string_equal(jose_jws_alg(ec384), "ES384");
	assert_string_equal(jose_jws_alg(rsa_key), "RS256");
	assert_null(jose_jws_alg(ed));
	capture_begin(STDERR_FILENO);
	assert_int_equal(jose_jws(ed, "{}", "", &out), EX_DATAERR);
	assert_null(out);
	assert_int_equal(jose_jwk(ed, &out), EX_DATAERR);
	assert_null(out);
	err = capture_end();
	assert_non_null(strstr(err, "JWS: ED25519 keys cannot sign"));
	assert_non_null(strstr(err, "JWK: ED25519 keys are not supported"));
	free(err);
	EVP_PKEY_free(ec384);
	EVP_PKEY_free(ed);
}

/*
 * Checks the layout of a flattened JWS over PROTECTED and PAYLOAD and
 * returns its raw signature.
 */
static unsigned char *
jws_split(const char *jws, const char *protected, const char *payload,
    char **input, size_t *siglen)
{
	unsigned char	*sig;
	char		*p, *q, *s, want[4096];

	assert_non_null(p = base64_urlencode(protected, strlen(protected)));
	assert_non_null(q = base64_urlencode(payload, strlen(payload)));
	s = json_str(jws, "signature");
	snprintf(want, sizeof(want), "{\"protected\":\"%s\",\"payload\":\"%s\","
	    "\"signature\":\"%s\"}", p, q, s);
	assert_string_equal(jws, want);
	snprintf(want, sizeof(want), "%s.%s", p, q);
	assert_non_null(*input = strdup(want));
	sig = b64u_bytes(s, siglen);
	free(p);
	free(q);
	free(s);
	return sig;
}

/*
 * 1 when the JWS is signed by KEY: r || s goes back to DER for ECDSA, and
 * the signature is checked by EVP_DigestVerify under digest MD.
 */
static int
jws_verifies(EVP_PKEY *key, const char *md, const char *jws,
    const char *protected, const char *payload)
{
	EVP_MD_CTX	*ctx;
	ECDSA_SIG	*es;
	unsigned char	*sig, *der = NULL;
	char		*input;
	size_t		 siglen, half;
	int		 derlen = 0, ok;

	sig = jws_split(jws, protected, payload, &input, &siglen);
	if (EVP_PKEY_is_a(key, "EC")) {
		half = (size_t)(EVP_PKEY_get_bits(key) + 7) / 8;
		assert_int_equal(siglen, 2 * half);
		assert_non_null(es = ECDSA_SIG_new());
		assert_true(ECDSA_SIG_set0(es, BN_bin2bn(sig, (int)half, NULL),
		    BN_bin2bn(sig + half, (int)half, NULL)));
		assert_true((derlen = i2d_ECDSA_SIG(es, &der)) > 0);
		ECDSA_SIG_free(es);
	} else
		assert_int_equal(siglen, (size_t)EVP_PKEY_get_size(key));
	assert_non_null(ctx = EVP_MD_CTX_new());
	assert_int_equal(EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL,
	    key, NULL), 1);
	ok = EVP_DigestVerify(ctx, der != NULL ? der : sig,
	    der != NULL ? (size_t)derlen : siglen, (unsigned char *)input,
	    strlen(input)) == 1;
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	free(sig);
	free(input);
	return ok;
}

static const char acme_protected[] = "{\"alg\":\"%s\",\"kid\":"
    "\"https://acme.example.test/acct/1\",\"nonce\":\"n0nce\","
    "\"url\":\"https://acme.example.test/new-order\"}";
static const char acme_payload[] = "{\"identifiers\":[{\"type\":\"dns\","
    "\"value\":\"device.example.test\"}]}";

/* Signs until r or s needs its leading zero byte (1 in 128 times). */
static void
test_jws_es256_pads_r_and_s_and_verifies(void **state)
{
	unsigned char	*sig;
	char		*jws = NULL, *input, prot[256];
	size_t		 siglen;
	int		 i, padded = 0;

	(void)state;
	snprintf(prot, sizeof(prot), acme_protected, "ES256");
	for (i = 0; i < 4096 && !padded; i++) {
		free(jws);
		assert_int_equal(jose_jws(ec_key, prot, acme_payload, &jws),
		    0);
		sig = jws_split(jws, prot, acme_payload, &input, &siglen);
		assert_int_equal(siglen, 64);
		padded = sig[0] == 0 || sig[32] == 0;
		free(sig);
		free(input);
	}
	assert_true(padded);
	assert_true(jws_verifies(ec_key, "SHA256", jws, prot, acme_payload));
	assert_false(jws_verifies(leaf_key, "SHA256", jws, prot,
	    acme_payload));
	free(jws);
}

static void
test_jws_es384_and_rs256_verify(void **state)
{
	EVP_PKEY	*ec384;
	char		*jws, prot[256];

	(void)state;
	assert_non_null(ec384 = key_new(KEY_EC384));
	snprintf(prot, sizeof(prot), acme_protected, "ES384");
	assert_int_equal(jose_jws(ec384, prot, acme_payload, &jws), 0);
	assert_true(jws_verifies(ec384, "SHA384", jws, prot, acme_payload));
	free(jws);
	snprintf(prot, sizeof(prot), acme_protected, "RS256");
	assert_int_equal(jose_jws(rsa_key, prot, acme_payload, &jws), 0);
	assert_true(jws_verifies(rsa_key, "SHA256", jws, prot, acme_payload));
	free(jws);
	EVP_PKEY_free(ec384);
}

static void
test_jws_post_as_get_has_empty_payload(void **state)
{
	char	*jws, prot[256];

	(void)state;
	snprintf(prot, sizeof(prot), acme_protected, "ES256");
	assert_int_equal(jose_jws(ec_key, prot, "", &jws), 0);
	assert_non_null(strstr(jws, "\",\"payload\":\"\",\"signature\":\""));
	assert_true(jws_verifies(ec_key, "SHA256", jws, prot, ""));
	free(jws);
}

/* Verifies JWK, JWS and thumbprint lines with python3-cryptography. */
static const char py_verify[] =
	"import base64, hashlib, json, sys\n"
	"from cryptography.hazmat.primitives import hashes\n"
	"from cryptography.hazmat.primitives.asymmetric import ec, padding, "
	"rsa\n"
	"from cryptography.hazmat.primitives.asymmetric.utils import "
	"encode_dss_signature\n"
	"def d(s):\n"
	"    return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))\n"
	"def i(s):\n"
	"    return int.from_bytes(d(s), 'big')\n"
	"for arg in sys.argv[1:]:\n"
	"    jwk, jws, tp = open(arg).read().split('\\n')[:3]\n"
	"    jwk, jws = json.loads(jwk), json.loads(jws)\n"
	"    canon = json.dumps(jwk, sort_keys=True, separators=(',', ':'))\n"
	"    assert base64.urlsafe_b64encode(hashlib.sha256(canon.encode())"
	".digest()).rstrip(b'=').decode() == tp\n"
	"    alg = json.loads(d(jws['protected']))['alg']\n"
	"    data = (jws['protected'] + '.' + jws['payload']).encode()\n"
	"    sig = d(jws['signature'])\n"
	"    if jwk['kty'] == 'EC':\n"
	"        crv, h, n = {'ES256': (ec.SECP256R1(), hashes.SHA256(), 32),\n"
	"            'ES384': (ec.SECP384R1(), hashes.SHA384(), 48)}[alg]\n"
	"        assert len(sig) == 2 * n\n"
	"        pub = ec.EllipticCurvePublicNumbers(i(jwk['x']), i(jwk['y']),"
	" crv).public_key()\n"
	"        r, s = (int.from_bytes(b, 'big') for b in (sig[:n], "
	"sig[n:]))\n"
	"        pub.verify(encode_dss_signature(r, s), data, ec.ECDSA(h))\n"
	"    else:\n"
	"        assert alg == 'RS256'\n"
	"        pub = rsa.RSAPublicNumbers(i(jwk['e']), i(jwk['n']))"
	".public_key()\n"
	"        pub.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())\n"
	"    print(alg, 'OK')\n";

static void
write_jws_case(EVP_PKEY *key, const char *name)
{
	char	*jwk, *jws, *tp, prot[256], *text;
	size_t	 n;

	snprintf(prot, sizeof(prot), acme_protected, jose_jws_alg(key));
	assert_int_equal(jose_jwk(key, &jwk), 0);
	assert_int_equal(jose_jws(key, prot, acme_payload, &jws), 0);
	assert_int_equal(jose_jwk_thumbprint(key, &tp), 0);
	n = strlen(jwk) + strlen(jws) + strlen(tp) + 4;
	assert_non_null(text = malloc(n));
	snprintf(text, n, "%s\n%s\n%s\n", jwk, jws, tp);
	assert_int_equal(write_text(name, text), 0);
	free(text);
	free(jwk);
	free(jws);
	free(tp);
}

static void
test_jws_verified_by_python_cryptography(void **state)
{
	EVP_PKEY	*ec384;
	char		*out;

	(void)state;
	if (sh("/usr/bin/python3 -c 'import cryptography' >/dev/null 2>&1")
	    != 0)
		skip();
	assert_non_null(ec384 = key_new(KEY_EC384));
	write_jws_case(ec_key, "es256.jws");
	write_jws_case(ec384, "es384.jws");
	write_jws_case(rsa_key, "rs256.jws");
	EVP_PKEY_free(ec384);
	assert_int_equal(write_text("verify.py", py_verify), 0);
	out = sh_out("cd %s && /usr/bin/python3 verify.py es256.jws "
	    "es384.jws rs256.jws 2>&1", dir);
	assert_string_equal(out, "ES256 OK\nES384 OK\nRS256 OK\n");
	free(out);
}

static void
test_jws_hmac_matches_rfc7515_a1(void **state)
{
	static const char k[] = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T"
	    "-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
	static const char protected[] = "{\"typ\":\"JWT\",\r\n \"alg\":"
	    "\"HS256\"}";
	static const char payload[] = "{\"iss\":\"joe\",\r\n \"exp\":"
	    "1300819380,\r\n \"http://example.com/is_root\":true}";
	unsigned char	*key;
	char		*jws;
	size_t		 len;

	(void)state;
	key = b64u_bytes(k, &len);
	assert_int_equal(jose_jws_hmac(key, len, protected, payload, &jws),
	    0);
	secret_free((char *)key, len);
	assert_string_equal(jws,
	    "{\"protected\":\"eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\","
	    "\"payload\":\"eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQog"
	    "Imh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\","
	    "\"signature\":\"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk\"}");
	free(jws);
}

/* `openssl req -text -verify` of a DER request made for DOMAINS. */
static char *
csr_text(EVP_PKEY *key, char **domains)
{
	unsigned char	*der;
	size_t		 len;

	assert_int_equal(certgen_csr(key, domains, &der, &len), 0);
	assert_int_equal(write_file("req.der", der, len), 0);
	free(der);
	return sh_out("openssl req -in %s/req.der -inform DER -noout -text "
	    "-verify 2>&1", dir);
}

static void
test_csr_verifies_with_cn_and_sans(void **state)
{
	static char	*domains[] = { "example.test", "*.example.test",
	    "www.example.test", NULL };
	EVP_PKEY	*ec384;
	char		*text;

	(void)state;
	text = csr_text(ec_key, domains);
	assert_non_null(strstr(text, "verify OK"));
	assert_non_null(strstr(text, "Version: 1 (0x0)"));
	assert_non_null(strstr(text, "Subject: CN = example.test\n"));
	assert_non_null(strstr(text, "Requested Extensions:\n"));
	assert_non_null(strstr(text, "X509v3 Subject Alternative Name: \n"));
	assert_non_null(strstr(text, " DNS:example.test, DNS:*.example.test, "
	    "DNS:www.example.test\n"));
	assert_non_null(strstr(text,
	    "Signature Algorithm: ecdsa-with-SHA256"));
	free(text);

	assert_non_null(ec384 = key_new(KEY_EC384));
	text = csr_text(ec384, domains);
	assert_non_null(strstr(text, "verify OK"));
	assert_non_null(strstr(text,
	    "Signature Algorithm: ecdsa-with-SHA384"));
	free(text);
	EVP_PKEY_free(ec384);

	text = csr_text(rsa_key, domains);
	assert_non_null(strstr(text, "verify OK"));
	assert_non_null(strstr(text,
	    "Signature Algorithm: sha256WithRSAEncryption"));
	free(text);
}

static void
test_csr_leaves_out_a_cn_over_64_bytes(void **state)
{
	char	 name[80], want[128];
	char	*text, *domains[] = { name, "short.example.test", NULL };

	(void)state;
	memset(name, 'a', 60);
	snprintf(name + 60, sizeof(name) - 60, ".example.test");
	text = csr_text(ec_key, domains);
	assert_non_null(strstr(text, "verify OK"));
	assert_null(strstr(text, "CN ="));
	snprintf(want, sizeof(want), "DNS:%s, DNS:short.example.test\n", name);
	assert_non_null(strstr(text, want));
	free(text);
}

static void
test_csr_refuses_bad_names(void **state)
{
	static char *bad[][3] = {
		{ "a,b", NULL, NULL },
		{ "ok.example.test", "a b.example.test", NULL },
		{ "*.*.example.test", NULL, NULL },
		{ "ok.example.test", "x.example.test,IP:10.0.0.1", NULL },
		{ NULL, NULL, NULL },
	};
	unsigned char	*der;
	char		*err;
	size_t		 i, len;

	(void)state;
	capture_begin(STDERR_FILENO);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(certgen_csr(ec_key, bad[i], &der, &len),
		    EX_DATAERR);
		assert_null(der);
		assert_int_equal(len, 0);
	}
	err = capture_end();
	assert_non_null(strstr(err,
	    "certificate request: 'a,b' is not a valid DNS name"));
	assert_non_null(strstr(err,
	    "certificate request: 'a b.example.test' is not a valid DNS name"));
	assert_non_null(strstr(err, "certificate request: no domain names"));
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
test_parse_key_reads_a_buffer(void **state)
{
	EVP_PKEY	*back;
	char		*pem, *copy;
	size_t		 len;

	(void)state;
	assert_int_equal(key_pem(ec_key, &pem, &len), 0);
	/* Exactly LEN bytes, no NUL after them: ASan sees any overread. */
	assert_non_null(copy = malloc(len));
	memcpy(copy, pem, len);
	secret_free(pem, len);
	assert_int_equal(key_parse("account key", copy, len, &back),
	    0);
	secret_free(copy, len);
	assert_int_equal(EVP_PKEY_eq(back, ec_key), 1);
	EVP_PKEY_free(back);
}

static void
test_parse_key_refuses_garbage(void **state)
{
	static const char garbage[] = "hello, world\n";
	static const char damaged[] = "-----BEGIN PRIVATE KEY-----\n"
	    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEH\n"
	    "-----END PRIVATE KEY-----\n";
	EVP_PKEY	*key;
	char		*cert, *err;
	size_t		 len;

	(void)state;
	assert_int_equal(cert_pem(leaf, &cert, &len), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(key_parse("garbage", garbage,
	    sizeof(garbage) - 1, &key), EX_DATAERR);
	assert_null(key);
	assert_int_equal(key_parse("cert", cert, len, &key),
	    EX_DATAERR);
	assert_null(key);
	assert_int_equal(key_parse("damaged", damaged,
	    sizeof(damaged) - 1, &key), EX_DATAERR);
	assert_null(key);
	assert_int_equal(key_parse("empty", "", 0, &key), EX_DATAERR);
	assert_null(key);
	err = capture_end();
	free(cert);
	assert_non_null(strstr(err, "garbage: no PEM private key found"));
	assert_non_null(strstr(err, "cert: no PEM private key found"));
	assert_non_null(strstr(err, "damaged: private key does not parse"));
	assert_non_null(strstr(err, "empty: no PEM private key found"));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_type_names_round_trip),
		cmocka_unit_test(test_key_ec256_is_named_p256_uncompressed),
		cmocka_unit_test(test_key_ec384_is_named_p384_uncompressed),
		cmocka_unit_test(test_key_rsa_sizes_with_exponent_65537),
		cmocka_unit_test(test_key_pem_is_pkcs8_and_round_trips),
		cmocka_unit_test(test_load_key_reads_traditional_pem),
		cmocka_unit_test(test_load_key_refuses_encrypted_keys),
		cmocka_unit_test(test_load_key_refuses_file_without_key),
		cmocka_unit_test(test_load_key_names_a_damaged_key),
		cmocka_unit_test(test_load_key_missing_file_is_noinput),
		cmocka_unit_test(test_key_matches_only_its_certificate),
		cmocka_unit_test(test_selfsigned_has_server_extensions),
		cmocka_unit_test(test_selfsigned_rsa_adds_key_encipherment),
		cmocka_unit_test(test_selfsigned_verifies_as_its_own_anchor),
		cmocka_unit_test(test_selfsigned_serial_is_positive_128_bit),
		cmocka_unit_test(test_selfsigned_refuses_bad_names),
		cmocka_unit_test(test_cert_info_reports_selfsigned_fields),
		cmocka_unit_test(test_cert_info_reports_ca_certificates),
		cmocka_unit_test(test_days_left_floors_whole_days),
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
		cmocka_unit_test(test_verify_chain_checks_validity_at_given_time),
		cmocka_unit_test(test_verify_chain_unreadable_cafile_is_error),
		cmocka_unit_test(test_dhparam_pem_is_pkcs3_that_openssl_checks),
		cmocka_unit_test(test_pkcs12_is_read_by_keytool),
		cmocka_unit_test(test_random_fills_buffers_differently),
		cmocka_unit_test(test_b64url_encodes_rfc4648_vectors),
		cmocka_unit_test(test_b64url_decodes_rfc4648_vectors),
		cmocka_unit_test(
		    test_b64url_decode_refuses_padding_and_other_alphabets),
		cmocka_unit_test(test_sha256_of_abc),
		cmocka_unit_test(test_jwk_thumbprint_matches_rfc7638_example),
		cmocka_unit_test(test_jwk_ec_coordinates_rebuild_the_key),
		cmocka_unit_test(test_jwk_ec_pads_short_coordinates),
		cmocka_unit_test(test_jws_alg_names_supported_keys_only),
		cmocka_unit_test(test_jws_es256_pads_r_and_s_and_verifies),
		cmocka_unit_test(test_jws_es384_and_rs256_verify),
		cmocka_unit_test(test_jws_post_as_get_has_empty_payload),
		cmocka_unit_test(test_jws_verified_by_python_cryptography),
		cmocka_unit_test(test_jws_hmac_matches_rfc7515_a1),
		cmocka_unit_test(test_csr_verifies_with_cn_and_sans),
		cmocka_unit_test(test_csr_leaves_out_a_cn_over_64_bytes),
		cmocka_unit_test(test_csr_refuses_bad_names),
		cmocka_unit_test(test_ari_cert_id_matches_rfc9773_example),
		cmocka_unit_test(test_ari_cert_id_matches_openssl_cli),
		cmocka_unit_test(test_ari_cert_id_needs_authority_key_id),
		cmocka_unit_test(test_parse_key_reads_a_buffer),
		cmocka_unit_test(test_parse_key_refuses_garbage),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
