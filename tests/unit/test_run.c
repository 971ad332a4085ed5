/*
 * run: commands through /bin/sh, arguments never spliced in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "run.h"
#include "util.h"

static int
setup(void **state)
{
	log_init("test_run");
	return (*state = tmpdir_new("test_run")) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	return tmpdir_free(*state);
}

static void
test_exit_zero_is_success(void **state)
{
	(void)state;
	assert_int_equal(run_command("hook", "true", NULL, NULL), 0);
}

static void
test_failure_names_the_command_and_status(void **state)
{
	char	*err;

	(void)state;
	capture_begin(2);
	assert_int_equal(run_command("deploy_hook", "exit 3", NULL, NULL),
	    EX_UNAVAILABLE);
	err = capture_end();
	assert_string_equal(err, "test_run: deploy_hook: 'exit 3' exited 3\n");
	free(err);
}

static void
test_arguments_are_never_spliced(void **state)
{
	char		 cmd[4096], *const args[] = { "set", "x; touch pwned",
	    "$(touch pwned2)", NULL };
	const char	*dir = *state;
	char		*got;

	snprintf(cmd, sizeof(cmd), "cd %s && printf '%%s|' >out", dir);
	assert_int_equal(run_command("hook", cmd, args, NULL), 0);
	snprintf(cmd, sizeof(cmd), "%s/out", dir);
	got = slurp(cmd);
	assert_string_equal(got, "set|x; touch pwned|$(touch pwned2)|");
	free(got);
	snprintf(cmd, sizeof(cmd), "%s/pwned", dir);
	assert_int_not_equal(access(cmd, F_OK), 0);
	snprintf(cmd, sizeof(cmd), "%s/pwned2", dir);
	assert_int_not_equal(access(cmd, F_OK), 0);
}

static void
test_environment_is_added(void **state)
{
	char *const	env[] = { "RENEWED_NAMES=a b", NULL };

	(void)state;
	assert_int_equal(run_command("hook",
	    "[ \"$RENEWED_NAMES\" = 'a b' ] && [ -n \"$PATH\" ]", NULL, env), 0);
}

static void
test_stdout_goes_to_stderr(void **state)
{
	char	*out, *err;

	(void)state;
	capture_begin(1);
	assert_int_equal(run_command("hook", "echo hello", NULL, NULL), 0);
	out = capture_end();
	capture_begin(2);
	assert_int_equal(run_command("hook", "echo hello", NULL, NULL), 0);
	err = capture_end();
	assert_string_equal(out, "");
	assert_string_equal(err, "hello\n");
	free(out);
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exit_zero_is_success,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_failure_names_the_command_and_status, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_arguments_are_never_spliced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_environment_is_added,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdout_goes_to_stderr,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
