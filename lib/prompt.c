/*
 * prompt: secrets from the terminal with echo off, or one line at a time
 * from a descriptor; and y/N questions.  Reads go a byte at a time so
 * that nothing past the newline is consumed: the next prompt, or the next
 * program reading the same pipe, gets the next line.
 */
#define _GNU_SOURCE		/* ppoll */
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <paths.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "prompt.h"
#include "secret.h"

#define ANSWER_MAX	8	/* bytes of a y/N answer, with the NUL */

/* Signals that would otherwise leave the terminal without echo. */
static const int		 tty_signals[] = { SIGHUP, SIGINT, SIGQUIT,
    SIGTERM };
#define NTTY_SIGNALS	(sizeof(tty_signals) / sizeof(tty_signals[0]))

static volatile sig_atomic_t	 caught;

static void
catch_signal(int sig)
{
	caught = sig;
}

/*
 * Until FD can be read, with the signals of tty_signals let in only while
 * waiting: one that came between a look at caught and a blocking read
 * would leave the read waiting for the next key.  MASK is the mask to
 * wait with.  0 when FD is readable (or at its end), 1 when a signal was
 * caught, -1 on an error.
 */
static int
read_wait(int fd, const sigset_t *mask)
{
	struct pollfd	 pfd;

	for (;;) {
		if (caught)
			return 1;
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (ppoll(&pfd, 1, NULL, mask) >= 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

/*
 * One line from FD into BUF without its newline.  A line that does not
 * fit is still read to its end so that the next read starts on the next
 * line.  The signals of tty_signals are blocked but while waiting for a
 * byte, and one still pending is delivered on the way out.
 */
static int
read_line(int fd, char *buf, size_t len)
{
	sigset_t block, mask;
	size_t	 i, n = 0;
	ssize_t	 r;
	char	 c;
	int	 any = 0, rv = 0, w;

	sigemptyset(&block);
	for (i = 0; i < NTTY_SIGNALS; i++)
		sigaddset(&block, tty_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &mask);
	for (;;) {
		if ((w = read_wait(fd, &mask)) == 1) {
			log_err("reading password: interrupted");
			rv = EX_IOERR;
			break;
		}
		if (w == -1 || (r = read(fd, &c, 1)) == -1) {
			if (w != -1 && errno == EINTR)
				continue;
			log_err("reading password: %s", strerror(errno));
			rv = EX_IOERR;
			break;
		}
		if (r == 0) {
			if (!any) {
				log_err("reading password: end of input");
				rv = EX_NOINPUT;
			}
			break;
		}
		any = 1;
		if (c == '\n')
			break;
		if (n < len - 1)
			buf[n++] = c;
		else if (rv == 0) {
			log_err("password too long (more than %zu bytes)",
			    len - 1);
			rv = EX_DATAERR;
		}
	}
	buf[n] = '\0';
	if (rv != 0)
		secret_zero(buf, len);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	return rv;
}

static int
write_all(int fd, const char *s)
{
	size_t	 len = strlen(s);
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, s, len)) == -1) {
			if (errno == EINTR && !caught)
				continue;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Asks on the controlling terminal with echo off.  The terminal is put
 * back on every path; a signal that arrives meanwhile is delivered again
 * once it is, so ^C still ends the program but not with a mute terminal.
 */
static int
read_tty(const char *prompt, char *buf, size_t len)
{
	struct sigaction sa, saved_sa[NTTY_SIGNALS];
	struct termios	 saved, quiet;
	size_t		 i, nsaved = 0;
	int		 fd, muted = 0, sig, rv = EX_IOERR;

	if ((fd = open(_PATH_TTY, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    tcgetattr(fd, &saved) == -1) {
		log_err("%s: %s", _PATH_TTY, strerror(errno));
		goto out;
	}
	/* Without SA_RESTART, so that a signal interrupts the read. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = catch_signal;
	sigemptyset(&sa.sa_mask);
	caught = 0;
	for (; nsaved < NTTY_SIGNALS; nsaved++)
		sigaction(tty_signals[nsaved], &sa, &saved_sa[nsaved]);
	quiet = saved;
	quiet.c_lflag &= ~(ECHO | ECHONL);
	if (tcsetattr(fd, TCSAFLUSH, &quiet) == -1) {
		log_err("%s: %s", _PATH_TTY, strerror(errno));
		goto out;
	}
	muted = 1;
	if (prompt != NULL && write_all(fd, prompt) == -1) {
		log_err("%s: %s", _PATH_TTY, strerror(errno));
		goto out;
	}
	rv = read_line(fd, buf, len);
	/* The newline the user typed was not echoed. */
	if (write_all(fd, "\n") == -1 && rv == 0) {
		log_err("%s: %s", _PATH_TTY, strerror(errno));
		rv = EX_IOERR;
	}
out:
	if (rv != 0)
		secret_zero(buf, len);
	if (muted)
		tcsetattr(fd, TCSAFLUSH, &saved);
	if (fd != -1)
		close(fd);
	sig = caught;
	caught = 0;
	for (i = 0; i < nsaved; i++)
		sigaction(tty_signals[i], &saved_sa[i], NULL);
	if (sig != 0)
		raise(sig);
	return rv;
}

int
prompt_secret(const char *prompt, int fd, char *buf, size_t len)
{
	if (len == 0) {
		log_err("reading password: no room for it");
		return EX_SOFTWARE;
	}
	if (fd >= 0)
		return read_line(fd, buf, len);
	if (isatty(STDIN_FILENO))
		return read_tty(prompt, buf, len);
	return read_line(STDIN_FILENO, buf, len);
}

int
prompt_secret_twice(const char *prompt, int fd, char *buf, size_t len)
{
	char	 again[256], *buf2;
	size_t	 n;
	int	 rv;

	if ((rv = prompt_secret(prompt, fd, buf, len)) != 0)
		return rv;
	if (prompt != NULL && *prompt != '\0')
		snprintf(again, sizeof(again), "Repeat %c%s",
		    tolower((unsigned char)prompt[0]), prompt + 1);
	else
		snprintf(again, sizeof(again), "Repeat: ");
	if ((buf2 = malloc(len)) == NULL) {
		log_err("reading password: %s", strerror(errno));
		secret_zero(buf, len);
		return EX_OSERR;
	}
	if ((rv = prompt_secret(again, fd, buf2, len)) == 0) {
		n = strlen(buf);
		/* Lengths may differ openly; the bytes are compared blind. */
		if (n != strlen(buf2) || !secret_equal(buf, buf2, n)) {
			log_err("passwords do not match");
			rv = EX_DATAERR;
		}
	}
	secret_zero(buf2, len);
	free(buf2);
	if (rv != 0)
		secret_zero(buf, len);
	return rv;
}

int
prompt_parse_fd(const char *s)
{
	char	*end;
	long	 v;

	/* Digits only: no sign, no blanks, nothing after. */
	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > INT_MAX)
		return -1;
	return (int)v;
}

int
prompt_fd_option(const char *arg, int *fd)
{
	if ((*fd = prompt_parse_fd(arg)) == -1) {
		log_err("--password-fd: '%s' is not a file descriptor", arg);
		return EX_USAGE;
	}
	return 0;
}

/*
 * One line from FD, byte by byte so that nothing after it is consumed.
 * 1 for y or yes; anything else, end of input included, is no.
 */
static int
read_yes(int fd)
{
	char	 line[ANSWER_MAX], c;
	size_t	 n = 0;
	ssize_t	 r;

	for (;;) {
		if ((r = read(fd, &c, 1)) == -1 && errno == EINTR)
			continue;
		if (r != 1 || c == '\n')
			break;
		if (n < sizeof(line) - 1)
			line[n] = c;
		n++;
	}
	if (n >= sizeof(line))
		return 0;
	line[n] = '\0';
	return strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0;
}

int
prompt_yes(const char *question, int fd)
{
	int	tty, yes;

	if (fd >= 0 || !isatty(STDIN_FILENO))
		return read_yes(fd >= 0 ? fd : STDIN_FILENO);
	/* Not read_tty: the answer is no secret and is echoed. */
	if ((tty = open(_PATH_TTY, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		log_err("%s: %s", _PATH_TTY, strerror(errno));
		return 0;
	}
	yes = write_all(tty, question) != -1 && read_yes(tty);
	close(tty);
	return yes;
}
