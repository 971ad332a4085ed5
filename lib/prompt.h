/*
 * prompt: secrets from the terminal with echo off, or one line at a time
 * from a file descriptor (--password-fd N, or stdin when it is not a tty).
 * Buffers are the caller's; they are wiped on every failure.
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

#endif
