/*
 * Helpers shared by the unit tests: whole files as strings, output of a
 * descriptor captured around a call, scratch directories, shell commands,
 * throwaway CAs, the Python scripts of tests/unit/python, ports on
 * 127.0.0.1 and skips that say why.
 */
#define _GNU_SOURCE		/* nftw flags, asprintf */

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "util.h"

#ifndef SS_TEST_PYTHON
#error SS_TEST_PYTHON must name the tests/unit/python directory (see Makefile)
#endif

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

static FILE	*captured;
static int	 captured_fd;
static int	 saved_fd;

/* The rest of F, whatever its size, as a string; the caller frees it. */
char *
slurp_stream(FILE *f)
{
	char	*buf = NULL, *p;
	size_t	 len = 0, size = 0, n;

	for (;;) {
		if (size - len < 2) {
			size = size == 0 ? 4096 : size * 2;
			assert_non_null(p = realloc(buf, size));
			buf = p;
		}
		if ((n = fread(buf + len, 1, size - len - 1, f)) == 0)
			break;
		len += n;
	}
	assert_false(ferror(f));
	buf[len] = '\0';
	return buf;
}

/* Contents of PATH as a string; the caller frees it. */
char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf;

	assert_non_null(f = fopen(path, "r"));
	buf = slurp_stream(f);
	fclose(f);
	return buf;
}

/* Sends FD (2: where log_err writes) to a temporary file. */
void
capture_begin(int fd)
{
	fflush(NULL);
	assert_non_null(captured = tmpfile());
	assert_int_not_equal(saved_fd = dup(fd), -1);
	assert_int_not_equal(dup2(fileno(captured), fd), -1);
	captured_fd = fd;
}

/* What was written since capture_begin(); the caller frees it. */
char *
capture_end(void)
{
	char	*buf;

	fflush(NULL);
	assert_int_not_equal(dup2(saved_fd, captured_fd), -1);
	close(saved_fd);
	rewind(captured);
	buf = slurp_stream(captured);
	fclose(captured);
	return buf;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* A new directory /tmp/NAME.XXXXXX; its path, NULL on failure. */
char *
tmpdir_new(const char *name)
{
	char	*path;

	if (asprintf(&path, "/tmp/%s.XXXXXX", name) == -1)
		return NULL;
	if (mkdtemp(path) == NULL) {
		free(path);
		return NULL;
	}
	return path;
}

/* Removes the directory PATH from tmpdir_new() with all below it. */
int
tmpdir_free(char *path)
{
	int	r;

	r = nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(path);
	return r;
}

/* Writes LEN bytes of DATA to the file NAME in the directory DIR; 0 or -1. */
int
tmpdir_write(const char *dir, const char *name, const void *data, size_t len)
{
	char	 p[PATH_MAX];
	FILE	*f;
	int	 ok;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((f = fopen(p, "w")) == NULL)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Writes TEXT to the file NAME in the directory DIR; 0 or -1. */
int
tmpdir_put(const char *dir, const char *name, const char *text)
{
	return tmpdir_write(dir, name, text, strlen(text));
}

/* DIR/security.conf with TEXT, loaded into *C; 0, or -1. */
int
tmpdir_conf(const char *dir, const char *text, struct ss_conf **c)
{
	char	path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/security.conf", dir);
	return tmpdir_put(dir, "security.conf", text) == 0 &&
	    conf_load(path, c) == 0 ? 0 : -1;
}

/* Exit status of a shell command, -1 when it did not exit. */
int
sh(const char *fmt, ...)
{
	char	 cmd[4096];
	va_list	 ap;
	int	 st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Output (stdout and stderr) of a shell command that must succeed. */
char *
sh_out(const char *fmt, ...)
{
	char	 cmd[4096], *buf;
	va_list	 ap;
	FILE	*p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_non_null(p = popen(cmd, "r"));
	buf = slurp_stream(p);
	if (pclose(p) != 0)
		fail_msg("'%s' failed:\n%s", cmd, buf);
	return buf;
}

static const char server_cnf[] =
	"basicConstraints = critical,CA:FALSE\n"
	"extendedKeyUsage = serverAuth\n"
	"subjectAltName = IP:127.0.0.1,DNS:localhost\n";

static const char certs_sh[] =
	"cd %s && exec >certs.log 2>&1 && "
	"openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	"-nodes -keyout ca.key -subj /CN=%s -days 1 -out ca.pem && "
	"openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	"-nodes -keyout server.key -subj /CN=localhost -out server.csr && "
	"openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
	"-set_serial 2 -days 1 -extfile server.cnf -out server.pem";

/*
 * A CA named CA_CN in DIR/ca.pem and, signed by it, a certificate for
 * 127.0.0.1 and localhost in DIR/server.pem with its key in
 * DIR/server.key; openssl's output goes to DIR/certs.log.  0 or -1.
 */
int
tls_certs_new(const char *dir, const char *ca_cn)
{
	char	*cmd;
	int	 rc;

	if (tmpdir_put(dir, "server.cnf", server_cnf) != 0 ||
	    asprintf(&cmd, certs_sh, dir, ca_cn) == -1)
		return -1;
	rc = system(cmd) == 0 ? 0 : -1;
	free(cmd);
	return rc;
}

/* The CA of ca_chain_new(), with the extensions of its certificates. */
static const char ca_cnf[] =
	"[req]\n"
	"distinguished_name = dn\n"
	"[dn]\n"
	"[ca]\n"
	"basicConstraints = critical,CA:TRUE\n"
	"keyUsage = critical,keyCertSign,cRLSign\n"
	"subjectKeyIdentifier = hash\n"
	"authorityKeyIdentifier = keyid\n"
	"[leaf]\n"
	"basicConstraints = critical,CA:FALSE\n"
	"keyUsage = critical,digitalSignature\n"
	"extendedKeyUsage = serverAuth\n"
	"subjectAltName = DNS:leaf.example.test,IP:127.0.0.1\n"
	"[ari]\n"
	"authorityKeyIdentifier = keyid\n";

static const char ca_sh[] =
	"cd %s && exec >ca.log 2>&1 && "
	"openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 "
	"-out root.key && "
	"openssl req -x509 -new -key root.key -subj '/CN=Test Root' -days 30 "
	"-config ca.cnf -extensions ca -set_serial 1 -out root.pem && "
	"openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
	"-out inter.key && "
	"openssl req -new -key inter.key -subj '/CN=Test Intermediate' "
	"-config ca.cnf -out inter.csr && "
	"openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key "
	"-set_serial 2 -days 30 -extfile ca.cnf -extensions ca "
	"-out inter.pem && "
	"openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
	"-out leaf.key && "
	"openssl req -new -key leaf.key -subj '/CN=leaf.example.test' "
	"-config ca.cnf -out leaf.csr && "
	"openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key "
	"-set_serial 3 -days 30 -extfile ca.cnf -extensions leaf "
	"-out leaf.pem && "
	"cat leaf.pem inter.pem > fullchain.pem";

/*
 * A throwaway CA in DIR, 30 days each: an RSA root (root.pem, serial 1),
 * an EC intermediate (inter.pem, serial 2) and an EC leaf for
 * leaf.example.test and 127.0.0.1 (leaf.pem, serial 3), each with its
 * .key, the last two with their .csr; fullchain.pem holds the leaf and
 * the intermediate.  ca.cnf keeps the extensions (ca, leaf, and ari: an
 * authority key identifier alone); openssl's output goes to DIR/ca.log.
 * 0 or -1.
 */
int
ca_chain_new(const char *dir)
{
	return tmpdir_put(dir, "ca.cnf", ca_cnf) == 0 && sh(ca_sh, dir) == 0 ?
	    0 : -1;
}

/*
 * The command line of /usr/bin/python3 (Debian's, which has the modules
 * the scripts import) for the script ARGV[0] with its arguments (NULL
 * last), in ARGS of NARGS and SCRIPT of PATH_MAX bytes.  The script is
 * one of tests/unit/python.  0, or -1 when it does not fit.
 */
static int
python_argv(const char *const argv[], const char *args[], size_t nargs,
    char *script)
{
	size_t	i;

	if (snprintf(script, PATH_MAX, "%s/%s", SS_TEST_PYTHON, argv[0]) >=
	    PATH_MAX)
		return -1;
	args[0] = "python3";
	args[1] = script;
	for (i = 1; argv[i] != NULL && i + 2 < nargs; i++)
		args[i + 1] = argv[i];
	args[i + 1] = NULL;
	return argv[i] == NULL ? 0 : -1;
}

/*
 * Starts the script ARGV[0] (see python_argv) with its arguments, its
 * stderr into the file LOG unless LOG is NULL, and waits for the first
 * line it prints, which lands in LINE of SIZE bytes.  0 or -1.
 */
int
python_start(pid_t *pid, const char *const argv[], const char *log,
    char *line, size_t size)
{
	const char	*args[16];
	char		 script[PATH_MAX];
	FILE		*out;
	int		 fds[2], ok;

	if (python_argv(argv, args, nitems(args), script) != 0)
		return -1;
	if (pipe(fds) == -1 || (*pid = fork()) == -1)
		return -1;
	if (*pid == 0) {
		/* No stray server when the test dies before teardown. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		if (log != NULL && freopen(log, "w", stderr) == NULL)
			_exit(127);
		execv("/usr/bin/python3", (char *const *)args);
		_exit(127);
	}
	close(fds[1]);
	if ((out = fdopen(fds[0], "r")) == NULL) {
		close(fds[0]);
		return -1;
	}
	ok = fgets(line, size, out) != NULL;
	fclose(out);
	return ok ? 0 : -1;
}

/*
 * Runs the script ARGV[0] (see python_argv) with its arguments to its
 * end; its exit status, or -1 when it could not run or was killed.
 */
int
python_run(const char *const argv[])
{
	const char	*args[16];
	char		 script[PATH_MAX];
	pid_t		 pid;
	int		 status;

	if (python_argv(argv, args, nitems(args), script) != 0 ||
	    (pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		execv("/usr/bin/python3", (char *const *)args);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Stops the server python_start() left in *PID, if it runs. */
void
python_stop(pid_t *pid)
{
	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	waitpid(*pid, NULL, 0);
	*pid = -1;
}

/*
 * Ends the running test as skipped, saying why it cannot run here in the
 * line tests/run reads as the reason (a skip without one is a failure).
 */
void
skip_because(const char *fmt, ...)
{
	va_list	ap;
	char	why[256];

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	print_message("# skipped: %s\n", why);
	skip();
}

/*
 * A TCP socket bound to a free port on 127.0.0.1, not listening: a
 * connection to it is refused while it stays open.  The port in *PORT.
 */
int
loopback_bind(int *port)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	int			fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(fd = socket(AF_INET, SOCK_STREAM, 0), -1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A port on 127.0.0.1 that nothing listens on, as far as we know. */
int
loopback_free_port(void)
{
	int	fd, port;

	fd = loopback_bind(&port);
	close(fd);
	return port;
}
