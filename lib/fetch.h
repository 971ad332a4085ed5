/*
 * fetch: one HTTP/1.1 GET on a connection of its own (lib/net.c), for a
 * tool that asks one URL and is done.  ss-ddns runs every 30 minutes and
 * usually has nothing to do; on Debian 12 merely loading libcurl and the
 * 32 libraries it pulls in costs more time and memory than its whole run
 * may (11 ms, 7.6 MiB), so it fetches with this instead.  Everything that
 * needs more of HTTP (ACME, SMTP) goes through lib/http.c and libcurl.
 *
 * URLs are http:// or https:// with a host (name, IPv4, or [IPv6]), an
 * optional port, and a path with query; user info and fragments are
 * refused.  The answer may be framed by Content-Length, by chunked
 * transfer coding, or by the server closing; 1xx interim answers are
 * skipped; redirects are not followed (the caller sees the 3xx).  HTTPS is
 * TLS 1.2 or later with the certificate verified against CA_FILE (NULL or
 * "" for the system store) and the URL's host.
 *
 * Functions return 0 or a sysexits(3) code and have logged why.
 */
#ifndef SEC_FETCH_H
#define SEC_FETCH_H

#include <stddef.h>

#define FETCH_MAX_BODY		(1024 * 1024)
#define FETCH_MAX_HEADER	(16 * 1024)

struct fetch_resp {
	long	 status;	/* 200, 404, ... */
	char	*body;		/* NUL-terminated, may hold NULs */
	size_t	 len;
};

/*
 * GET URL sending User-Agent USER_AGENT and HEADERS (a NULL-terminated
 * list of "Name: value" lines, or NULL), all within TIMEOUT seconds.  Any
 * HTTP status fills *RESP and returns 0: the caller judges it.
 * EX_USAGE for a URL or header this client does not send, EX_UNAVAILABLE
 * when the server cannot be reached, TLS fails or the answer is not
 * HTTP/1.x, EX_TEMPFAIL on the timeout, EX_DATAERR when the body is
 * larger than FETCH_MAX_BODY or the header larger than FETCH_MAX_HEADER.
 * The request is wiped from memory once sent (it may carry credentials);
 * with -v -v the request line, the status and the body are logged, never
 * the headers.
 */
int	 fetch_get(const char *url, const char *const *headers,
	    const char *user_agent, const char *ca_file, int timeout,
	    struct fetch_resp *resp);

/* Frees and zeroes *RESP; a zeroed struct is fine. */
void	 fetch_resp_free(struct fetch_resp *);

#endif
