/*
 * http: requests against real servers on 127.0.0.1 (and ::1 when the host
 * has it), plain and HTTPS with a throwaway CA.  Two small Python scripts
 * (tests/unit/python/): http_server.py answers by path and says what it
 * was sent, and raw_server.py answers each path with canned raw bytes, so
 * that framing, limits and broken answers are exact, and refuses CONNECT
 * as a proxy that allows no tunnel would.
 */
#define _GNU_SOURCE		/* asprintf */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http.h"
#include "log.h"
#include "time64.h"
#include "util.h"

#define UA		"ss-test/1.0"
/* /fields/N of raw_server.py sends this: N bytes of fields, empty line. */
#define STATUS_LINE	"HTTP/1.1 200 OK\r\n"
#define USER		"dev1user"
#define PASSWORD	"s3cret:with spaces"
#define USER_PASSWORD_B64 "ZGV2MXVzZXI6czNjcmV0OndpdGggc3BhY2Vz"

struct server {
	const char	*script;	/* http_server.py or raw_server.py */
	const char	*scheme;
	const char	*host;		/* as in a URL */
	pid_t		 pid;
	int		 port;
	const char	*cert;		/* in the scratch directory, for TLS; */
	const char	*key;		/* server.pem and server.key if NULL */
	int		 old_tls;	/* raw_server.py: TLS 1.1 at most */
};

/* A server not started yet, with the certificate server.pem for TLS. */
#define SERVER(script, scheme, host) \
	{ script, scheme, host, -1, 0, NULL, NULL, 0 }

static char		*dir;		/* scratch directory */
static char		 ca_file[PATH_MAX];
static char		 other_ca_file[PATH_MAX];
#define RAW		"raw_server.py"
static struct server	 plain = SERVER("http_server.py", "http", "127.0.0.1");
static struct server	 tls = SERVER("http_server.py", "https", "127.0.0.1");
static struct server	 raw = SERVER(RAW, "http", "127.0.0.1");
static struct server	 raw_tls = SERVER(RAW, "https", "127.0.0.1");
static struct server	 raw6 = SERVER(RAW, "http", "[::1]");
/* raw_server.py over TLS: sending the intermediate too; on 127.0.0.2,
 * which its certificate does not name; self-signed; TLS 1.1 at most. */
static struct server	 chained = { RAW, "https", "127.0.0.1", -1, 0,
    "chain.pem", "leaf.key", 0 };
static struct server	 elsewhere = SERVER(RAW, "https", "127.0.0.2");
static struct server	 selfsigned = { RAW, "https", "127.0.0.1", -1, 0,
    "other/ca.pem", "other/ca.key", 0 };
static struct server	 tls11 = { RAW, "https", "127.0.0.1", -1, 0, NULL,
    NULL, 1 };

/* An intermediate CA under ca.pem and, under it, a leaf for 127.0.0.1. */
static const char chain_cnf[] =
	"[inter]\n"
	"basicConstraints = critical,CA:TRUE\n"
	"keyUsage = critical,keyCertSign\n"
	"[leaf]\n"
	"basicConstraints = critical,CA:FALSE\n"
	"extendedKeyUsage = serverAuth\n"
	"subjectAltName = IP:127.0.0.1\n";

static const char chain_sh[] =
	"cd %s && exec >chain.log 2>&1 && "
	"openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	"-keyout inter.key -subj /CN=test-http-inter -out inter.csr && "
	"openssl x509 -req -in inter.csr -CA ca.pem -CAkey ca.key "
	"-set_serial 3 -days 1 -extfile chain.cnf -extensions inter "
	"-out inter.pem && "
	"openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	"-keyout leaf.key -subj /CN=127.0.0.1 -out leaf.csr && "
	"openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key "
	"-set_serial 4 -days 1 -extfile chain.cnf -extensions leaf "
	"-out leaf.pem && cat leaf.pem inter.pem >chain.pem";

/* The variables through which the environment names a proxy. */
static const char *const proxy_vars[] = {
	"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
	"no_proxy", "NO_PROXY", NULL };

/*
 * Starts S->script on S->host (raw_server.py takes the address,
 * http_server.py listens on 127.0.0.1), with a certificate when TLS, and
 * waits for the port it prints once it listens.
 */
static int
server_start(struct server *s, int with_tls)
{
	char		 cert[PATH_MAX], key[PATH_MAX];
	char		 line[32], addr[64];
	const char	*argv[] = { s->script, addr, cert, key, NULL, NULL };
	const char	**args = argv;

	/* "[::1]" in a URL, "::1" for bind(). */
	if (s->host[0] == '[')
		snprintf(addr, sizeof(addr), "%.*s",
		    (int)strlen(s->host) - 2, s->host + 1);
	else
		snprintf(addr, sizeof(addr), "%s", s->host);
	snprintf(cert, sizeof(cert), "%s/%s", dir,
	    s->cert != NULL ? s->cert : "server.pem");
	snprintf(key, sizeof(key), "%s/%s", dir,
	    s->key != NULL ? s->key : "server.key");
	if (!with_tls)
		argv[2] = NULL;
	else if (s->old_tls)
		argv[4] = "tls1.1";
	if (strcmp(s->script, "http_server.py") == 0) {
		argv[1] = s->script;
		args = argv + 1;
	}
	s->port = python_start(&s->pid, args, NULL, line, sizeof(line)) == 0 ?
	    atoi(line) : 0;
	return s->port > 0 ? 0 : -1;
}

static int
group_setup(void **state)
{
	char	other[PATH_MAX], *cmd;
	int	rc;

	(void)state;
	log_init("test_http");
	if ((dir = tmpdir_new("test_http")) == NULL ||
	    tmpdir_put(dir, "chain.cnf", chain_cnf) != 0)
		return -1;
	snprintf(ca_file, sizeof(ca_file), "%s/ca.pem", dir);
	snprintf(other, sizeof(other), "%s/other", dir);
	snprintf(other_ca_file, sizeof(other_ca_file), "%s/other/ca.pem", dir);
	if (tls_certs_new(dir, "test-http-ca") != 0 ||
	    mkdir(other, 0700) != 0 || tls_certs_new(other, "other-ca") != 0 ||
	    asprintf(&cmd, chain_sh, dir) == -1)
		return -1;
	rc = system(cmd);
	free(cmd);
	if (rc != 0 ||
	    server_start(&plain, 0) != 0 || server_start(&tls, 1) != 0 ||
	    server_start(&raw, 0) != 0 || server_start(&raw_tls, 1) != 0 ||
	    server_start(&chained, 1) != 0 ||
	    server_start(&elsewhere, 1) != 0 ||
	    server_start(&selfsigned, 1) != 0 || server_start(&tls11, 1) != 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	python_stop(&plain.pid);
	python_stop(&tls.pid);
	python_stop(&raw.pid);
	python_stop(&raw_tls.pid);
	python_stop(&raw6.pid);
	python_stop(&chained.pid);
	python_stop(&elsewhere.pid);
	python_stop(&selfsigned.pid);
	python_stop(&tls11.pid);
	return tmpdir_free(dir);
}

/*
 * Verbose tests raise the level and proxy tests set the environment;
 * every test starts from the default level and without a proxy.
 */
static int
setup(void **state)
{
	const char *const	*v;

	(void)state;
	log_set_level(LOG_LEVEL_INFO);
	for (v = proxy_vars; *v != NULL; v++)
		unsetenv(*v);
	return 0;
}

/* URL of PATH on server S, in BUF of 128 bytes. */
static const char *
url(char *buf, const struct server *s, const char *path)
{
	snprintf(buf, 128, "%s://%s:%d%s", s->scheme, s->host, s->port, path);
	return buf;
}

/* One request on a new handle that trusts the test CA. */
static int
fetch(const char *method, const char *u, long timeout, struct http_resp *r)
{
	struct http	*h;
	int		 rc;

	assert_non_null(h = http_new(UA, ca_file, NULL, timeout));
	rc = http_request(h, method, u, NULL, NULL, 0, r);
	http_free(h);
	return rc;
}

/* "METHOD LENGTH PORT UA CT" from /inspect into its parts. */
struct seen {
	char	method[16];
	size_t	len;
	int	port;
	char	ua[64];
	char	ct[64];
};

static void
inspect(const struct http_resp *r, struct seen *s)
{
	assert_int_equal(r->status, 200);
	assert_int_equal(sscanf(r->body, "%15s %zu %d %63s %63s", s->method,
	    &s->len, &s->port, s->ua, s->ct), 5);
}

static void
test_get_returns_status_and_body(void **state)
{
	struct http_resp	r;
	char			u[128];

	(void)state;
	assert_int_equal(fetch("GET", url(u, &plain, "/status/200"), 5, &r),
	    0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "status 200");
	assert_int_equal(r.len, strlen("status 200"));
	http_resp_free(&r);
}

static void
test_post_body_is_sent_byte_exact(void **state)
{
	static const char	 body[] = "{\"a\":\0\x01\xff\r\n}";
	struct http		*h;
	struct http_resp	 r;
	char			 u[128];

	(void)state;
	assert_non_null(h = http_new(UA, NULL, NULL, 5));
	assert_int_equal(http_request(h, "POST", url(u, &plain, "/echo"),
	    NULL, body, sizeof(body), &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, sizeof(body));
	assert_memory_equal(r.body, body, sizeof(body));
	assert_int_equal(r.body[r.len], '\0');
	http_resp_free(&r);
	http_free(h);
}

static void
test_request_headers_and_user_agent_are_sent(void **state)
{
	static const char *const hdrs[] = {
		"Content-Type: application/jose+json", NULL };
	struct http		*h;
	struct http_resp	 r;
	struct seen		 s;
	char			 u[128];

	(void)state;
	assert_non_null(h = http_new(UA, NULL, NULL, 5));
	assert_int_equal(http_request(h, "POST", url(u, &plain, "/inspect"),
	    hdrs, "{}", 2, &r), 0);
	inspect(&r, &s);
	assert_string_equal(s.method, "POST");
	assert_int_equal(s.len, 2);
	assert_string_equal(s.ua, UA);
	assert_string_equal(s.ct, "application/jose+json");
	http_resp_free(&r);
	http_free(h);
}

static void
test_head_returns_headers_and_empty_body(void **state)
{
	struct http_resp	r;
	char			u[128];

	(void)state;
	assert_int_equal(fetch("HEAD", url(u, &plain, "/headers"), 5, &r), 0);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.nonce, "nonce-1");
	assert_non_null(r.body);
	assert_string_equal(r.body, "");
	assert_int_equal(r.len, 0);
	http_resp_free(&r);
}

static void
test_acme_headers_are_parsed_and_trimmed(void **state)
{
	struct http_resp	r;
	char			u[128];

	(void)state;
	assert_int_equal(fetch("GET", url(u, &plain, "/headers"), 5, &r), 0);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.content_type, "application/json");
	assert_string_equal(r.nonce, "nonce-1");
	assert_string_equal(r.location, "https://127.0.0.1/acme/acct/1");
	assert_int_equal(r.retry_after, 120);
	assert_string_equal(r.body, "{}");
	http_resp_free(&r);
}

static void
test_retry_after_date_becomes_seconds_from_now(void **state)
{
	struct http_resp	r;
	char			u[128];
	int64_t			t0, t1;

	(void)state;
	t0 = time64_now();
	assert_int_equal(fetch("GET", url(u, &plain, "/retry-date/100"), 5,
	    &r), 0);
	t1 = time64_now();
	assert_int_equal(r.status, 503);
	/* The date is 100 s after some moment from T0 to T1, in whole s. */
	assert_in_range(r.retry_after, 100 - (t1 - t0) - 1, 100);
	http_resp_free(&r);
}

static void
test_retry_after_date_in_the_past_is_zero(void **state)
{
	struct http_resp	r;
	char			u[128];

	(void)state;
	assert_int_equal(fetch("GET", url(u, &plain, "/retry-date/-100"), 5,
	    &r), 0);
	assert_int_equal(r.retry_after, 0);
	http_resp_free(&r);
}

static void
test_absent_headers_are_null_and_minus_one(void **state)
{
	struct http_resp	r;
	char			u[128];

	(void)state;
	assert_int_equal(fetch("GET", url(u, &plain, "/echo"), 5, &r), 0);
	assert_null(r.location);
	assert_null(r.nonce);
	assert_int_equal(r.retry_after, -1);
	http_resp_free(&r);
}

static void
test_interim_response_headers_do_not_leak(void **state)
{
	struct http_resp	r;
	char			u[128];

	(void)state;
	assert_int_equal(fetch("GET", url(u, &plain, "/interim"), 5, &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(r.nonce);
	assert_null(r.location);
	assert_int_equal(r.retry_after, -1);
	assert_string_equal(r.body, "final");
	http_resp_free(&r);
}

static void
test_error_status_is_returned_not_failed(void **state)
{
	struct http_resp	r;
	char			u[128];

	(void)state;
	assert_int_equal(fetch("GET", url(u, &plain, "/status/404"), 5, &r),
	    0);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.body, "status 404");
	http_resp_free(&r);
	assert_int_equal(fetch("POST", url(u, &plain, "/status/500"), 5, &r),
	    0);
	assert_int_equal(r.status, 500);
	http_resp_free(&r);
}

static void
test_body_of_max_size_is_accepted(void **state)
{
	struct http_resp	r;
	char			u[128], path[32];

	(void)state;
	snprintf(path, sizeof(path), "/big/%d", HTTP_MAX_BODY);
	assert_int_equal(fetch("GET", url(u, &plain, path), 5, &r), 0);
	assert_int_equal(r.len, HTTP_MAX_BODY);
	assert_int_equal(r.body[r.len], '\0');
	http_resp_free(&r);
}

static void
test_body_over_max_size_is_data_error(void **state)
{
	struct http_resp	 r;
	char			 u[128], path[32], want[256], *said;

	(void)state;
	snprintf(path, sizeof(path), "/big/%d", HTTP_MAX_BODY + 1);
	url(u, &plain, path);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fetch("GET", u, 5, &r), EX_DATAERR);
	said = capture_end();
	snprintf(want, sizeof(want),
	    "test_http: %s: response body larger than %d bytes\n", u,
	    HTTP_MAX_BODY);
	assert_string_equal(said, want);
	assert_null(r.body);
	free(said);
}

static void
test_connection_refused_is_unavailable(void **state)
{
	struct server		 none = SERVER(NULL, "http", "127.0.0.1");
	struct http_resp	 r;
	char			 u[128], want[192], *said;
	int			 fd;

	(void)state;
	/* Bound but not listening: the port is refused and stays ours. */
	fd = loopback_bind(&none.port);
	url(u, &none, "/");
	capture_begin(STDERR_FILENO);
	assert_int_equal(fetch("GET", u, 5, &r), EX_UNAVAILABLE);
	said = capture_end();
	close(fd);
	snprintf(want, sizeof(want), "test_http: %s: Failed to connect to "
	    "127.0.0.1 port %d", u, none.port);
	assert_memory_equal(said, want, strlen(want));
	free(said);
}

static void
test_https_with_ca_file_is_trusted(void **state)
{
	struct http_resp	r;
	char			u[128];

	(void)state;
	assert_int_equal(fetch("GET", url(u, &tls, "/status/200"), 5, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "status 200");
	http_resp_free(&r);
}

static void
test_untrusted_certificate_is_unavailable(void **state)
{
	struct http		*h;
	struct http_resp	 r;
	char			 u[128], *said;

	(void)state;
	assert_non_null(h = http_new(UA, "", NULL, 5));
	capture_begin(STDERR_FILENO);
	assert_int_equal(http_request(h, "GET", url(u, &tls, "/status/200"),
	    NULL, NULL, 0, &r), EX_UNAVAILABLE);
	said = capture_end();
	assert_non_null(strstr(said, u));
	assert_non_null(strstr(said, "certificate"));
	free(said);
	http_free(h);
}

static void
test_silent_server_times_out(void **state)
{
	struct http_resp	 r;
	char			 u[128], want[192], *said;

	(void)state;
	url(u, &plain, "/sleep");
	capture_begin(STDERR_FILENO);
	assert_int_equal(fetch("GET", u, 1, &r), EX_TEMPFAIL);
	said = capture_end();
	snprintf(want, sizeof(want), "test_http: %s: timed out after 1 s\n",
	    u);
	assert_string_equal(said, want);
	free(said);
}

static void
test_get_after_head_has_a_body(void **state)
{
	struct http		*h;
	struct http_resp	 r;
	char			 u[128];

	(void)state;
	assert_non_null(h = http_new(UA, NULL, NULL, 5));
	url(u, &plain, "/status/200");
	assert_int_equal(http_request(h, "HEAD", u, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.len, 0);
	http_resp_free(&r);
	assert_int_equal(http_request(h, "GET", u, NULL, NULL, 0, &r), 0);
	assert_string_equal(r.body, "status 200");
	http_resp_free(&r);
	http_free(h);
}

static void
test_get_after_post_sends_no_body(void **state)
{
	static const char *const hdrs[] = {
		"Content-Type: application/jose+json", NULL };
	struct http		*h;
	struct http_resp	 r;
	struct seen		 s;
	char			 u[128];

	(void)state;
	assert_non_null(h = http_new(UA, NULL, NULL, 5));
	url(u, &plain, "/inspect");
	assert_int_equal(http_request(h, "POST", u, hdrs, "{\"x\":1}", 7, &r),
	    0);
	http_resp_free(&r);
	assert_int_equal(http_request(h, "GET", u, NULL, NULL, 0, &r), 0);
	inspect(&r, &s);
	assert_string_equal(s.method, "GET");
	assert_int_equal(s.len, 0);
	assert_string_equal(s.ct, "-");
	http_resp_free(&r);
	http_free(h);
}

static void
test_connection_is_kept_between_requests(void **state)
{
	struct http		*h;
	struct http_resp	 r;
	struct seen		 first, second;
	char			 u[128];

	(void)state;
	assert_non_null(h = http_new(UA, ca_file, NULL, 5));
	url(u, &tls, "/inspect");
	assert_int_equal(http_request(h, "GET", u, NULL, NULL, 0, &r), 0);
	inspect(&r, &first);
	http_resp_free(&r);
	assert_int_equal(http_request(h, "POST", u, NULL, "", 0, &r), 0);
	inspect(&r, &second);
	http_resp_free(&r);
	assert_int_equal(first.port, second.port);
	http_free(h);
}

static void
test_verbose_logs_bodies_but_not_headers(void **state)
{
	static const char *const hdrs[] = {
		"Authorization: Bearer secret-token", NULL };
	struct http		*h;
	struct http_resp	 r;
	char			 u[128], line[512], *said;

	(void)state;
	log_set_level(LOG_LEVEL_DEBUG);
	assert_non_null(h = http_new(UA, NULL, NULL, 5));
	url(u, &plain, "/echo");
	capture_begin(STDERR_FILENO);
	assert_int_equal(http_request(h, "POST", u, hdrs, "{\n\"a\": 1\n}",
	    10, &r), 0);
	said = capture_end();
	snprintf(line, sizeof(line), "test_http: debug: -> POST %s\n"
	    "test_http: debug:    {\n"
	    "test_http: debug:    \"a\": 1\n"
	    "test_http: debug:    }\n"
	    "test_http: debug: <- 200 %s\n"
	    "test_http: debug:    {\n", u, u);
	assert_memory_equal(said, line, strlen(line));
	assert_null(strstr(said, "secret-token"));
	free(said);
	http_resp_free(&r);
	http_free(h);
}

static void
test_verbose_does_not_print_binary_bodies(void **state)
{
	struct http		*h;
	struct http_resp	 r;
	char			 u[128], *said;

	(void)state;
	log_set_level(LOG_LEVEL_DEBUG);
	assert_non_null(h = http_new(UA, NULL, NULL, 5));
	url(u, &plain, "/echo");
	capture_begin(STDERR_FILENO);
	assert_int_equal(http_request(h, "POST", u, NULL, "a\0\033[2J", 6,
	    &r), 0);
	said = capture_end();
	assert_non_null(strstr(said, "(6 bytes, not text)\n"));
	assert_null(strchr(said, '\033'));
	free(said);
	http_resp_free(&r);
	http_free(h);
}

static void
test_verbose_truncates_long_bodies(void **state)
{
	struct http_resp	 r;
	char			 u[128], path[32], *said;

	(void)state;
	log_set_level(LOG_LEVEL_DEBUG);
	snprintf(path, sizeof(path), "/big/%d", 100000);
	url(u, &plain, path);
	capture_begin(STDERR_FILENO);
	assert_int_equal(fetch("GET", u, 5, &r), 0);
	said = capture_end();
	assert_true(strlen(said) < 4096);
	assert_non_null(strstr(said, "... (100000 bytes in all)\n"));
	free(said);
	http_resp_free(&r);
}

static void
test_zero_timeout_is_refused(void **state)
{
	char	*said;

	(void)state;
	capture_begin(STDERR_FILENO);
	assert_null(http_new(UA, NULL, NULL, 0));
	said = capture_end();
	assert_string_equal(said,
	    "test_http: http: timeout must be positive, not 0\n");
	free(said);
}

static void
test_resp_free_zeroes_and_takes_a_zeroed_struct(void **state)
{
	struct http_resp	r, zero;
	char			u[128];

	(void)state;
	memset(&zero, 0, sizeof(zero));
	memset(&r, 0, sizeof(r));
	http_resp_free(&r);
	assert_memory_equal(&r, &zero, sizeof(r));
	assert_int_equal(fetch("GET", url(u, &plain, "/headers"), 5, &r), 0);
	http_resp_free(&r);
	assert_memory_equal(&r, &zero, sizeof(r));
	http_resp_free(&r);
}

/*
 * From here on, the answers of raw.py: framing, limits, broken answers,
 * what the request looks like, the URLs and headers refused before
 * anything is sent, TLS trust, basic authentication and proxies.
 */

/* "127.0.0.1:PORT" of server S, which every error about it names. */
static const char *
hostport(char *buf, const struct server *s)
{
	snprintf(buf, 128, "%s:%d", s->host, s->port);
	return buf;
}

/* GET U on a new handle trusting CA with PROXY, what it logs in *SAID. */
static int
get_logged(const char *u, const char *const *hdrs, const char *ca,
    const char *proxy, long timeout, struct http_resp *r, char **said)
{
	struct http	*h;
	int		 rc;

	assert_non_null(h = http_new(UA, ca, proxy, timeout));
	capture_begin(STDERR_FILENO);
	rc = http_request(h, "GET", u, hdrs, NULL, 0, r);
	*said = capture_end();
	http_free(h);
	return rc;
}

/* GET PATH from the plain raw server, trusting the test CA. */
static int
get(const char *path, const char *const *hdrs, struct http_resp *r)
{
	struct http	*h;
	char		 u[128];
	int		 rc;

	assert_non_null(h = http_new(UA, ca_file, NULL, 5));
	rc = http_request(h, "GET", url(u, &raw, path), hdrs, NULL, 0, r);
	http_free(h);
	return rc;
}

/*
 * GET PATH from the plain raw server, expecting the failure RC and a log
 * line that names the server.
 */
static void
get_fails(const char *path, int rc)
{
	struct http_resp	 r;
	char			 u[128], hp[128], *said;

	url(u, &raw, path);
	assert_int_equal(get_logged(u, NULL, ca_file, NULL, 5, &r, &said), rc);
	assert_non_null(strstr(said, hostport(hp, &raw)));
	assert_null(r.body);
	free(said);
}

/* The URL U is refused as a usage error, with a reason logged. */
static void
url_refused(const char *u, const char *const *hdrs)
{
	struct http_resp	 r;
	char			*said, want[256];

	assert_int_equal(get_logged(u, hdrs, ca_file, NULL, 5, &r, &said),
	    EX_USAGE);
	snprintf(want, sizeof(want), "test_http: %s: ", u);
	assert_memory_equal(said, want, strlen(want));
	assert_true(strlen(said) > strlen(want) + 1);
	free(said);
}

/*
 * The value of the field NAME in the request head HEAD, in BUF of SIZE
 * bytes; NULL when the request has no such field.
 */
static const char *
field(const char *head, const char *name, char *buf, size_t size)
{
	const char	*line, *end, *v;
	size_t		 n = strlen(name);

	line = strstr(head, "\r\n");
	while (line != NULL && strncmp(line, "\r\n\r\n", 4) != 0) {
		line += 2;
		if ((end = strstr(line, "\r\n")) == NULL)
			return NULL;
		if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
			for (v = line + n + 1; *v == ' ' || *v == '\t'; v++)
				;
			snprintf(buf, size, "%.*s", (int)(end - v), v);
			return buf;
		}
		line = end;
	}
	return NULL;
}

/* The request head the raw server got for a GET of PATH with HDRS. */
static char *
request_sent(const char *path, const char *const *hdrs)
{
	struct http_resp	 r;
	char			*head;

	assert_int_equal(get(path, hdrs, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(head = strdup(r.body));
	http_resp_free(&r);
	return head;
}

/* Whether NUM occurs in S as a number of its own, not inside another. */
static int
has_number(const char *s, const char *num)
{
	const char	*p;
	size_t		 n = strlen(num);

	for (p = s; (p = strstr(p, num)) != NULL; p++) {
		if ((p == s || p[-1] < '0' || p[-1] > '9') &&
		    (p[n] < '0' || p[n] > '9'))
			return 1;
	}
	return 0;
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A body of N bytes framed by FRAMING (/big-FRAMING/N) is accepted whole. */
static void
big_body_accepted(const char *framing, int n)
{
	struct http_resp	r;
	char			path[64];

	snprintf(path, sizeof(path), "/big-%s/%d", framing, n);
	assert_int_equal(get(path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, n);
	assert_int_equal(r.body[0], 'x');
	assert_int_equal(r.body[r.len - 1], 'x');
	assert_int_equal(r.body[r.len], '\0');
	http_resp_free(&r);
}

/* A body of N bytes framed by FRAMING is refused as too large. */
static void
big_body_refused(const char *framing, int n)
{
	char	path[64];

	snprintf(path, sizeof(path), "/big-%s/%d", framing, n);
	get_fails(path, EX_DATAERR);
}

static void
test_content_length_body_and_status_are_returned(void **state)
{
	struct http_resp	r;

	(void)state;
	assert_int_equal(get("/length", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, 5);
	assert_string_equal(r.body, "hello");
	http_resp_free(&r);
}

static void
test_body_may_hold_nuls(void **state)
{
	struct http_resp	r;

	(void)state;
	assert_int_equal(get("/nul", NULL, &r), 0);
	assert_int_equal(r.len, 5);
	assert_memory_equal(r.body, "a\0b\0c", 5);
	assert_int_equal(r.body[5], '\0');
	http_resp_free(&r);
}

static void
test_chunked_body_is_reassembled(void **state)
{
	static const char	body[] = "hello,0123456789 ABCDEFGHIJ";
	struct http_resp	r;

	(void)state;
	assert_int_equal(get("/chunked", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, strlen(body));
	assert_string_equal(r.body, body);
	http_resp_free(&r);
}

static void
test_body_ended_by_close_is_returned(void **state)
{
	struct http_resp	r;

	(void)state;
	assert_int_equal(get("/close", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, strlen("until close"));
	assert_string_equal(r.body, "until close");
	http_resp_free(&r);
}

static void
test_interim_answers_are_skipped(void **state)
{
	struct http_resp	r;

	(void)state;
	assert_int_equal(get("/interim", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "final");
	http_resp_free(&r);
}

static void
test_no_content_has_no_body(void **state)
{
	struct http_resp	r;

	(void)state;
	assert_int_equal(get("/no-content", NULL, &r), 0);
	assert_int_equal(r.status, 204);
	assert_int_equal(r.len, 0);
	assert_non_null(r.body);
	assert_string_equal(r.body, "");
	http_resp_free(&r);
}

static void
test_redirect_is_returned_not_followed(void **state)
{
	struct http_resp	r;

	(void)state;
	assert_int_equal(get("/redirect", NULL, &r), 0);
	assert_int_equal(r.status, 302);
	assert_string_equal(r.location, "/length");
	assert_string_equal(r.body, "moved");
	http_resp_free(&r);
}

static void
test_not_found_is_a_status_not_a_failure(void **state)
{
	struct http_resp	r;

	(void)state;
	assert_int_equal(get("/missing", NULL, &r), 0);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.body, "no such path");
	http_resp_free(&r);
}

static void
test_body_of_max_size_is_accepted_by_length(void **state)
{
	(void)state;
	big_body_accepted("length", HTTP_MAX_BODY);
}

static void
test_body_of_max_size_is_accepted_when_chunked(void **state)
{
	(void)state;
	big_body_accepted("chunked", HTTP_MAX_BODY);
}

static void
test_body_of_max_size_is_accepted_until_close(void **state)
{
	(void)state;
	big_body_accepted("close", HTTP_MAX_BODY);
}

static void
test_body_over_max_size_is_data_error_by_length(void **state)
{
	(void)state;
	big_body_refused("length", HTTP_MAX_BODY + 1);
}

static void
test_body_over_max_size_is_data_error_when_chunked(void **state)
{
	(void)state;
	big_body_refused("chunked", HTTP_MAX_BODY + 1);
}

static void
test_body_over_max_size_is_data_error_until_close(void **state)
{
	(void)state;
	big_body_refused("close", HTTP_MAX_BODY + 1);
}

static void
test_header_of_max_size_is_accepted(void **state)
{
	struct http_resp	r;
	char			path[64];

	(void)state;
	snprintf(path, sizeof(path), "/fields/%zu",
	    HTTP_MAX_HEADER - strlen(STATUS_LINE) - 2);
	assert_int_equal(get(path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "ok");
	http_resp_free(&r);
}

static void
test_header_over_max_size_is_data_error(void **state)
{
	char	path[64];

	(void)state;
	snprintf(path, sizeof(path), "/fields/%zu",
	    HTTP_MAX_HEADER + 1 - strlen(STATUS_LINE) - 2);
	get_fails(path, EX_DATAERR);
}

static void
test_answer_not_http_is_unavailable(void **state)
{
	(void)state;
	get_fails("/not-http", EX_UNAVAILABLE);
}

static void
test_body_shorter_than_content_length_is_unavailable(void **state)
{
	(void)state;
	get_fails("/short", EX_UNAVAILABLE);
}

static void
test_bad_chunk_size_is_unavailable(void **state)
{
	(void)state;
	get_fails("/bad-chunk", EX_UNAVAILABLE);
}

static void
test_silent_raw_server_times_out_in_time(void **state)
{
	struct http_resp	 r;
	char			 u[128], hp[128], *said;
	double			 t0, elapsed;

	(void)state;
	url(u, &raw, "/silent");
	t0 = now();
	assert_int_equal(get_logged(u, NULL, NULL, NULL, 1, &r, &said),
	    EX_TEMPFAIL);
	elapsed = now() - t0;
	assert_true(elapsed > 0.5);
	assert_true(elapsed < 3.0);
	assert_non_null(strstr(said, hostport(hp, &raw)));
	free(said);
}

static void
test_trickling_server_times_out(void **state)
{
	struct http_resp	 r;
	char			 u[128], *said;
	double			 t0;

	(void)state;
	url(u, &raw, "/trickle");
	t0 = now();
	assert_int_equal(get_logged(u, NULL, NULL, NULL, 1, &r, &said),
	    EX_TEMPFAIL);
	assert_true(now() - t0 < 3.0);
	free(said);
}

static void
test_request_line_has_path_and_query(void **state)
{
	static const char	 line[] =
	    "GET /echo-request?a=1&b=two%20words HTTP/1.1\r\n";
	char			*head;

	(void)state;
	head = request_sent("/echo-request?a=1&b=two%20words", NULL);
	assert_memory_equal(head, line, strlen(line));
	free(head);
}

static void
test_url_without_path_requests_slash(void **state)
{
	struct http_resp	 r;
	char			 u[128], *said;

	(void)state;
	assert_int_equal(get_logged(url(u, &raw, ""), NULL, NULL, NULL, 5, &r,
	    &said), 0);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "GET / HTTP/1.1\r\n",
	    strlen("GET / HTTP/1.1\r\n"));
	free(said);
	http_resp_free(&r);
}

static void
test_host_field_has_the_port(void **state)
{
	char	*head, want[128], got[128];

	(void)state;
	head = request_sent("/echo-request", NULL);
	assert_non_null(field(head, "Host", got, sizeof(got)));
	assert_string_equal(got, hostport(want, &raw));
	free(head);
}

static int
ipv6_loopback_usable(void)
{
	struct sockaddr_in6	sin6;
	int			fd, ok;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	if ((fd = socket(AF_INET6, SOCK_STREAM, 0)) == -1)
		return 0;
	ok = bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0;
	close(fd);
	return ok;
}

static void
test_ipv6_host_field_is_bracketed(void **state)
{
	struct http_resp	 r;
	char			 u[128], want[128], got[128], *said;

	(void)state;
	if (!ipv6_loopback_usable())
		skip();
	assert_int_equal(server_start(&raw6, 0), 0);
	assert_int_equal(get_logged(url(u, &raw6, "/echo-request"), NULL,
	    NULL, NULL, 5, &r, &said), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(field(r.body, "Host", got, sizeof(got)));
	snprintf(want, sizeof(want), "[::1]:%d", raw6.port);
	assert_string_equal(got, want);
	free(said);
	http_resp_free(&r);
	python_stop(&raw6.pid);
}

static void
test_extra_headers_are_sent(void **state)
{
	static const char *const hdrs[] = {
		"X-One: 1", "X-Two: two words: and a colon", NULL };
	char	*head, got[128];

	(void)state;
	head = request_sent("/echo-request", hdrs);
	assert_non_null(field(head, "X-One", got, sizeof(got)));
	assert_string_equal(got, "1");
	assert_non_null(field(head, "X-Two", got, sizeof(got)));
	assert_string_equal(got, "two words: and a colon");
	free(head);
}

static void
test_ftp_url_is_usage_error(void **state)
{
	(void)state;
	url_refused("ftp://127.0.0.1/file", NULL);
}

static void
test_url_without_host_is_usage_error(void **state)
{
	(void)state;
	url_refused("http:///path", NULL);
}

static void
test_url_with_user_info_is_usage_error(void **state)
{
	char	u[128];

	(void)state;
	snprintf(u, sizeof(u), "http://user@127.0.0.1:%d/length", raw.port);
	url_refused(u, NULL);
	snprintf(u, sizeof(u), "http://user:pw@127.0.0.1:%d/length", raw.port);
	url_refused(u, NULL);
}

static void
test_url_with_fragment_is_usage_error(void **state)
{
	char	u[128];

	(void)state;
	url_refused(url(u, &raw, "/length#part"), NULL);
}

static void
test_url_with_space_in_path_is_usage_error(void **state)
{
	char	u[128];

	(void)state;
	url_refused(url(u, &raw, "/a b"), NULL);
}

static void
test_header_with_lf_is_usage_error(void **state)
{
	static const char *const hdrs[] = {
		"X-One: 1\nX-Injected: 2", NULL };
	char	u[128];

	(void)state;
	url_refused(url(u, &raw, "/length"), hdrs);
}

static void
test_header_with_cr_is_usage_error(void **state)
{
	static const char *const hdrs[] = {
		"X-One: 1\rX-Injected: 2", NULL };
	char	u[128];

	(void)state;
	url_refused(url(u, &raw, "/length"), hdrs);
}

/*
 * Without close_notify the end may be an attacker's cut, and libcurl
 * cannot tell the two apart: an answer over TLS framed only by the
 * close is not an answer, with close_notify or without.
 */
static void
https_body_ended_by_close_is_unavailable(const char *path)
{
	struct http_resp	 r;
	char			 u[128], want[256], *said;

	url(u, &raw_tls, path);
	assert_int_equal(get_logged(u, NULL, ca_file, NULL, 5, &r, &said),
	    EX_UNAVAILABLE);
	snprintf(want, sizeof(want), "test_http: %s: the answer has no "
	    "length: over TLS, its end cannot be told from a cut\n", u);
	assert_string_equal(said, want);
	assert_null(r.body);
	free(said);
}

static void
test_https_body_cut_without_close_notify_is_unavailable(void **state)
{
	(void)state;
	https_body_ended_by_close_is_unavailable("/close");
}

static void
test_https_body_ended_by_close_notify_is_unavailable(void **state)
{
	(void)state;
	https_body_ended_by_close_is_unavailable("/close-notify");
}

static void
test_https_body_by_length_or_chunks_is_returned(void **state)
{
	struct http_resp	 r;
	char			 u[128], *said;

	(void)state;
	assert_int_equal(get_logged(url(u, &raw_tls, "/length"), NULL,
	    ca_file, NULL, 5, &r, &said), 0);
	assert_string_equal(r.body, "hello");
	http_resp_free(&r);
	free(said);
	assert_int_equal(get_logged(url(u, &raw_tls, "/chunked"), NULL,
	    ca_file, NULL, 5, &r, &said), 0);
	assert_string_equal(r.body, "hello,0123456789 ABCDEFGHIJ");
	http_resp_free(&r);
	free(said);
}

static void
test_https_certificate_of_another_ca_is_unavailable(void **state)
{
	struct http_resp	 r;
	char			 u[128], hp[128], *said;

	(void)state;
	url(u, &raw_tls, "/length");
	assert_int_equal(get_logged(u, NULL, other_ca_file, NULL, 5, &r,
	    &said), EX_UNAVAILABLE);
	assert_non_null(strstr(said, hostport(hp, &raw_tls)));
	assert_non_null(strstr(said, "unable to get local issuer certificate"));
	free(said);
}

/* GET PATH from S trusting CA: the failure RC and its reason in the log. */
static void
tls_refused(const struct server *s, const char *host, const char *ca,
    int rc, const char *reason)
{
	struct http_resp	 r;
	char			 u[128], *said;

	snprintf(u, sizeof(u), "https://%s:%d/length", host, s->port);
	assert_int_equal(get_logged(u, NULL, ca, NULL, 5, &r, &said), rc);
	if (strstr(said, reason) == NULL)
		fail_msg("'%s' lacks '%s'", said, reason);
	assert_non_null(strstr(said, u));
	free(said);
}

/* The server sends leaf and intermediate; ca.pem holds only the root. */
static void
test_https_verifies_through_a_sent_intermediate(void **state)
{
	struct http_resp	 r;
	char			 u[128], *said;

	(void)state;
	assert_int_equal(get_logged(url(u, &chained, "/length"), NULL,
	    ca_file, NULL, 5, &r, &said), 0);
	assert_string_equal(r.body, "hello");
	http_resp_free(&r);
	free(said);
}

static void
test_https_name_mismatch_is_unavailable(void **state)
{
	(void)state;
	tls_refused(&chained, "localhost", ca_file, EX_UNAVAILABLE,
	    "no alternative certificate subject name matches target host "
	    "name 'localhost'");
}

static void
test_https_ip_address_mismatch_is_unavailable(void **state)
{
	(void)state;
	tls_refused(&elsewhere, "127.0.0.2", ca_file, EX_UNAVAILABLE,
	    "no alternative certificate subject name matches target host "
	    "name '127.0.0.2'");
}

static void
test_https_self_signed_certificate_is_unavailable(void **state)
{
	(void)state;
	tls_refused(&selfsigned, "127.0.0.1", ca_file, EX_UNAVAILABLE,
	    "self-signed certificate");
}

static void
test_https_system_store_does_not_trust_the_test_ca(void **state)
{
	(void)state;
	tls_refused(&raw_tls, "127.0.0.1", NULL, EX_UNAVAILABLE,
	    "unable to get local issuer certificate");
	tls_refused(&raw_tls, "127.0.0.1", "", EX_UNAVAILABLE,
	    "unable to get local issuer certificate");
}

static void
test_https_missing_ca_file_is_config_error(void **state)
{
	char	ca[PATH_MAX];

	(void)state;
	snprintf(ca, sizeof(ca), "%s/absent-ca.pem", dir);
	tls_refused(&raw_tls, "127.0.0.1", ca, EX_CONFIG, ca);
}

static void
test_https_tls_1_1_only_server_is_unavailable(void **state)
{
	(void)state;
	tls_refused(&tls11, "127.0.0.1", ca_file, EX_UNAVAILABLE,
	    "protocol version");
}

static void
test_debug_logs_status_and_body(void **state)
{
	struct http_resp	 r;
	char			 u[128], *said;

	(void)state;
	log_set_level(LOG_LEVEL_DEBUG);
	url(u, &raw, "/teapot");
	assert_int_equal(get_logged(u, NULL, NULL, NULL, 5, &r, &said), 0);
	assert_int_equal(r.status, 418);
	assert_true(has_number(said, "418"));
	assert_non_null(strstr(said, "short and stout"));
	free(said);
	http_resp_free(&r);
}

/* A handle with USER and PASSWORD for basic authentication. */
static struct http *
auth_handle(void)
{
	struct http	*h;

	assert_non_null(h = http_new(UA, ca_file, NULL, 5));
	assert_int_equal(http_basic_auth(h, USER, PASSWORD), 0);
	return h;
}

static void
test_basic_auth_is_sent_as_rfc_7617_says(void **state)
{
	struct http		*h;
	struct http_resp	 r;
	char			 u[128];

	(void)state;
	h = auth_handle();
	url(u, &plain, "/auth");
	assert_int_equal(http_request(h, "GET", u, NULL, NULL, 0, &r), 0);
	assert_string_equal(r.body, "Basic " USER_PASSWORD_B64);
	http_resp_free(&r);
	/* The next request of the handle carries it too. */
	assert_int_equal(http_request(h, "POST", u, NULL, "{}", 2, &r), 0);
	assert_string_equal(r.body, "Basic " USER_PASSWORD_B64);
	http_resp_free(&r);
	http_free(h);
}

static void
test_no_auth_without_credentials(void **state)
{
	struct http_resp	r;
	char			u[128];

	(void)state;
	assert_int_equal(fetch("GET", url(u, &plain, "/auth"), 5, &r), 0);
	assert_string_equal(r.body, "-");
	http_resp_free(&r);
}

static void
test_basic_auth_is_not_logged(void **state)
{
	struct http		*h;
	struct http_resp	 r;
	char			 u[128], *said;

	(void)state;
	log_set_level(LOG_LEVEL_DEBUG);
	h = auth_handle();
	url(u, &plain, "/status/200");
	capture_begin(STDERR_FILENO);
	assert_int_equal(http_request(h, "GET", u, NULL, NULL, 0, &r), 0);
	said = capture_end();
	assert_non_null(strstr(said, "-> GET "));
	assert_null(strstr(said, USER_PASSWORD_B64));
	assert_null(strstr(said, "s3cret"));
	free(said);
	http_resp_free(&r);
	http_free(h);
}

/*
 * Proxies.  raw.py refuses every CONNECT with a 403; a bound port that
 * does not listen is a proxy that cannot be reached.
 */

/* GET U through PROXY (NULL: the environment's) into *SAID. */
static int
proxied(const char *u, const char *proxy, struct http_resp *r, char **said,
    char *failed, size_t size)
{
	struct http	*h;
	const char	*p;
	int		 rc;

	assert_non_null(h = http_new(UA, ca_file, proxy, 5));
	capture_begin(STDERR_FILENO);
	rc = http_request(h, "GET", u, NULL, NULL, 0, r);
	*said = capture_end();
	p = http_proxy_failed(h);
	snprintf(failed, size, "%s", p != NULL ? p : "");
	http_free(h);
	return rc;
}

static void
test_proxy_that_refuses_the_tunnel_is_named(void **state)
{
	struct http_resp	 r;
	char			 u[128], proxy[64], want[256], failed[128];
	char			*said;

	(void)state;
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", raw.port);
	url(u, &tls, "/status/200");
	assert_int_equal(proxied(u, proxy, &r, &said, failed, sizeof(failed)),
	    EX_UNAVAILABLE);
	snprintf(want, sizeof(want), "test_http: %s: proxy %s refused the "
	    "tunnel (CONNECT answered 403)\n", u, proxy);
	assert_string_equal(said, want);
	assert_string_equal(failed, proxy);
	assert_null(r.body);
	free(said);
}

static void
test_proxy_that_cannot_be_reached_is_named(void **state)
{
	struct http_resp	 r;
	char			 u[128], proxy[64], want[256], failed[128];
	char			*said;
	int			 fd, port;

	(void)state;
	fd = loopback_bind(&port);
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", port);
	url(u, &tls, "/status/200");
	assert_int_equal(proxied(u, proxy, &r, &said, failed, sizeof(failed)),
	    EX_UNAVAILABLE);
	close(fd);
	snprintf(want, sizeof(want), "test_http: %s: proxy %s: Failed to "
	    "connect to 127.0.0.1 port %d", u, proxy, port);
	assert_memory_equal(said, want, strlen(want));
	assert_string_equal(failed, proxy);
	free(said);
}

static void
test_proxy_for_plain_http_is_named_too(void **state)
{
	struct http_resp	 r;
	char			 u[128], proxy[64], failed[128], *said;
	int			 fd, port;

	(void)state;
	fd = loopback_bind(&port);
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", port);
	url(u, &raw, "/length");
	assert_int_equal(proxied(u, proxy, &r, &said, failed, sizeof(failed)),
	    EX_UNAVAILABLE);
	close(fd);
	assert_string_equal(failed, proxy);
	free(said);
}

static void
test_proxy_of_the_environment_is_named_without_its_password(void **state)
{
	struct http_resp	 r;
	char			 u[128], env[128], want[256], failed[128];
	char			*said;
	int			 fd, port;

	(void)state;
	fd = loopback_bind(&port);
	snprintf(env, sizeof(env), "http://user:pr0xy-secret@127.0.0.1:%d",
	    port);
	assert_int_equal(setenv("https_proxy", env, 1), 0);
	url(u, &tls, "/status/200");
	assert_int_equal(proxied(u, NULL, &r, &said, failed, sizeof(failed)),
	    EX_UNAVAILABLE);
	close(fd);
	snprintf(want, sizeof(want), "http://127.0.0.1:%d (from https_proxy)",
	    port);
	assert_string_equal(failed, want);
	assert_non_null(strstr(said, want));
	assert_null(strstr(said, "pr0xy-secret"));
	assert_null(strstr(said, "user"));
	free(said);
}

static void
test_proxy_of_the_environment_for_plain_http_is_http_proxy(void **state)
{
	struct http_resp	 r;
	char			 u[128], env[64], want[128], failed[128];
	char			*said;
	int			 fd, port;

	(void)state;
	fd = loopback_bind(&port);
	snprintf(env, sizeof(env), "127.0.0.1:%d", port);
	assert_int_equal(setenv("http_proxy", env, 1), 0);
	assert_int_equal(setenv("https_proxy", "http://127.0.0.1:1", 1), 0);
	url(u, &raw, "/length");
	assert_int_equal(proxied(u, NULL, &r, &said, failed, sizeof(failed)),
	    EX_UNAVAILABLE);
	close(fd);
	snprintf(want, sizeof(want), "http://127.0.0.1:%d (from http_proxy)",
	    port);
	assert_string_equal(failed, want);
	free(said);
}

static void
test_no_proxy_host_is_reached_directly(void **state)
{
	struct http_resp	 r;
	char			 u[128], failed[128], *said;

	(void)state;
	assert_int_equal(setenv("https_proxy", "http://127.0.0.1:1", 1), 0);
	assert_int_equal(setenv("no_proxy", "localhost, 127.0.0.1", 1), 0);
	url(u, &tls, "/status/200");
	assert_int_equal(proxied(u, NULL, &r, &said, failed, sizeof(failed)),
	    0);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	free(said);
	/* The handle's own proxy is left out for those hosts as well. */
	assert_int_equal(proxied(u, "http://127.0.0.1:1", &r, &said, failed,
	    sizeof(failed)), 0);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	free(said);
}

/* With the proxy left out, a server that cannot be reached is just that. */
static void
test_unreachable_server_past_no_proxy_is_not_the_proxys(void **state)
{
	struct server		 none = SERVER(NULL, "https", "127.0.0.1");
	struct http_resp	 r;
	char			 u[128], failed[128], *said;
	int			 fd;

	(void)state;
	assert_int_equal(setenv("https_proxy", "http://127.0.0.1:1", 1), 0);
	assert_int_equal(setenv("NO_PROXY", "127.0.0.1", 1), 0);
	fd = loopback_bind(&none.port);
	url(u, &none, "/");
	assert_int_equal(proxied(u, NULL, &r, &said, failed, sizeof(failed)),
	    EX_UNAVAILABLE);
	close(fd);
	assert_string_equal(failed, "");
	assert_null(strstr(said, "proxy"));
	free(said);
}

/* As for libcurl, an empty variable is one that is not set. */
static void
test_empty_proxy_variable_is_not_set(void **state)
{
	struct http_resp	 r;
	char			 u[128], want[128], failed[128], *said;
	int			 fd, port;

	(void)state;
	assert_int_equal(setenv("https_proxy", "", 1), 0);
	url(u, &tls, "/status/200");
	assert_int_equal(proxied(u, NULL, &r, &said, failed, sizeof(failed)),
	    0);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	free(said);
	fd = loopback_bind(&port);
	snprintf(want, sizeof(want), "http://127.0.0.1:%d", port);
	assert_int_equal(setenv("ALL_PROXY", want, 1), 0);
	assert_int_equal(proxied(u, NULL, &r, &said, failed, sizeof(failed)),
	    EX_UNAVAILABLE);
	close(fd);
	snprintf(want, sizeof(want), "http://127.0.0.1:%d (from ALL_PROXY)",
	    port);
	assert_string_equal(failed, want);
	free(said);
}

/* No value put into a query can end its parameter or add another. */
static void
test_query_escape_keeps_a_value_one_parameter(void **state)
{
	static const struct {
		const char	*in, *want;
	} t[] = {
		{ "a&myip=6.6.6.6", "a%26myip%3D6.6.6.6" },
		{ "dev1.example.test", "dev1.example.test" },
		{ "2001:db8::7", "2001%3Adb8%3A%3A7" },
		{ "a b+c#d?e/f%g", "a%20b%2Bc%23d%3Fe%2Ff%25g" },
		{ "\r\n\xc3\xa9~_-", "%0D%0A%C3%A9~_-" },
		{ "", "" },
	};
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_non_null(got = http_query_escape(t[i].in));
		assert_string_equal(got, t[i].want);
		free(got);
	}
}

int
main(void)
{
#define T(f)	cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_query_escape_keeps_a_value_one_parameter),
		T(test_get_returns_status_and_body),
		T(test_post_body_is_sent_byte_exact),
		T(test_request_headers_and_user_agent_are_sent),
		T(test_head_returns_headers_and_empty_body),
		T(test_acme_headers_are_parsed_and_trimmed),
		T(test_retry_after_date_becomes_seconds_from_now),
		T(test_retry_after_date_in_the_past_is_zero),
		T(test_absent_headers_are_null_and_minus_one),
		T(test_interim_response_headers_do_not_leak),
		T(test_error_status_is_returned_not_failed),
		T(test_body_of_max_size_is_accepted),
		T(test_body_over_max_size_is_data_error),
		T(test_connection_refused_is_unavailable),
		T(test_https_with_ca_file_is_trusted),
		T(test_untrusted_certificate_is_unavailable),
		T(test_silent_server_times_out),
		T(test_get_after_head_has_a_body),
		T(test_get_after_post_sends_no_body),
		T(test_connection_is_kept_between_requests),
		T(test_verbose_logs_bodies_but_not_headers),
		T(test_verbose_does_not_print_binary_bodies),
		T(test_verbose_truncates_long_bodies),
		T(test_zero_timeout_is_refused),
		T(test_resp_free_zeroes_and_takes_a_zeroed_struct),
		T(test_content_length_body_and_status_are_returned),
		T(test_body_may_hold_nuls),
		T(test_chunked_body_is_reassembled),
		T(test_body_ended_by_close_is_returned),
		T(test_interim_answers_are_skipped),
		T(test_no_content_has_no_body),
		T(test_redirect_is_returned_not_followed),
		T(test_not_found_is_a_status_not_a_failure),
		T(test_body_of_max_size_is_accepted_by_length),
		T(test_body_of_max_size_is_accepted_when_chunked),
		T(test_body_of_max_size_is_accepted_until_close),
		T(test_body_over_max_size_is_data_error_by_length),
		T(test_body_over_max_size_is_data_error_when_chunked),
		T(test_body_over_max_size_is_data_error_until_close),
		T(test_header_of_max_size_is_accepted),
		T(test_header_over_max_size_is_data_error),
		T(test_answer_not_http_is_unavailable),
		T(test_body_shorter_than_content_length_is_unavailable),
		T(test_bad_chunk_size_is_unavailable),
		T(test_silent_raw_server_times_out_in_time),
		T(test_trickling_server_times_out),
		T(test_request_line_has_path_and_query),
		T(test_url_without_path_requests_slash),
		T(test_host_field_has_the_port),
		T(test_ipv6_host_field_is_bracketed),
		T(test_extra_headers_are_sent),
		T(test_ftp_url_is_usage_error),
		T(test_url_without_host_is_usage_error),
		T(test_url_with_user_info_is_usage_error),
		T(test_url_with_fragment_is_usage_error),
		T(test_url_with_space_in_path_is_usage_error),
		T(test_header_with_lf_is_usage_error),
		T(test_header_with_cr_is_usage_error),
		T(test_https_body_cut_without_close_notify_is_unavailable),
		T(test_https_body_ended_by_close_notify_is_unavailable),
		T(test_https_body_by_length_or_chunks_is_returned),
		T(test_https_certificate_of_another_ca_is_unavailable),
		T(test_https_verifies_through_a_sent_intermediate),
		T(test_https_name_mismatch_is_unavailable),
		T(test_https_ip_address_mismatch_is_unavailable),
		T(test_https_self_signed_certificate_is_unavailable),
		T(test_https_system_store_does_not_trust_the_test_ca),
		T(test_https_missing_ca_file_is_config_error),
		T(test_https_tls_1_1_only_server_is_unavailable),
		T(test_debug_logs_status_and_body),
		T(test_basic_auth_is_sent_as_rfc_7617_says),
		T(test_no_auth_without_credentials),
		T(test_basic_auth_is_not_logged),
		T(test_proxy_that_refuses_the_tunnel_is_named),
		T(test_proxy_that_cannot_be_reached_is_named),
		T(test_proxy_for_plain_http_is_named_too),
		T(test_proxy_of_the_environment_is_named_without_its_password),
		T(test_proxy_of_the_environment_for_plain_http_is_http_proxy),
		T(test_no_proxy_host_is_reached_directly),
		T(test_unreachable_server_past_no_proxy_is_not_the_proxys),
		T(test_empty_proxy_variable_is_not_set),
	};
#undef T

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
