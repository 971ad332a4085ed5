/*
 * net: TLS handshakes with real servers on 127.0.0.1, each started by the
 * test that needs it and stopped by PID in teardown: openssl s_server for
 * what a TLS server sends, and a socket that listens but never accepts
 * for a server that stays silent.  Certificates come from a throwaway CA.
 */
#define _GNU_SOURCE		/* asprintf */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "cert.h"
#include "log.h"
#include "net.h"
#include "util.h"

#define WHYLEN	256

/* An intermediate CA under ca.pem and a leaf for leaf.example.test. */
static const char chain_cnf[] =
	"[inter]\n"
	"basicConstraints = critical,CA:TRUE\n"
	"keyUsage = critical,keyCertSign\n"
	"[leaf]\n"
	"basicConstraints = critical,CA:FALSE\n"
	"extendedKeyUsage = serverAuth\n"
	"subjectAltName = DNS:leaf.example.test\n";

static const char chain_sh[] =
	"cd %s && exec >chain.log 2>&1 && "
	"openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	"-keyout inter.key -subj /CN=test-net-inter -out inter.csr && "
	"openssl x509 -req -in inter.csr -CA ca.pem -CAkey ca.key "
	"-set_serial 3 -days 1 -extfile chain.cnf -extensions inter "
	"-out inter.pem && "
	"openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	"-keyout leaf.key -subj /CN=leaf.example.test -out leaf.csr && "
	"openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key "
	"-set_serial 4 -days 1 -extfile chain.cnf -extensions leaf "
	"-out leaf.pem";

static char	*dir;		/* scratch directory */
static pid_t	 server = -1;	/* the test's server process */
static int	 listener = -1;	/* a socket the test holds open */
static char	 port[16];	/* where the test's server listens */

static const char *
pathf(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", dir, name);
	return buf;
}

static X509 *
load_cert(const char *name)
{
	STACK_OF(X509)	*certs;
	X509		*x;
	char		 p[PATH_MAX];

	if (cert_load(pathf(p, name), &certs) != 0)
		return NULL;
	x = sk_X509_shift(certs);
	cert_chain_free(certs);
	return x;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 +
	    (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static int
port_open(int p)
{
	struct sockaddr_in	sin;
	int			fd, ok;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(p);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return 0;
	ok = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	return ok;
}

/* openssl s_server -www on 127.0.0.1:port with ARGS appended, ready. */
static void
tls_server_start(const char *const *args)
{
	const char	*argv[32];
	char		 accept[32];
	int		 i, n = 0, fd;

	snprintf(port, sizeof(port), "%d", loopback_free_port());
	snprintf(accept, sizeof(accept), "127.0.0.1:%s", port);
	argv[n++] = "openssl";
	argv[n++] = "s_server";
	argv[n++] = "-accept";
	argv[n++] = accept;
	argv[n++] = "-www";
	while (*args != NULL)
		argv[n++] = *args++;
	argv[n] = NULL;
	assert_int_not_equal(server = fork(), -1);
	if (server == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp("openssl", (char *const *)argv);
		_exit(127);
	}
	for (i = 0; !port_open(atoi(port)); i++) {
		if (waitpid(server, NULL, WNOHANG) == server) {
			server = -1;
			fail_msg("openssl s_server exited");
		}
		if (i == 200)
			fail_msg("openssl s_server does not listen");
		usleep(25000);
	}
}

/* s_server with DIR/CERT and DIR/KEY, nothing else. */
static void
tls_server_start_with(const char *cert, const char *key)
{
	char		 certp[PATH_MAX], keyp[PATH_MAX];
	const char	*args[] = { "-cert", certp, "-key", keyp, NULL };

	pathf(certp, cert);
	pathf(keyp, key);
	tls_server_start(args);
}

/* A server that takes connections (the kernel does) and says nothing. */
static void
silent_start(void)
{
	int	p;

	listener = loopback_bind(&p);
	assert_int_equal(listen(listener, 8), 0);
	snprintf(port, sizeof(port), "%d", p);
}

/* net_open to 127.0.0.1:port with SECONDS to go. */
static int
open_local(const char *name, int seconds, struct conn **c, char *why)
{
	struct timespec	deadline;

	net_deadline(&deadline, seconds);
	return net_open("127.0.0.1", port, name, &deadline, c, why, WHYLEN);
}

static int
group_setup(void **state)
{
	char	other[PATH_MAX], *cmd;
	int	rc;

	(void)state;
	log_init("test_net");
	if ((dir = tmpdir_new("test_net")) == NULL ||
	    tmpdir_put(dir, "chain.cnf", chain_cnf) != 0 ||
	    tls_certs_new(dir, "test-net-ca") != 0 ||
	    mkdir(pathf(other, "other"), 0700) != 0 ||
	    tls_certs_new(other, "test-net-other-ca") != 0 ||
	    asprintf(&cmd, chain_sh, dir) == -1)
		return -1;
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static int
group_teardown(void **state)
{
	(void)state;
	return tmpdir_free(dir);
}

static int
teardown(void **state)
{
	(void)state;
	python_stop(&server);	/* any child, by PID */
	if (listener != -1)
		close(listener);
	listener = -1;
	return 0;
}

static void
test_peer_chain_is_what_the_server_sends(void **state)
{
	STACK_OF(X509)	*chain;
	struct conn	*c;
	X509		*leaf, *inter;
	char		 leafp[PATH_MAX], keyp[PATH_MAX], interp[PATH_MAX];
	char		 why[WHYLEN];
	const char	*args[] = { "-cert", leafp, "-key", keyp, "-cert_chain",
	    interp, NULL };

	(void)state;
	pathf(leafp, "leaf.pem");
	pathf(keyp, "leaf.key");
	pathf(interp, "inter.pem");
	tls_server_start(args);
	if (open_local("leaf.example.test", 5, &c, why) != 0)
		fail_msg("%s", why);
	chain = net_peer_chain(c);
	net_close(c);
	assert_non_null(chain);
	assert_non_null(leaf = load_cert("leaf.pem"));
	assert_non_null(inter = load_cert("inter.pem"));
	assert_int_equal(sk_X509_num(chain), 2);
	assert_int_equal(X509_cmp(sk_X509_value(chain, 0), leaf), 0);
	assert_int_equal(X509_cmp(sk_X509_value(chain, 1), inter), 0);
	X509_free(leaf);
	X509_free(inter);
	cert_chain_free(chain);
}

/* The first certificate C's server sent, compared with DIR/NAME. */
static void
assert_peer_is(struct conn *c, const char *name)
{
	STACK_OF(X509)	*chain;
	X509		*want;

	assert_non_null(chain = net_peer_chain(c));
	assert_non_null(want = load_cert(name));
	assert_int_equal(X509_cmp(sk_X509_value(chain, 0), want), 0);
	X509_free(want);
	cert_chain_free(chain);
}

/* The certificate the server sends for NAME is DIR/FILE. */
static void
assert_sni_answer(const char *name, const char *file)
{
	struct conn	*c;
	char		 why[WHYLEN];

	if (open_local(name, 5, &c, why) != 0)
		fail_msg("%s", why);
	assert_peer_is(c, file);
	net_close(c);
}

/* An SNI-dependent server: leaf for leaf.example.test, else server.pem. */
static void
test_peer_chain_sni_is_sent_for_names_only(void **state)
{
	char		 certp[PATH_MAX], keyp[PATH_MAX];
	char		 leafp[PATH_MAX], leafkeyp[PATH_MAX];
	const char	*args[] = { "-cert", certp, "-key", keyp,
	    "-servername", "leaf.example.test", "-cert2", leafp,
	    "-key2", leafkeyp, NULL };

	(void)state;
	pathf(certp, "server.pem");
	pathf(keyp, "server.key");
	pathf(leafp, "leaf.pem");
	pathf(leafkeyp, "leaf.key");
	tls_server_start(args);
	assert_sni_answer("leaf.example.test", "leaf.pem");
	assert_sni_answer(NULL, "server.pem");
	assert_sni_answer("127.0.0.1", "server.pem");
}

static void
test_connection_refused_is_unavailable(void **state)
{
	struct conn	*c;
	char		 why[WHYLEN], want[64];
	int		 p;

	(void)state;
	listener = loopback_bind(&p);
	snprintf(port, sizeof(port), "%d", p);
	assert_int_equal(open_local(NULL, 5, &c, why), EX_UNAVAILABLE);
	assert_null(c);
	snprintf(want, sizeof(want), "127.0.0.1:%d: Connection refused", p);
	assert_string_equal(why, want);
}

static void
test_ipv6_address_is_bracketed_in_reasons(void **state)
{
	struct sockaddr_in6	 sin6;
	struct timespec		 deadline;
	struct conn		*c;
	socklen_t		 len = sizeof(sin6);
	char			 why[WHYLEN], want[64];

	(void)state;
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	/* No IPv6 on this host is nothing to test, not a failure. */
	if ((listener = socket(AF_INET6, SOCK_STREAM, 0)) == -1 ||
	    bind(listener, (struct sockaddr *)&sin6, sizeof(sin6)) != 0)
		skip();
	assert_int_equal(getsockname(listener, (struct sockaddr *)&sin6, &len),
	    0);
	snprintf(port, sizeof(port), "%d", ntohs(sin6.sin6_port));
	net_deadline(&deadline, 5);
	assert_int_equal(net_open("::1", port, NULL, &deadline, &c, why,
	    sizeof(why)), EX_UNAVAILABLE);
	snprintf(want, sizeof(want), "[::1]:%s: Connection refused", port);
	assert_string_equal(why, want);
}

static void
test_unknown_host_is_unavailable(void **state)
{
	struct timespec	 deadline;
	struct conn	*c;
	char		 why[WHYLEN];

	(void)state;
	net_deadline(&deadline, 5);
	assert_int_equal(net_open("nonexistent.invalid", "443", NULL, &deadline,
	    &c, why, sizeof(why)), EX_UNAVAILABLE);
	assert_null(c);
	assert_true(strncmp(why, "nonexistent.invalid:443: ", 25) == 0);
}

static void
test_tls_handshake_times_out_on_silent_server(void **state)
{
	struct timespec	 t0;
	struct conn	*c;
	char		 why[WHYLEN], want[80];

	(void)state;
	silent_start();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(open_local(NULL, 1, &c, why), EX_TEMPFAIL);
	assert_in_range(ms_since(&t0), 900, 2999);
	assert_null(c);
	snprintf(want, sizeof(want), "127.0.0.1:%s: TLS handshake failed: "
	    "timed out", port);
	assert_string_equal(why, want);
}

/* REASON after "127.0.0.1:PORT: TLS handshake failed: " in WHY. */
static void
assert_handshake_failed(const char *why, const char *reason)
{
	char	want[WHYLEN];

	snprintf(want, sizeof(want), "127.0.0.1:%s: TLS handshake failed: %s",
	    port, reason);
	assert_string_equal(why, want);
}

static void
test_tls_1_1_only_server_is_unavailable(void **state)
{
	struct conn	*c;
	char		 certp[PATH_MAX], keyp[PATH_MAX], why[WHYLEN];
	const char	*args[] = { "-cert", certp, "-key", keyp, "-tls1_1",
	    "-cipher", "DEFAULT:@SECLEVEL=0", NULL };

	(void)state;
	pathf(certp, "server.pem");
	pathf(keyp, "server.key");
	tls_server_start(args);
	assert_int_equal(open_local(NULL, 5, &c, why), EX_UNAVAILABLE);
	assert_null(c);
	assert_handshake_failed(why, "tlsv1 alert protocol version");
}

/* net_open_offer to 127.0.0.1:port offering VERSION, 5 s to go. */
static int
offer_local(int version, const char *ciphers, struct conn **c, char *why)
{
	struct net_offer	offer = { version, ciphers };
	struct timespec		deadline;

	net_deadline(&deadline, 5);
	return net_open_offer("127.0.0.1", port, NULL, &offer, &deadline, c,
	    why, WHYLEN);
}

static void
test_offer_of_an_old_version_is_taken_when_allowed(void **state)
{
	struct conn	*c;
	char		 certp[PATH_MAX], keyp[PATH_MAX], why[WHYLEN];
	const char	*args[] = { "-cert", certp, "-key", keyp, "-tls1_1",
	    "-cipher", "DEFAULT:@SECLEVEL=0", NULL };
	int		 bits;

	(void)state;
	pathf(certp, "server.pem");
	pathf(keyp, "server.key");
	tls_server_start(args);
	if (offer_local(TLS1_1_VERSION, NULL, &c, why) != 0)
		fail_msg("%s", why);
	assert_non_null(net_cipher(c, &bits));
	assert_true(bits >= 128);
	net_close(c);
}

static void
test_offer_the_server_refuses_is_a_protocol_error(void **state)
{
	struct conn	*c;
	char		 certp[PATH_MAX], keyp[PATH_MAX], why[WHYLEN];
	const char	*args[] = { "-cert", certp, "-key", keyp, "-tls1_2",
	    NULL };

	(void)state;
	pathf(certp, "server.pem");
	pathf(keyp, "server.key");
	tls_server_start(args);
	assert_int_equal(offer_local(TLS1_VERSION, NULL, &c, why),
	    EX_PROTOCOL);
	assert_null(c);
	assert_int_equal(offer_local(TLS1_2_VERSION, "aNULL:eNULL", &c, why),
	    EX_PROTOCOL);
	assert_null(c);
	if (offer_local(TLS1_2_VERSION, NULL, &c, why) != 0)
		fail_msg("%s", why);
	net_close(c);
}

static void
test_offer_of_a_null_cipher_reports_zero_bits(void **state)
{
	struct conn	*c;
	char		 certp[PATH_MAX], keyp[PATH_MAX], why[WHYLEN];
	const char	*args[] = { "-cert", certp, "-key", keyp, "-tls1_2",
	    "-cipher", "ALL:eNULL:@SECLEVEL=0", NULL };
	int		 bits = -1;

	(void)state;
	pathf(certp, "server.pem");
	pathf(keyp, "server.key");
	tls_server_start(args);
	if (offer_local(TLS1_2_VERSION, "eNULL", &c, why) != 0)
		fail_msg("%s", why);
	assert_non_null(strstr(net_cipher(c, &bits), "NULL"));
	assert_int_equal(bits, 0);
	net_close(c);
}

static void
test_write_and_read_carry_a_request_and_its_answer(void **state)
{
	struct conn	*c;
	char		 certp[PATH_MAX], keyp[PATH_MAX], why[WHYLEN];
	char		 buf[8192];
	const char	*args[] = { "-cert", certp, "-key", keyp, NULL };
	const char	 req[] = "GET / HTTP/1.0\r\n\r\n";
	size_t		 n = 0, got;

	(void)state;
	pathf(certp, "server.pem");
	pathf(keyp, "server.key");
	tls_server_start(args);
	if (open_local(NULL, 5, &c, why) != 0 ||
	    net_write(c, req, strlen(req), why, WHYLEN) != 0)
		fail_msg("%s", why);
	do {
		if (net_read(c, buf + n, sizeof(buf) - 1 - n, &got, why,
		    WHYLEN) != 0)
			break;
		n += got;
	} while (got > 0 && n < sizeof(buf) - 1);
	buf[n] = '\0';
	net_close(c);
	assert_true(strncmp(buf, "HTTP/1.0 200 ok\r\n", 17) == 0);
}

static void
test_close_restores_sigpipe_disposition(void **state)
{
	struct sigaction sa;
	struct conn	*c;
	char		 why[WHYLEN];

	(void)state;
	tls_server_start_with("server.pem", "server.key");
	signal(SIGPIPE, SIG_DFL);
	assert_int_equal(open_local(NULL, 5, &c, why), 0);
	assert_int_equal(sigaction(SIGPIPE, NULL, &sa), 0);
	assert_true(sa.sa_handler == SIG_IGN);
	net_close(c);
	assert_int_equal(sigaction(SIGPIPE, NULL, &sa), 0);
	assert_true(sa.sa_handler == SIG_DFL);
	net_close(NULL);
}

/* Connections closed in another order than opened still restore it. */
static void
test_sigpipe_is_restored_after_the_last_close(void **state)
{
	struct sigaction sa;
	struct conn	*a, *b;
	char		 why[WHYLEN];
	pid_t		 first;

	(void)state;
	/* s_server serves one connection at a time: one server each. */
	tls_server_start_with("server.pem", "server.key");
	signal(SIGPIPE, SIG_DFL);
	assert_int_equal(open_local(NULL, 5, &a, why), 0);
	first = server;
	tls_server_start_with("server.pem", "server.key");
	assert_int_equal(open_local(NULL, 5, &b, why), 0);
	python_stop(&first);	/* by PID, as teardown does */
	net_close(a);
	assert_int_equal(sigaction(SIGPIPE, NULL, &sa), 0);
	assert_true(sa.sa_handler == SIG_IGN);
	net_close(b);
	assert_int_equal(sigaction(SIGPIPE, NULL, &sa), 0);
	assert_true(sa.sa_handler == SIG_DFL);
}

/*
 * Nothing is verified, so the reason for a failed handshake is the
 * server's (here: it wants a client certificate), not a check.
 */
static void
test_failure_names_the_servers_cause(void **state)
{
	struct conn	*c;
	char		 certp[PATH_MAX], keyp[PATH_MAX], cap[PATH_MAX];
	char		 why[WHYLEN];
	const char	*args[] = { "-cert", certp, "-key", keyp, "-Verify", "1",
	    "-CAfile", cap, "-tls1_2", NULL };

	(void)state;
	pathf(certp, "server.pem");
	pathf(keyp, "server.key");
	pathf(cap, "ca.pem");
	tls_server_start(args);
	assert_int_equal(open_local("localhost", 5, &c, why), EX_UNAVAILABLE);
	assert_non_null(strstr(why, "TLS handshake failed"));
	assert_null(strstr(why, "issuer"));
}

int
main(void)
{
#define T(f)	cmocka_unit_test_teardown(f, teardown)
	const struct CMUnitTest tests[] = {
		T(test_peer_chain_is_what_the_server_sends),
		T(test_peer_chain_sni_is_sent_for_names_only),
		T(test_connection_refused_is_unavailable),
		T(test_ipv6_address_is_bracketed_in_reasons),
		T(test_unknown_host_is_unavailable),
		T(test_tls_handshake_times_out_on_silent_server),
		T(test_tls_1_1_only_server_is_unavailable),
		T(test_offer_of_an_old_version_is_taken_when_allowed),
		T(test_offer_the_server_refuses_is_a_protocol_error),
		T(test_offer_of_a_null_cipher_reports_zero_bits),
		T(test_write_and_read_carry_a_request_and_its_answer),
		T(test_close_restores_sigpipe_disposition),
		T(test_sigpipe_is_restored_after_the_last_close),
		T(test_failure_names_the_servers_cause),
	};
#undef T

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
