/*
 * proxy: the reverse proxy in front of the automation server asks who
 * comes in, lets in only the networks the owner named when it is open to
 * other hosts, and tells browsers to use HTTPS only (HSTS, probed with a
 * request to the HTTPS port, as a browser sees it).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "extern.h"
#include "net.h"

#define ID		"proxy"
#define HEAD_MAX	(16 * 1024)
#define HSTS		"Strict-Transport-Security:"

/*
 * The Strict-Transport-Security value of the answer to GET / in VALUE:
 * 1 when sent, 0 when not, -1 when the port did not answer (WHY).
 */
static int
hsts(const struct ss_conf *c, const struct https_target *t, char *value,
    size_t len, char *why, size_t whylen)
{
	struct timespec	 deadline;
	struct conn	*conn;
	char		 req[512], head[HEAD_MAX + 1], *p, *end;
	size_t		 n = 0, got;
	int		 found = -1;

	net_deadline(&deadline, HTTPS_PROBE_SECONDS);
	if (net_open(t->host, t->port, c->fqdn, &deadline, &conn, why,
	    whylen) != 0)
		return -1;
	snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: %s\r\n"
	    "Connection: close\r\n\r\n", c->fqdn);
	if (net_write(conn, req, strlen(req), why, whylen) != 0)
		goto out;
	do {
		if (net_read(conn, head + n, HEAD_MAX - n, &got, why,
		    whylen) != 0)
			goto out;
		n += got;
		head[n] = '\0';
	} while (got > 0 && n < HEAD_MAX && strstr(head, "\r\n\r\n") == NULL);
	if ((end = strstr(head, "\r\n\r\n")) == NULL) {
		snprintf(why, whylen, "%s: no complete HTTP header in the "
		    "answer", t->where);
		goto out;
	}
	end[2] = '\0';
	found = 0;
	for (p = strstr(head, "\r\n"); p != NULL && p[2] != '\0';
	    p = strstr(p + 2, "\r\n")) {
		if (strncasecmp(p + 2, HSTS, strlen(HSTS)) != 0)
			continue;
		p += 2 + strlen(HSTS);
		p += strspn(p, " \t");
		snprintf(value, len, "%.*s", (int)strcspn(p, "\r"), p);
		found = 1;
		break;
	}
out:
	net_close(conn);
	return found;
}

void
proxy_check(struct report *r)
{
	const struct ss_conf	*c = r->c;
	struct https_target	 t;
	const char		*open_on;
	char			 value[256], why[512];
	size_t			 before = r->n + r->lost;
	int			 h;

	https_target(c, &t);
	if (strcmp(c->nginx.auth, "none") == 0)
		report_add(r, CHECK_CRITICAL, ID,
		    "[nginx] auth = basic, then ss-nginxconf proxy",
		    "[nginx] auth = none: the automation server is reachable "
		    "through the proxy without authentication");
	if ((open_on = https_exposed(c)) != NULL && *c->nginx.allow == NULL)
		report_add(r, CHECK_WARNING, ID,
		    "[nginx] allow = NETWORK,..., then ss-nginxconf proxy",
		    "the HTTPS port %s listens on %s and [nginx] allow lets "
		    "every host in", t.port, open_on);
	if ((h = hsts(c, &t, value, sizeof(value), why, sizeof(why))) == -1)
		report_add(r, CHECK_WARNING, ID, "systemctl start nginx",
		    "HSTS could not be probed: %s (is nginx running?)", why);
	else if (h == 0)
		report_add(r, CHECK_WARNING, ID, "ss-nginxconf proxy",
		    "%s sends no Strict-Transport-Security header: a browser "
		    "may be led to plain HTTP", t.where);
	if (r->n + r->lost != before)
		return;
	report_add(r, CHECK_OK, ID, NULL, "auth = %s, %s, %s sends "
	    "Strict-Transport-Security: %s", c->nginx.auth, open_on == NULL ?
	    "HTTPS on loopback only" : "an allow list", t.where, value);
}
