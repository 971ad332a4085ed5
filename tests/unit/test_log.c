/*
 * log: prefix, levels, and nothing on stdout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "util.h"

/* Logs at every level; returns what went to FD, to be freed. */
static char *
say_all(int fd)
{
	capture_begin(fd);
	log_err("broken %d", 1);
	log_warn("careful");
	log_info("fyi");
	log_debug("details");
	return capture_end();
}

static void
test_messages_carry_the_program_name(void **state)
{
	char	*said;

	(void)state;
	log_init("/usr/sbin/ss-cert");
	assert_string_equal(log_progname(), "ss-cert");
	said = say_all(STDERR_FILENO);
	assert_string_equal(said,
	    "ss-cert: broken 1\n"
	    "ss-cert: warning: careful\n"
	    "ss-cert: fyi\n");
	free(said);
}

static void
test_verbose_adds_debug(void **state)
{
	char	*said;

	(void)state;
	log_init("ss-test");
	log_set_level(LOG_LEVEL_DEBUG);
	said = say_all(STDERR_FILENO);
	assert_non_null(strstr(said, "ss-test: debug: details\n"));
	free(said);
}

static void
test_quiet_keeps_only_errors(void **state)
{
	char	*said;

	(void)state;
	log_init("ss-test");
	log_set_level(LOG_LEVEL_ERR);
	said = say_all(STDERR_FILENO);
	assert_string_equal(said, "ss-test: broken 1\n");
	free(said);
}

static void
test_levels_are_clamped(void **state)
{
	(void)state;
	log_init("ss-test");
	log_set_level(LOG_LEVEL_DEBUG + 3);
	assert_int_equal(log_get_level(), LOG_LEVEL_DEBUG);
	log_set_level((enum log_level)-2);
	assert_int_equal(log_get_level(), LOG_LEVEL_ERR);
}

static void
test_nothing_goes_to_stdout(void **state)
{
	char	*said;

	(void)state;
	log_init("ss-test");
	log_set_level(LOG_LEVEL_DEBUG);
	said = say_all(STDOUT_FILENO);
	assert_string_equal(said, "");
	free(said);
}

static void
test_syslog_takes_over_from_stderr(void **state)
{
	char	*said;

	(void)state;
	log_init("ss-test");
	log_use_syslog(1);
	said = say_all(STDERR_FILENO);
	assert_string_equal(said, "");
	free(said);
	log_use_syslog(0);
	said = say_all(STDERR_FILENO);
	assert_string_not_equal(said, "");
	free(said);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messages_carry_the_program_name),
		cmocka_unit_test(test_verbose_adds_debug),
		cmocka_unit_test(test_quiet_keeps_only_errors),
		cmocka_unit_test(test_levels_are_clamped),
		cmocka_unit_test(test_nothing_goes_to_stdout),
		cmocka_unit_test(test_syslog_takes_over_from_stderr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
