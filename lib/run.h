/*
 * run: other programs, through /bin/sh.
 */
#ifndef SEC_RUN_H
#define SEC_RUN_H

#include <stddef.h>

/*
 * Runs CMD with /bin/sh -c, ARGS (NULL-terminated, may be NULL) as "$1"...
 * and never spliced into the command line, ENV ("NAME=value", may be NULL)
 * added to the environment.  The command's stdout goes to our stderr:
 * stdout is the tool's and carries data only.  It runs in a process group
 * of its own; when it has not finished after TIMEOUT seconds, or SIGINT or
 * SIGTERM comes to us meanwhile, the group gets SIGTERM, and SIGKILL
 * RUN_KILL_GRACE seconds later; the signal is then raised again for our
 * own handler (or default action).
 * Returns 0 when it exited 0, EX_UNAVAILABLE (logged with WHAT and the
 * status) when not, EX_TEMPFAIL (logged) when it was stopped for taking
 * too long, EX_OSERR when it could not be started.
 */
#define RUN_KILL_GRACE	5
int	run_command(const char *what, const char *cmd, char *const *args,
	    char *const *env, int timeout);

/*
 * The same, calling TICK->fn(TICK->arg) every TICK->ms milliseconds while
 * the command runs: the caller keeps something going meanwhile (an LED
 * that blinks).
 */
struct run_tick {
	long	  ms;
	void	(*fn)(void *);
	void	 *arg;
};
int	run_command_ticking(const char *what, const char *cmd,
	    char *const *args, char *const *env, int timeout,
	    const struct run_tick *tick);

/*
 * CMD run as run_command runs it, without arguments, its stdout read into
 * BUF of SIZE bytes (*LEN of them filled) instead of going to our stderr.
 * A command that says more than SIZE bytes is cut off (it gets SIGPIPE)
 * and is EX_DATAERR (logged), whatever its status.
 */
int	run_command_output(const char *what, const char *cmd, int timeout,
	    char *buf, size_t size, size_t *len);

#endif
