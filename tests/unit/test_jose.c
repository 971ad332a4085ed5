/*
 * jose: JWK, thumbprint and JWS as the RFCs' own examples, the
 * EVP_DigestVerify API and python3-cryptography
 * (tests/unit/python/jws_verify.py) read them.
 */
#include <sys/types.h>

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
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "base64.h"
#include "jose.h"
#include "key.h"
#include "log.h"
#include "secret.h"
#include "util.h"

static char	*dir;		/* scratch directory */
static EVP_PKEY	*ec_key;	/* P-256 */
static EVP_PKEY	*other_key;	/* P-256 too */
static EVP_PKEY	*rsa_key;	/* RSA 2048 */

static int
group_setup(void **state)
{
	(void)state;
	log_init("test_jose");
	if ((dir = tmpdir_new("test_jose")) == NULL ||
	    (ec_key = key_new(KEY_EC256)) == NULL ||
	    (other_key = key_new(KEY_EC256)) == NULL ||
	    (rsa_key = key_new(KEY_RSA2048)) == NULL)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(ec_key);
	EVP_PKEY_free(other_key);
	EVP_PKEY_free(rsa_key);
	return tmpdir_free(dir);
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
	assert_false(jws_verifies(other_key, "SHA256", jws, prot,
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
	assert_int_equal(tmpdir_put(dir, name, text), 0);
	free(text);
	free(jwk);
	free(jws);
	free(tp);
}

/* The JWK, JWS and thumbprint of each key as python3-cryptography sees them. */
static void
test_jws_verified_by_python_cryptography(void **state)
{
	EVP_PKEY	*ec384;
	char		*out;

	(void)state;
	if (sh("/usr/bin/python3 -c 'import cryptography.hazmat' "
	    ">/dev/null 2>&1") != 0)
		fail_msg("/usr/bin/python3 cannot import cryptography: the "
		    "python3-cryptography package is missing (make deps)");
	assert_non_null(ec384 = key_new(KEY_EC384));
	write_jws_case(ec_key, "es256.jws");
	write_jws_case(ec384, "es384.jws");
	write_jws_case(rsa_key, "rs256.jws");
	EVP_PKEY_free(ec384);
	out = sh_out("cd %s && /usr/bin/python3 '%s/jws_verify.py' es256.jws "
	    "es384.jws rs256.jws 2>&1", dir, SS_TEST_PYTHON);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jwk_thumbprint_matches_rfc7638_example),
		cmocka_unit_test(test_jwk_ec_coordinates_rebuild_the_key),
		cmocka_unit_test(test_jwk_ec_pads_short_coordinates),
		cmocka_unit_test(test_jws_alg_names_supported_keys_only),
		cmocka_unit_test(test_jws_es256_pads_r_and_s_and_verifies),
		cmocka_unit_test(test_jws_es384_and_rs256_verify),
		cmocka_unit_test(test_jws_post_as_get_has_empty_payload),
		cmocka_unit_test(test_jws_verified_by_python_cryptography),
		cmocka_unit_test(test_jws_hmac_matches_rfc7515_a1),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
