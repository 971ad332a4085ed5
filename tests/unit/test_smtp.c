/*
 * smtp_send: mail to real aiosmtpd servers on 127.0.0.1 with a throwaway
 * CA, one process listening for every case (tests/unit/python/
 * smtp_server.py), each server keeping what it received, byte for byte,
 * in a maildir of its own.
 */
#define _GNU_SOURCE		/* strptime, timegm */

#include <sys/types.h>

#include <dirent.h>
#include <limits.h>
#include <regex.h>
#include <setjmp.h>
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

#include "log.h"
#include "smtp.h"
#include "time64.h"
#include "util.h"

#define FROM		"device@example.org"
#define TO		"admin@example.net"
#define USER		"mailer"
#define PASSWORD	"pa:ss w0rd"

enum server { STARTTLS, SMTPS, PLAIN, AUTH, SILENT, NSERVERS };

/* The maildir of each server, as smtp_server.py names them. */
static const char *const box[NSERVERS] = {
	"starttls", "smtps", "plain", "auth", NULL };

static char		*dir;		/* scratch directory */
static char		 ca_file[PATH_MAX];
static pid_t		 pid = -1;
static int		 port[NSERVERS];
static int64_t		 test_start;	/* the running test's, for Date: */

static const struct smtp_msg hello = { FROM, TO, "ss-cert: renewed",
	"hello\n" };

/*
 * Starts smtp_server.py, AUTH for USER with PASSWORD, and waits for the
 * ports it prints once it listens.
 */
static int
server_start(void)
{
	char		 cert[PATH_MAX], key[PATH_MAX];
	char		 log[PATH_MAX], line[128];
	const char	*argv[] = { "smtp_server.py", dir, cert, key, USER,
	    PASSWORD, NULL };
	int		 n;

	snprintf(cert, sizeof(cert), "%s/server.pem", dir);
	snprintf(key, sizeof(key), "%s/server.key", dir);
	snprintf(log, sizeof(log), "%s/server.log", dir);
	n = python_start(&pid, argv, log, line, sizeof(line)) != 0 ? 0 :
	    sscanf(line, "%d %d %d %d %d", &port[STARTTLS], &port[SMTPS],
	    &port[PLAIN], &port[AUTH], &port[SILENT]);
	return n == NSERVERS ? 0 : -1;
}

/*
 * How many mails server S has received since the last call, the text of
 * the last one in *TEXT when TEXT is not NULL; all are then removed.
 */
static int
mail_take(enum server s, char **text)
{
	struct dirent	*e;
	DIR		*d;
	char		 p[PATH_MAX];
	int		 n = 0;

	if (text != NULL)
		*text = NULL;
	snprintf(p, sizeof(p), "%s/%s/new", dir, box[s]);
	if ((d = opendir(p)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s/new/%s", dir, box[s], e->d_name);
		if (text != NULL) {
			free(*text);
			*text = slurp(p);
		}
		if (unlink(p) == -1)
			n = -1;
		else if (n >= 0)
			n++;
	}
	closedir(d);
	return n;
}

static int
group_setup(void **state)
{
	(void)state;
	log_init("test_smtp");
	if ((dir = tmpdir_new("test_smtp")) == NULL)
		return -1;
	snprintf(ca_file, sizeof(ca_file), "%s/ca.pem", dir);
	if (tls_certs_new(dir, "test-smtp-ca") != 0 || server_start() != 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	python_stop(&pid);
	return tmpdir_free(dir);
}

/* Every test starts at the default level with empty maildirs. */
static int
setup(void **state)
{
	enum server	s;

	(void)state;
	test_start = time64_now();
	log_set_level(LOG_LEVEL_INFO);
	for (s = STARTTLS; s < SILENT; s++)
		if (mail_take(s, NULL) == -1)
			return -1;
	return 0;
}

/* URL of server S with SCHEME, in BUF of 64 bytes. */
static const char *
url(char *buf, const char *scheme, enum server s)
{
	snprintf(buf, 64, "%s://127.0.0.1:%d", scheme, port[s]);
	return buf;
}

/* smtp_send of MSG with stderr captured into *SAID (freed by the caller). */
static int
send_said(const char *u, const char *ca, const char *user, const char *pw,
    const struct smtp_msg *msg, long timeout, char **said)
{
	int	rc;

	capture_begin(STDERR_FILENO);
	rc = smtp_send(u, ca, user, pw, msg, timeout);
	*said = capture_end();
	return rc;
}

/* A mail refused before it is sent, with exactly the message WANT. */
static void
assert_refused(const struct smtp_msg *msg, int want_rc, const char *want)
{
	char	u[64], *said;

	url(u, "smtp", STARTTLS);
	assert_int_equal(send_said(u, ca_file, NULL, NULL, msg, 5, &said),
	    want_rc);
	assert_string_equal(said, want);
	free(said);
	assert_int_equal(mail_take(STARTTLS, NULL), 0);
}

/*
 * TEXT (one stored mail) holds the envelope and headers of a mail from
 * FROM to TO with SUBJECT (as written on the wire) sent just now; returns
 * where the body starts.
 */
static const char *
assert_headers(const char *text, const char *subject)
{
	static const char	 re[] =
	    "^X-Envelope: " FROM " " TO "\r\n"
	    "Date: ([^\r]*)\r\n"
	    "From: " FROM "\r\n"
	    "To: " TO "\r\n"
	    "Subject: ([^\r]*(\r\n [^\r]*)*)\r\n"
	    "Message-ID: <[0-9a-f]{32}@example[.]org>\r\n"
	    "MIME-Version: 1[.]0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "\r\n";
	regex_t			 rx;
	regmatch_t		 m[4];
	struct tm		 tm;
	char			 date[64];
	const char		*end;
	int64_t			 t;

	assert_int_equal(regcomp(&rx, re, REG_EXTENDED), 0);
	assert_int_equal(regexec(&rx, text, 4, m, 0), 0);
	regfree(&rx);
	assert_int_equal(m[2].rm_eo - m[2].rm_so, strlen(subject));
	assert_memory_equal(text + m[2].rm_so, subject, strlen(subject));
	assert_true(m[1].rm_eo - m[1].rm_so < (regoff_t)sizeof(date));
	snprintf(date, sizeof(date), "%.*s", (int)(m[1].rm_eo - m[1].rm_so),
	    text + m[1].rm_so);
	memset(&tm, 0, sizeof(tm));
	end = strptime(date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	assert_non_null(end);
	assert_string_equal(end, "");
	/* Sent during this test, however long the machine took for it. */
	assert_true(time64_from_tm(&tm, &t));
	assert_in_range(t, test_start, time64_now());
	return text + m[0].rm_eo;
}

static void
test_starttls_delivers_headers_and_body_exact(void **state)
{
	static const struct smtp_msg	 msg = { FROM, TO, "ss-cert: renewed",
		"Hello,\n"
		"Grüße vom Gerät ✓\n"
		".\n"
		"..two dots\n"
		"From here on, mbox would quote this line.\n"
		"a line ended by CRLF\r\n"
		"\n"
		"last line without LF" };
	static const char		 body[] =
		"Hello,\r\n"
		"Grüße vom Gerät ✓\r\n"
		".\r\n"
		"..two dots\r\n"
		"From here on, mbox would quote this line.\r\n"
		"a line ended by CRLF\r\n"
		"\r\n"
		"last line without LF\r\n";
	char				 u[64], *text;

	(void)state;
	assert_int_equal(smtp_send(url(u, "smtp", STARTTLS), ca_file, NULL,
	    NULL, &msg, 5), 0);
	assert_int_equal(mail_take(STARTTLS, &text), 1);
	assert_string_equal(assert_headers(text, "ss-cert: renewed"), body);
	free(text);
}

static void
test_smtps_delivers(void **state)
{
	char	u[64], *text;

	(void)state;
	assert_int_equal(smtp_send(url(u, "smtps", SMTPS), ca_file, NULL,
	    NULL, &hello, 5), 0);
	assert_int_equal(mail_take(SMTPS, &text), 1);
	assert_string_equal(assert_headers(text, "ss-cert: renewed"),
	    "hello\r\n");
	free(text);
}

static void
test_message_ids_differ(void **state)
{
	char	 u[64], *first, *second;

	(void)state;
	url(u, "smtps", SMTPS);
	assert_int_equal(smtp_send(u, ca_file, NULL, NULL, &hello, 5), 0);
	assert_int_equal(mail_take(SMTPS, &first), 1);
	assert_int_equal(smtp_send(u, ca_file, NULL, NULL, &hello, 5), 0);
	assert_int_equal(mail_take(SMTPS, &second), 1);
	assert_non_null(strstr(first, "Message-ID: <"));
	assert_non_null(strstr(second, "Message-ID: <"));
	assert_memory_not_equal(strstr(first, "Message-ID: <"),
	    strstr(second, "Message-ID: <"), strlen("Message-ID: <") + 32);
	free(first);
	free(second);
}

static void
test_non_ascii_subject_is_encoded(void **state)
{
	static const struct smtp_msg	 msg = { FROM, TO,
		"Zertifikat erneuert ✓", "hello\n" };
	char				 u[64], *text;

	(void)state;
	assert_int_equal(smtp_send(url(u, "smtp", STARTTLS), ca_file, NULL,
	    NULL, &msg, 5), 0);
	assert_int_equal(mail_take(STARTTLS, &text), 1);
	assert_headers(text, "=?UTF-8?Q?Zertifikat_erneuert_=E2=9C=93?=");
	free(text);
}

static void
test_long_subject_is_folded_between_characters(void **state)
{
	static const struct smtp_msg	 msg = { FROM, TO,
		"a✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓", "hello\n" };
	char				 u[64], *text;

	(void)state;
	assert_int_equal(smtp_send(url(u, "smtp", STARTTLS), ca_file, NULL,
	    NULL, &msg, 5), 0);
	assert_int_equal(mail_take(STARTTLS, &text), 1);
	assert_headers(text,
	    "=?UTF-8?Q?a=E2=9C=93=E2=9C=93=E2=9C=93=E2=9C=93=E2=9C=93=E2=9C=93?="
	    "\r\n =?UTF-8?Q?=E2=9C=93=E2=9C=93=E2=9C=93=E2=9C=93=E2=9C=93=E2=9C=93"
	    "=E2=9C=93?="
	    "\r\n =?UTF-8?Q?=E2=9C=93=E2=9C=93=E2=9C=93=E2=9C=93=E2=9C=93=E2=9C=93"
	    "=E2=9C=93?=");
	free(text);
}

/*
 * The Subject of TEXT, unfolded and decoded from its Q encoded-words,
 * into BUF of SIZE bytes; every word is well formed and at most 75
 * characters long (RFC 2047 2).  Returns the length decoded.
 */
static size_t
subject_decode(const char *text, unsigned char *buf, size_t size)
{
	const char	*p, *end;
	size_t		 len = 0;
	unsigned int	 x;

	p = strstr(text, "\r\nSubject: ");
	assert_non_null(p);
	p += strlen("\r\nSubject: ");
	end = strstr(p, "\r\nMessage-ID: ");
	assert_non_null(end);
	for (;;) {
		assert_true(strcspn(p, "\r") <= 75);
		assert_memory_equal(p, "=?UTF-8?Q?", 10);
		for (p += 10; *p != '?'; p++) {
			assert_true(len < size);
			if (*p == '=') {
				assert_int_equal(sscanf(p + 1, "%2X", &x), 1);
				buf[len++] = (unsigned char)x;
				p += 2;
			} else
				buf[len++] = *p == '_' ? ' ' : *p;
		}
		assert_memory_equal(p, "?=", 2);
		p += 2;
		if (p == end)
			return len;
		assert_memory_equal(p, "\r\n ", 3);
		p += 3;
	}
}

/* Bytes that are not UTF-8 are encoded one by one, never as one word. */
static void
test_any_subject_bytes_are_encoded_safely(void **state)
{
	const char	*subjects[] = {
		"\xc3",			/* lead byte alone */
		"\x80\xbf\x80",		/* continuations alone */
		"\xf0\x9f\x98",		/* a 4-byte character cut short */
		"\xff\xfe\xc0\x80\xed\xa0\x80 a \xe2\x9c\x93",
		NULL, NULL };
	struct smtp_msg	 msg = hello;
	unsigned char	 got[1024];
	char		 u[64], long_one[202], *text;
	size_t		 i;

	(void)state;
	long_one[0] = (char)0xc3;
	memset(long_one + 1, 0x80, 200);
	long_one[201] = '\0';
	subjects[4] = long_one;
	url(u, "smtp", STARTTLS);
	for (i = 0; subjects[i] != NULL; i++) {
		msg.subject = subjects[i];
		assert_int_equal(smtp_send(u, ca_file, NULL, NULL, &msg, 5),
		    0);
		assert_int_equal(mail_take(STARTTLS, &text), 1);
		assert_int_equal(subject_decode(text, got, sizeof(got)),
		    strlen(subjects[i]));
		assert_memory_equal(got, subjects[i], strlen(subjects[i]));
		free(text);
	}
}

static void
test_line_of_998_bytes_is_sent(void **state)
{
	struct smtp_msg	 msg = hello;
	char		 u[64], line[998 + 2], *text;

	(void)state;
	memset(line, 'x', 998);
	line[998] = '\n';
	line[999] = '\0';
	msg.body = line;
	assert_int_equal(smtp_send(url(u, "smtp", STARTTLS), ca_file, NULL,
	    NULL, &msg, 5), 0);
	assert_int_equal(mail_take(STARTTLS, &text), 1);
	assert_int_equal(strlen(assert_headers(text, hello.subject)), 1000);
	free(text);
}

static void
test_auth_delivers_with_password(void **state)
{
	char	u[64], *text;

	(void)state;
	assert_int_equal(smtp_send(url(u, "smtp", AUTH), ca_file, USER,
	    PASSWORD, &hello, 5), 0);
	assert_int_equal(mail_take(AUTH, &text), 1);
	assert_headers(text, hello.subject);
	free(text);
}

static void
test_auth_wrong_password_is_unavailable(void **state)
{
	char	u[64], *said;

	(void)state;
	url(u, "smtp", AUTH);
	assert_int_equal(send_said(u, ca_file, USER, "wrong", &hello, 5,
	    &said), EX_UNAVAILABLE);
	assert_memory_equal(said, "test_smtp: ", 11);
	assert_memory_equal(said + 11, u, strlen(u));
	assert_non_null(strstr(said, "(server said \"535 "));
	assert_null(strstr(said, "wrong"));
	free(said);
	assert_int_equal(mail_take(AUTH, NULL), 0);
}

static void
test_auth_required_without_credentials_is_unavailable(void **state)
{
	char	u[64], *said;

	(void)state;
	url(u, "smtp", AUTH);
	assert_int_equal(send_said(u, ca_file, "", NULL, &hello, 5, &said),
	    EX_UNAVAILABLE);
	assert_non_null(strstr(said, "(server said \"530 5.7.0 "
	    "Authentication required\")\n"));
	free(said);
	assert_int_equal(mail_take(AUTH, NULL), 0);
}

static void
test_server_without_starttls_is_refused(void **state)
{
	char	u[64], *said;

	(void)state;
	url(u, "smtp", PLAIN);
	assert_int_equal(send_said(u, ca_file, USER, PASSWORD, &hello, 5,
	    &said), EX_UNAVAILABLE);
	assert_memory_equal(said, "test_smtp: ", 11);
	assert_memory_equal(said + 11, u, strlen(u));
	assert_non_null(strstr(said, "STARTTLS"));
	free(said);
	assert_int_equal(mail_take(PLAIN, NULL), 0);
}

static void
test_untrusted_certificate_is_unavailable(void **state)
{
	char	u[64], *said;

	(void)state;
	url(u, "smtp", STARTTLS);
	assert_int_equal(send_said(u, NULL, NULL, NULL, &hello, 5, &said),
	    EX_UNAVAILABLE);
	assert_non_null(strstr(said, u));
	assert_non_null(strstr(said, "certificate"));
	free(said);
	url(u, "smtps", SMTPS);
	assert_int_equal(send_said(u, "", NULL, NULL, &hello, 5, &said),
	    EX_UNAVAILABLE);
	assert_non_null(strstr(said, "certificate"));
	free(said);
	assert_int_equal(mail_take(STARTTLS, NULL), 0);
	assert_int_equal(mail_take(SMTPS, NULL), 0);
}

static void
test_server_down_is_unavailable(void **state)
{
	char	u[64], want[96], *said;

	(void)state;
	snprintf(u, sizeof(u), "smtps://127.0.0.1:%d", loopback_free_port());
	assert_int_equal(send_said(u, ca_file, NULL, NULL, &hello, 5, &said),
	    EX_UNAVAILABLE);
	snprintf(want, sizeof(want), "test_smtp: %s: ", u);
	assert_memory_equal(said, want, strlen(want));
	free(said);
}

static void
test_silent_server_times_out(void **state)
{
	char	u[64], *said;

	(void)state;
	url(u, "smtp", SILENT);
	assert_int_equal(send_said(u, ca_file, NULL, NULL, &hello, 1, &said),
	    EX_TEMPFAIL);
	assert_non_null(strstr(said, u));
	assert_non_null(strstr(said, "timed out"));
	free(said);
}

static void
test_4xx_answer_is_tempfail(void **state)
{
	struct smtp_msg	 msg = hello;
	char		 u[64], *said;

	(void)state;
	msg.to = "busy@example.net";
	url(u, "smtp", STARTTLS);
	assert_int_equal(send_said(u, ca_file, NULL, NULL, &msg, 5, &said),
	    EX_TEMPFAIL);
	assert_non_null(strstr(said, u));
	assert_non_null(strstr(said,
	    " (server said \"451 4.3.0 mailbox busy\")\n"));
	free(said);
	assert_int_equal(mail_take(STARTTLS, NULL), 0);
}

static void
test_5xx_answer_is_unavailable(void **state)
{
	struct smtp_msg	 msg = hello;
	char		 u[64], *said;

	(void)state;
	msg.to = "nobody@example.net";
	url(u, "smtp", STARTTLS);
	assert_int_equal(send_said(u, ca_file, NULL, NULL, &msg, 5, &said),
	    EX_UNAVAILABLE);
	assert_non_null(strstr(said,
	    " (server said \"550 5.1.1 no such user\")\n"));
	free(said);
	assert_int_equal(mail_take(STARTTLS, NULL), 0);
}

static void
test_cr_or_lf_in_headers_is_data_error(void **state)
{
	struct smtp_msg	 msg;

	(void)state;
	msg = hello;
	msg.subject = "renewed\r\nBcc: victim@example.com";
	assert_refused(&msg, EX_DATAERR,
	    "test_smtp: smtp: Subject contains CR or LF\n");
	msg.subject = "renewed\nX-Injected: 1";
	assert_refused(&msg, EX_DATAERR,
	    "test_smtp: smtp: Subject contains CR or LF\n");
	msg = hello;
	msg.to = "admin@example.net\r\nRCPT TO:<victim@example.com>";
	assert_refused(&msg, EX_DATAERR,
	    "test_smtp: smtp: To address contains CR or LF\n");
	msg = hello;
	msg.from = "device@example.org\n";
	assert_refused(&msg, EX_DATAERR,
	    "test_smtp: smtp: From address contains CR or LF\n");
}

static void
test_malformed_addresses_are_data_error(void **state)
{
	static const char *const	 bad[] = { "admin", "@example.net",
		"admin@", "<admin@example.net>", "admin@example.net>",
		"admin@example.net,victim@example.com" };
	struct smtp_msg			 msg = hello;
	char				 want[256];
	size_t				 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg.to = bad[i];
		snprintf(want, sizeof(want), "test_smtp: smtp: To address '%s' "
		    "is not local@domain of at most 254 characters without "
		    "'<', '>' or ','\n", bad[i]);
		assert_refused(&msg, EX_DATAERR, want);
	}
	msg.to = "ad min@example.net";
	assert_refused(&msg, EX_DATAERR, "test_smtp: smtp: To address "
	    "contains white space, a control character or non-ASCII\n");
	msg.to = "admin@exämple.net";
	assert_refused(&msg, EX_DATAERR, "test_smtp: smtp: To address "
	    "contains white space, a control character or non-ASCII\n");
}

static void
test_bad_body_is_data_error(void **state)
{
	struct smtp_msg	 msg = hello;
	char		 line[999 + 2];

	(void)state;
	msg.body = "one\ntwo\rRCPT TO:<victim@example.com>\n";
	assert_refused(&msg, EX_DATAERR,
	    "test_smtp: smtp: body line 2 has a CR without LF\n");
	memset(line, 'x', 999);
	line[999] = '\n';
	line[1000] = '\0';
	msg.body = line;
	assert_refused(&msg, EX_DATAERR,
	    "test_smtp: smtp: body line 1 is longer than 998 bytes\n");
}

static void
test_bad_url_is_config_error(void **state)
{
	static const char *const	 bad[] = { "https://127.0.0.1:465",
		"127.0.0.1:25", "" };
	char				 want[128], *said;
	size_t				 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(send_said(bad[i], ca_file, NULL, NULL, &hello,
		    5, &said), EX_CONFIG);
		snprintf(want, sizeof(want),
		    "test_smtp: %s: not an smtp:// or smtps:// URL\n", bad[i]);
		assert_string_equal(said, want);
		free(said);
	}
	assert_int_equal(send_said("smtps://user@127.0.0.1:465", ca_file,
	    NULL, NULL, &hello, 5, &said), EX_CONFIG);
	assert_string_equal(said, "test_smtp: smtps://user@127.0.0.1:465: "
	    "credentials belong in [smtp] username and password_file, not in "
	    "the URL\n");
	free(said);
}

static void
test_zero_timeout_is_refused(void **state)
{
	char	u[64], *said;

	(void)state;
	url(u, "smtp", STARTTLS);
	assert_int_equal(send_said(u, ca_file, NULL, NULL, &hello, 0, &said),
	    EX_SOFTWARE);
	assert_string_equal(said,
	    "test_smtp: smtp: timeout must be positive, not 0\n");
	free(said);
}

static void
test_verbose_logs_route_and_code_only(void **state)
{
	struct smtp_msg	 msg = hello;
	char		 u[64], want[256], *said;

	(void)state;
	log_set_level(LOG_LEVEL_DEBUG);
	msg.body = "Your new password: secret-in-body\n";
	url(u, "smtp", AUTH);
	assert_int_equal(send_said(u, ca_file, USER, PASSWORD, &msg, 5,
	    &said), 0);
	snprintf(want, sizeof(want),
	    "test_smtp: debug: -> SMTP %s " FROM " -> " TO "\n"
	    "test_smtp: debug: <- 250 %s\n", u, u);
	assert_string_equal(said, want);
	free(said);
	assert_int_equal(mail_take(AUTH, NULL), 1);
}

int
main(void)
{
#define T(f)	cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_starttls_delivers_headers_and_body_exact),
		T(test_smtps_delivers),
		T(test_message_ids_differ),
		T(test_non_ascii_subject_is_encoded),
		T(test_long_subject_is_folded_between_characters),
		T(test_any_subject_bytes_are_encoded_safely),
		T(test_line_of_998_bytes_is_sent),
		T(test_auth_delivers_with_password),
		T(test_auth_wrong_password_is_unavailable),
		T(test_auth_required_without_credentials_is_unavailable),
		T(test_server_without_starttls_is_refused),
		T(test_untrusted_certificate_is_unavailable),
		T(test_server_down_is_unavailable),
		T(test_silent_server_times_out),
		T(test_4xx_answer_is_tempfail),
		T(test_5xx_answer_is_unavailable),
		T(test_cr_or_lf_in_headers_is_data_error),
		T(test_malformed_addresses_are_data_error),
		T(test_bad_body_is_data_error),
		T(test_bad_url_is_config_error),
		T(test_zero_timeout_is_refused),
		T(test_verbose_logs_route_and_code_only),
	};
#undef T

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
