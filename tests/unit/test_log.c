/*
 * log: prefix, levels, journal priorities, and nothing on stdout.
 */
#include <sys/stat.h>
#include <sys/wait.h>

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

/* Who the journal's stream is in the child, for said_in_child. */
enum stream {
	STREAM_NONE,		/* JOURNAL_STREAM unset */
	STREAM_STDERR,		/* set to stderr's device and inode */
	STREAM_OTHER,		/* set to another pipe's */
	STREAM_GARBAGE		/* set to something else */
};

/*
 * What a child, its stderr a pipe and JOURNAL_STREAM as S says, writes
 * at every level from log_init on; the caller frees it.
 */
static char *
said_in_child(enum stream s)
{
	struct stat	 st;
	char		 v[64];
	FILE		*f;
	char		*said;
	pid_t		 pid;
	int		 fds[2], other[2], status;

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(pipe(other), 0);
	fflush(NULL);
	assert_int_not_equal(pid = fork(), -1);
	if (pid == 0) {
		if (dup2(fds[1], STDERR_FILENO) == -1 ||
		    fstat(s == STREAM_OTHER ? other[1] : STDERR_FILENO,
		    &st) == -1)
			_exit(1);
		snprintf(v, sizeof(v), "%llu:%llu",
		    (unsigned long long)st.st_dev,
		    (unsigned long long)st.st_ino);
		if (s == STREAM_NONE)
			unsetenv("JOURNAL_STREAM");
		else
			setenv("JOURNAL_STREAM", s == STREAM_GARBAGE ?
			    "8:x" : v, 1);
		log_init("/usr/sbin/ss-cert");
		log_set_level(LOG_LEVEL_DEBUG);
		log_err("broken %d", 1);
		log_warn("careful");
		log_info("fyi");
		log_debug("details");
		log_err("first line\nsecond line\n");
		_exit(0);
	}
	close(fds[1]);
	close(other[0]);
	close(other[1]);
	assert_non_null(f = fdopen(fds[0], "r"));
	said = slurp_stream(f);
	fclose(f);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return said;
}

static void
test_journal_lines_carry_their_priority(void **state)
{
	char	*said;

	(void)state;
	said = said_in_child(STREAM_STDERR);
	assert_string_equal(said,
	    "<3>ss-cert: broken 1\n"
	    "<4>ss-cert: warning: careful\n"
	    "<6>ss-cert: fyi\n"
	    "<7>ss-cert: debug: details\n"
	    "<3>ss-cert: first line\n"
	    "<3>ss-cert: second line\n");
	free(said);
}

static void
test_a_pipe_or_a_file_gets_no_priority(void **state)
{
	static const char	 plain[] =
	    "ss-cert: broken 1\n"
	    "ss-cert: warning: careful\n"
	    "ss-cert: fyi\n"
	    "ss-cert: debug: details\n"
	    "ss-cert: first line\nsecond line\n\n";
	static const enum stream s[] = { STREAM_NONE, STREAM_OTHER,
	    STREAM_GARBAGE };
	char			*said;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		said = said_in_child(s[i]);
		assert_string_equal(said, plain);
		free(said);
	}
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
		cmocka_unit_test(test_journal_lines_carry_their_priority),
		cmocka_unit_test(test_a_pipe_or_a_file_gets_no_priority),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
