/*
 * http: libcurl behind http.h.  One easy handle per struct http keeps the
 * connection and the TLS session between requests; everything that
 * belongs to one request is set again on every request, so nothing of
 * the last one (a HEAD, a POST body, its headers) carries over.
 */
#define _GNU_SOURCE		/* strndup */

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

#define CONNECT_TIMEOUT_MAX	30
#define LOG_BODY_MAX		2048
#define BODY_SIZE_MIN		4096

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

static int
is_text(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The start of BODY, one log line per line of it, when it is text (JSON,
 * problem documents, PEM); anything else could upset a terminal.
 */
static void
log_body(const char *body, size_t len)
{
	size_t	shown, i, j, k;

	shown = len < LOG_BODY_MAX ? len : LOG_BODY_MAX;
	for (i = 0; i < shown; i++) {
		if (!is_text((unsigned char)body[i])) {
			log_debug("   (%zu bytes, not text)", len);
			return;
		}
	}
	for (i = 0; i < shown; i = j + 1) {
		for (j = i; j < shown && body[j] != '\n'; j++)
			;
		k = j > i && body[j - 1] == '\r' ? j - 1 : j;
		log_debug("   %.*s", (int)(k - i), body + i);
	}
	if (shown < len)
		log_debug("   ... (%zu bytes in all)", len);
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
	if (!curl_ready) {
		if ((cc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
			log_err("libcurl: %s", curl_easy_strerror(cc));
			return NULL;
		}
		curl_ready = 1;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->curl = curl_easy_init()) == NULL) {
		log_err("http: out of memory");
		free(h);
		return NULL;
	}
	c = h->curl;
	h->timeout = timeout;
	/*
	 * No redirects: ACME answers 201 with a Location the caller reads.
	 * With a CA file, the built-in CA path goes: Debian's libcurl has
	 * one (/etc/ssl/certs) besides its bundle, and keeping it would trust
	 * every public CA next to the one configured.
	 */
	if ((cc = curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https")) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout)) != CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	    timeout < CONNECT_TIMEOUT_MAX ? timeout : CONNECT_TIMEOUT_MAX)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body_cb)) !=
	    CURLE_OK ||
	    (cc = curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb)) !=
	    CURLE_OK)
		goto out;
	if (ca_file != NULL && *ca_file != '\0' &&
	    (cc = curl_easy_setopt(c, CURLOPT_CAINFO, ca_file)) == CURLE_OK)
		cc = curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
out:
	if (cc != CURLE_OK) {
		log_err("http: %s", curl_easy_strerror(cc));
		http_free(h);
		h = NULL;
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
		log_body(body, len);
	cc = curl_easy_perform(h->curl);
	/* HDRS is freed below; the handle must not point to it. */
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	if (cc != CURLE_OK) {
		rc = transfer_error(h, &x, url, cc);
		goto out;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	log_debug("<- %ld %s", resp->status, url);
	log_body(resp->body, resp->len);
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
