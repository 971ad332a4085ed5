/*
 * certcheck: certificates judged as an SSL checker would, on a throwaway
 * CA (ca_chain_new: an RSA root, an EC intermediate and a 30-day leaf for
 * leaf.example.test) and a second CA that trusts none of it.  The probe
 * is a handshake through lib/net, tested there and by cert_check.sh.
 */
#include <sys/stat.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/x509.h>

#include "cert.h"
#include "certcheck.h"
#include "check.h"
#include "log.h"
#include "util.h"

static char		*dir;		/* scratch, ca_chain_new()'s files */
static X509		*root;		/* RSA, self-signed */
static X509		*leaf;		/* EC, signed by the intermediate */
static STACK_OF(X509)	*inter;		/* the intermediate alone */
static char		 rootp[PATH_MAX];	/* DIR/root.pem */
static char		 otherp[PATH_MAX];	/* DIR/other/ca.pem */

static int
load(const char *name, STACK_OF(X509) **out)
{
	char	p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return cert_load(p, out);
}

static X509 *
load_first(const char *name)
{
	STACK_OF(X509)	*certs;
	X509		*x;

	if (load(name, &certs) != 0)
		return NULL;
	x = sk_X509_shift(certs);
	cert_chain_free(certs);
	return x;
}

static int
group_setup(void **state)
{
	char	other[PATH_MAX];

	(void)state;
	log_init("test_certcheck");
	if ((dir = tmpdir_new("test_certcheck")) == NULL ||
	    ca_chain_new(dir) != 0)
		return -1;
	snprintf(rootp, sizeof(rootp), "%s/root.pem", dir);
	snprintf(other, sizeof(other), "%s/other", dir);
	snprintf(otherp, sizeof(otherp), "%s/other/ca.pem", dir);
	if (mkdir(other, 0700) != 0 ||
	    tls_certs_new(other, "test-certcheck-other") != 0 ||
	    (root = load_first("root.pem")) == NULL ||
	    (leaf = load_first("leaf.pem")) == NULL ||
	    load("inter.pem", &inter) != 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	X509_free(root);
	X509_free(leaf);
	cert_chain_free(inter);
	return tmpdir_free(dir);
}

static void
test_key_sizes_are_judged_by_type(void **state)
{
	(void)state;
	assert_int_equal(certcheck_key_status("RSA", 4096), CHECK_OK);
	assert_int_equal(certcheck_key_status("RSA", 2048), CHECK_OK);
	assert_int_equal(certcheck_key_status("RSA", 1536), CHECK_WARNING);
	assert_int_equal(certcheck_key_status("RSA", 1023), CHECK_CRITICAL);
	assert_int_equal(certcheck_key_status("EC", 384), CHECK_OK);
	assert_int_equal(certcheck_key_status("EC", 256), CHECK_OK);
	assert_int_equal(certcheck_key_status("EC", 224), CHECK_WARNING);
	assert_int_equal(certcheck_key_status("EC", 192), CHECK_CRITICAL);
	assert_int_equal(certcheck_key_status("ED25519", 253), CHECK_OK);
}

static void
test_complete_chain_to_a_trusted_root_is_ok(void **state)
{
	struct certcheck	r;

	(void)state;
	assert_int_equal(certcheck_judge(&r, leaf, inter, "leaf.example.test",
	    rootp, 10, 7), 0);
	assert_int_equal(r.check.status, CHECK_OK);
	assert_int_equal(r.chain_state, CERTCHECK_CHAIN_OK);
	assert_int_equal(r.expiry, CHECK_OK);
	assert_int_equal(r.key_status, CHECK_OK);
	assert_true(r.host_match);
	assert_int_equal(sk_X509_num(r.chain), 3);
	assert_true(r.days_left == 29 || r.days_left == 30);
	certcheck_free(&r);
}

static void
test_days_left_within_warn_then_crit(void **state)
{
	struct certcheck	r;

	(void)state;
	assert_int_equal(certcheck_judge(&r, leaf, inter, NULL, rootp, 40,
	    7), 0);
	assert_int_equal(r.expiry, CHECK_WARNING);
	assert_int_equal(r.check.status, CHECK_WARNING);
	assert_non_null(strstr(r.check.problems[0], "expires in"));
	certcheck_free(&r);
	assert_int_equal(certcheck_judge(&r, leaf, inter, NULL, rootp, 40,
	    35), 0);
	assert_int_equal(r.expiry, CHECK_CRITICAL);
	assert_int_equal(r.check.status, CHECK_CRITICAL);
	certcheck_free(&r);
}

static void
test_other_name_is_critical(void **state)
{
	struct certcheck	r;

	(void)state;
	assert_int_equal(certcheck_judge(&r, leaf, inter,
	    "other.example.test", rootp, 10, 7), 0);
	assert_false(r.host_match);
	assert_int_equal(r.check.status, CHECK_CRITICAL);
	assert_string_equal(r.check.problems[0],
	    "not valid for other.example.test");
	certcheck_free(&r);
}

static void
test_missing_intermediate_is_incomplete(void **state)
{
	struct certcheck	r;

	(void)state;
	assert_int_equal(certcheck_judge(&r, leaf, NULL, NULL, rootp, 10, 7),
	    0);
	assert_int_equal(r.chain_state, CERTCHECK_CHAIN_INCOMPLETE);
	assert_string_equal(r.gap_issuer, "CN=Test Intermediate");
	assert_int_equal(r.check.status, CHECK_CRITICAL);
	certcheck_free(&r);
}

static void
test_root_nobody_trusts_is_untrusted(void **state)
{
	struct certcheck	r;

	(void)state;
	assert_int_equal(certcheck_judge(&r, leaf, inter, NULL, otherp, 10,
	    7), 0);
	assert_int_equal(r.chain_state, CERTCHECK_CHAIN_UNTRUSTED);
	assert_string_equal(r.gap_issuer, "CN=Test Root");
	certcheck_free(&r);
}

static void
test_self_signed_is_a_warning(void **state)
{
	struct certcheck	r;

	(void)state;
	assert_int_equal(certcheck_judge(&r, root, NULL, NULL, otherp, 10, 7),
	    0);
	assert_int_equal(r.chain_state, CERTCHECK_CHAIN_SELF);
	assert_int_equal(r.check.status, CHECK_WARNING);
	assert_string_equal(r.check.problems[0], "self-signed, not trusted");
	certcheck_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_sizes_are_judged_by_type),
		cmocka_unit_test(test_complete_chain_to_a_trusted_root_is_ok),
		cmocka_unit_test(test_days_left_within_warn_then_crit),
		cmocka_unit_test(test_other_name_is_critical),
		cmocka_unit_test(test_missing_intermediate_is_incomplete),
		cmocka_unit_test(test_root_nobody_trusts_is_untrusted),
		cmocka_unit_test(test_self_signed_is_a_warning),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
