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

static const struct tool_opt greet_opts[] = {
	{ "--to", "name", "whom to greet" },
	{ "-l", NULL, "loudly" },
	{ "-f, --from", "name", "who greets" },
	{ NULL, NULL, NULL }
};

static const struct tool_cmd cmds[] = {
	{ "greet", cmd_greet, "say hello", greet_opts, 0 }
};
static const struct tool_cmd echo_cmd = { "echo", cmd_greet, "say it",
    greet_opts, 1 };

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
	assert_string_equal(err, "ss-test: unknown command 'frob'; "
	    "'ss-test help' lists the commands\n");
	free(err);
}

static void
test_misspelt_command_gets_a_suggestion(void **state)
{
	char	*argv[] = { "ss-test", "gret", NULL };
	char	*err;

	(void)state;
	capture_begin(2);
	assert_int_equal(run(2, argv), EX_USAGE);
	err = capture_end();
	assert_string_equal(err,
	    "ss-test: unknown command 'gret'; did you mean 'greet'?\n");
	free(err);
}

static void
test_no_command_logs_the_usage(void **state)
{
	char	*argv[] = { "ss-test", NULL };
	char	*err;

	(void)state;
	capture_begin(2);
	assert_int_equal(run(1, argv), EX_USAGE);
	err = capture_end();
	assert_string_equal(err,
	    "ss-test: usage: ss-test [-hnqvV] [-c file] command\n"
	    "ss-test:        ss-test greet [name]\n");
	free(err);
}

static void
test_usage_error_is_logged(void **state)
{
	char	*err;

	(void)state;
	log_init("ss-test");
	capture_begin(2);
	assert_int_equal(tool_usage("greet [name]"), EX_USAGE);
	err = capture_end();
	assert_string_equal(err, "ss-test: usage: ss-test greet [name]\n");
	free(err);
}

static int
wants_help(const struct tool_cmd *c, char *argv[])
{
	int	argc;

	for (argc = 0; argv[argc] != NULL; argc++)
		;
	return tool_wants_help(c, argc, argv);
}

static void
test_help_option_is_found_among_the_options(void **state)
{
	char	*a1[] = { "greet", "--help", NULL };
	char	*a2[] = { "greet", "-h", NULL };
	char	*a3[] = { "greet", "--to", "bob", "world", "--help", NULL };
	char	*a4[] = { "greet", "-lh", NULL };
	char	*a5[] = { "greet", "--to=x", "--unknown", "--help", NULL };

	(void)state;
	assert_true(wants_help(&cmds[0], a1));
	assert_true(wants_help(&cmds[0], a2));
	assert_true(wants_help(&cmds[0], a3));
	assert_true(wants_help(&cmds[0], a4));
	assert_true(wants_help(&cmds[0], a5));
}

static void
test_help_as_an_option_argument_is_no_help(void **state)
{
	char	*a1[] = { "greet", "--to", "--help", NULL };
	char	*a2[] = { "greet", "world", NULL };
	char	*a3[] = { "greet", "--", "--help", NULL };
	char	*a4[] = { "greet", "-f", "-h", NULL };
	char	*a5[] = { "greet", "--from", "--help", NULL };

	(void)state;
	assert_false(wants_help(&cmds[0], a1));
	assert_false(wants_help(&cmds[0], a2));
	assert_false(wants_help(&cmds[0], a3));
	assert_false(wants_help(&cmds[0], a4));
	assert_false(wants_help(&cmds[0], a5));
}

static void
test_help_after_an_in_order_operand_is_none(void **state)
{
	char	*a1[] = { "echo", "set", "-h", NULL };
	char	*a2[] = { "echo", "--help", NULL };

	(void)state;
	assert_false(wants_help(&echo_cmd, a1));
	assert_true(wants_help(&echo_cmd, a2));
}

static void
test_help_scan_leaves_the_arguments_in_order(void **state)
{
	char	*argv[] = { "greet", "world", "--to", "bob", "-l", NULL };

	(void)state;
	assert_false(wants_help(&cmds[0], argv));
	assert_string_equal(argv[1], "world");
	assert_string_equal(argv[2], "--to");
	assert_string_equal(argv[4], "-l");
}

static void
test_subcommand_help_goes_to_stdout_and_runs_nothing(void **state)
{
	char	*argv[] = { "ss-test", "greet", "--to", "bob", "--help",
	    NULL };
	char	*out;

	(void)state;
	argc_seen = 0;
	capture_begin(1);
	assert_int_equal(run(5, argv), 0);
	out = capture_end();
	assert_int_equal(argc_seen, 0);
	assert_string_equal(out, "usage: ss-test greet [name]\n\n"
	    "say hello\n\noptions:\n"
	    "  --to name        whom to greet\n"
	    "  -l               loudly\n"
	    "  -f, --from name  who greets\n");
	free(out);
}

static void
test_help_command_describes_a_command(void **state)
{
	char	*argv[] = { "ss-test", "help", "greet", NULL };
	char	*argv2[] = { "ss-test", "greet", "-h", NULL };
	char	*out, *out2;

	(void)state;
	capture_begin(1);
	assert_int_equal(run(3, argv), 0);
	out = capture_end();
	capture_begin(1);
	assert_int_equal(run(3, argv2), 0);
	out2 = capture_end();
	assert_string_equal(out, out2);
	free(out);
	free(out2);
}

static void
test_help_command_lists_the_commands(void **state)
{
	char	*argv[] = { "ss-test", "help", NULL };
	char	*out;

	(void)state;
	capture_begin(1);
	assert_int_equal(run(2, argv), 0);
	out = capture_end();
	assert_non_null(strstr(out,
	    "usage: ss-test [-hnqvV] [-c file] command\n"));
	assert_non_null(strstr(out, "\nglobal options:\n"
	    "  -c, --config file   read the configuration from file\n"));
	assert_non_null(strstr(out, "\ncommands:\n"
	    "  greet  say hello\n"
	    "  help   list the commands, or describe one\n"));
	free(out);
}

static void
test_help_for_an_unknown_command_is_a_usage_error(void **state)
{
	char	*argv[] = { "ss-test", "help", "gret", NULL };
	char	*err;

	(void)state;
	capture_begin(2);
	assert_int_equal(run(3, argv), EX_USAGE);
	err = capture_end();
	assert_string_equal(err,
	    "ss-test: unknown command 'gret'; did you mean 'greet'?\n");
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
	    "       ss-test greet [name]\n"
	    "'ss-test help COMMAND' describes a command and its options.\n");
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
		cmocka_unit_test(test_misspelt_command_gets_a_suggestion),
		cmocka_unit_test(test_no_command_logs_the_usage),
		cmocka_unit_test(test_usage_error_is_logged),
		cmocka_unit_test(test_help_goes_to_stdout),
		cmocka_unit_test(test_help_option_is_found_among_the_options),
		cmocka_unit_test(test_help_as_an_option_argument_is_no_help),
		cmocka_unit_test(test_help_after_an_in_order_operand_is_none),
		cmocka_unit_test(test_help_scan_leaves_the_arguments_in_order),
		cmocka_unit_test(
		    test_subcommand_help_goes_to_stdout_and_runs_nothing),
		cmocka_unit_test(test_help_command_describes_a_command),
		cmocka_unit_test(test_help_command_lists_the_commands),
		cmocka_unit_test(
		    test_help_for_an_unknown_command_is_a_usage_error),
		cmocka_unit_test(test_numbers_are_strict),
		cmocka_unit_test(test_json_report_is_indented_on_stdout),
		cmocka_unit_test(test_json_report_not_built_is_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
