/*
 * prompt: secrets from the terminal with echo off, or one line at a time
 * from a file descriptor (--password-fd N, or stdin when it is not a tty);
 * and y/N questions.  Buffers are the caller's; they are wiped on every
 * failure.
 */
#ifndef SEC_PROMPT_H
#define SEC_PROMPT_H

#include <stddef.h>

/*
 * Reads one secret into BUF (LEN bytes with the NUL).  FD >= 0 reads a line
 * from that descriptor; FD < 0 asks on /dev/tty with PROMPT when stdin is a
 * tty and reads a line from stdin otherwise.  The trailing newline is
 * dropped.  Returns 0, EX_DATAERR for an over-long line, EX_NOINPUT at end
 * of input, EX_IOERR otherwise.
 */
int	prompt_secret(const char *prompt, int fd, char *buf, size_t len);

/* Asks twice (PROMPT, then "Repeat PROMPT") and requires both to match. */
int	prompt_secret_twice(const char *prompt, int fd, char *buf, size_t len);

/* Parses the N of --password-fd N; -1 when not a descriptor number. */
int	prompt_parse_fd(const char *);
/* The same into *FD, or EX_USAGE with "--password-fd: ..." logged. */
int	prompt_fd_option(const char *arg, int *fd);

/*
 * A y/N question: 1 when the answer is y or yes (any case), else 0, end
 * of input included.  FD >= 0 reads a line from that descriptor; FD < 0
 * asks QUESTION on /dev/tty, echoed, when stdin is a tty, and reads a
 * line from stdin otherwise.
 */
int	prompt_yes(const char *question, int fd);

#endif
