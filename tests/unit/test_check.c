/*
 * check: monitoring results, the worst problem deciding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "check.h"

/*
 * A check that found nothing wrong is one monitoring reads as OK: exit
 * status 0 (the plugin guidelines' number, not the macro), the word "OK"
 * for the status line and the JSON, and no problem to list.
 */
static void
test_check_with_no_problem_exits_0_and_says_ok(void **state)
{
	struct check	c = { 0 };	/* as every check subcommand starts */

	(void)state;
	assert_int_equal(c.status, 0);
	assert_string_equal(check_status_name(c.status), "OK");
	assert_int_equal(c.nproblems, 0);
}

/* Exit statuses 0 to 3 name themselves as the plugin guidelines do. */
static void
test_status_names_follow_the_plugin_exit_codes(void **state)
{
	struct check	c = { 0 };

	(void)state;
	assert_string_equal(check_status_name(0), "OK");
	check_problem(&c, CHECK_WARNING, "weak key");
	assert_int_equal(c.status, 1);
	assert_string_equal(check_status_name(c.status), "WARNING");
	check_problem(&c, CHECK_CRITICAL, "expired");
	assert_int_equal(c.status, 2);
	assert_string_equal(check_status_name(c.status), "CRITICAL");
	assert_string_equal(check_status_name(3), "UNKNOWN");
}

static void
test_critical_outweighs_unknown_and_warning(void **state)
{
	struct check	c;

	(void)state;
	memset(&c, 0, sizeof(c));
	check_problem(&c, CHECK_WARNING, "expires in %d days", 20);
	assert_int_equal(c.status, CHECK_WARNING);
	check_problem(&c, CHECK_UNKNOWN, "no answer");
	assert_int_equal(c.status, CHECK_UNKNOWN);
	check_problem(&c, CHECK_CRITICAL, "expired");
	assert_int_equal(c.status, CHECK_CRITICAL);
	check_problem(&c, CHECK_UNKNOWN, "no answer again");
	check_problem(&c, CHECK_WARNING, "weak key");
	assert_int_equal(c.status, CHECK_CRITICAL);
	assert_int_equal(c.nproblems, 5);
	assert_string_equal(c.problems[0], "expires in 20 days");
	assert_string_equal(check_status_name(c.status), "CRITICAL");
}

static void
test_problems_past_the_limit_still_count(void **state)
{
	struct check	c;
	int		i;

	(void)state;
	memset(&c, 0, sizeof(c));
	for (i = 0; i < CHECK_PROBLEMS; i++)
		check_problem(&c, CHECK_WARNING, "warning %d", i);
	check_problem(&c, CHECK_CRITICAL, "one too many");
	assert_int_equal(c.nproblems, CHECK_PROBLEMS);
	assert_int_equal(c.status, CHECK_CRITICAL);
	assert_string_equal(check_status_name(42), "UNKNOWN");
}

static void
test_problems_as_json_keep_their_order(void **state)
{
	struct check	 c;
	json_t		*a;
	char		*s;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_non_null(a = check_problems_json(&c));
	assert_non_null(s = json_dumps(a, JSON_COMPACT));
	assert_string_equal(s, "[]");
	free(s);
	json_decref(a);
	check_problem(&c, CHECK_WARNING, "expires in %d days", 20);
	check_problem(&c, CHECK_CRITICAL, "\"%s\" does not match", "box");
	assert_non_null(a = check_problems_json(&c));
	assert_non_null(s = json_dumps(a, JSON_COMPACT));
	assert_string_equal(s,
	    "[\"expires in 20 days\",\"\\\"box\\\" does not match\"]");
	free(s);
	json_decref(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_check_with_no_problem_exits_0_and_says_ok),
		cmocka_unit_test(
		    test_status_names_follow_the_plugin_exit_codes),
		cmocka_unit_test(test_critical_outweighs_unknown_and_warning),
		cmocka_unit_test(test_problems_past_the_limit_still_count),
		cmocka_unit_test(test_problems_as_json_keep_their_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
