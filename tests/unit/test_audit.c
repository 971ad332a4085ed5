/*
 * audit: the line that reaches syslog's socket, its facility and
 * priority, who and from where; the unit read from a cgroup.
 *
 * syslog(3) always writes to /dev/log: each case runs in a child with a
 * mount namespace of its own, where /dev is a directory of the test that
 * holds our datagram socket as "log" (and the host's /dev/pts, for
 * ttyname).  That needs root, as the integration tests do.
 */
#define _GNU_SOURCE		/* unshare */

#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pty.h>
#include <pwd.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit.h"
#include "log.h"
#include "util.h"

#define DGRAM_MAX	2048

/* "by=... login=..." as this process would say it, worked out apart. */
static void
who(char *buf, size_t len)
{
	struct passwd	*pw;
	char		*text, login[64];
	unsigned long	 uid;

	text = slurp("/proc/self/loginuid");
	uid = strtoul(text, NULL, 10);
	free(text);
	if (uid == 4294967295UL)
		snprintf(login, sizeof(login), "unset");
	else if ((pw = getpwuid((uid_t)uid)) != NULL)
		snprintf(login, sizeof(login), "%s", pw->pw_name);
	else
		snprintf(login, sizeof(login), "%lu", uid);
	assert_non_null(pw = getpwuid(geteuid()));
	snprintf(buf, len, "by=%s login=%s", pw->pw_name, login);
}

/* The child's /dev: the socket syslog(3) writes to, and the ptys. */
static int
private_dev(const char *dir, int *sock)
{
	struct sockaddr_un	 sun;
	struct timeval		 tv = { 5, 0 };
	char			 dev[PATH_MAX], pts[PATH_MAX];

	snprintf(dev, sizeof(dev), "%s/dev", dir);
	snprintf(pts, sizeof(pts), "%s/dev/pts", dir);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dev/log", dir);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    mkdir(dev, 0755) == -1 || mkdir(pts, 0755) == -1 ||
	    mount("/dev/pts", pts, NULL, MS_BIND | MS_REC, NULL) == -1 ||
	    (*sock = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(*sock, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    setsockopt(*sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ==
	    -1 || mount(dev, "/dev", NULL, MS_BIND | MS_REC, NULL) == -1)
		return -1;
	return 0;
}

/*
 * The datagram that FN's audit_log sends, in a child whose stdin is a
 * pipe (or a pty when TTY) and whose environment FN sets; the caller
 * frees it.  In *PID the child, which is the PID of the line.
 */
static char *
syslogged(void (*fn)(void), int tty, pid_t *pid)
{
	char	*dir, *said, buf[DGRAM_MAX];
	FILE	*f;
	ssize_t	 n;
	int	 fds[2], in[2], master, slave, sock = -1, status;

	assert_non_null(dir = tmpdir_new("test_audit"));
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
	fflush(NULL);
	assert_int_not_equal(*pid = fork(), -1);
	if (*pid == 0) {
		close(fds[0]);
		if (unshare(CLONE_NEWNS) == -1) {
			n = snprintf(buf, sizeof(buf), "SKIP unshare: %s",
			    strerror(errno));
			_exit(write(fds[1], buf, (size_t)n) == n ? 0 : 1);
		}
		if (dup2(tty ? slave : in[0], STDIN_FILENO) == -1 ||
		    private_dev(dir, &sock) == -1)
			_exit(2);
		unsetenv("SS_ORIGIN");
		unsetenv("INVOCATION_ID");
		log_init("ss-test");
		fn();
		if ((n = recv(sock, buf, sizeof(buf) - 1, 0)) <= 0)
			_exit(3);
		_exit(write(fds[1], buf, (size_t)n) == n ? 0 : 4);
	}
	close(fds[1]);
	close(in[0]);
	close(in[1]);
	close(master);
	close(slave);
	assert_non_null(f = fdopen(fds[0], "r"));
	said = slurp_stream(f);
	fclose(f);
	assert_int_equal(waitpid(*pid, &status, 0), *pid);
	assert_int_equal(tmpdir_free(dir), 0);
	if (strncmp(said, "SKIP ", 5) == 0) {
		snprintf(buf, sizeof(buf), "%s", said + 5);
		free(said);
		skip_because("syslog's socket needs a mount namespace: %s",
		    buf);
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	return said;
}

/*
 * SAID is "<PRI>TIMESTAMP ss-test[PID]: BODY by=... login=... FROM",
 * nothing after it.
 */
static void
line_is(const char *said, const char *pri, pid_t pid, const char *body,
    const char *from)
{
	char	want[DGRAM_MAX], by[256];
	size_t	n, w;

	who(by, sizeof(by));
	snprintf(want, sizeof(want), " ss-test[%ld]: %s %s from=%s",
	    (long)pid, body, by, from);
	assert_memory_equal(said, pri, strlen(pri));
	n = strlen(said);
	w = strlen(want);
	if (n < w || strcmp(said + n - w, want) != 0)
		fail_msg("sent   '%s'\nwanted '...%s'", said, want);
}

static void
password_changed(void)
{
	audit_notice("password changed", "account", "apollo",
	    "kind", "system");
}

static void
test_a_change_is_one_notice_line_to_authpriv(void **state)
{
	char	*said;
	pid_t	 pid;

	(void)state;
	said = syslogged(password_changed, 0, &pid);
	/* authpriv (10) * 8 + notice (5) */
	line_is(said, "<85>", pid,
	    "password changed: account=apollo kind=system", "script");
	free(said);
}

static void
rolled_back(void)
{
	audit_warning("nginx configuration rolled back", "file",
	    "/etc/nginx/sites-enabled/certs.conf", "reason", "test-failed");
}

static void
test_a_rollback_is_a_warning(void **state)
{
	char	*said;
	pid_t	 pid;

	(void)state;
	said = syslogged(rolled_back, 0, &pid);
	line_is(said, "<84>", pid, "nginx configuration rolled back: "
	    "file=/etc/nginx/sites-enabled/certs.conf reason=test-failed",
	    "script");
	free(said);
}

static void
odd_values(void)
{
	audit_notice("ddns provider stopped", "host", "dev1.test",
	    "reason", "badauth (\"wrong\")\\\n\xe9", "empty", "", "left_out",
	    NULL, "code", "x=y");
}

static void
test_values_outside_the_plain_set_are_quoted(void **state)
{
	char	*said;
	pid_t	 pid;

	(void)state;
	said = syslogged(odd_values, 0, &pid);
	line_is(said, "<85>", pid, "ddns provider stopped: host=dev1.test "
	    "reason=\"badauth (\\\"wrong\\\")\\\\\\x0a\\xe9\" empty=\"\" "
	    "code=\"x=y\"", "script");
	free(said);
}

static void
long_value(void)
{
	char	v[3000];

	memset(v, 'a', sizeof(v) - 1);
	v[sizeof(v) - 1] = '\0';
	audit_notice("nginx configuration written", "file", v);
}

static void
test_a_long_value_is_cut_before_who_and_from_where(void **state)
{
	char	*said, *file, *end, want[512], by[256];
	pid_t	 pid;

	(void)state;
	who(by, sizeof(by));
	snprintf(want, sizeof(want), "a %s from=script", by);
	said = syslogged(long_value, 0, &pid);
	assert_non_null(file = strstr(said, ": file=aaaa"));
	assert_true(strlen(said) > strlen(want));
	end = said + strlen(said) - strlen(want);
	assert_string_equal(end, want);
	assert_true(end - file > 500);
	free(said);
}

static void
from_button(void)
{
	setenv("SS_ORIGIN", "button", 1);
	setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef", 1);
	password_changed();
}

static void
from_elsewhere(void)
{
	setenv("SS_ORIGIN", "tty", 1);
	password_changed();
}

static void
test_only_the_button_is_taken_from_the_environment(void **state)
{
	char	*said;
	pid_t	 pid;

	(void)state;
	said = syslogged(from_button, 1, &pid);
	line_is(said, "<85>", pid,
	    "password changed: account=apollo kind=system", "button");
	free(said);
	said = syslogged(from_elsewhere, 0, &pid);
	line_is(said, "<85>", pid,
	    "password changed: account=apollo kind=system", "script");
	free(said);
}

static void
test_a_terminal_is_named(void **state)
{
	char	*said, *from;
	pid_t	 pid;

	(void)state;
	said = syslogged(password_changed, 1, &pid);
	assert_non_null(from = strstr(said, " from="));
	if (strncmp(from, " from=tty:pts/", 14) != 0 ||
	    strspn(from + 14, "0123456789") != strlen(from + 14))
		fail_msg("not a pty: '%s'", said);
	free(said);
}

static void
from_unit(void)
{
	setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef", 1);
	password_changed();
}

static void
test_under_systemd_it_is_the_unit(void **state)
{
	char	*said, *cg, unit[256], from[300];
	pid_t	 pid;

	(void)state;
	cg = slurp("/proc/self/cgroup");
	audit_cgroup_unit(cg, unit, sizeof(unit));
	free(cg);
	snprintf(from, sizeof(from), "unit%s%s", *unit != '\0' ? ":" : "",
	    unit);
	said = syslogged(from_unit, 0, &pid);
	line_is(said, "<85>", pid,
	    "password changed: account=apollo kind=system", from);
	free(said);
}

static void
test_the_unit_is_the_cgroup_s_last_service(void **state)
{
	static const struct {
		const char	*cgroup;
		const char	*unit;
	} cases[] = {
		{ "0::/system.slice/ss-cert-renew.service\n",
		    "ss-cert-renew.service" },
		{ "0::/system.slice/ss-btnwatch.service",
		    "ss-btnwatch.service" },
		/* v1: systemd's own hierarchy */
		{ "12:pids:/system.slice/other.service\n"
		    "1:name=systemd:/system.slice/ss-ddns.service\n",
		    "ss-ddns.service" },
		/* hybrid: the unified line wins */
		{ "1:name=systemd:/system.slice/a.service\n"
		    "0::/system.slice/b.service\n", "b.service" },
		{ "0::/system.slice/ss-ddns.service/payload\n",
		    "ss-ddns.service" },
		{ "0::/system.slice/getty@tty1.service\n",
		    "getty@tty1.service" },
		{ "0::/user.slice/user-0.slice/session-3.scope\n", "" },
		{ "0::/\n", "" },
		{ "", "" },
		{ "garbage", "" },
		{ "0::/system.slice/.service\n", "" },
		{ "0::/system.slice/a b.service\n", "" },
		{ "0::/system.slice/a\"b.service\n", "" },
	};
	char	buf[64];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		audit_cgroup_unit(cases[i].cgroup, buf, sizeof(buf));
		if (strcmp(buf, cases[i].unit) != 0)
			fail_msg("'%s': '%s', wanted '%s'", cases[i].cgroup,
			    buf, cases[i].unit);
	}
	audit_cgroup_unit("0::/system.slice/ss-cert-renew.service", buf, 21);
	assert_string_equal(buf, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_change_is_one_notice_line_to_authpriv),
		cmocka_unit_test(test_a_rollback_is_a_warning),
		cmocka_unit_test(test_values_outside_the_plain_set_are_quoted),
		cmocka_unit_test(
		    test_a_long_value_is_cut_before_who_and_from_where),
		cmocka_unit_test(
		    test_only_the_button_is_taken_from_the_environment),
		cmocka_unit_test(test_a_terminal_is_named),
		cmocka_unit_test(test_under_systemd_it_is_the_unit),
		cmocka_unit_test(test_the_unit_is_the_cgroup_s_last_service),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
