/*
 * http: requests against real servers on 127.0.0.1, one plain and one
 * HTTPS with a throwaway CA, both a small Python script that answers by
 * path (see server_py) and says what it was sent.
 */
#include <sys/types.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "http.h"
#include "log.h"
#include "util.h"

#define UA	"ss-test/1.0"

/*
 * /echo answers with the request body; /inspect with "METHOD LENGTH
 * CLIENT-PORT USER-AGENT CONTENT-TYPE"; /status/N with status N;
 * /headers with the ACME ones; /retry-date/N with Retry-After an HTTP-date
 * N seconds from now; /big/N with N bytes; /interim with a 100 Continue
 * carrying stale headers first; /sleep never.
 */
static const char server_py[] =
	"import email.utils, http.server, ssl, sys, time\n"
	"\n"
	"class Handler(http.server.BaseHTTPRequestHandler):\n"
	"    protocol_version = 'HTTP/1.1'\n"
	"\n"
	"    def log_message(self, *args):\n"
	"        pass\n"
	"\n"
	"    def answer(self, status, body=b'', headers=()):\n"
	"        self.send_response(status)\n"
	"        for name, value in headers:\n"
	"            self.send_header(name, value)\n"
	"        self.send_header('Content-Length', str(len(body)))\n"
	"        self.end_headers()\n"
	"        if self.command != 'HEAD':\n"
	"            self.wfile.write(body)\n"
	"\n"
	"    def serve(self):\n"
	"        n = int(self.headers.get('Content-Length', 0))\n"
	"        body = self.rfile.read(n)\n"
	"        path = self.path.split('/')[1:] + ['']\n"
	"        if path[0] == 'echo':\n"
	"            self.answer(200, body)\n"
	"        elif path[0] == 'inspect':\n"
	"            said = '%s %d %d %s %s' % (self.command, len(body),\n"
	"                self.client_address[1],\n"
	"                self.headers.get('User-Agent', '-'),\n"
	"                self.headers.get('Content-Type', '-'))\n"
	"            self.answer(200, said.encode())\n"
	"        elif path[0] == 'status':\n"
	"            self.answer(int(path[1]), b'status ' + path[1].encode())\n"
	"        elif path[0] == 'headers':\n"
	"            self.answer(201, b'{}', [\n"
	"                ('content-type', 'application/json'),\n"
	"                ('REPLAY-NONCE', ' \\tnonce-1 \\t'),\n"
	"                ('Location', 'https://127.0.0.1/acme/acct/1'),\n"
	"                ('Retry-After', '120')])\n"
	"        elif path[0] == 'retry-date':\n"
	"            when = time.time() + int(path[1])\n"
	"            self.answer(503, b'', [('Retry-After',\n"
	"                email.utils.formatdate(when, usegmt=True))])\n"
	"        elif path[0] == 'big':\n"
	"            self.answer(200, b'x' * int(path[1]))\n"
	"        elif path[0] == 'interim':\n"
	"            self.wfile.write(b'HTTP/1.1 100 Continue\\r\\n'\n"
	"                b'Replay-Nonce: stale\\r\\nLocation: /stale\\r\\n'\n"
	"                b'Retry-After: 7\\r\\n\\r\\n')\n"
	"            self.answer(200, b'final')\n"
	"        elif path[0] == 'sleep':\n"
	"            time.sleep(60)\n"
	"        else:\n"
	"            self.answer(404, b'no such path')\n"
	"\n"
	"    do_GET = do_HEAD = do_POST = serve\n"
	"\n"
	"class Server(http.server.ThreadingHTTPServer):\n"
	"    def handle_error(self, request, client_address):\n"
	"        pass\n"
	"\n"
	"server = Server(('127.0.0.1', 0), Handler)\n"
	"if len(sys.argv) == 3:\n"
	"    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
	"    ctx.load_cert_chain(sys.argv[1], sys.argv[2])\n"
	"    server.socket = ctx.wrap_socket(server.socket, server_side=True)\n"
	"print(server.server_address[1], flush=True)\n"
	"server.serve_forever()\n";

struct server {
	const char	*scheme;
	pid_t		 pid;
	int		 port;
};

static char		*dir;		/* scratch directory */
static char		 ca_file[PATH_MAX];
static struct server	 plain = { "http", -1, 0 };
static struct server	 tls = { "https", -1, 0 };

/*
 * Starts server.py, with a certificate when TLS, and waits for the port
 * it prints once it listens.
 */
static int
server_start(struct server *s, int with_tls)
{
	char		 script[PATH_MAX], cert[PATH_MAX], key[PATH_MAX];
	char		 line[32];
	const char	*argv[] = { script, cert, key, NULL };

	snprintf(script, sizeof(script), "%s/server.py", dir);
	snprintf(cert, sizeof(cert), "%s/server.pem", dir);
	snprintf(key, sizeof(key), "%s/server.key", dir);
	if (!with_tls)
		argv[1] = NULL;
	s->port = python_start(&s->pid, argv, NULL, line, sizeof(line)) == 0 ?
	    atoi(line) : 0;
	return s->port > 0 ? 0 : -1;
}

static int
group_setup(void **state)
{
	(void)state;
	log_init("test_http");
	if ((dir = tmpdir_new("test_http")) == NULL ||
	    tmpdir_put(dir, "server.py", server_py) != 0)
		return -1;
	snprintf(ca_file, sizeof(ca_file), "%s/ca.pem", dir);
	if (tls_certs_new(dir, "test-http-ca") != 0 ||
	    server_start(&plain, 0) != 0 || server_start(&tls, 1) != 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	python_stop(&plain.pid);
	python_stop(&tls.pid);
	return tmpdir_free(dir);
}

/* Verbose tests raise the level; every test starts from the default. */
static int
setup(void **state)
{
	(void)state;
	log_set_level(LOG_LEVEL_INFO);
	return 0;
}

/* URL of PATH on server S, in BUF of 128 bytes. */
static const char *
url(char *buf, const struct server *s, const char *path)
{
	snprintf(buf, 128, "%s://127.0.0.1:%d%s", s->scheme, s->port, path);
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

	(void)state;
	assert_int_equal(fetch("GET", url(u, &plain, "/retry-date/100"), 5,
	    &r), 0);
	assert_int_equal(r.status, 503);
	assert_in_range(r.retry_after, 95, 100);
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
	struct server		 none = { "http", -1, 0 };
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

int
main(void)
{
#define T(f)	cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
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
	};
#undef T

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
