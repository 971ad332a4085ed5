/*
 * p12: a PKCS#12 store as keytool and the openssl CLI read it.
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

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cert.h"
#include "key.h"
#include "log.h"
#include "p12.h"
#include "secret.h"
#include "util.h"

static char	*dir;		/* scratch directory */
static X509	*leaf;		/* EC, signed by inter */
static X509	*inter;		/* EC, signed by the RSA root */
static EVP_PKEY	*leaf_key;

static int
group_setup(void **state)
{
	STACK_OF(X509)	*certs;
	char		 p[PATH_MAX];

	(void)state;
	log_init("test_p12");
	if ((dir = tmpdir_new("test_p12")) == NULL || ca_chain_new(dir) != 0)
		return -1;
	snprintf(p, sizeof(p), "%s/leaf.key", dir);
	if (key_load(p, &leaf_key) != 0)
		return -1;
	snprintf(p, sizeof(p), "%s/fullchain.pem", dir);
	if (cert_load(p, &certs) != 0)
		return -1;
	leaf = sk_X509_shift(certs);
	inter = sk_X509_shift(certs);
	cert_chain_free(certs);
	return leaf != NULL && inter != NULL ? 0 : -1;
}

static int
group_teardown(void **state)
{
	(void)state;
	X509_free(leaf);
	X509_free(inter);
	EVP_PKEY_free(leaf_key);
	return tmpdir_free(dir);
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
	assert_int_equal(tmpdir_write(dir, "server.p12", der, len), 0);
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
test_pkcs12_holds_what_it_was_made_of(void **state)
{
	STACK_OF(X509)	*chain, *none;
	unsigned char	*der;
	size_t		 len;

	(void)state;
	assert_non_null(chain = sk_X509_new_null());
	assert_non_null(none = sk_X509_new_null());
	assert_true(sk_X509_push(chain, inter));
	assert_int_equal(p12_der(leaf_key, leaf, chain, "mykey", "changeit",
	    &der, &len), 0);
	assert_int_equal(p12_holds(der, len, "changeit", leaf_key, leaf,
	    chain, "mykey"), 1);
	assert_int_equal(p12_holds(der, len, "another", leaf_key, leaf,
	    chain, "mykey"), 0);
	assert_int_equal(p12_holds(der, len, "changeit", leaf_key, leaf,
	    chain, "other"), 0);
	assert_int_equal(p12_holds(der, len, "changeit", leaf_key, leaf,
	    none, "mykey"), 0);
	assert_int_equal(p12_holds(der, len, "changeit", leaf_key, inter,
	    chain, "mykey"), 0);
	assert_int_equal(p12_holds(der, len - 1, "changeit", leaf_key, leaf,
	    chain, "mykey"), 0);
	secret_free((char *)der, len);
	sk_X509_free(none);
	sk_X509_free(chain);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkcs12_is_read_by_keytool),
		cmocka_unit_test(test_pkcs12_holds_what_it_was_made_of),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
