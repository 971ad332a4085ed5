/*
 * run: other programs (hooks, nginx -t, systemctl) through /bin/sh.
 */
#define _GNU_SOURCE		/* asprintf */

#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "log.h"
#include "run.h"

extern char **environ;

/*
 * Runs CMD through /bin/sh with ARGS as "$1"... (never spliced into the
 * command line) and ENV added to the environment.  The hook's output goes
 * to stderr: stdout is ours and carries data only.
 */
int
run_command(const char *what, const char *cmd, char *const *args,
    char *const *env)
{
	char	**argv = NULL, **envp = NULL, *script = NULL;
	size_t	  na = 0, ne = 0, no = 0, i;
	pid_t	  pid;
	int	  status, rc = EX_OSERR;

	while (args != NULL && args[na] != NULL)
		na++;
	while (env != NULL && env[ne] != NULL)
		ne++;
	while (environ[no] != NULL)
		no++;
	if (asprintf(&script, "%s \"$@\"", cmd) == -1)
		script = NULL;
	if (script == NULL || (argv = calloc(na + 5, sizeof(*argv))) == NULL ||
	    (envp = calloc(no + ne + 1, sizeof(*envp))) == NULL) {
		log_err("%s: out of memory", what);
		goto out;
	}
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = script;
	argv[3] = "sh";
	for (i = 0; i < na; i++)
		argv[4 + i] = args[i];
	memcpy(envp, environ, no * sizeof(*envp));
	for (i = 0; i < ne; i++)
		envp[no + i] = env[i];

	fflush(NULL);
	if ((pid = fork()) == -1) {
		log_err("%s: fork: %s", what, strerror(errno));
		goto out;
	}
	if (pid == 0) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execve("/bin/sh", argv, envp);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			log_err("%s: waitpid: %s", what, strerror(errno));
			goto out;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		rc = 0;
	else {
		if (WIFEXITED(status))
			log_err("%s: '%s' exited %d", what, cmd,
			    WEXITSTATUS(status));
		else
			log_err("%s: '%s' killed by signal %d", what, cmd,
			    WTERMSIG(status));
		rc = EX_UNAVAILABLE;
	}
out:
	free(script);
	free(argv);
	free(envp);
	return rc;
}

