/*
 * The ACME client through a fake transport: the input is the CA's side of
 * a whole exchange (directory, nonce, account, renewal information,
 * order, authorizations, challenges, finalization, certificate,
 * revocation), one answer after another, separated by a line "--":
 *
 *	STATUS
 *	Header: value		(Content-Type, Location, Replay-Nonce,
 *	...			 Retry-After, as many as wanted)
 *				(a blank line)
 *	body
 *
 * The harness's http_* stand in for lib/http.c (which is then not
 * linked), so every answer reaches acme.c as http_request would hand it
 * over; waits between polls take no time.
 */
#define _GNU_SOURCE		/* memmem */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>

#include "certgen.h"
#include "extern.h"
#include "fuzz.h"
#include "http.h"
#include "key.h"

struct http {
	int	unused;
};

static struct ss_conf	*conf;
static EVP_PKEY		*key;
static unsigned char	*csr;
static size_t		 csrlen;
static const char	*in, *in_end;	/* the answers not yet given */
static char *const	 domains[] = { "dev1.example.test", NULL };

int
nanosleep(const struct timespec *req, struct timespec *rem)
{
	(void)req;
	(void)rem;
	return 0;
}

struct http *
http_new(const char *user_agent, const char *ca_file, const char *proxy,
    long timeout)
{
	(void)user_agent;
	(void)ca_file;
	(void)proxy;
	(void)timeout;
	return calloc(1, sizeof(struct http));
}

void
http_free(struct http *h)
{
	free(h);
}

void
http_resp_free(struct http_resp *r)
{
	free(r->body);
	free(r->content_type);
	free(r->location);
	free(r->nonce);
	memset(r, 0, sizeof(*r));
}

static char *
dup_n(const char *p, size_t n)
{
	char	*s;

	if ((s = malloc(n + 1)) == NULL)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* The next answer of the input; EX_UNAVAILABLE once they are all given. */
int
http_request(struct http *h, const char *method, const char *url,
    const char *const *headers, const void *body, size_t len,
    struct http_resp *r)
{
	const char	*end, *p, *nl, *colon, *v;
	char		*s;
	size_t		 n;

	(void)h;
	(void)method;
	(void)url;
	(void)headers;
	(void)body;
	(void)len;
	memset(r, 0, sizeof(*r));
	r->retry_after = -1;
	if (in >= in_end)
		return EX_UNAVAILABLE;
	if ((end = memmem(in, (size_t)(in_end - in), "\n--\n", 4)) == NULL)
		end = in_end;
	p = in;
	in = end < in_end ? end + 4 : in_end;
	r->status = strtol(s = dup_n(p, (size_t)(end - p)), NULL, 10);
	free(s);
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
		nl = end;
	for (p = nl < end ? nl + 1 : end; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p) {
			p++;
			break;
		}
		if ((colon = memchr(p, ':', (size_t)(nl - p))) == NULL)
			continue;
		for (v = colon + 1; v < nl && *v == ' '; v++)
			;
		n = (size_t)(colon - p);
		s = dup_n(v, (size_t)(nl - v));
		if (n == 12 && strncasecmp(p, "Content-Type", n) == 0)
			free(r->content_type), r->content_type = s;
		else if (n == 8 && strncasecmp(p, "Location", n) == 0)
			free(r->location), r->location = s;
		else if (n == 12 && strncasecmp(p, "Replay-Nonce", n) == 0)
			free(r->nonce), r->nonce = s;
		else if (n == 11 && strncasecmp(p, "Retry-After", n) == 0) {
			errno = 0;
			r->retry_after = strtol(s, NULL, 10);
			if (r->retry_after < 0 || errno != 0)
				r->retry_after = -1;
			free(s);
		} else
			free(s);
		if (nl == end) {
			p = end;
			break;
		}
	}
	if (p > end)
		p = end;
	r->body = dup_n(p, (size_t)(end - p));
	r->len = (size_t)(end - p);
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	text[1024], webroot[512];

	(void)argc;
	(void)argv;
	snprintf(webroot, sizeof(webroot), "%s", fuzz_path("webroot"));
	if (mkdir(webroot, 0700) == -1 && errno != EEXIST)
		return 1;
	snprintf(text, sizeof(text), "[device]\nhostname = dev1\n"
	    "domain = example.test\nstate_dir = %s\n[certs]\ndir = %s\n"
	    "[acme]\nchallenge = http-01\nwebroot = %s\ndns_wait = 0\n"
	    "timeout = 10\n", fuzz_path("state"), fuzz_path("certs"),
	    webroot);
	conf = fuzz_conf(text);
	if ((key = key_new(KEY_EC256)) == NULL ||
	    certgen_csr(key, domains, &csr, &csrlen) != 0)
		return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acme_account	 acct;
	struct acme_order	 o;
	struct acme		*a = NULL;
	char			*url = NULL, *chain = NULL;
	size_t			 len;
	int64_t			 start, end;

	in = (const char *)data;
	in_end = in + size;
	if (acme_open(conf, "https://ca.example.test/dir", key, &a) != 0)
		return 0;
	memset(&acct, 0, sizeof(acct));
	acct.email = "admin@example.test";
	acct.agree_tos = 1;
	acct.eab_kid = "";
	if (acme_login(a, NULL, &acct, &url) == 0) {
		(void)acme_renewal_window(a, "aaaa.bbbb", &start, &end);
		memset(&o, 0, sizeof(o));
		o.domains = domains;
		o.csr = csr;
		o.csrlen = csrlen;
		o.timeout = 10;
		if (acme_issue(a, &o, &chain, &len) == 0)
			free(chain);
		(void)acme_revoke(a, csr, csrlen, 0);
	}
	free(url);
	acme_close(a);
	return 0;
}
