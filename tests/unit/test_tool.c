/*
 * tool: the shared main(): options, dispatch, numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <cmocka.h>
#include <jansson.h>

#include "log.h"
#include "tool.h"
#include "util.h"

static const char *const synopsis[] = { "[-hnqvV] [-c file] command",
    "greet [name]", NULL };
static int		 dry_run_seen, argc_seen;
static const char	*arg_seen;

static int
cmd_greet(struct tool_env *e, int argc, char *argv[])
{
	dry_run_seen = e->dry_run;
	argc_seen = argc;
	arg_seen = argc > 1 ? argv[1] : NULL;
	return 7;
}

static const struct tool_cmd cmds[] = { { "greet", cmd_greet } };

static int
run(int argc, char **argv)
{
	return tool_main(argc, argv, synopsis, cmds, 1);
}

static void
test_dispatch_passes_the_subcommand_its_arguments(void **state)
{
	char	*argv[] = { "ss-test", "-n", "greet", "world", NULL };

	(void)state;
	assert_int_equal(run(4, argv), 7);
	assert_int_equal(dry_run_seen, 1);
	assert_int_equal(argc_seen, 2);
	assert_string_equal(arg_seen, "world");
}

static void
test_unknown_command_is_a_usage_error(void **state)
{
	char	*argv[] = { "ss-test", "frob", NULL };
	char	*err;

	(void)state;
	capture_begin(2);
	assert_int_equal(run(2, argv), EX_USAGE);
	err = capture_end();
	assert_non_null(strstr(err, "ss-test: unknown command 'frob'\n"));
	assert_non_null(strstr(err, "usage: ss-test [-hnqvV]"));
	assert_non_null(strstr(err, "       ss-test greet [name]\n"));
	free(err);
}

static void
test_help_goes_to_stdout(void **state)
{
	char	*argv[] = { "ss-test", "--help", NULL };
	char	*out;

	(void)state;
	capture_begin(1);
	assert_int_equal(run(2, argv), 0);
	out = capture_end();
	assert_string_equal(out, "usage: ss-test [-hnqvV] [-c file] command\n"
	    "       ss-test greet [name]\n");
	free(out);
}

static void
test_numbers_are_strict(void **state)
{
	long	n = 0;
	char	*err;

	(void)state;
	log_init("ss-test");
	assert_int_equal(tool_num("--days", "30", 1, 365, &n), 0);
	assert_int_equal(n, 30);
	capture_begin(2);
	assert_int_equal(tool_num("--days", "30x", 1, 365, &n), EX_USAGE);
	assert_int_equal(tool_num("--days", "", 1, 365, &n), EX_USAGE);
	assert_int_equal(tool_num("--days", "366", 1, 365, &n), EX_USAGE);
	assert_int_equal(tool_num("--days", "99999999999999999999", 1, 365,
	    &n), EX_USAGE);
	err = capture_end();
	assert_non_null(strstr(err,
	    "ss-test: --days: '30x' is not a number from 1 to 365\n"));
	free(err);
	assert_int_equal(n, 30);
}

static void
test_json_report_is_indented_on_stdout(void **state)
{
	char	*out;

	(void)state;
	capture_begin(1);
	assert_int_equal(tool_print_json(json_pack("{s:s, s:i}", "status",
	    "OK", "days_left", 30)), 0);
	out = capture_end();
	assert_string_equal(out,
	    "{\n  \"status\": \"OK\",\n  \"days_left\": 30\n}\n");
	free(out);
}

static void
test_json_report_not_built_is_out_of_memory(void **state)
{
	char	*err;

	(void)state;
	log_init("ss-test");
	capture_begin(2);
	assert_int_equal(tool_print_json(NULL), EX_OSERR);
	err = capture_end();
	assert_string_equal(err, "ss-test: out of memory\n");
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_dispatch_passes_the_subcommand_its_arguments),
		cmocka_unit_test(test_unknown_command_is_a_usage_error),
		cmocka_unit_test(test_help_goes_to_stdout),
		cmocka_unit_test(test_numbers_are_strict),
		cmocka_unit_test(test_json_report_is_indented_on_stdout),
		cmocka_unit_test(test_json_report_not_built_is_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
