/*
 * checkip: the device's external address, from the [ddns] checkip sources in
 * order.  A source is a URL whose answer is the address and nothing else,
 * iface:NAME (the interface's own address, for a device that holds the
 * public address itself), or cmd:COMMAND (its output, for a modem that
 * tells its address some other way).
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "checkip.h"
#include "http.h"
#include "log.h"
#include "run.h"

#define CHECKIP_TIMEOUT	10	/* seconds for one URL or command */
#define CMD_OUTPUT_MAX	4096
#define EXCERPT_MAX	40
#define REASON_MAX	256

enum scope {
	SCOPE_PUBLIC,
	SCOPE_PRIVATE,		/* reachable on a LAN only; warned */
	SCOPE_UNUSABLE		/* no host's address at all; refused */
};

/*
 * Why a source gave nothing.  A source that answers in the other family
 * is expected in a list that serves both, so it is shown only when no
 * source answered at all.
 */
struct reason {
	char	 text[REASON_MAX];
	int	 other_family;
	int	 proxy;		/* the proxy failed, not the source */
	int	 config;	/* [ddns] ca_file cannot be used */
};

static const char *
family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

int
checkip_families(const struct ss_conf *c, int fam[2])
{
	const char	*v = c->ddns.ip_version;

	if (strcmp(v, "6") == 0) {
		fam[0] = AF_INET6;
		return 1;
	}
	fam[0] = AF_INET;
	if (strcmp(v, "both") != 0)
		return 1;
	fam[1] = AF_INET6;
	return 2;
}

int
checkip_parse(const char *text, size_t len, int family, struct checkip_addr *a)
{
	unsigned char	 bin[sizeof(struct in6_addr)];
	char		 buf[INET6_ADDRSTRLEN];

	while (len > 0 && isspace((unsigned char)*text)) {
		text++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(buf) || memchr(text, '\0', len) != NULL)
		return 0;
	memcpy(buf, text, len);
	buf[len] = '\0';
	/* Written back by inet_ntop: the cache compares one spelling. */
	if (inet_pton(family, buf, bin) != 1 ||
	    inet_ntop(family, bin, a->text, sizeof(a->text)) == NULL)
		return 0;
	a->family = family;
	return 1;
}

/* Where A lies, and a word for it in *WHAT when it is not public. */
static enum scope
addr_scope(const struct checkip_addr *a, const char **what)
{
	unsigned char	b[sizeof(struct in6_addr)];

	*what = NULL;
	if (inet_pton(a->family, a->text, b) != 1) {
		*what = "unparsable";
		return SCOPE_UNUSABLE;
	}
	if (a->family == AF_INET) {
		if (b[0] == 0 || b[0] >= 224) {
			*what = b[0] == 0 ? "unspecified" :
			    "multicast or reserved";
			return SCOPE_UNUSABLE;
		}
		if (b[0] == 127)
			*what = "loopback";
		else if (b[0] == 169 && b[1] == 254)
			*what = "link-local";
		else if (b[0] == 100 && (b[1] & 0xc0) == 64)
			*what = "CGNAT (100.64.0.0/10)";
		else if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
		    (b[0] == 192 && b[1] == 168))
			*what = "private";
		return *what == NULL ? SCOPE_PUBLIC : SCOPE_PRIVATE;
	}
	if (b[0] == 0xff) {
		*what = "multicast";
		return SCOPE_UNUSABLE;
	}
	if (IN6_IS_ADDR_UNSPECIFIED((struct in6_addr *)b) ||
	    IN6_IS_ADDR_V4MAPPED((struct in6_addr *)b)) {
		*what = b[10] == 0xff ? "IPv4-mapped" : "unspecified";
		return SCOPE_UNUSABLE;
	}
	if (IN6_IS_ADDR_LOOPBACK((struct in6_addr *)b))
		*what = "loopback";
	else if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		*what = "link-local";
	else if ((b[0] & 0xfe) == 0xfc)
		*what = "unique local";
	return *what == NULL ? SCOPE_PUBLIC : SCOPE_PRIVATE;
}

static void
reason(struct reason *r, int other_family, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
	r->other_family = other_family;
}

/* The start of what a source said, safe to put in a log line. */
static void
excerpt(const char *s, size_t len, char *buf, size_t size)
{
	size_t	i, n = 0;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0) {
		snprintf(buf, size, "(empty)");
		return;
	}
	for (i = 0; i < len && i < EXCERPT_MAX && n + 4 < size; i++) {
		if (isspace((unsigned char)s[i])) {
			if (buf[n - 1] != ' ')
				buf[n++] = ' ';
		} else if ((unsigned char)s[i] < 0x20 ||
		    (unsigned char)s[i] >= 0x7f)
			buf[n++] = '?';
		else
			buf[n++] = s[i];
	}
	if (i < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

/*
 * What every kind of source answers is judged here: exactly one address
 * of FAMILY, of some host.
 */
static int
judge(const char *src, const char *answer, size_t len, int family,
    struct checkip_addr *a, struct reason *r)
{
	struct checkip_addr	 other;
	const char	*what, *cause;
	char		 ex[EXCERPT_MAX + 8];

	if (!checkip_parse(answer, len, family, a)) {
		excerpt(answer, len, ex, sizeof(ex));
		reason(r, checkip_parse(answer, len, family == AF_INET ?
		    AF_INET6 : AF_INET, &other), "%s: answer is not one %s "
		    "address: %s", src, family_name(family), ex);
		return 0;
	}
	switch (addr_scope(a, &what)) {
	case SCOPE_UNUSABLE:
		reason(r, 0, "%s: answer %s is no host's address (%s)", src,
		    a->text, what);
		return 0;
	case SCOPE_PRIVATE:
		if (family == AF_INET6)
			cause = "it is not routed on the Internet";
		else if (strncmp(what, "CGNAT", 5) == 0)
			cause = "the carrier's NAT is in front of it";
		else
			cause = "another NAT router is in front of it";
		log_warn("%s: %s is a %s address: port forwarding from the "
		    "Internet cannot reach the device (%s)", src, a->text,
		    what, cause);
		break;
	case SCOPE_PUBLIC:
		break;
	}
	return 1;
}

static int
from_url(const struct ss_conf *c, const char *url, int family,
    struct checkip_addr *a, struct reason *r)
{
	struct http_resp	 resp;
	struct http		*h;
	const char		*proxy;
	int			 rc, ok = 0;

	if ((h = http_new("ss-ddns/" SS_VERSION, c->ddns.ca_file,
	    c->device.proxy, CHECKIP_TIMEOUT)) == NULL) {
		reason(r, 0, "%s: cannot start HTTP", url);
		return 0;
	}
	rc = http_request(h, "GET", url, NULL, NULL, 0, &resp);
	if (rc == EX_DATAERR)
		reason(r, 0, "%s: answer too large", url);
	else if (rc == EX_CONFIG) {
		reason(r, 0, "%s: [ddns] ca_file in %s: '%s' cannot be used",
		    url, c->file, c->ddns.ca_file);
		r->config = 1;
	} else if (rc == EX_TEMPFAIL)
		reason(r, 0, "%s: no answer within %d s", url,
		    CHECKIP_TIMEOUT);
	else if (rc != 0 && (proxy = http_proxy_failed(h)) != NULL) {
		reason(r, 0, "%s: the proxy %s failed", url, proxy);
		r->proxy = 1;
	} else if (rc != 0)
		reason(r, 0, "%s: unreachable", url);
	else if (resp.status != 200)
		reason(r, 0, "%s: HTTP status %ld", url, resp.status);
	else
		ok = judge(url, resp.body, resp.len, family, a, r);
	http_resp_free(&resp);
	http_free(h);
	return ok;
}

/* The interface's first public address, else its first private one. */
static int
from_iface(const char *src, const char *name, int family,
    struct checkip_addr *a, struct reason *r)
{
	struct ifaddrs	*ifa, *i;
	struct checkip_addr	 cand;
	const void	*bin;
	const char	*what;
	int		 found = 0;

	if (if_nametoindex(name) == 0) {
		reason(r, 0, "%s: no such interface", src);
		return 0;
	}
	if (getifaddrs(&ifa) == -1) {
		reason(r, 0, "%s: %s", src, strerror(errno));
		return 0;
	}
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != family ||
		    strcmp(i->ifa_name, name) != 0)
			continue;
		if (family == AF_INET)
			bin = &((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		else
			bin = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		if (inet_ntop(family, bin, cand.text, sizeof(cand.text)) ==
		    NULL)
			continue;
		cand.family = family;
		switch (addr_scope(&cand, &what)) {
		case SCOPE_PUBLIC:
			*a = cand;
			found = 2;
			break;
		case SCOPE_PRIVATE:
			if (found == 0 && strcmp(what, "loopback") != 0 &&
			    strcmp(what, "link-local") != 0) {
				*a = cand;
				found = 1;
			}
			break;
		case SCOPE_UNUSABLE:
			break;
		}
		if (found == 2)
			break;
	}
	freeifaddrs(ifa);
	if (found == 0) {
		reason(r, 0, "%s: no global %s address", src,
		    family_name(family));
		return 0;
	}
	return judge(src, a->text, strlen(a->text), family, a, r);
}

/*
 * The command's answer, within CHECKIP_TIMEOUT like a URL's: a hung
 * command would hold the DDNS lock.  run has logged why it failed.
 */
static int
from_cmd(const char *src, const char *cmd, int family, struct checkip_addr *a,
    struct reason *r)
{
	char	 out[CMD_OUTPUT_MAX];
	size_t	 len;

	if (run_command_output(src, cmd, CHECKIP_TIMEOUT, out, sizeof(out),
	    &len) != 0) {
		reason(r, 0, "%s: no answer", src);
		return 0;
	}
	return judge(src, out, len, family, a, r);
}

int
checkip_external(const struct ss_conf *c, int family, struct checkip_addr *a)
{
	char *const	*src = c->ddns.checkip;
	struct reason	*why = NULL;
	const char	*s;
	size_t		 i, n, tried;
	int		 ok = 0, rc = EX_TEMPFAIL;

	for (n = 0; src[n] != NULL; n++)
		;
	if (n == 0) {
		log_err("[ddns] checkip names no source in %s", c->file);
		rc = EX_CONFIG;
		goto out;
	}
	if ((why = calloc(n, sizeof(*why))) == NULL) {
		log_err("%s", strerror(errno));
		rc = EX_OSERR;
		goto out;
	}
	for (tried = 0; tried < n && !ok; tried++) {
		s = src[tried];
		if (strncmp(s, "iface:", 6) == 0)
			ok = from_iface(s, s + 6, family, a, &why[tried]);
		else if (strncmp(s, "cmd:", 4) == 0)
			ok = from_cmd(s, s + 4, family, a, &why[tried]);
		else if (strncmp(s, "https://", 8) == 0 ||
		    strncmp(s, "http://", 7) == 0)
			ok = from_url(c, s, family, a, &why[tried]);
		else
			reason(&why[tried], 0, "%s: not a URL, iface:NAME or "
			    "cmd:COMMAND", s);
	}
	if (ok) {
		/* A broken source is worth a warning though another served. */
		for (i = 0; i + 1 < tried; i++)
			if (!why[i].other_family)
				log_warn("%s", why[i].text);
		rc = 0;
	} else {
		for (i = 0; i < tried; i++) {
			log_err("%s", why[i].text);
			if (why[i].config)
				rc = EX_CONFIG;
			else if (why[i].proxy && rc != EX_CONFIG)
				rc = EX_UNAVAILABLE;
		}
		log_err("no checkip source gave the %s address",
		    family_name(family));
	}
out:
	free(why);
	return rc;
}
