/*
 * key: key types, fresh keys, PEM out and back in, and what a key file
 * that cannot be used is told apart by.  The openssl CLI judges what is
 * written.
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
#include <unistd.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cert.h"
#include "key.h"
#include "log.h"
#include "secret.h"
#include "util.h"

static char	*dir;		/* scratch directory */
static EVP_PKEY	*ec_key;	/* P-256, also in ec.key */
static EVP_PKEY	*rsa_key;	/* RSA 2048 */
static X509	*leaf;		/* of ca_chain_new(), also in leaf.pem */

static void
pathf(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", dir, name);
}

static int
save_key(EVP_PKEY *key, const char *name)
{
	char	*pem;
	size_t	 len;
	int	 rv;

	if (key_pem(key, &pem, &len) != 0)
		return -1;
	rv = tmpdir_write(dir, name, pem, len);
	secret_free(pem, len);
	return rv;
}

static int
group_setup(void **state)
{
	STACK_OF(X509)	*certs;
	char		 p[PATH_MAX];

	(void)state;
	log_init("test_key");
	if ((dir = tmpdir_new("test_key")) == NULL || ca_chain_new(dir) != 0 ||
	    (ec_key = key_new(KEY_EC256)) == NULL ||
	    (rsa_key = key_new(KEY_RSA2048)) == NULL ||
	    save_key(ec_key, "ec.key") != 0)
		return -1;
	pathf(p, "leaf.pem");
	if (cert_load(p, &certs) != 0)
		return -1;
	leaf = sk_X509_shift(certs);
	cert_chain_free(certs);
	return leaf != NULL ? 0 : -1;
}

static int
group_teardown(void **state)
{
	(void)state;
	X509_free(leaf);
	EVP_PKEY_free(ec_key);
	EVP_PKEY_free(rsa_key);
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
	assert_int_equal(tmpdir_write(dir, "rsa.key", pem, len), 0);
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
		cmocka_unit_test(test_parse_key_reads_a_buffer),
		cmocka_unit_test(test_parse_key_refuses_garbage),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
