/*
 * run: commands through /bin/sh, arguments never spliced in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <time.h>
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
	assert_int_equal(run_command("hook", "true", NULL, NULL, 5), 0);
}

static void
test_failure_names_the_command_and_status(void **state)
{
	char	*err;

	(void)state;
	capture_begin(2);
	assert_int_equal(run_command("deploy_hook", "exit 3", NULL, NULL, 5),
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
	assert_int_equal(run_command("hook", cmd, args, NULL, 5), 0);
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
	    "[ \"$RENEWED_NAMES\" = 'a b' ] && [ -n \"$PATH\" ]", NULL, env,
	    5), 0);
}

static void
test_stdout_goes_to_stderr(void **state)
{
	char	*out, *err;

	(void)state;
	capture_begin(1);
	assert_int_equal(run_command("hook", "echo hello", NULL, NULL, 5), 0);
	out = capture_end();
	capture_begin(2);
	assert_int_equal(run_command("hook", "echo hello", NULL, NULL, 5), 0);
	err = capture_end();
	assert_string_equal(out, "");
	assert_string_equal(err, "hello\n");
	free(out);
	free(err);
}

/* Seconds since the monotonic clock's epoch, as a double. */
static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
test_command_over_its_time_is_stopped(void **state)
{
	char	*err;
	double	 t0;

	(void)state;
	t0 = now();
	capture_begin(2);
	assert_int_equal(run_command("reset_command", "sleep 30", NULL, NULL,
	    1), EX_TEMPFAIL);
	err = capture_end();
	assert_true(now() - t0 < 3);
	assert_string_equal(err, "test_run: reset_command: 'sleep 30' did not "
	    "finish within 1 s: stopped\n");
	free(err);
}

/* Whether PID runs: it exists and is not a zombie waiting for init. */
static int
running(int pid)
{
	char	path[64], buf[512], *p;
	FILE	*f;
	int	run = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) != NULL &&
	    (p = strrchr(buf, ')')) != NULL)
		run = p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
	fclose(f);
	return run;
}

/* What the command started goes too: its whole process group. */
static void
test_stopping_takes_the_commands_children(void **state)
{
	char		 cmd[4096], path[4096], *pid;
	const char	*dir = *state;

	snprintf(cmd, sizeof(cmd), "sleep 30 & echo $! >%s/child; wait", dir);
	capture_begin(2);
	assert_int_equal(run_command("hook", cmd, NULL, NULL, 1),
	    EX_TEMPFAIL);
	free(capture_end());
	snprintf(path, sizeof(path), "%s/child", dir);
	pid = slurp(path);
	usleep(100000);
	assert_false(running(atoi(pid)));
	free(pid);
}

/* One that ignores SIGTERM gets SIGKILL after the grace period. */
static void
test_command_ignoring_sigterm_is_killed(void **state)
{
	double	t0;

	(void)state;
	t0 = now();
	capture_begin(2);
	assert_int_equal(run_command("hook", "trap '' TERM; sleep 30; :", NULL,
	    NULL, 1), EX_TEMPFAIL);
	free(capture_end());
	assert_true(now() - t0 < 1 + RUN_KILL_GRACE + 2);
	assert_true(now() - t0 >= 1 + RUN_KILL_GRACE - 0.5);
}

static void
count_tick(void *arg)
{
	(*(int *)arg)++;
}

/* The caller's tick runs while the command does, and only then. */
static void
test_tick_runs_while_the_command_does(void **state)
{
	struct run_tick	tick = { 50, count_tick, NULL };
	int		n = 0;

	(void)state;
	tick.arg = &n;
	assert_int_equal(run_command_ticking("hook", "sleep 0.5", NULL, NULL,
	    5, &tick), 0);
	assert_in_range(n, 7, 10);
	n = 0;
	assert_int_equal(run_command_ticking("hook", "true", NULL, NULL, 5,
	    &tick), 0);
	assert_in_range(n, 0, 1);
}

static volatile sig_atomic_t	interrupted;

static void
on_int(int sig)
{
	(void)sig;
	interrupted++;
}

/*
 * Ctrl-C reaches only us (the command has its own process group): the
 * command is stopped with what it started, and the signal comes back to
 * our own handler.
 */
static void
test_interrupt_stops_the_command_and_comes_back_to_us(void **state)
{
	struct sigaction	 sa, old;
	struct sigevent		 sev;
	struct itimerspec	 its;
	timer_t			 timer;
	char			 cmd[4096], path[4096], *pid, *err;
	const char		*dir = *state;
	double			 t0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_int;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	interrupted = 0;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGINT;
	assert_int_equal(timer_create(CLOCK_MONOTONIC, &sev, &timer), 0);
	memset(&its, 0, sizeof(its));
	its.it_value.tv_nsec = 300 * 1000000;
	assert_int_equal(timer_settime(timer, 0, &its, NULL), 0);

	snprintf(cmd, sizeof(cmd), "sleep 30 & echo $! >%s/child; wait", dir);
	t0 = now();
	capture_begin(2);
	assert_int_equal(run_command("deploy_hook", cmd, NULL, NULL, 60),
	    EX_TEMPFAIL);
	err = capture_end();
	timer_delete(timer);
	sigaction(SIGINT, &old, NULL);
	assert_true(now() - t0 < 3);
	assert_int_equal(interrupted, 1);
	assert_non_null(strstr(err, "stopped on signal 2"));
	free(err);
	snprintf(path, sizeof(path), "%s/child", dir);
	pid = slurp(path);
	usleep(100000);
	assert_false(running(atoi(pid)));
	free(pid);
}

/* What the command writes to stdout comes back, and nothing to stderr. */
static void
test_output_is_captured(void **state)
{
	char	 buf[64], *err;
	size_t	 len;

	(void)state;
	capture_begin(2);
	assert_int_equal(run_command_output("checkip", "printf '1 2\\n'; "
	    "printf 3", 5, buf, sizeof(buf), &len), 0);
	err = capture_end();
	assert_int_equal(len, 5);
	assert_memory_equal(buf, "1 2\n3", 5);
	assert_string_equal(err, "");
	free(err);
}

/* Up to the buffer's size is fine; one byte more is refused. */
static void
test_output_longer_than_the_buffer_is_refused(void **state)
{
	char	 buf[8], *err;
	size_t	 len;

	(void)state;
	assert_int_equal(run_command_output("checkip", "printf 12345678", 5,
	    buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 8);
	capture_begin(2);
	assert_int_equal(run_command_output("checkip", "printf 123456789", 5,
	    buf, sizeof(buf), &len), EX_DATAERR);
	err = capture_end();
	assert_string_equal(err, "test_run: checkip: 'printf 123456789' "
	    "said more than 8 bytes\n");
	free(err);
}

/* A command that never stops talking is cut off, not read forever. */
static void
test_endless_output_is_cut_off(void **state)
{
	char	 buf[4096];
	size_t	 len;
	double	 t0;

	(void)state;
	t0 = now();
	capture_begin(2);
	assert_int_equal(run_command_output("checkip", "yes", 30, buf,
	    sizeof(buf), &len), EX_DATAERR);
	free(capture_end());
	assert_true(now() - t0 < 5);
}

/* A command that hangs is stopped at the limit, its status a retry. */
static void
test_output_command_that_hangs_is_stopped(void **state)
{
	char	 buf[64], *err;
	size_t	 len;
	double	 t0;

	(void)state;
	t0 = now();
	capture_begin(2);
	assert_int_equal(run_command_output("checkip", "echo 1; sleep 300",
	    1, buf, sizeof(buf), &len), EX_TEMPFAIL);
	err = capture_end();
	assert_true(now() - t0 < 1 + 2);
	assert_string_equal(err, "test_run: checkip: 'echo 1; sleep 300' did "
	    "not finish within 1 s: stopped\n");
	free(err);
}

static void
test_output_command_failure_names_the_status(void **state)
{
	char	 buf[64], *err;
	size_t	 len;

	(void)state;
	capture_begin(2);
	assert_int_equal(run_command_output("checkip", "echo 1; exit 4", 5,
	    buf, sizeof(buf), &len), EX_UNAVAILABLE);
	err = capture_end();
	assert_string_equal(err, "test_run: checkip: 'echo 1; exit 4' "
	    "exited 4\n");
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
		cmocka_unit_test_setup_teardown(
		    test_command_over_its_time_is_stopped, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stopping_takes_the_commands_children, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_command_ignoring_sigterm_is_killed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_tick_runs_while_the_command_does, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_interrupt_stops_the_command_and_comes_back_to_us,
		    setup, teardown),
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_output_is_captured),
		T(test_output_longer_than_the_buffer_is_refused),
		T(test_endless_output_is_cut_off),
		T(test_output_command_that_hangs_is_stopped),
		T(test_output_command_failure_names_the_status),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
