/*
 * smtp: a mail as RFC 5322 text, handed to libcurl for one SMTP
 * transfer on a handle of its own, torn down with what it held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "secret.h"
#include "libcurl.h"
#include "log.h"
#include "smtp.h"
#include "time64.h"

#define SMTP_ADDR_MAX		254	/* RFC 5321 4.5.3.1.3, less the <> */
#define SMTP_LINE_MAX		998	/* RFC 5322 2.1.1, less the CRLF */
#define SMTP_REPLY_MAX		256
#define MSGID_RANDOM		16	/* bytes, shown as hex */
/* Encoded characters per RFC 2047 word: folded lines stay under 78 columns. */
#define SUBJECT_WORD		63

/* The message as sent, and how far curl has read it. */
struct mail {
	char	*buf;		/* NULL while only measuring */
	size_t	 len;
	size_t	 off;
	int	 failed;	/* out of memory while composing */
};

static int
smtp_url_check(const char *url)
{
	CURLU	*u;
	char	*scheme = NULL, *user = NULL;
	int	 ok;

	if ((u = libcurl.url()) == NULL) {
		log_err("%s: out of memory", url);
		return EX_OSERR;
	}
	ok = libcurl.url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    libcurl.url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    (strcmp(scheme, "smtp") == 0 || strcmp(scheme, "smtps") == 0);
	if (!ok)
		log_err("%s: not an smtp:// or smtps:// URL", url);
	else if (libcurl.url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		/* The URL is logged at -vv, and it would hold the password. */
		log_err("%s: credentials belong in [smtp] username and "
		    "password_file, not in the URL", url);
		ok = 0;
	}
	libcurl.free(scheme);
	libcurl.free(user);
	libcurl.url_cleanup(u);
	return ok ? 0 : EX_CONFIG;
}

/*
 * An address goes into MAIL FROM/RCPT TO inside <> and into a header
 * as it is: nothing in it may end the line, close the brackets or, with
 * a comma, make the header name more recipients than the envelope.
 */
static int
addr_check(const char *what, const char *addr)
{
	const char	*at;
	size_t		 i;

	if (strpbrk(addr, "\r\n") != NULL) {
		log_err("smtp: %s address contains CR or LF", what);
		return EX_DATAERR;
	}
	for (i = 0; addr[i] != '\0'; i++) {
		if ((unsigned char)addr[i] <= ' ' ||
		    (unsigned char)addr[i] >= 0x7f) {
			log_err("smtp: %s address contains white space, a "
			    "control character or non-ASCII", what);
			return EX_DATAERR;
		}
	}
	at = strrchr(addr, '@');
	if (i > SMTP_ADDR_MAX || strpbrk(addr, "<>,") != NULL || at == NULL ||
	    at == addr || at[1] == '\0') {
		log_err("smtp: %s address '%s' is not local@domain of at "
		    "most %d characters without '<', '>' or ','", what, addr,
		    SMTP_ADDR_MAX);
		return EX_DATAERR;
	}
	return 0;
}

/* Lines of at most SMTP_LINE_MAX bytes ended by LF or CRLF. */
static int
body_check(const char *body)
{
	size_t	n, line;

	for (line = 1;; line++) {
		n = strcspn(body, "\r\n");
		if (n > SMTP_LINE_MAX) {
			log_err("smtp: body line %zu is longer than %d bytes",
			    line, SMTP_LINE_MAX);
			return EX_DATAERR;
		}
		body += n;
		if (*body == '\r' && *++body != '\n') {
			log_err("smtp: body line %zu has a CR without LF",
			    line);
			return EX_DATAERR;
		}
		if (*body == '\0')
			return 0;
		body++;
	}
}

static int
msg_check(const struct smtp_msg *msg)
{
	int	rc;

	if ((rc = addr_check("From", msg->from)) != 0 ||
	    (rc = addr_check("To", msg->to)) != 0)
		return rc;
	if (strpbrk(msg->subject, "\r\n") != NULL) {
		log_err("smtp: Subject contains CR or LF");
		return EX_DATAERR;
	}
	return body_check(msg->body);
}

/*
 * Bytes a Q encoded-word in a Subject carries as they are (RFC 2047
 * 5(3)); a blank becomes '_', everything else =XX.
 */
static int
q_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("!*+-/", c) != NULL;
}

/* Non-ASCII, controls or a line too long: RFC 2047 it is. */
static int
subject_needs_encoding(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] < ' ' && s[i] != '\t') ||
		    (unsigned char)s[i] >= 0x7f)
			return 1;
	return i > SMTP_LINE_MAX - strlen("Subject: ");
}

static void
mail_add(struct mail *m, const void *p, size_t n)
{
	if (m->buf != NULL)
		memcpy(m->buf + m->len, p, n);
	m->len += n;
}

static void
mail_str(struct mail *m, const char *s)
{
	mail_add(m, s, strlen(s));
}

/*
 * Bytes of the character at P: a whole UTF-8 sequence, else one byte,
 * so that no unit is longer than 4 bytes (12 encoded), whatever comes.
 */
static size_t
utf8_char_len(const unsigned char *p)
{
	size_t	n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 1;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/*
 * SUBJECT as RFC 2047 "Q" encoded-words, one per folded line.  A word
 * ends between characters, never inside one (decoders take each word
 * alone; bytes that are not UTF-8 go one by one), and holds at most
 * SUBJECT_WORD encoded characters, so that every continued line stays
 * under 78 columns.
 */
static void
mail_subject_encoded(struct mail *m, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;
	char			 word[SUBJECT_WORD + 1];
	size_t			 used = 0, need, n, i;
	int			 first = 1;

	while (*p != '\0') {
		n = utf8_char_len(p);
		for (need = 0, i = 0; i < n; i++)
			need += q_plain(p[i]) ? 1 : 3;
		if (used + need > SUBJECT_WORD) {
			word[used] = '\0';
			mail_str(m, first ? "=?UTF-8?Q?" : "\r\n =?UTF-8?Q?");
			mail_str(m, word);
			mail_str(m, "?=");
			first = 0;
			used = 0;
		}
		for (i = 0; i < n; i++) {
			if (p[i] == ' ')
				word[used++] = '_';
			else if (q_plain(p[i]))
				word[used++] = (char)p[i];
			else {
				word[used++] = '=';
				word[used++] = hex[p[i] >> 4];
				word[used++] = hex[p[i] & 0xf];
			}
		}
		p += n;
	}
	word[used] = '\0';
	mail_str(m, first ? "=?UTF-8?Q?" : "\r\n =?UTF-8?Q?");
	mail_str(m, word);
	mail_str(m, "?=");
}

/* BODY with every line ended by CRLF, the last one too. */
static void
mail_body(struct mail *m, const char *body)
{
	size_t	n;

	while (*body != '\0') {
		n = strcspn(body, "\r\n");
		mail_add(m, body, n);
		mail_add(m, "\r\n", 2);
		body += n;
		if (*body == '\r')
			body++;
		if (*body == '\n')
			body++;
	}
}

/* Run once with M->buf NULL to learn the length, then to fill it. */
static void
mail_compose(struct mail *m, const struct smtp_msg *msg, const char *date,
    const char *msgid)
{
	m->len = 0;
	mail_str(m, "Date: ");
	mail_str(m, date);
	mail_str(m, "\r\nFrom: ");
	mail_str(m, msg->from);
	mail_str(m, "\r\nTo: ");
	mail_str(m, msg->to);
	mail_str(m, "\r\nSubject: ");
	if (subject_needs_encoding(msg->subject))
		mail_subject_encoded(m, msg->subject);
	else
		mail_str(m, msg->subject);
	mail_str(m, "\r\nMessage-ID: ");
	mail_str(m, msgid);
	mail_str(m, "\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n");
	mail_body(m, msg->body);
}

/* RFC 5322 date-time in UTC; the names are fixed, strftime's follow LC_TIME. */
static int
mail_date(char *buf, size_t size)
{
	static const char	 days[][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char	 months[][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm		 tm;

	/* The clock that time64_now() reads: time(2) may lag it by a tick. */
	if (!time64_to_tm(time64_now(), &tm)) {
		log_err("smtp: the clock is out of range");
		return EX_SOFTWARE;
	}
	snprintf(buf, size, "%s, %02d %s %d %02d:%02d:%02d +0000",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

/* <random hex@the domain of FROM>, unique without knowing our own name. */
static int
mail_msgid(char *buf, size_t size, const char *from)
{
	unsigned char	rnd[MSGID_RANDOM];
	size_t		i;
	int		rc;

	if ((rc = secret_random(rnd, sizeof(rnd))) != 0)
		return rc;
	buf[0] = '<';
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(buf + 1 + 2 * i, 3, "%02x", rnd[i]);
	snprintf(buf + 1 + 2 * i, size - 1 - 2 * i, "@%s>",
	    strrchr(from, '@') + 1);
	return 0;
}

static size_t
mail_read_cb(char *dst, size_t size, size_t nitems, void *arg)
{
	struct mail	*m = arg;
	size_t		 n = size * nitems;

	if (n > m->len - m->off)
		n = m->len - m->off;
	memcpy(dst, m->buf + m->off, n);
	m->off += n;
	return n;
}

/*
 * The server's last refusal, printable ASCII only as it may be logged.
 * The last line of all would be the answer to curl's QUIT.
 */
static size_t
reply_cb(char *data, size_t size, size_t nitems, void *arg)
{
	char	*reply = arg;
	size_t	 n = size * nitems, i, j;

	if (n == 0 || (data[0] != '4' && data[0] != '5'))
		return n;
	for (i = j = 0; i < n && j < SMTP_REPLY_MAX - 1; i++)
		if (data[i] >= ' ' && data[i] < 0x7f)
			reply[j++] = data[i];
	reply[j] = '\0';
	return n;
}

static int
smtp_error(CURL *c, const char *url, CURLcode cc, const char *errbuf,
    const char *reply)
{
	const char	*why;
	long		 code = 0;

	why = errbuf[0] != '\0' ? errbuf : libcurl.easy_strerror(cc);
	if (cc == CURLE_OUT_OF_MEMORY) {
		log_err("%s: out of memory", url);
		return EX_OSERR;
	}
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		log_err("%s: %s", url, why);
		return EX_TEMPFAIL;
	}
	libcurl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 400 && strtol(reply, NULL, 10) == code)
		log_err("%s: %s (server said \"%s\")", url, why, reply);
	else
		log_err("%s: %s", url, why);
	return code >= 400 && code < 500 ? EX_TEMPFAIL : EX_UNAVAILABLE;
}

int
smtp_send(const char *url, const char *ca_file, const char *username,
    const char *password, const struct smtp_msg *msg, long timeout)
{
	struct curl_slist	*rcpt = NULL;
	struct mail		 m;
	CURL			*c = NULL;
	CURLcode		 cc;
	char			 from[SMTP_ADDR_MAX + 3], to[SMTP_ADDR_MAX + 3];
	char			 msgid[2 * MSGID_RANDOM + SMTP_ADDR_MAX + 4];
	char			 date[40], errbuf[CURL_ERROR_SIZE];
	char			 reply[SMTP_REPLY_MAX];
	long			 code = 0;
	int			 rc, auth;

	memset(&m, 0, sizeof(m));
	if (libcurl_load() == -1)
		return EX_SOFTWARE;
	if ((rc = smtp_url_check(url)) != 0)
		return rc;
	if (timeout <= 0) {
		log_err("smtp: timeout must be positive, not %ld", timeout);
		return EX_SOFTWARE;
	}
	if ((rc = msg_check(msg)) != 0 ||
	    (rc = mail_date(date, sizeof(date))) != 0 ||
	    (rc = mail_msgid(msgid, sizeof(msgid), msg->from)) != 0)
		return rc;
	snprintf(from, sizeof(from), "<%s>", msg->from);
	snprintf(to, sizeof(to), "<%s>", msg->to);
	auth = username != NULL && *username != '\0';

	mail_compose(&m, msg, date, msgid);
	if (m.failed || (m.buf = malloc(m.len)) == NULL ||
	    (rcpt = libcurl.slist_append(NULL, to)) == NULL) {
		log_err("%s: out of memory", url);
		rc = EX_OSERR;
		goto out;
	}
	mail_compose(&m, msg, date, msgid);
	if (m.failed) {
		log_err("%s: out of memory", url);
		rc = EX_OSERR;
		goto out;
	}

	errbuf[0] = reply[0] = '\0';
	/*
	 * USE_SSL_ALL: STARTTLS on smtp:// or no mail at all, so AUTH and
	 * the body never cross the network in clear.  PROXY "": the mail
	 * server is reached directly, whatever the environment says.
	 */
	if ((cc = libcurl_easy(errbuf, "smtp,smtps", ca_file, timeout,
	    &c)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_PROXY, "")) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_URL, url)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_USE_SSL,
	    (long)CURLUSESSL_ALL)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_MAIL_FROM, from)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_UPLOAD, 1L)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_READFUNCTION,
	    mail_read_cb)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_READDATA, &m)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)m.len)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_HEADERFUNCTION, reply_cb)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_HEADERDATA, reply)) !=
	    CURLE_OK ||
	    (auth && ((cc = libcurl.easy_setopt(c, CURLOPT_USERNAME,
	    username)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_PASSWORD,
	    password != NULL ? password : "")) != CURLE_OK))) {
		log_err("smtp: %s", libcurl.easy_strerror(cc));
		rc = cc == CURLE_OUT_OF_MEMORY ? EX_OSERR : EX_SOFTWARE;
		goto out;
	}
	log_debug("-> SMTP %s %s -> %s", url, msg->from, msg->to);
	if ((cc = libcurl.easy_perform(c)) != CURLE_OK) {
		rc = smtp_error(c, url, cc, errbuf, reply);
		goto out;
	}
	libcurl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	log_debug("<- %ld %s", code, url);
	rc = 0;
out:
	/* The body may carry a new password. */
	if (m.buf != NULL)
		secret_zero(m.buf, m.len);
	free(m.buf);
	libcurl.easy_cleanup(c);
	libcurl.slist_free_all(rcpt);
	return rc;
}
