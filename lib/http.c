/*
 * http: libcurl behind http.h.  One easy handle per struct http keeps the
 * connection and the TLS session between requests; everything that
 * belongs to one request is set again on every request, so nothing of
 * the last one (a HEAD, a POST body, its headers) carries over.
 */
#define _GNU_SOURCE		/* strndup */

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>

#include "http.h"
#include "libcurl.h"
#include "log.h"
#include "time64.h"

#define BODY_SIZE_MIN		4096
#define PROXY_SHOWN_MAX		300

struct http {
	CURL	*curl;
	char	*proxy;			/* NULL: the environment's */
	long	 timeout;
	long	 tried_port;		/* of the last socket libcurl opened */
	char	 failed_at[PROXY_SHOWN_MAX];	/* proxy of the last failure */
	char	 errbuf[CURL_ERROR_SIZE];
};

/* What the callbacks of one transfer fill in, and why they stopped it. */
struct xfer {
	struct http_resp	*resp;
	size_t			 size;		/* allocated for resp->body */
	size_t			 head;		/* header bytes, this answer */
	int			 framed;	/* length, chunks or HTTP/2 */
	int			 too_big;	/* the body */
	int			 head_too_big;
	int			 nomem;
};

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

/*
 * Retry-After (RFC 9110, 10.2.3): delay-seconds or an HTTP-date, in 64
 * bits either way (a far date must not wrap where time_t is 32 bits).
 * The preferred date form is read here; libcurl's reader, which returns
 * a time_t, is left for the obsolete forms.
 */
static int64_t
retry_seconds(const char *v)
{
	long long	 s;
	int64_t		 t;
	time_t		 old;
	char		*end;

	if (*v >= '0' && *v <= '9') {
		errno = 0;
		s = strtoll(v, &end, 10);
		if (*end != '\0')
			return -1;
		return errno == ERANGE ? INT64_MAX : (int64_t)s;
	}
	if (!time64_parse_http_date(v, &t)) {
		if ((old = libcurl.getdate(v, NULL)) == -1)
			return -1;
		t = (int64_t)old;
	}
	t -= time64_now();
	return t < 0 ? 0 : t;
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
resp_restart(struct xfer *x)
{
	struct http_resp	*r = x->resp;

	free(r->content_type);
	free(r->location);
	free(r->nonce);
	r->content_type = r->location = r->nonce = NULL;
	r->retry_after = -1;
	r->len = 0;
	if (r->body != NULL)
		r->body[0] = '\0';
	x->head = 0;
	x->framed = 0;
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
		resp_restart(x);
		x->framed = n >= 6 && line[5] >= '2' && line[5] <= '9';
	}
	if (n > HTTP_MAX_HEADER - x->head) {
		x->head_too_big = 1;
		return 0;
	}
	x->head += n;
	if ((colon = memchr(line, ':', n)) == NULL)
		return n;
	namelen = (size_t)(colon - line);
	if (name_is(line, namelen, "Content-Length") ||
	    (name_is(line, namelen, "Transfer-Encoding") &&
	    memmem(colon, n - namelen, "chunked", 7) != NULL))
		x->framed = 1;
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

/*
 * Every socket libcurl opens for the handle: closed on exec (a hook that
 * runs during an ACME order must not inherit the connection), and its
 * port kept, which tells a proxy that cannot be reached from a server.
 */
static curl_socket_t
socket_cb(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct http	*h = arg;

	(void)purpose;
	if (a->family == AF_INET)
		h->tried_port =
		    ntohs(((struct sockaddr_in *)&a->addr)->sin_port);
	else if (a->family == AF_INET6)
		h->tried_port =
		    ntohs(((struct sockaddr_in6 *)&a->addr)->sin6_port);
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

struct http *
http_new(const char *user_agent, const char *ca_file, const char *proxy,
    long timeout)
{
	struct http	*h;
	CURLcode	 cc;
	CURL		*c;

	if (timeout <= 0) {
		/* curl would take 0 as "no limit"; unattended runs need one. */
		log_err("http: timeout must be positive, not %ld", timeout);
		return NULL;
	}
	if (libcurl_load() == -1)
		return NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (proxy != NULL && *proxy != '\0' &&
	    (h->proxy = strdup(proxy)) == NULL)) {
		log_err("http: out of memory");
		free(h);
		return NULL;
	}
	h->timeout = timeout;
	/*
	 * No redirects: ACME answers 201 with a Location the caller reads,
	 * and a redirect must not take basic credentials elsewhere.
	 * Without PROXY, CURLOPT_PROXY stays unset: libcurl reads the
	 * environment.  The proxy's own answer to CONNECT is not the
	 * server's: its headers stay out of the response.
	 */
	if ((cc = libcurl_easy(h->errbuf, "http,https", ca_file, timeout,
	    &h->curl)) != CURLE_OK) {
		log_err("http: %s", libcurl.easy_strerror(cc));
		http_free(h);
		return NULL;
	}
	c = h->curl;
	if ((cc = libcurl.easy_setopt(c, CURLOPT_USERAGENT, user_agent)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)HTTP_MAX_BODY)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_WRITEFUNCTION, body_cb)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION,
	    socket_cb)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_OPENSOCKETDATA, h)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_SUPPRESS_CONNECT_HEADERS,
	    1L)) != CURLE_OK ||
	    (h->proxy != NULL &&
	    (cc = libcurl.easy_setopt(c, CURLOPT_PROXY, h->proxy)) !=
	    CURLE_OK)) {
		log_err("http: %s", libcurl.easy_strerror(cc));
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
	libcurl.easy_cleanup(h->curl);
	free(h->proxy);
	free(h);
}

int
http_basic_auth(struct http *h, const char *user, const char *password)
{
	CURLcode	cc;

	if ((cc = libcurl.easy_setopt(h->curl, CURLOPT_HTTPAUTH,
	    (long)CURLAUTH_BASIC)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(h->curl, CURLOPT_USERNAME, user)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(h->curl, CURLOPT_PASSWORD, password)) !=
	    CURLE_OK) {
		log_err("http: %s", libcurl.easy_strerror(cc));
		return cc == CURLE_OUT_OF_MEMORY ? EX_OSERR : EX_SOFTWARE;
	}
	return 0;
}

/*
 * URL as libcurl parses it: http or https (*TLS says which), a host, no
 * user name or password (they would be logged with the URL), no fragment.
 * libcurl refuses white space and control characters.
 */
static int
url_check(const char *url, int *tls)
{
	CURLU		*u;
	CURLUcode	 uc;
	const char	*why = NULL;
	char		*scheme = NULL, *part = NULL;

	if ((u = libcurl.url()) == NULL) {
		log_err("%s: out of memory", url);
		return EX_OSERR;
	}
	if ((uc = libcurl.url_set(u, CURLUPART_URL, url, 0)) != CURLUE_OK)
		why = uc == CURLUE_NO_HOST ? "no host" :
		    uc == CURLUE_OUT_OF_MEMORY ? NULL :
		    "not a URL (white space, control characters or bad syntax)";
	else if ((uc = libcurl.url_get(u, CURLUPART_SCHEME, &scheme, 0)) !=
	    CURLUE_OK || (strcmp(scheme, "http") != 0 &&
	    strcmp(scheme, "https") != 0))
		why = "not an http:// or https:// URL";
	/* libcurl would read http:/x and http:///x as http://x/. */
	else if (strncmp(url + strlen(scheme), "://", 3) != 0 ||
	    url[strlen(scheme) + 3] == '/')
		why = "no host";
	else if (libcurl.url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK ||
	    libcurl.url_get(u, CURLUPART_PASSWORD, &part, 0) == CURLUE_OK)
		why = "user names and passwords in URLs are not sent";
	else if (libcurl.url_get(u, CURLUPART_FRAGMENT, &part, 0) ==
	    CURLUE_OK)
		why = "URLs with a fragment are not fetched";
	else
		*tls = strcmp(scheme, "https") == 0;
	libcurl.free(scheme);
	libcurl.free(part);
	libcurl.url_cleanup(u);
	if (uc == CURLUE_OUT_OF_MEMORY) {
		log_err("%s: out of memory", url);
		return EX_OSERR;
	}
	if (why != NULL) {
		log_err("%s: %s", url, why);
		return EX_USAGE;
	}
	return 0;
}

/* Each header one "Name: value" line: no CR or LF to smuggle in more. */
static int
headers_check(const char *url, const char *const *headers)
{
	for (; headers != NULL && *headers != NULL; headers++) {
		if (strpbrk(*headers, "\r\n") != NULL ||
		    strchr(*headers, ':') == NULL || **headers == ':') {
			log_err("%s: a request header is not one 'Name: value' "
			    "line", url);
			return EX_USAGE;
		}
	}
	return 0;
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
	if ((cc = libcurl.easy_setopt(c, CURLOPT_POSTFIELDS, NULL)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)-1)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_HTTPGET, 1L)) != CURLE_OK)
		return cc;
	if (strcmp(method, "HEAD") == 0)
		return libcurl.easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (strcmp(method, "POST") == 0) {
		/* A NULL body would make curl read the post from stdin. */
		if ((cc = libcurl.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len)) != CURLE_OK)
			return cc;
		return libcurl.easy_setopt(c, CURLOPT_POSTFIELDS,
		    body != NULL ? body : "");
	}
	return CURLE_OK;
}

/*
 * The proxy a request to a URL of scheme https (TLS) or http goes
 * through unless no_proxy exempts its host: the handle's own, else the
 * first of the variables libcurl reads (lib/url.c, detect_proxy()), an
 * empty one as if unset.  Only to name the proxy: libcurl decides.
 */
static const char *
proxy_wanted(const struct http *h, int tls, const char **var)
{
	static const char *const https_vars[] = {
		"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", NULL };
	static const char *const http_vars[] = {
		"http_proxy", "all_proxy", "ALL_PROXY", NULL };
	const char *const	*v;
	const char		*p;

	*var = NULL;
	if (h->proxy != NULL)
		return h->proxy;
	for (v = tls ? https_vars : http_vars; *v != NULL; v++) {
		if ((p = getenv(*v)) != NULL && *p != '\0') {
			*var = *v;
			return p;
		}
	}
	return NULL;
}

/*
 * P as SCHEME://HOST:PORT in BUF, without the user name and password it
 * may hold, and its port (libcurl's defaults when none is given: 1080,
 * or 443 for an https:// proxy); VAR, when set, says where it came from.
 */
static long
proxy_show(const char *p, const char *var, char *buf, size_t size)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *port = NULL;
	long	 n = 0;

	if ((u = libcurl.url()) != NULL &&
	    libcurl.url_set(u, CURLUPART_URL, p, CURLU_GUESS_SCHEME |
	    CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    libcurl.url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    libcurl.url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (libcurl.url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
			n = strtol(port, NULL, 10);
		else
			n = strcmp(scheme, "https") == 0 ? 443 : 1080;
		snprintf(buf, size, "%s://%s:%ld%s%s%s", scheme, host, n,
		    var != NULL ? " (from " : "", var != NULL ? var : "",
		    var != NULL ? ")" : "");
	} else
		snprintf(buf, size, "%s", var != NULL ? var :
		    "(unreadable URL)");
	libcurl.free(scheme);
	libcurl.free(host);
	libcurl.free(port);
	libcurl.url_cleanup(u);
	return n;
}

/*
 * After a failed request: whether it failed at a proxy, then why.  A
 * proxy that answered CONNECT, or whose name did not resolve, says so
 * itself; one that could not be reached is known by the port of the
 * socket libcurl opened (no_proxy may have sent it to the server).  For
 * an https:// URL, anything before the tunnel stood is the proxy's.
 */
static int
transfer_error(struct http *h, const struct xfer *x, const char *url,
    int tls, CURLcode cc)
{
	const char	*p, *var, *why;
	char		 shown[PROXY_SHOWN_MAX] = "";
	curl_off_t	 us;
	long		 port = 0, connect = 0;
	int		 via = 0;

	why = h->errbuf[0] != '\0' ? h->errbuf : libcurl.easy_strerror(cc);
	if ((p = proxy_wanted(h, tls, &var)) != NULL) {
		port = proxy_show(p, var, shown, sizeof(shown));
		libcurl.easy_getinfo(h->curl, CURLINFO_HTTP_CONNECTCODE,
		    &connect);
		via = connect != 0 || cc == CURLE_COULDNT_RESOLVE_PROXY ||
		    (port != 0 && h->tried_port == port);
	}
	if (x->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		log_err("%s: response body larger than %d bytes", url,
		    HTTP_MAX_BODY);
		return EX_DATAERR;
	}
	if (x->head_too_big) {
		log_err("%s: answer header larger than %d bytes", url,
		    HTTP_MAX_HEADER);
		return EX_DATAERR;
	}
	if (x->nomem || cc == CURLE_OUT_OF_MEMORY) {
		log_err("%s: out of memory", url);
		return EX_OSERR;
	}
	if (cc == CURLE_SSL_CACERT_BADFILE) {
		log_err("%s: %s", url, why);
		return EX_CONFIG;
	}
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		/* The time spent, as the connect limit may be the shorter. */
		if (libcurl.easy_getinfo(h->curl, CURLINFO_TOTAL_TIME_T, &us) !=
		    CURLE_OK)
			us = (curl_off_t)h->timeout * 1000000;
		log_err("%s: timed out after %ld s%s%s%s", url,
		    (long)((us + 500000) / 1000000), via ? " (through proxy " :
		    "", via ? shown : "", via ? ")" : "");
		return EX_TEMPFAIL;
	}
	if (via && connect >= 300) {
		snprintf(h->failed_at, sizeof(h->failed_at), "%s", shown);
		log_err("%s: proxy %s refused the tunnel (CONNECT answered "
		    "%ld)", url, shown, connect);
	} else if (via && (cc == CURLE_COULDNT_RESOLVE_PROXY ||
	    cc == CURLE_COULDNT_CONNECT || (tls && connect == 0))) {
		snprintf(h->failed_at, sizeof(h->failed_at), "%s", shown);
		log_err("%s: proxy %s: %s", url, shown, why);
	} else
		log_err("%s: %s", url, why);
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
	int			 rc = EX_OSERR, tls = 0;

	memset(resp, 0, sizeof(*resp));
	resp->retry_after = -1;
	memset(&x, 0, sizeof(x));
	x.resp = resp;
	h->errbuf[0] = h->failed_at[0] = '\0';
	h->tried_port = 0;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    strcmp(method, "POST") != 0) {
		log_err("%s: unsupported method %s", url, method);
		rc = EX_SOFTWARE;
		goto out;
	}
	if ((rc = url_check(url, &tls)) != 0 ||
	    (rc = headers_check(url, headers)) != 0)
		goto out;
	rc = EX_OSERR;
	for (; headers != NULL && *headers != NULL; headers++) {
		if ((p = libcurl.slist_append(hdrs, *headers)) == NULL) {
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
	if ((cc = libcurl.easy_setopt(h->curl, CURLOPT_URL, url)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdrs)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(h->curl, CURLOPT_WRITEDATA, &x)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(h->curl, CURLOPT_HEADERDATA, &x)) !=
	    CURLE_OK ||
	    (cc = set_method(h->curl, method, body, len)) != CURLE_OK) {
		rc = transfer_error(h, &x, url, tls, cc);
		goto out;
	}
	log_debug("-> %s %s", method, url);
	if (strcmp(method, "POST") == 0)
		log_debug_text(body, len);
	cc = libcurl.easy_perform(h->curl);
	/* HDRS is freed below; the handle must not point to it. */
	libcurl.easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	if (cc != CURLE_OK) {
		rc = transfer_error(h, &x, url, tls, cc);
		goto out;
	}
	libcurl.easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	log_debug("<- %ld %s", resp->status, url);
	log_debug_text(resp->body, resp->len);
	/*
	 * libcurl (7.88 with OpenSSL 3) takes a TLS connection closed without
	 * close_notify for the end of an answer, so one that is framed only
	 * by the close may have been cut short on the way: refused.
	 */
	if (tls && !x.framed && strcmp(method, "HEAD") != 0 &&
	    resp->status != 204 && resp->status != 304) {
		log_err("%s: the answer has no length: over TLS, its end "
		    "cannot be told from a cut", url);
		rc = EX_UNAVAILABLE;
		goto out;
	}
	rc = 0;
out:
	libcurl.slist_free_all(hdrs);
	if (rc != 0)
		http_resp_free(resp);
	return rc;
}

char *
http_query_escape(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			*out, *q;

	if ((out = malloc(3 * strlen(s) + 1)) == NULL)
		return NULL;
	for (p = (const unsigned char *)s, q = out; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			*q++ = (char)*p;
		else {
			*q++ = '%';
			*q++ = hex[*p >> 4];
			*q++ = hex[*p & 0xf];
		}
	}
	*q = '\0';
	return out;
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

const char *
http_proxy_failed(const struct http *h)
{
	return h->failed_at[0] != '\0' ? h->failed_at : NULL;
}
