/*
 * fetch: HTTP/1.1 GET (RFC 9110, RFC 9112) over lib/net.c.  The answer is
 * read through one buffer that also bounds a header line; the body grows
 * up to FETCH_MAX_BODY.
 */
#define _GNU_SOURCE		/* asprintf */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "fetch.h"
#include "log.h"
#include "net.h"
#include "secret.h"

#define HOST_MAX	253
#define CHUNK_LINE_MAX	1024

struct url {
	int	 tls;
	char	 host[HOST_MAX + 1];	/* without brackets */
	char	 port[6];
	char	 authority[HOST_MAX + 10];	/* for Host: */
	char	*target;		/* path and query, "/" at least */
};

/* The answer as it arrives: buf[start..end) is read and not yet used. */
struct reader {
	struct conn	*c;
	const char	*url;
	char		 buf[FETCH_MAX_HEADER];
	size_t		 start, end;
	int		 eof;
};

struct body {
	char	*p;
	size_t	 len, cap;
};

static int
host_char(int c, int v6)
{
	if (v6)
		return isxdigit(c) || c == ':' || c == '.';
	return isalnum(c) || c == '-' || c == '.' || c == '_';
}

/* Splits URL into U; U->target is allocated.  0 or EX_USAGE (logged). */
static int
url_parse(const char *url, struct url *u)
{
	const char	*p, *h, *he, *pe;
	size_t		 n;
	long		 port;
	int		 v6 = 0, dflt;

	memset(u, 0, sizeof(*u));
	if (strncasecmp(url, "https://", 8) == 0) {
		u->tls = 1;
		p = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else {
		log_err("%s: not an http:// or https:// URL", url);
		return EX_USAGE;
	}
	for (n = 0; url[n] != '\0'; n++) {
		if ((unsigned char)url[n] <= ' ' || url[n] == 0x7f ||
		    url[n] == '#') {
			log_err("%s: URLs with a fragment, white space or "
			    "control characters are not fetched", url);
			return EX_USAGE;
		}
	}
	pe = p + strcspn(p, "/?");
	if (memchr(p, '@', pe - p) != NULL) {
		log_err("%s: user names and passwords in URLs are not "
		    "sent; this URL cannot be fetched", url);
		return EX_USAGE;
	}
	h = p;
	if (*h == '[') {
		v6 = 1;
		h++;
		if ((he = memchr(h, ']', pe - h)) == NULL)
			goto bad;
		p = he + 1;
	} else {
		for (he = h; he < pe && *he != ':'; he++)
			;
		p = he;
	}
	if (he == h || (size_t)(he - h) > HOST_MAX)
		goto bad;
	for (n = 0; h + n < he; n++)
		if (!host_char((unsigned char)h[n], v6))
			goto bad;
	memcpy(u->host, h, he - h);
	snprintf(u->port, sizeof(u->port), "%s", u->tls ? "443" : "80");
	if (p < pe) {
		if (*p != ':' || p + 1 == pe || pe - p > 6)
			goto bad;
		port = 0;
		for (p++; p < pe; p++) {
			if (!isdigit((unsigned char)*p))
				goto bad;
			port = port * 10 + (*p - '0');
		}
		if (port < 1 || port > 65535)
			goto bad;
		snprintf(u->port, sizeof(u->port), "%ld", port);
	}
	/* Host: carries the port only when it is not the scheme's. */
	dflt = strcmp(u->port, u->tls ? "443" : "80") == 0;
	snprintf(u->authority, sizeof(u->authority), "%s%s%s%s%s",
	    v6 ? "[" : "", u->host, v6 ? "]" : "", dflt ? "" : ":",
	    dflt ? "" : u->port);
	if (asprintf(&u->target, "%s%s", *pe == '/' ? "" : "/", pe) == -1) {
		u->target = NULL;
		log_err("%s: out of memory", url);
		return EX_OSERR;
	}
	return 0;
bad:
	log_err("%s: not a valid host and port", url);
	return EX_USAGE;
}

/* The request head in *OUT, which the caller wipes and frees. */
static int
request(const char *url, const struct url *u, const char *user_agent,
    const char *const *headers, char **out, size_t *len)
{
	const char *const	*h;
	char			*req, *p;
	size_t			 n, left;
	int			 w;

	n = strlen(u->target) + strlen(u->authority) + strlen(user_agent) + 96;
	for (h = headers; h != NULL && *h != NULL; h++) {
		if (strpbrk(*h, "\r\n") != NULL || strchr(*h, ':') == NULL ||
		    **h == ':') {
			log_err("%s: a request header is not one 'Name: value' "
			    "line", url);
			return EX_USAGE;
		}
		n += strlen(*h) + 2;
	}
	if (strpbrk(user_agent, "\r\n") != NULL) {
		log_err("%s: the User-Agent holds a line break", url);
		return EX_USAGE;
	}
	if ((req = malloc(n)) == NULL) {
		log_err("%s: out of memory", url);
		return EX_OSERR;
	}
	w = snprintf(req, n, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n"
	    "Accept: */*\r\nConnection: close\r\n", u->target, u->authority,
	    user_agent);
	p = req + w;
	left = n - w;
	for (h = headers; h != NULL && *h != NULL; h++) {
		w = snprintf(p, left, "%s\r\n", *h);
		p += w;
		left -= w;
	}
	w = snprintf(p, left, "\r\n");
	*len = (size_t)(p + w - req);
	*out = req;
	return 0;
}

static int
rd_fill(struct reader *r)
{
	char	why[512];
	size_t	got;
	int	rc;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if ((rc = net_read(r->c, r->buf + r->end, sizeof(r->buf) - r->end,
	    &got, why, sizeof(why))) != 0) {
		log_err("%s: %s", r->url, why);
		return rc;
	}
	if (got == 0)
		r->eof = 1;
	r->end += got;
	return 0;
}

/*
 * The next line, its CRLF (or LF) replaced by NUL, in *LINE; valid until
 * the next read.  *USED counts the bytes taken against LIMIT.
 */
static int
rd_line(struct reader *r, char **line, size_t *used, size_t limit,
    const char *what)
{
	char	*nl;
	size_t	 n;
	int	 rc;

	while ((nl = memchr(r->buf + r->start, '\n', r->end - r->start)) ==
	    NULL) {
		if (*used + (r->end - r->start) >= limit ||
		    r->end - r->start == sizeof(r->buf)) {
			log_err("%s: %s larger than %zu bytes", r->url, what,
			    limit);
			return EX_DATAERR;
		}
		if (r->eof) {
			log_err("%s: the server closed the connection in the "
			    "middle of the %s", r->url, what);
			return EX_UNAVAILABLE;
		}
		if ((rc = rd_fill(r)) != 0)
			return rc;
	}
	n = (size_t)(nl - (r->buf + r->start)) + 1;
	if ((*used += n) > limit) {
		log_err("%s: %s larger than %zu bytes", r->url, what, limit);
		return EX_DATAERR;
	}
	*nl = '\0';
	if (nl > r->buf + r->start && nl[-1] == '\r')
		nl[-1] = '\0';
	*line = r->buf + r->start;
	r->start += n;
	return 0;
}

static int
body_add(struct body *b, const char *p, size_t n, const char *url)
{
	char	*np;
	size_t	 cap;

	if (n > FETCH_MAX_BODY - b->len) {
		log_err("%s: response body larger than %d bytes", url,
		    FETCH_MAX_BODY);
		return EX_DATAERR;
	}
	if (b->len + n + 1 > b->cap) {
		cap = b->cap > 0 ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (cap > FETCH_MAX_BODY + 1)
			cap = FETCH_MAX_BODY + 1;
		if ((np = realloc(b->p, cap)) == NULL) {
			log_err("%s: out of memory", url);
			return EX_OSERR;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/* N bytes of body, or all up to the end of the stream when ALL. */
static int
rd_body(struct reader *r, struct body *b, size_t n, int all)
{
	size_t	take;
	int	rc;

	while (all || n > 0) {
		if (r->start == r->end) {
			if (r->eof) {
				if (all)
					return 0;
				log_err("%s: the server closed the connection "
				    "%zu bytes before the end of the body",
				    r->url, n);
				return EX_UNAVAILABLE;
			}
			if ((rc = rd_fill(r)) != 0)
				return rc;
			continue;
		}
		take = r->end - r->start;
		if (!all && take > n)
			take = n;
		if ((rc = body_add(b, r->buf + r->start, take, r->url)) != 0)
			return rc;
		r->start += take;
		n -= all ? 0 : take;
	}
	return 0;
}

static int
malformed(const struct reader *r, const char *what)
{
	log_err("%s: the answer is not HTTP/1.1: %s", r->url, what);
	return EX_UNAVAILABLE;
}

static int
rd_chunked(struct reader *r, struct body *b)
{
	char		*line, *end;
	size_t		 used;
	unsigned long	 size;
	int		 rc;

	for (;;) {
		used = 0;
		if ((rc = rd_line(r, &line, &used, CHUNK_LINE_MAX,
		    "chunk size line")) != 0)
			return rc;
		if (!isxdigit((unsigned char)*line))
			return malformed(r, "bad chunk size");
		for (size = 0, end = line; isxdigit((unsigned char)*end);
		    end++) {
			if (size > FETCH_MAX_BODY) {
				log_err("%s: response body larger than %d "
				    "bytes", r->url, FETCH_MAX_BODY);
				return EX_DATAERR;
			}
			size = size * 16 + (isdigit((unsigned char)*end) ?
			    *end - '0' : (tolower((unsigned char)*end) -
			    'a' + 10));
		}
		end += strspn(end, " \t");
		if (*end != '\0' && *end != ';')
			return malformed(r, "bad chunk size");
		if (size == 0)
			break;
		if (size > FETCH_MAX_BODY - b->len) {
			log_err("%s: response body larger than %d bytes",
			    r->url, FETCH_MAX_BODY);
			return EX_DATAERR;
		}
		if ((rc = rd_body(r, b, size, 0)) != 0)
			return rc;
		used = 0;
		if ((rc = rd_line(r, &line, &used, CHUNK_LINE_MAX,
		    "chunk")) != 0)
			return rc;
		if (*line != '\0')
			return malformed(r, "chunk longer than its size");
	}
	/* Trailer fields, ignored, up to the empty line. */
	used = 0;
	do {
		if ((rc = rd_line(r, &line, &used, FETCH_MAX_HEADER,
		    "trailer")) != 0)
			return rc;
	} while (*line != '\0');
	return 0;
}

/* VALUE with optional white space around it removed, in place. */
static char *
trim(char *value)
{
	size_t	n;

	value += strspn(value, " \t");
	n = strlen(value);
	while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		value[--n] = '\0';
	return value;
}

/* How the body is framed (RFC 9112 6.3), from the header fields. */
struct framing {
	int	chunked;
	int	has_length;
	size_t	length;
};

static int
header_field(struct reader *r, char *line, struct framing *f)
{
	char	*colon, *v, *end;
	size_t	 len;

	if (*line == ' ' || *line == '\t')
		return malformed(r, "folded header line");
	if ((colon = strchr(line, ':')) == NULL || colon == line ||
	    strcspn(line, " \t") < (size_t)(colon - line))
		return malformed(r, "header line without a name");
	*colon = '\0';
	v = trim(colon + 1);
	if (strcasecmp(line, "Transfer-Encoding") == 0) {
		if (strcasecmp(v, "chunked") != 0) {
			log_err("%s: the answer's transfer coding '%s' is not "
			    "supported", r->url, v);
			return EX_UNAVAILABLE;
		}
		f->chunked = 1;
	} else if (strcasecmp(line, "Content-Length") == 0) {
		if (!isdigit((unsigned char)*v))
			return malformed(r, "bad Content-Length");
		for (len = 0, end = v; isdigit((unsigned char)*end); end++) {
			if (len > FETCH_MAX_BODY) {
				log_err("%s: response body larger than %d "
				    "bytes", r->url, FETCH_MAX_BODY);
				return EX_DATAERR;
			}
			len = len * 10 + (size_t)(*end - '0');
		}
		if (*end != '\0' || (f->has_length && f->length != len))
			return malformed(r, "bad Content-Length");
		if (len > FETCH_MAX_BODY) {
			log_err("%s: response body larger than %d bytes",
			    r->url, FETCH_MAX_BODY);
			return EX_DATAERR;
		}
		f->has_length = 1;
		f->length = len;
	}
	return 0;
}

/* The final answer's status and framing; interim (1xx) ones are skipped. */
static int
rd_head(struct reader *r, long *status, struct framing *f)
{
	char	*line;
	size_t	 used;
	int	 rc;

	do {
		memset(f, 0, sizeof(*f));
		used = 0;
		if ((rc = rd_line(r, &line, &used, FETCH_MAX_HEADER,
		    "answer header")) != 0)
			return rc;
		if (strncmp(line, "HTTP/1.", 7) != 0 ||
		    !isdigit((unsigned char)line[7]) || line[8] != ' ' ||
		    !isdigit((unsigned char)line[9]) ||
		    !isdigit((unsigned char)line[10]) ||
		    !isdigit((unsigned char)line[11]) ||
		    (line[12] != '\0' && line[12] != ' ') || line[9] == '0')
			return malformed(r, "no status line");
		*status = strtol(line + 9, NULL, 10);
		if (*status == 101)
			return malformed(r, "a protocol switch nobody asked "
			    "for");
		for (;;) {
			if ((rc = rd_line(r, &line, &used, FETCH_MAX_HEADER,
			    "answer header")) != 0)
				return rc;
			if (*line == '\0')
				break;
			if ((rc = header_field(r, line, f)) != 0)
				return rc;
		}
	} while (*status < 200);
	return 0;
}

static int
exchange(struct conn *c, const char *url, const char *req, size_t reqlen,
    struct fetch_resp *resp)
{
	struct reader	*r;
	struct framing	 f;
	struct body	 b = { NULL, 0, 0 };
	char		 why[512];
	int		 rc;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_err("%s: out of memory", url);
		return EX_OSERR;
	}
	r->c = c;
	r->url = url;
	if ((rc = net_write(c, req, reqlen, why, sizeof(why))) != 0) {
		log_err("%s: %s", url, why);
		goto out;
	}
	if ((rc = rd_head(r, &resp->status, &f)) != 0)
		goto out;
	if (resp->status == 204 || resp->status == 304)
		rc = 0;
	else if (f.chunked)
		rc = rd_chunked(r, &b);
	else if (f.has_length)
		rc = rd_body(r, &b, f.length, 0);
	else
		rc = rd_body(r, &b, 0, 1);
	if (rc == 0 && b.p == NULL)
		rc = body_add(&b, "", 0, url);
out:
	free(r);
	if (rc != 0) {
		free(b.p);
		resp->status = 0;
		return rc;
	}
	resp->body = b.p;
	resp->len = b.len;
	return 0;
}

int
fetch_get(const char *url, const char *const *headers,
    const char *user_agent, const char *ca_file, int timeout,
    struct fetch_resp *resp)
{
	struct timespec	 deadline;
	struct conn	*c = NULL;
	struct url	 u;
	char		*req = NULL, why[512];
	const char	*msg;
	size_t		 reqlen = 0;
	int		 rc;

	memset(resp, 0, sizeof(*resp));
	if (timeout <= 0) {
		log_err("%s: timeout must be positive, not %d", url, timeout);
		return EX_SOFTWARE;
	}
	if ((rc = url_parse(url, &u)) != 0)
		return rc;
	if ((rc = request(url, &u, user_agent, headers, &req, &reqlen)) != 0)
		goto out;
	net_deadline(&deadline, timeout);
	log_debug("-> GET %s", url);
	if ((rc = net_open(u.host, u.port, u.host, u.tls ? NET_TLS : 0,
	    ca_file, &deadline, &c, why, sizeof(why))) != 0) {
		/* WHY starts with HOST:PORT, which the URL already says. */
		msg = rc == EX_CONFIG ? why : strstr(why, ": ");
		log_err("%s: %s", url, msg != why && msg != NULL ?
		    msg + 2 : why);
		goto out;
	}
	if ((rc = exchange(c, url, req, reqlen, resp)) == 0) {
		log_debug("<- %ld %s", resp->status, url);
		log_debug_text(resp->body, resp->len);
	}
out:
	net_close(c);
	if (req != NULL) {
		secret_zero(req, reqlen);
		free(req);
	}
	free(u.target);
	return rc;
}

void
fetch_resp_free(struct fetch_resp *resp)
{
	free(resp->body);
	memset(resp, 0, sizeof(*resp));
}
