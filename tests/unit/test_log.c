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

/* Runs FN with fd FD sent to a temp file; returns what was written. */
static char *
capture(int fd, void (*fn)(void))
{
	static char	buf[4096];
	FILE		*tmp = tmpfile();
	int		 saved;
	size_t		 n;

	assert_non_null(tmp);
	fflush(NULL);
	saved = dup(fd);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), fd) >= 0);
	fn();
	fflush(NULL);
	assert_true(dup2(saved, fd) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return buf;
}

static void
say_all(void)
{
	log_err("broken %d", 1);
	log_warn("careful");
	log_info("fyi");
	log_debug("details");
}

static void
test_messages_carry_the_program_name(void **state)
{
	(void)state;
	log_init("/usr/sbin/ss-cert");
	assert_string_equal(log_progname(), "ss-cert");
	assert_string_equal(capture(2, say_all),
	    "ss-cert: broken 1\n"
	    "ss-cert: warning: careful\n"
	    "ss-cert: fyi\n");
}

static void
test_verbose_adds_debug(void **state)
{
	(void)state;
	log_init("ss-test");
	log_set_level(LOG_LEVEL_DEBUG);
	assert_non_null(strstr(capture(2, say_all), "ss-test: debug: details\n"));
}

static void
test_quiet_keeps_only_errors(void **state)
{
	(void)state;
	log_init("ss-test");
	log_set_level(LOG_LEVEL_ERR);
	assert_string_equal(capture(2, say_all), "ss-test: broken 1\n");
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
	(void)state;
	log_init("ss-test");
	log_set_level(LOG_LEVEL_DEBUG);
	assert_string_equal(capture(1, say_all), "");
}

static void
test_syslog_takes_over_from_stderr(void **state)
{
	(void)state;
	log_init("ss-test");
	log_use_syslog(1);
	assert_string_equal(capture(2, say_all), "");
	log_use_syslog(0);
	assert_string_not_equal(capture(2, say_all), "");
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
