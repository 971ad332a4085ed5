/*
 * http: the one place that speaks HTTP(S), through libcurl.  A handle keeps
 * its connection open between requests (an ACME exchange is a dozen round
 * trips to one server).  Every body is capped; TLS is always verified,
 * against a given CA file or the system store.
 *
 * Functions return 0 or a sysexits(3) code and have logged why.
 */
#ifndef SEC_HTTP_H
#define SEC_HTTP_H

#include <stddef.h>

#define HTTP_MAX_BODY	(1024 * 1024)

struct http;

struct http_resp {
	long	 status;		/* 200, 201, ... */
	char	*body;			/* NUL-terminated, may hold NULs */
	size_t	 len;
	char	*content_type;		/* or NULL */
	char	*location;		/* Location, or NULL */
	char	*nonce;			/* Replay-Nonce, or NULL */
	long	 retry_after;		/* seconds, -1 when absent */
};

/*
 * USER_AGENT is sent with every request; CA_FILE (NULL or "" for the
 * system store) is what the server's certificate must chain to; TIMEOUT is
 * the limit in seconds for one whole request.  NULL on failure (logged).
 */
struct http *http_new(const char *user_agent, const char *ca_file,
	    long timeout);
void	 http_free(struct http *);

/*
 * One request.  METHOD is "GET", "HEAD" or "POST"; HEADERS a
 * NULL-terminated list of "Name: value" lines or NULL; BODY/LEN is sent
 * with POST.  Any HTTP status fills *RESP and returns 0: the caller judges
 * it.  EX_UNAVAILABLE when the server cannot be reached or TLS fails,
 * EX_TEMPFAIL on a timeout, EX_DATAERR when the body exceeds HTTP_MAX_BODY.
 * With -v -v every request and response is logged (log_debug).
 */
int	 http_request(struct http *, const char *method, const char *url,
	    const char *const *headers, const void *body, size_t len,
	    struct http_resp *resp);
void	 http_resp_free(struct http_resp *);

/*
 * One mail over SMTP with TLS: URL smtps://HOST[:PORT] (TLS from the
 * start) or smtp://HOST[:PORT] (STARTTLS, required: never in clear).
 * USERNAME/PASSWORD may be NULL for no AUTH.  The message gets From, To,
 * Subject, Date and Message-ID headers; BODY is plain UTF-8 text whose
 * lines end in LF (sent as CRLF, dot-stuffing by libcurl).  Nothing of the
 * body is logged, even at -vv.  EX_UNAVAILABLE when the server cannot be
 * reached or refuses, EX_TEMPFAIL on a timeout or a 4xx answer.
 */
struct smtp_msg {
	const char	*from;
	const char	*to;
	const char	*subject;
	const char	*body;
};
int	 smtp_send(const char *url, const char *ca_file, const char *username,
	    const char *password, const struct smtp_msg *, long timeout);

#endif
