/*
 * run: other programs, through /bin/sh.
 */
#ifndef SEC_RUN_H
#define SEC_RUN_H

/*
 * Runs CMD with /bin/sh -c, ARGS (NULL-terminated, may be NULL) as "$1"...
 * and never spliced into the command line, ENV ("NAME=value", may be NULL)
 * added to the environment.  The command's stdout goes to our stderr:
 * stdout is the tool's and carries data only.  Returns 0 when it exited
 * 0, EX_UNAVAILABLE (logged with WHAT and the status) when not, EX_OSERR
 * when it could not be started.
 */
int	run_command(const char *what, const char *cmd, char *const *args,
	    char *const *env);

#endif
