/*
 * http: the one HTTP(S) client, over libcurl (lib/libcurl.c loads it).
 * ACME in ss-cert, checkip and dyndns2 in ss-ddns.  A handle keeps its
 * connection open between requests (an ACME exchange is a dozen round
 * trips to one server).  Every answer is capped (HTTP_MAX_HEADER,
 * HTTP_MAX_BODY); redirects are not followed (the caller sees the 3xx);
 * TLS, 1.2 or later, is always verified, against a given CA file or the
 * system store, and the certificate must be valid for the URL's host.
 *
 * URLs are http:// or https:// with a host; user names, passwords and
 * fragments in them, white space and control characters are refused.
 *
 * Proxies: the one given to http_new(), else the environment as libcurl
 * reads it (https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY for https://
 * URLs, http_proxy for http:// ones; no_proxy or NO_PROXY lists the
 * hosts reached directly, either way).  A proxy is named in messages
 * without the user name and password its URL may hold.
 *
 * Functions return 0 or a sysexits(3) code and have logged why.
 */
#ifndef SEC_HTTP_H
#define SEC_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_BODY	(1024 * 1024)
#define HTTP_MAX_HEADER	(16 * 1024)	/* status line and fields */

struct http;

struct http_resp {
	long	 status;		/* 200, 201, ... */
	char	*body;			/* NUL-terminated, may hold NULs */
	size_t	 len;
	char	*content_type;		/* or NULL */
	char	*location;		/* Location, or NULL */
	char	*nonce;			/* Replay-Nonce, or NULL */
	int64_t	 retry_after;		/* seconds, -1 when absent */
};

/*
 * USER_AGENT is sent with every request; CA_FILE (NULL or "" for the
 * system store) is what the server's certificate must chain to; PROXY
 * (NULL or "" for the environment's) is an http:// proxy URL; TIMEOUT is
 * the limit in seconds for one whole request.  Loads libcurl on first
 * use.  NULL on failure (logged).
 */
struct http *http_new(const char *user_agent, const char *ca_file,
	    const char *proxy, long timeout);
/* Wipes what the handle holds of a password, and frees it. */
void	 http_free(struct http *);

/*
 * Every later request on the handle carries USER and PASSWORD in HTTP
 * basic authentication (RFC 7617), as libcurl builds it.  libcurl keeps
 * copies until http_free(), which wipes them; the caller wipes its own.
 * Never sent to another host: redirects are not followed.
 */
int	 http_basic_auth(struct http *, const char *user,
	    const char *password);

/*
 * One request.  METHOD is "GET", "HEAD" or "POST"; HEADERS a
 * NULL-terminated list of "Name: value" lines or NULL; BODY/LEN is sent
 * with POST.  Any HTTP status fills *RESP and returns 0: the caller judges
 * it.  EX_USAGE for a URL or header line this client does not send,
 * EX_UNAVAILABLE when the server or the proxy cannot be reached, refuses
 * or TLS fails, EX_TEMPFAIL on a timeout, EX_DATAERR when the answer's
 * header exceeds HTTP_MAX_HEADER or its body HTTP_MAX_BODY, EX_CONFIG when
 * the CA file cannot be read.  An answer over TLS that has neither a
 * length nor chunks is EX_UNAVAILABLE: libcurl cannot tell its end from
 * a cut.  On failure
 * *RESP is zeroed.  With -v -v every request line, status and body is
 * logged (log_debug), never a header.
 */
int	 http_request(struct http *, const char *method, const char *url,
	    const char *const *headers, const void *body, size_t len,
	    struct http_resp *resp);
/*
 * S percent-encoded for a URL's query (RFC 3986 2.1): every byte but
 * letters, digits and "-._~" becomes %XX, so that no value can end its
 * parameter or add one.  Allocated; NULL when out of memory.
 */
char	*http_query_escape(const char *s);
/* Frees and zeroes *RESP; a zeroed struct is fine. */
void	 http_resp_free(struct http_resp *);

/*
 * The proxy, as named in messages, when the last request failed because
 * of it: it could not be resolved or reached, or refused the tunnel.
 * NULL when the last request did not fail at a proxy.
 */
const char *http_proxy_failed(const struct http *);

#endif
