/*
 * http: libcurl behind http.h.  One easy handle per struct http keeps the
 * connection and the TLS session between requests; everything that
 * belongs to one request is set again on every request, so nothing of
 * the last one (a HEAD, a POST body, its headers) carries over.  A mail
 * is one transfer on a handle of its own, torn down with what it held.
 *
 * libcurl is loaded with dlopen() on first use: with its dependencies it
 * is some thirty shared objects, and a tool that never goes on the
 * network (a password check, a self-signed certificate) should not pay
 * for loading them at every start.
 */
#define _GNU_SOURCE		/* strndup */
#define CURL_DISABLE_TYPECHECK	/* the calls go through pointers below */

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>

#include <curl/curl.h>

#include "http.h"
#include "log.h"
#include "secret.h"

#define LIBCURL		"libcurl.so.4"

static struct {
	CURLcode	(*global_init)(long);
	CURL		*(*easy_init)(void);
	CURLcode	(*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode	(*easy_perform)(CURL *);
	CURLcode	(*easy_getinfo)(CURL *, CURLINFO, ...);
	void		(*easy_cleanup)(CURL *);
	const char	*(*easy_strerror)(CURLcode);
	void		(*free)(void *);
	time_t		(*getdate)(const char *, const time_t *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void		(*slist_free_all)(struct curl_slist *);
	CURLU		*(*url)(void);
	void		(*url_cleanup)(CURLU *);
	CURLUcode	(*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
	CURLUcode	(*url_set)(CURLU *, CURLUPart, const char *,
			    unsigned int);
} lc;

/* curl.h wraps these two in macros of its own. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init	lc.global_init
#define curl_easy_init		lc.easy_init
#define curl_easy_setopt	lc.easy_setopt
#define curl_easy_perform	lc.easy_perform
#define curl_easy_getinfo	lc.easy_getinfo
#define curl_easy_cleanup	lc.easy_cleanup
#define curl_easy_strerror	lc.easy_strerror
#define curl_free		lc.free
#define curl_getdate		lc.getdate
#define curl_slist_append	lc.slist_append
#define curl_slist_free_all	lc.slist_free_all
#define curl_url		lc.url
#define curl_url_cleanup	lc.url_cleanup
#define curl_url_get		lc.url_get
#define curl_url_set		lc.url_set

/* Resolves every libcurl function used here, once. */
static int
curl_load(void)
{
	static const struct {
		const char	*name;
		void		**fn;
	} syms[] = {
		{ "curl_global_init",	(void **)&lc.global_init },
		{ "curl_easy_init",	(void **)&lc.easy_init },
		{ "curl_easy_setopt",	(void **)&lc.easy_setopt },
		{ "curl_easy_perform",	(void **)&lc.easy_perform },
		{ "curl_easy_getinfo",	(void **)&lc.easy_getinfo },
		{ "curl_easy_cleanup",	(void **)&lc.easy_cleanup },
		{ "curl_easy_strerror",	(void **)&lc.easy_strerror },
		{ "curl_free",		(void **)&lc.free },
		{ "curl_getdate",	(void **)&lc.getdate },
		{ "curl_slist_append",	(void **)&lc.slist_append },
		{ "curl_slist_free_all", (void **)&lc.slist_free_all },
		{ "curl_url",		(void **)&lc.url },
		{ "curl_url_cleanup",	(void **)&lc.url_cleanup },
		{ "curl_url_get",	(void **)&lc.url_get },
		{ "curl_url_set",	(void **)&lc.url_set },
	};
	static void	*h;
	size_t		 i;

	if (h != NULL)
		return 0;
	if ((h = dlopen(LIBCURL, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		log_err("%s: %s", LIBCURL, dlerror());
		return -1;
	}
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		if ((*syms[i].fn = dlsym(h, syms[i].name)) == NULL) {
			log_err("%s: %s", LIBCURL, dlerror());
			dlclose(h);
			h = NULL;
			return -1;
		}
	}
	return 0;
}

#define CONNECT_TIMEOUT_MAX	30
#define BODY_SIZE_MIN		4096

#define SMTP_ADDR_MAX		254	/* RFC 5321 4.5.3.1.3, less the <> */
#define SMTP_LINE_MAX		998	/* RFC 5322 2.1.1, less the CRLF */
#define SMTP_REPLY_MAX		256
#define MSGID_RANDOM		16	/* bytes, shown as hex */
/* Encoded characters per RFC 2047 word: folded lines stay under 78 columns. */
#define SUBJECT_WORD		63

struct http {
	CURL	*curl;
	long	 timeout;
	char	 errbuf[CURL_ERROR_SIZE];
};

/* What the callbacks of one transfer fill in, and why they stopped it. */
struct xfer {
	struct http_resp	*resp;
	size_t			 size;		/* allocated for resp->body */
	int			 too_big;
	int			 nomem;
};

static int	curl_ready;

/* Room in the body for N more bytes and the NUL after them. */
static int
body_reserve(struct xfer *x, size_t n)
{
	struct http_resp	*r = x->resp;
	size_t			 size;
	char			*p;

	if (n > HTTP_MAX_BODY - r->len) {
		x->too_big = 1;
		return -1;
	}
	if (r->len + n < x->size)
		return 0;
	for (size = x->size > 0 ? x->size : BODY_SIZE_MIN; size <= r->len + n;
	    size *= 2)
		;
	if (size > HTTP_MAX_BODY + 1)
		size = HTTP_MAX_BODY + 1;
	if ((p = realloc(r->body, size)) == NULL) {
		x->nomem = 1;
		return -1;
	}
	r->body = p;
	x->size = size;
	return 0;
}

static size_t
body_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct xfer		*x = arg;
	struct http_resp	*r = x->resp;
	size_t			 n = size * nmemb;

	if (body_reserve(x, n) == -1)
		return 0;
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

/* Retry-After (RFC 9110, 10.2.3): delay-seconds or an HTTP-date. */
static long
retry_seconds(const char *v)
{
	time_t	 t;
	long	 s;
	char	*end;

	if (*v >= '0' && *v <= '9') {
		errno = 0;
		s = strtol(v, &end, 10);
		if (*end != '\0')
			return -1;
		return errno == ERANGE ? LONG_MAX : s;
	}
	if ((t = curl_getdate(v, NULL)) == -1)
		return -1;
	t -= time(NULL);
	return t < 0 ? 0 : (long)t;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
name_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && strncasecmp(name, want, len) == 0;
}

/* Forgets the headers and body of an earlier response to this request. */
static void
resp_restart(struct http_resp *r)
{
	free(r->content_type);
	free(r->location);
	free(r->nonce);
	r->content_type = r->location = r->nonce = NULL;
	r->retry_after = -1;
	r->len = 0;
	if (r->body != NULL)
		r->body[0] = '\0';
}

static size_t
header_cb(char *line, size_t size, size_t nitems, void *arg)
{
	struct xfer		*x = arg;
	struct http_resp	*r = x->resp;
	const char		*colon, *v, *end;
	char			**slot = NULL, *value;
	size_t			 n = size * nitems, namelen;

	/* A second status line: the first answer was an interim 1xx. */
	if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		resp_restart(r);
		return n;
	}
	if ((colon = memchr(line, ':', n)) == NULL)
		return n;
	namelen = (size_t)(colon - line);
	if (name_is(line, namelen, "Content-Type"))
		slot = &r->content_type;
	else if (name_is(line, namelen, "Location"))
		slot = &r->location;
	else if (name_is(line, namelen, "Replay-Nonce"))
		slot = &r->nonce;
	else if (!name_is(line, namelen, "Retry-After"))
		return n;
	for (v = colon + 1, end = line + n; v < end && is_blank(*v); v++)
		;
	while (end > v && is_blank(end[-1]))
		end--;
	if ((value = strndup(v, (size_t)(end - v))) == NULL) {
		x->nomem = 1;
		return 0;
	}
	if (slot != NULL) {
		free(*slot);
		*slot = value;
	} else {
		r->retry_after = retry_seconds(value);
		free(value);
	}
	return n;
}

/* curl_global_init, once, before the first handle. */
static int
curl_start(void)
{
	CURLcode	cc;

	if (curl_ready)
		return 0;
	if (curl_load() == -1)
		return -1;
	if ((cc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		log_err("libcurl: %s", curl_easy_strerror(cc));
		return -1;
	}
	curl_ready = 1;
	return 0;
}

/*
 * What every handle gets: PROTOCOLS only, TLS verified against CA_FILE
 * or the system store, TIMEOUT for the whole transfer, no signals.  With
 * a CA file, the built-in CA path goes: Debian's libcurl has one
 * (/etc/ssl/certs) besides its bundle, and keeping it would trust every
 * public CA next to the one configured.
 */
static CURLcode
handle_init(CURL *c, char *errbuf, const char *protocols,
    const char *ca_file, long timeout)
{
	CURLcode	cc;

	if ((cc = curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	    timeout < CONNECT_TIMEOUT_MAX ? timeout : CONNECT_TIMEOUT_MAX)) !=
	    CURLE_OK)
		return cc;
	if (ca_file != NULL && *ca_file != '\0' &&
	    (cc = curl_easy_setopt(c, CURLOPT_CAINFO, ca_file)) == CURLE_OK)
		cc = curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	return cc;
}

struct http *
http_new(const char *user_agent, const char *ca_file, long timeout)
{
	struct http	*h;
	CURLcode	 cc;
	CURL		*c;

	if (timeout <= 0) {
		/* curl would take 0 as "no limit"; unattended runs need one. */
		log_err("http: timeout must be positive, not %ld", timeout);
		return NULL;
	}
	if (curl_start() == -1)
		return NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->curl = curl_easy_init()) == NULL) {
		log_err("http: out of memory");
		free(h);
		return NULL;
	}
	c = h->curl;
	h->timeout = timeout;
	/* No redirects: ACME answers 201 with a Location the caller reads. */
	if ((cc = handle_init(c, h->errbuf, "http,https", ca_file,
	    timeout)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body_cb)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb)) !=
	    CURLE_OK) {
		log_err("http: %s", curl_easy_strerror(cc));
		http_free(h);
		return NULL;
	}
	return h;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	free(h);
}

/* Sets METHOD, and resets what an earlier request left on the handle. */
static CURLcode
set_method(CURL *c, const char *method, const void *body, size_t len)
{
	CURLcode	cc;

	/*
	 * The handle must not keep the last caller's body.  Setting
	 * POSTFIELDS makes a POST of its own, so HTTPGET comes after it;
	 * HTTPGET also undoes a HEAD's NOBODY.
	 */
	if ((cc = curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)-1)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_HTTPGET, 1L)) != CURLE_OK)
		return cc;
	if (strcmp(method, "HEAD") == 0)
		return curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (strcmp(method, "POST") == 0) {
		/* A NULL body would make curl read the post from stdin. */
		if ((cc = curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len)) != CURLE_OK)
			return cc;
		return curl_easy_setopt(c, CURLOPT_POSTFIELDS,
		    body != NULL ? body : "");
	}
	return CURLE_OK;
}

static int
transfer_error(struct http *h, const struct xfer *x, const char *url,
    CURLcode cc)
{
	curl_off_t	us;

	if (x->too_big) {
		log_err("%s: response body larger than %d bytes", url,
		    HTTP_MAX_BODY);
		return EX_DATAERR;
	}
	if (x->nomem || cc == CURLE_OUT_OF_MEMORY) {
		log_err("%s: out of memory", url);
		return EX_OSERR;
	}
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		/* The time spent, as the connect limit may be the shorter. */
		if (curl_easy_getinfo(h->curl, CURLINFO_TOTAL_TIME_T, &us) !=
		    CURLE_OK)
			us = (curl_off_t)h->timeout * 1000000;
		log_err("%s: timed out after %ld s", url,
		    (long)((us + 500000) / 1000000));
		return EX_TEMPFAIL;
	}
	log_err("%s: %s", url,
	    h->errbuf[0] != '\0' ? h->errbuf : curl_easy_strerror(cc));
	return EX_UNAVAILABLE;
}

int
http_request(struct http *h, const char *method, const char *url,
    const char *const *headers, const void *body, size_t len,
    struct http_resp *resp)
{
	struct curl_slist	*hdrs = NULL, *p;
	struct xfer		 x;
	CURLcode		 cc;
	int			 rc = EX_OSERR;

	memset(resp, 0, sizeof(*resp));
	resp->retry_after = -1;
	memset(&x, 0, sizeof(x));
	x.resp = resp;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    strcmp(method, "POST") != 0) {
		log_err("%s: unsupported method %s", url, method);
		rc = EX_SOFTWARE;
		goto out;
	}
	for (; headers != NULL && *headers != NULL; headers++) {
		if ((p = curl_slist_append(hdrs, *headers)) == NULL) {
			log_err("%s: out of memory", url);
			goto out;
		}
		hdrs = p;
	}
	/* An empty body is still a string: callers may strcmp it. */
	if (body_reserve(&x, 0) == -1) {
		log_err("%s: out of memory", url);
		goto out;
	}
	resp->body[0] = '\0';
	h->errbuf[0] = '\0';
	if ((cc = curl_easy_setopt(h->curl, CURLOPT_URL, url)) != CURLE_OK ||
	    (cc = curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdrs)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &x)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, &x)) !=
	    CURLE_OK ||
	    (cc = set_method(h->curl, method, body, len)) != CURLE_OK) {
		rc = transfer_error(h, &x, url, cc);
		goto out;
	}
	log_debug("-> %s %s", method, url);
	if (strcmp(method, "POST") == 0)
		log_debug_text(body, len);
	cc = curl_easy_perform(h->curl);
	/* HDRS is freed below; the handle must not point to it. */
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	if (cc != CURLE_OK) {
		rc = transfer_error(h, &x, url, cc);
		goto out;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	log_debug("<- %ld %s", resp->status, url);
	log_debug_text(resp->body, resp->len);
	rc = 0;
out:
	curl_slist_free_all(hdrs);
	if (rc != 0)
		http_resp_free(resp);
	return rc;
}

void
http_resp_free(struct http_resp *resp)
{
	free(resp->body);
	free(resp->content_type);
	free(resp->location);
	free(resp->nonce);
	memset(resp, 0, sizeof(*resp));
}

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

	if ((u = curl_url()) == NULL) {
		log_err("%s: out of memory", url);
		return EX_OSERR;
	}
	ok = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    (strcmp(scheme, "smtp") == 0 || strcmp(scheme, "smtps") == 0);
	if (!ok)
		log_err("%s: not an smtp:// or smtps:// URL", url);
	else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		/* The URL is logged at -vv, and it would hold the password. */
		log_err("%s: credentials belong in [smtp] username and "
		    "password_file, not in the URL", url);
		ok = 0;
	}
	curl_free(scheme);
	curl_free(user);
	curl_url_cleanup(u);
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
 * SUBJECT as RFC 2047 "Q" encoded-words, one per folded line.  A word
 * ends between characters, never inside one (decoders take each word
 * alone), and holds at most SUBJECT_WORD encoded characters, so that
 * every line stays under 78 columns.
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
		/* One character: a UTF-8 lead byte and its continuations. */
		for (n = 1; p[n] != '\0' && (p[n] & 0xc0) == 0x80; n++)
			;
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
	time_t			 now;

	now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL) {
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

	why = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc);
	if (cc == CURLE_OUT_OF_MEMORY) {
		log_err("%s: out of memory", url);
		return EX_OSERR;
	}
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		log_err("%s: %s", url, why);
		return EX_TEMPFAIL;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
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
	if (curl_start() == -1)
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
	    (rcpt = curl_slist_append(NULL, to)) == NULL ||
	    (c = curl_easy_init()) == NULL) {
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
	 * the body never cross the network in clear.
	 */
	if ((cc = handle_init(c, errbuf, "smtp,smtps", ca_file, timeout)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_URL, url)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_MAIL_FROM, from)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_UPLOAD, 1L)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_READFUNCTION, mail_read_cb)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_READDATA, &m)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)m.len)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, reply_cb)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_HEADERDATA, reply)) !=
	    CURLE_OK ||
	    (auth && ((cc = curl_easy_setopt(c, CURLOPT_USERNAME, username)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_PASSWORD,
	    password != NULL ? password : "")) != CURLE_OK))) {
		log_err("smtp: %s", curl_easy_strerror(cc));
		rc = cc == CURLE_OUT_OF_MEMORY ? EX_OSERR : EX_SOFTWARE;
		goto out;
	}
	log_debug("-> SMTP %s %s -> %s", url, msg->from, msg->to);
	if ((cc = curl_easy_perform(c)) != CURLE_OK) {
		rc = smtp_error(c, url, cc, errbuf, reply);
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	log_debug("<- %ld %s", code, url);
	rc = 0;
out:
	/* The body may carry a new password. */
	if (m.buf != NULL)
		secret_zero(m.buf, m.len);
	free(m.buf);
	curl_easy_cleanup(c);
	curl_slist_free_all(rcpt);
	return rc;
}
