/*
 * run: other programs (hooks, nginx -t, systemctl) through /bin/sh.
 */
#define _GNU_SOURCE		/* asprintf */

#include <sys/pidfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "log.h"
#include "run.h"

extern char **environ;

/*
 * SIGINT or SIGTERM that came while a command ran.  The command has a
 * process group of its own, so a terminal's Ctrl-C reaches only us: we
 * pass it on, then act on it as we would have.
 */
static volatile sig_atomic_t	 stop_signal;

static void
on_stop(int sig)
{
	stop_signal = sig;
}

/* The command's stdout as it comes through the pipe FD. */
struct output {
	char	*buf;
	size_t	 size;
	size_t	 len;
	int	 fd;		/* -1 once closed */
	int	 over;		/* it said more than SIZE bytes */
};

/*
 * What the pipe holds now.  Past SIZE bytes the pipe is closed: a command
 * that would say more gets SIGPIPE, as with popen.
 */
static void
output_read(struct output *o)
{
	char	extra;
	ssize_t	n;

	for (;;) {
		if (o->len < o->size)
			n = read(o->fd, o->buf + o->len, o->size - o->len);
		else if ((n = read(o->fd, &extra, 1)) > 0)
			o->over = 1;
		if (n > 0 && !o->over) {
			o->len += n;
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		close(o->fd);
		o->fd = -1;
		return;
	}
}

/*
 * 1 once the process behind PIDFD has ended, 0 when MS milliseconds
 * passed first or a stop signal came, -1 on error.  Reads OUT (may be
 * NULL) meanwhile.
 */
static int
ended_within(int pidfd, long ms, struct output *out)
{
	struct pollfd	pfd[2] = { { pidfd, POLLIN, 0 }, { -1, POLLIN, 0 } };
	struct timespec	end, now;
	int		r;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (ms % 1000) * 1000000;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (end.tv_sec - now.tv_sec) * 1000 +
		    (end.tv_nsec - now.tv_nsec) / 1000000;
		pfd[1].fd = out != NULL ? out->fd : -1;
		r = poll(pfd, 2, ms > 0 ? (int)ms : 0);
		if (r > 0 && pfd[1].revents != 0) {
			output_read(out);
			if ((pfd[0].revents & POLLIN) == 0)
				continue;
		}
		if (r > 0)
			return 1;
		if (r == 0 || errno != EINTR)
			return r;
		if (stop_signal != 0)
			return 0;
	}
}

/*
 * 1 once the process behind PIDFD has ended within TIMEOUT seconds,
 * ticking meanwhile; 0 when the time is up first, -1 on error.
 */
static int
ended_ticking(int pidfd, int timeout, const struct run_tick *tick,
    struct output *out)
{
	struct timespec	end, now;
	long		left;
	int		r;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (end.tv_sec - now.tv_sec) * 1000 +
		    (end.tv_nsec - now.tv_nsec) / 1000000;
		if (left <= 0)
			return 0;
		if (tick == NULL || tick->ms >= left)
			return ended_within(pidfd, left, out);
		if ((r = ended_within(pidfd, tick->ms, out)) != 0 ||
		    stop_signal != 0)
			return r;
		tick->fn(tick->arg);
	}
}

/*
 * Waits for PID to end, stopping its process group when it runs longer
 * than TIMEOUT seconds.  0 with *STATUS, EX_TEMPFAIL when stopped (logged),
 * EX_OSERR (logged).
 */
static int
wait_for(const char *what, const char *cmd, pid_t pid, int timeout,
    const struct run_tick *tick, struct output *out, int *status)
{
	struct sigaction sa, old_int, old_term;
	int		 fd, r, rc = 0;

	stop_signal = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if ((fd = pidfd_open(pid, 0)) == -1)
		log_warn("%s: cannot limit its time: pidfd_open: %s", what,
		    strerror(errno));
	else if ((r = ended_ticking(fd, timeout, tick, out)) != 1) {
		if (r == -1)
			log_err("%s: poll: %s", what, strerror(errno));
		else if (stop_signal != 0)
			log_err("%s: '%s' stopped on signal %d", what, cmd,
			    (int)stop_signal);
		else
			log_err("%s: '%s' did not finish within %d s: "
			    "stopped", what, cmd, timeout);
		kill(-pid, SIGTERM);
		if (ended_within(fd, RUN_KILL_GRACE * 1000L, NULL) != 1)
			kill(-pid, SIGKILL);
		rc = r == -1 ? EX_OSERR : EX_TEMPFAIL;
	}
	if (fd != -1)
		close(fd);
	while (waitpid(pid, status, 0) == -1) {
		if (errno != EINTR) {
			log_err("%s: waitpid: %s", what, strerror(errno));
			rc = EX_OSERR;
			break;
		}
		/* Without a pidfd: a stop signal still stops the command. */
		if (stop_signal != 0 && fd == -1) {
			kill(-pid, SIGKILL);
			rc = EX_TEMPFAIL;
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (stop_signal != 0)
		raise(stop_signal);
	return rc;
}

/*
 * Runs CMD with ARGS and ENV added, its stdout into OUT when OUT is not
 * NULL (else to our stderr), for TIMEOUT seconds at most.
 */
static int
run_spawn(const char *what, const char *cmd, char *const *args,
    char *const *env, int timeout, const struct run_tick *tick,
    struct output *out)
{
	char	**argv = NULL, **envp = NULL, *script = NULL;
	size_t	  na = 0, ne = 0, no = 0, i;
	pid_t	  pid;
	int	  status, pfd[2] = { -1, -1 }, rc = EX_OSERR;

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

	if (out != NULL && pipe2(pfd, O_CLOEXEC) == -1) {
		log_err("%s: pipe: %s", what, strerror(errno));
		goto out;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		log_err("%s: fork: %s", what, strerror(errno));
		goto out;
	}
	if (pid == 0) {
		/* A group of its own: a timeout stops what it started too. */
		setpgid(0, 0);
		dup2(out != NULL ? pfd[1] : STDERR_FILENO, STDOUT_FILENO);
		execve("/bin/sh", argv, envp);
		_exit(127);
	}
	setpgid(pid, pid);
	if (out != NULL) {
		close(pfd[1]);
		pfd[1] = -1;
		out->fd = pfd[0];
		pfd[0] = -1;
		fcntl(out->fd, F_SETFL, O_NONBLOCK);
	}
	rc = wait_for(what, cmd, pid, timeout, tick, out, &status);
	/* What it said just before it ended; its children may keep on. */
	if (out != NULL && out->fd != -1) {
		output_read(out);
		if (out->fd != -1)
			close(out->fd);
		out->fd = -1;
	}
	if (rc != 0)
		goto out;
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
	if (pfd[0] != -1)
		close(pfd[0]);
	if (pfd[1] != -1)
		close(pfd[1]);
	free(script);
	free(argv);
	free(envp);
	return rc;
}

/*
 * Runs CMD through /bin/sh with ARGS as "$1"... (never spliced into the
 * command line) and ENV added to the environment.  The hook's output goes
 * to stderr: stdout is ours and carries data only.
 */
int
run_command(const char *what, const char *cmd, char *const *args,
    char *const *env, int timeout)
{
	return run_command_ticking(what, cmd, args, env, timeout, NULL);
}

int
run_command_ticking(const char *what, const char *cmd, char *const *args,
    char *const *env, int timeout, const struct run_tick *tick)
{
	return run_spawn(what, cmd, args, env, timeout, tick, NULL);
}

int
run_command_output(const char *what, const char *cmd, int timeout,
    char *buf, size_t size, size_t *len)
{
	struct output	out = { buf, size, 0, -1, 0 };
	int		rc;

	rc = run_spawn(what, cmd, NULL, NULL, timeout, NULL, &out);
	*len = out.len;
	if (out.over) {
		log_err("%s: '%s' said more than %zu bytes", what, cmd, size);
		rc = EX_DATAERR;
	}
	return rc;
}
