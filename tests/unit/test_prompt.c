/*
 * prompt: lines from a descriptor as scripts feed them, and the terminal
 * path through a real pseudo-terminal.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "prompt.h"
#include "util.h"

/* A descriptor that yields TEXT, then end of input. */
static int
feed(const char *text)
{
	int	p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], text, strlen(text)),
	    (ssize_t)strlen(text));
	close(p[1]);
	return p[0];
}

static void
assert_wiped(const char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		assert_int_equal(buf[i], '\0');
}

static void
test_fd_lines_come_in_order(void **state)
{
	char	buf[64];
	int	fd;

	(void)state;
	fd = feed("first\nsecond\nlast without newline");
	assert_int_equal(prompt_secret("Password: ", fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "first");
	assert_int_equal(prompt_secret("Password: ", fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "second");
	assert_int_equal(prompt_secret("Password: ", fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "last without newline");
	close(fd);
}

static void
test_fd_empty_line_is_empty_secret(void **state)
{
	char	buf[16];
	int	fd;

	(void)state;
	fd = feed("\nnext\n");
	assert_int_equal(prompt_secret(NULL, fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(prompt_secret(NULL, fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "next");
	close(fd);
}

static void
test_fd_end_of_input_is_noinput(void **state)
{
	char	buf[16];
	int	fd;

	(void)state;
	fd = feed("only\n");
	assert_int_equal(prompt_secret(NULL, fd, buf, sizeof(buf)), 0);
	memset(buf, 'x', sizeof(buf));
	capture_begin(STDERR_FILENO);
	assert_int_equal(prompt_secret(NULL, fd, buf, sizeof(buf)),
	    EX_NOINPUT);
	free(capture_end());
	assert_wiped(buf, sizeof(buf));
	close(fd);
}

static void
test_fd_line_of_len_minus_one_fits(void **state)
{
	char	buf[8];
	int	fd;

	(void)state;
	fd = feed("1234567\n1234567");
	assert_int_equal(prompt_secret(NULL, fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1234567");
	assert_int_equal(prompt_secret(NULL, fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1234567");
	close(fd);
}

static void
test_fd_long_line_is_refused_and_skipped(void **state)
{
	char	buf[8], *err;
	int	fd;

	(void)state;
	fd = feed("12345678\nnext\n");
	capture_begin(STDERR_FILENO);
	assert_int_equal(prompt_secret(NULL, fd, buf, sizeof(buf)),
	    EX_DATAERR);
	err = capture_end();
	assert_non_null(strstr(err, "password too long"));
	free(err);
	assert_wiped(buf, sizeof(buf));
	assert_int_equal(prompt_secret(NULL, fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "next");
	close(fd);
}

static void
test_stdin_is_read_when_not_a_tty(void **state)
{
	char	buf[16];
	int	fd, saved;

	(void)state;
	fd = feed("from stdin\n");
	assert_int_not_equal(saved = dup(STDIN_FILENO), -1);
	dup2(fd, STDIN_FILENO);
	close(fd);
	assert_int_equal(prompt_secret("Password: ", -1, buf, sizeof(buf)),
	    0);
	dup2(saved, STDIN_FILENO);
	close(saved);
	assert_string_equal(buf, "from stdin");
}

static void
test_twice_accepts_matching_lines(void **state)
{
	char	buf[16];
	int	fd;

	(void)state;
	fd = feed("s3cret\ns3cret\nnext\n");
	assert_int_equal(prompt_secret_twice("New password: ", fd, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "s3cret");
	assert_int_equal(prompt_secret(NULL, fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "next");
	close(fd);
}

static void
test_twice_refuses_mismatch(void **state)
{
	static const char *pairs[] = { "abc\nabd\n", "abc\nabcd\n",
	    "abcd\nabc\n" };
	char	 buf[16], *err;
	size_t	 i;
	int	 fd;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		fd = feed(pairs[i]);
		capture_begin(STDERR_FILENO);
		assert_int_equal(prompt_secret_twice("New password: ", fd, buf,
		    sizeof(buf)), EX_DATAERR);
		err = capture_end();
		assert_non_null(strstr(err, "passwords do not match"));
		free(err);
		assert_wiped(buf, sizeof(buf));
		close(fd);
	}
}

static void
test_twice_end_of_input_after_first_is_noinput(void **state)
{
	char	buf[16];
	int	fd;

	(void)state;
	fd = feed("abc\n");
	capture_begin(STDERR_FILENO);
	assert_int_equal(prompt_secret_twice("New password: ", fd, buf,
	    sizeof(buf)), EX_NOINPUT);
	free(capture_end());
	assert_wiped(buf, sizeof(buf));
	close(fd);
}

static void
test_parse_fd_accepts_decimal_only(void **state)
{
	static const char *bad[] = { "", "-1", "+3", " 3", "3 ", "3x", "0x3",
	    "2147483648", "99999999999999999999" };
	size_t	i;

	(void)state;
	assert_int_equal(prompt_parse_fd("0"), 0);
	assert_int_equal(prompt_parse_fd("3"), 3);
	assert_int_equal(prompt_parse_fd("007"), 7);
	assert_int_equal(prompt_parse_fd("2147483647"), INT_MAX);
	assert_int_equal(prompt_parse_fd(NULL), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(prompt_parse_fd(bad[i]), -1);
}

static void
test_fd_option_names_what_is_wrong(void **state)
{
	char	*err;
	int	 fd = -1;

	(void)state;
	assert_int_equal(prompt_fd_option("4", &fd), 0);
	assert_int_equal(fd, 4);
	capture_begin(2);
	assert_int_equal(prompt_fd_option("4x", &fd), EX_USAGE);
	err = capture_end();
	assert_string_equal(err,
	    "test_prompt: --password-fd: '4x' is not a file descriptor\n");
	free(err);
}

static void
test_yes_is_y_or_yes_one_line_at_a_time(void **state)
{
	int	fd;

	(void)state;
	fd = feed("y\nYes\nn\nyesno\n\nyes, certainly\nY");
	assert_int_equal(prompt_yes("Sure? [y/N] ", fd), 1);
	assert_int_equal(prompt_yes("Sure? [y/N] ", fd), 1);
	assert_int_equal(prompt_yes("Sure? [y/N] ", fd), 0);
	assert_int_equal(prompt_yes("Sure? [y/N] ", fd), 0);
	assert_int_equal(prompt_yes("Sure? [y/N] ", fd), 0);
	assert_int_equal(prompt_yes("Sure? [y/N] ", fd), 0);
	/* The last line needs no newline; then end of input is no. */
	assert_int_equal(prompt_yes("Sure? [y/N] ", fd), 1);
	assert_int_equal(prompt_yes("Sure? [y/N] ", fd), 0);
	close(fd);
}

/* What the child on the pseudo-terminal saw, sent back through a pipe. */
struct tty_result {
	int	rv;
	int	echo_after;	/* ECHO set again once prompt_secret returned */
	int	signalled;	/* the program's own SIGINT handler ran */
	char	buf[64];
};

static volatile sig_atomic_t	 child_sigint;

static void
child_on_sigint(int sig)
{
	(void)sig;
	child_sigint = 1;
}

enum pty_call { PTY_SECRET, PTY_TWICE, PTY_YES };

/*
 * Runs prompt_secret (or prompt_secret_twice, or prompt_yes) in a child
 * whose controlling terminal is a new pty, answering each prompt of
 * PROMPTS with the matching line of ANSWERS.  Returns what the terminal
 * showed.
 */
static char *
run_on_pty(enum pty_call call, const char *const *prompts,
    const char *const *answers, struct tty_result *res)
{
	struct sigaction sa;
	struct termios	 t;
	struct pollfd	 pfd;
	char		*out;
	size_t		 len = 0;
	ssize_t		 n;
	pid_t		 pid;
	int		 master, p[2], st;

	assert_int_equal(pipe(p), 0);
	assert_non_null(out = calloc(1, 4096));
	assert_int_not_equal(pid = forkpty(&master, NULL, NULL, NULL), -1);
	if (pid == 0) {
		memset(res, 0, sizeof(*res));
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = child_on_sigint;
		sigaction(SIGINT, &sa, NULL);
		if (call == PTY_YES)
			res->rv = prompt_yes(prompts[0], -1);
		else if (call == PTY_TWICE)
			res->rv = prompt_secret_twice(prompts[0], -1, res->buf,
			    sizeof(res->buf));
		else
			res->rv = prompt_secret(prompts[0], -1, res->buf,
			    sizeof(res->buf));
		res->echo_after = tcgetattr(STDIN_FILENO, &t) == 0 &&
		    (t.c_lflag & ECHO) != 0;
		res->signalled = child_sigint;
		_exit(write(p[1], res, sizeof(*res)) == sizeof(*res) ? 0 : 1);
	}
	close(p[1]);
	pfd.fd = master;
	pfd.events = POLLIN;
	for (;;) {
		if (*prompts != NULL && strstr(out, *prompts) != NULL) {
			/* Answer once the prompt is out: echo is off by then. */
			assert_int_equal(write(master, *answers,
			    strlen(*answers)), (ssize_t)strlen(*answers));
			prompts++;
			answers++;
		}
		/* Long enough for a child under qemu-user. */
		if (poll(&pfd, 1, 30000) != 1)
			break;
		if ((n = read(master, out + len, 4095 - len)) <= 0)
			break;
		len += (size_t)n;
	}
	if (*prompts != NULL) {
		/* A child still waiting would keep waitpid waiting too. */
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		fail_msg("'%s' never came; the terminal showed '%s'",
		    *prompts, out);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(read(p[0], res, sizeof(*res)), sizeof(*res));
	close(p[0]);
	close(master);
	return out;
}

static void
test_tty_reads_without_echo_and_restores_it(void **state)
{
	static const char *const prompts[] = { "Password: ", NULL };
	static const char *const answers[] = { "hunter2\n" };
	struct tty_result	 res;
	char			*shown;

	(void)state;
	shown = run_on_pty(PTY_SECRET, prompts, answers, &res);
	assert_int_equal(res.rv, 0);
	assert_string_equal(res.buf, "hunter2");
	assert_true(res.echo_after);
	assert_non_null(strstr(shown, "Password: "));
	assert_null(strstr(shown, "hunter2"));
	free(shown);
}

static void
test_tty_twice_asks_repeat_in_lowercase(void **state)
{
	static const char *const prompts[] = { "New password: ",
	    "Repeat new password: ", NULL };
	static const char *const answers[] = { "pw\n", "pw\n" };
	struct tty_result	 res;
	char			*shown;

	(void)state;
	shown = run_on_pty(PTY_TWICE, prompts, answers, &res);
	assert_int_equal(res.rv, 0);
	assert_string_equal(res.buf, "pw");
	assert_non_null(strstr(shown, "Repeat new password: "));
	free(shown);
}

static void
test_tty_interrupt_restores_echo_then_delivers(void **state)
{
	static const char *const prompts[] = { "Password: ", NULL };
	static const char *const answers[] = { "\003" };
	struct tty_result	 res;

	(void)state;
	free(run_on_pty(PTY_SECRET, prompts, answers, &res));
	assert_int_equal(res.rv, EX_IOERR);
	assert_true(res.echo_after);
	assert_true(res.signalled);
	assert_wiped(res.buf, sizeof(res.buf));
}

static void
test_tty_yes_is_asked_with_echo(void **state)
{
	static const char *const prompts[] = { "Restore it? [y/N] ", NULL };
	static const char *const answers[] = { "yes\n" };
	struct tty_result	 res;
	char			*shown;

	(void)state;
	shown = run_on_pty(PTY_YES, prompts, answers, &res);
	assert_int_equal(res.rv, 1);
	assert_true(res.echo_after);
	assert_non_null(strstr(shown, "Restore it? [y/N] yes"));
	free(shown);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd_lines_come_in_order),
		cmocka_unit_test(test_fd_empty_line_is_empty_secret),
		cmocka_unit_test(test_fd_end_of_input_is_noinput),
		cmocka_unit_test(test_fd_line_of_len_minus_one_fits),
		cmocka_unit_test(test_fd_long_line_is_refused_and_skipped),
		cmocka_unit_test(test_stdin_is_read_when_not_a_tty),
		cmocka_unit_test(test_twice_accepts_matching_lines),
		cmocka_unit_test(test_twice_refuses_mismatch),
		cmocka_unit_test(test_twice_end_of_input_after_first_is_noinput),
		cmocka_unit_test(test_parse_fd_accepts_decimal_only),
		cmocka_unit_test(test_fd_option_names_what_is_wrong),
		cmocka_unit_test(test_yes_is_y_or_yes_one_line_at_a_time),
		cmocka_unit_test(test_tty_reads_without_echo_and_restores_it),
		cmocka_unit_test(test_tty_twice_asks_repeat_in_lowercase),
		cmocka_unit_test(test_tty_interrupt_restores_echo_then_delivers),
		cmocka_unit_test(test_tty_yes_is_asked_with_echo),
	};

	log_init("test_prompt");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
