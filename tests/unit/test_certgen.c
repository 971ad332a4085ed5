/*
 * certgen: self-signed certificates and certificate requests as the
 * openssl CLI reads them, and the names they refuse.
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

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cert.h"
#include "certgen.h"
#include "key.h"
#include "log.h"
#include "util.h"

static char	*dir;		/* scratch directory */
static EVP_PKEY	*ec_key;	/* P-256, signs ec_cert */
static EVP_PKEY	*rsa_key;	/* RSA 2048 */
static X509	*ec_cert;	/* device.example.test, also in ec.pem */

static char	*device_dns[] = { "device.example.test", NULL };
static char	*device_ips[] = { "192.0.2.1", "2001:db8::1", NULL };

static void
pathf(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", dir, name);
}

static int
save_cert(X509 *x, const char *name)
{
	char	*pem;
	size_t	 len;
	int	 rv;

	if (cert_pem(x, &pem, &len) != 0)
		return -1;
	rv = tmpdir_write(dir, name, pem, len);
	free(pem);
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
	(void)state;
	log_init("test_certgen");
	if ((dir = tmpdir_new("test_certgen")) == NULL ||
	    (ec_key = key_new(KEY_EC256)) == NULL ||
	    (rsa_key = key_new(KEY_RSA2048)) == NULL ||
	    (ec_cert = device_cert(ec_key, "device.example.test", device_dns,
	    device_ips)) == NULL ||
	    save_cert(ec_cert, "ec.pem") != 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	X509_free(ec_cert);
	EVP_PKEY_free(ec_key);
	EVP_PKEY_free(rsa_key);
	return tmpdir_free(dir);
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

/* `openssl req -text -verify` of a DER request made for DOMAINS. */
static char *
csr_text(EVP_PKEY *key, char **domains)
{
	unsigned char	*der;
	size_t		 len;

	assert_int_equal(certgen_csr(key, domains, &der, &len), 0);
	assert_int_equal(tmpdir_write(dir, "req.der", der, len), 0);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selfsigned_has_server_extensions),
		cmocka_unit_test(test_selfsigned_rsa_adds_key_encipherment),
		cmocka_unit_test(test_selfsigned_verifies_as_its_own_anchor),
		cmocka_unit_test(test_selfsigned_serial_is_positive_128_bit),
		cmocka_unit_test(test_selfsigned_refuses_bad_names),
		cmocka_unit_test(test_csr_verifies_with_cn_and_sans),
		cmocka_unit_test(test_csr_leaves_out_a_cn_over_64_bytes),
		cmocka_unit_test(test_csr_refuses_bad_names),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
