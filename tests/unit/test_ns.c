/*
 * ns: questions to name servers; what is refused before anything is
 * sent, and the names of answer codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sysexits.h>

#include <cmocka.h>

#include "ns.h"

static void
test_name_that_is_no_domain_name_is_refused(void **state)
{
	struct ns_answer	ans;
	char			why[256];

	(void)state;
	assert_int_equal(ns_query("127.0.0.1", "a..example.test", DNS_A,
	    &ans, why, sizeof(why)), EX_DATAERR);
	assert_string_equal(why, "a..example.test: not a domain name");
	assert_int_equal(ans.n, 0);
}

static void
test_server_that_is_no_host_and_port_is_refused(void **state)
{
	struct ns_answer	ans;
	char			why[256];

	(void)state;
	assert_int_equal(ns_query("127.0.0.1:99999", "dev1.example.test",
	    DNS_A, &ans, why, sizeof(why)), EX_DATAERR);
	assert_string_equal(why, "'127.0.0.1:99999' is not HOST[:PORT]");
}

static void
test_answer_codes_have_their_names(void **state)
{
	(void)state;
	assert_string_equal(ns_rcode_name(0), "NOERROR");
	assert_string_equal(ns_rcode_name(5), "REFUSED");
	assert_string_equal(ns_rcode_name(4095), "an unknown RCODE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_that_is_no_domain_name_is_refused),
		cmocka_unit_test(
		    test_server_that_is_no_host_and_port_is_refused),
		cmocka_unit_test(test_answer_codes_have_their_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
