/*
 * dnscheck: the verdict on what DNS answers for a name.
 */
#include <sys/socket.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dnscheck.h"

static struct dnscheck		r;
static struct dnscheck_family	*f;

/* One server, 127.0.0.1:53, and the external address 203.0.113.7. */
static int
setup(void **state)
{
	(void)state;
	memset(&r, 0, sizeof(r));
	r.fqdn = "dev1.example.test";
	r.nservers = 1;
	r.primary = 0;
	snprintf(r.servers[0], sizeof(r.servers[0]), "127.0.0.1:53");
	f = &r.fam[r.nfam++];
	f->af = AF_INET;
	f->type = "A";
	f->have_ext = 1;
	f->ext.family = AF_INET;
	snprintf(f->ext.text, sizeof(f->ext.text), "203.0.113.7");
	return 0;
}

static void
answers(struct dnscheck_answer *a, const char *v1, const char *v2)
{
	a->rc = 0;
	a->ans.n = 0;
	if (v1 != NULL)
		snprintf(a->ans.value[a->ans.n++], sizeof(a->ans.value[0]),
		    "%s", v1);
	if (v2 != NULL)
		snprintf(a->ans.value[a->ans.n++], sizeof(a->ans.value[0]),
		    "%s", v2);
}

static void
test_both_answering_the_external_address_is_ok(void **state)
{
	(void)state;
	answers(&f->auth[0], "203.0.113.7", NULL);
	answers(&f->sys, "203.0.113.7", NULL);
	dnscheck_judge(&r, f);
	assert_int_equal(r.check.status, CHECK_OK);
	assert_int_equal(r.check.nproblems, 0);
}

static void
test_authoritative_answer_that_differs_is_critical(void **state)
{
	(void)state;
	answers(&f->auth[0], "203.0.113.7", "192.0.2.99");
	answers(&f->sys, "203.0.113.7", NULL);
	dnscheck_judge(&r, f);
	assert_int_equal(r.check.status, CHECK_CRITICAL);
	assert_string_equal(r.check.problems[0],
	    "127.0.0.1:53 answers 203.0.113.7, 192.0.2.99");
}

static void
test_no_record_at_the_authoritative_server_is_critical(void **state)
{
	(void)state;
	answers(&f->auth[0], NULL, NULL);
	answers(&f->sys, "203.0.113.7", NULL);
	dnscheck_judge(&r, f);
	assert_int_equal(r.check.status, CHECK_CRITICAL);
	assert_string_equal(r.check.problems[0],
	    "127.0.0.1:53 has no A record");
}

static void
test_resolver_that_lags_is_a_warning(void **state)
{
	(void)state;
	answers(&f->auth[0], "203.0.113.7", NULL);
	answers(&f->sys, "127.0.0.1", NULL);
	dnscheck_judge(&r, f);
	assert_int_equal(r.check.status, CHECK_WARNING);
	assert_string_equal(r.check.problems[0],
	    "the system resolver still has 127.0.0.1 (caches lag)");
}

static void
test_no_authoritative_answer_is_unknown(void **state)
{
	(void)state;
	f->auth[0].rc = 75;
	snprintf(f->auth[0].why, sizeof(f->auth[0].why),
	    "no answer from 127.0.0.1:53 within 4 s");
	answers(&f->sys, "203.0.113.7", NULL);
	dnscheck_judge(&r, f);
	assert_int_equal(r.check.status, CHECK_UNKNOWN);
	assert_string_equal(r.check.problems[0], "no authoritative server "
	    "answers dev1.example.test A: no answer from 127.0.0.1:53 "
	    "within 4 s");
}

static void
test_unknown_external_address_is_unknown(void **state)
{
	(void)state;
	f->have_ext = 0;
	answers(&f->auth[0], "192.0.2.99", NULL);
	answers(&f->sys, "192.0.2.99", NULL);
	dnscheck_judge(&r, f);
	assert_int_equal(r.check.status, CHECK_UNKNOWN);
	assert_string_equal(r.check.problems[0],
	    "the external IPv4 address cannot be found");
}

static void
test_answer_text_says_what_was_answered(void **state)
{
	char	buf[128];

	(void)state;
	answers(&f->sys, "203.0.113.7", "203.0.113.8");
	dnscheck_answer_text(f, &f->sys, buf, sizeof(buf));
	assert_string_equal(buf, "203.0.113.7, 203.0.113.8");
	answers(&f->sys, NULL, NULL);
	dnscheck_answer_text(f, &f->sys, buf, sizeof(buf));
	assert_string_equal(buf, "no A record");
	f->sys.rc = 75;
	snprintf(f->sys.why, sizeof(f->sys.why), "timed out");
	dnscheck_answer_text(f, &f->sys, buf, sizeof(buf));
	assert_string_equal(buf, "timed out");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
		    test_both_answering_the_external_address_is_ok, setup),
		cmocka_unit_test_setup(
		    test_authoritative_answer_that_differs_is_critical, setup),
		cmocka_unit_test_setup(
		    test_no_record_at_the_authoritative_server_is_critical,
		    setup),
		cmocka_unit_test_setup(test_resolver_that_lags_is_a_warning,
		    setup),
		cmocka_unit_test_setup(test_no_authoritative_answer_is_unknown,
		    setup),
		cmocka_unit_test_setup(test_unknown_external_address_is_unknown,
		    setup),
		cmocka_unit_test_setup(test_answer_text_says_what_was_answered,
		    setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
