/*
 * dyndns2: the update protocol of DynDNS that most providers speak.
 * One HTTPS GET of SERVER/nic/update?hostname=FQDN&myip=ADDR with basic
 * auth; the answer's first word says what happened and, for a refusal,
 * whether asking again can ever help.
 */
#define _GNU_SOURCE		/* asprintf */

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "extern.h"
#include "fs.h"
#include "hostport.h"
#include "http.h"
#include "ipaddr.h"
#include "log.h"
#include "secret.h"

#define PROVIDER_TIMEOUT	30	/* seconds for the one request */
#define EXCERPT_MAX		40	/* bytes of an answer shown */

/* The return codes of the protocol, and what each tells us to do. */
static const struct answer {
	const char	*word;
	enum presult	 result;
	const char	*meaning;
} answers[] = {
	{ "good",	UPDATE_OK,	"updated" },
	{ "nochg",	UPDATE_OK,	"already so" },
	{ "badauth",	UPDATE_STOP,	"the username or password is wrong" },
	{ "notfqdn",	UPDATE_STOP,	"the host name is not a full domain "
	    "name" },
	{ "nohost",	UPDATE_STOP,	"no such host name in the account" },
	{ "numhost",	UPDATE_STOP,	"too many host names in one request" },
	{ "abuse",	UPDATE_STOP,	"the host name is blocked for abuse" },
	{ "badagent",	UPDATE_STOP,	"the provider refuses this client" },
	{ "!donator",	UPDATE_STOP,	"the account lacks a paid feature" },
	{ "911",	UPDATE_BACKOFF,	"trouble at the provider" },
	{ "dnserr",	UPDATE_BACKOFF,	"DNS error at the provider" },
};

/*
 * 1 when SERVER may carry the password: https, or plain http to this
 * very machine (a test provider).
 */
static int
server_ok(const char *server)
{
	char		 authority[256 + 8], host[256];
	unsigned char	 a[IPADDR_MAX];
	size_t		 n;
	long		 port;

	if (strncmp(server, "https://", 8) == 0)
		return server[8] != '\0';
	if (strncmp(server, "http://", 7) != 0)
		return 0;
	server += 7;
	if ((n = strcspn(server, "/?#")) >= sizeof(authority))
		return 0;
	memcpy(authority, server, n);
	authority[n] = '\0';
	/* user@host would put the real host after the '@'. */
	if (strchr(authority, '@') != NULL ||
	    !hostport_parse(authority, 80, host, sizeof(host), &port))
		return 0;
	if (strcmp(host, "localhost") == 0)
		return 1;
	switch (ipaddr_parse(host, strlen(host), a)) {
	case AF_INET:
		return a[0] == 127;
	case AF_INET6:
		return authority[0] == '[' &&
		    memcmp(a, &in6addr_loopback, sizeof(in6addr_loopback)) == 0;
	default:
		return 0;
	}
}

/*
 * The first line of [ddns] password_file into BUF.  A file that group or
 * others can open has leaked the secret already, or soon will: refused.
 */
static int
password(const struct ss_conf *c, char *buf, size_t size)
{
	const char	*path = c->ddns.password_file;
	char		 what[320];

	snprintf(what, sizeof(what), "%s password_file", ddnsname_section(c));
	if (*path == '\0') {
		log_err("%s is not set in %s", what, c->file);
		return EX_CONFIG;
	}
	return fs_read_secret(what, path, buf, size) != 0 ? EX_CONFIG : 0;
}

/*
 * The provider's verdict from BODY: one line per host, each starting with
 * a return code.  The worst line wins.
 */
static void
judge(long status, const char *body, size_t len, enum presult *res,
    char *detail, size_t dlen)
{
	const struct answer	*a, *worst = NULL;
	const char		*p = body, *end = body + len;
	size_t			 w, i;

	while (p < end) {
		p += strspn(p, " \t\r\n");
		if (p >= end || *p == '\0')
			break;
		w = strcspn(p, " \t\r\n");
		for (a = NULL, i = 0; i < sizeof(answers) / sizeof(answers[0]);
		    i++)
			if (strlen(answers[i].word) == w &&
			    strncmp(p, answers[i].word, w) == 0)
				a = &answers[i];
		if (a == NULL) {
			worst = NULL;
			break;
		}
		if (worst == NULL || a->result > worst->result)
			worst = a;
		p += strcspn(p, "\n");
	}
	/*
	 * A known code counts whatever the HTTP status: some providers
	 * send badauth with a 401.
	 */
	if (worst != NULL) {
		*res = worst->result;
		snprintf(detail, dlen, "%s (%s)", worst->word, worst->meaning);
		return;
	}
	*res = UPDATE_RETRY;
	if (len == 0) {
		snprintf(detail, dlen, "empty answer (HTTP %ld)", status);
		return;
	}
	for (i = 0; i < len && (unsigned char)body[i] >= 0x20 &&
	    (unsigned char)body[i] < 0x7f; i++)
		;
	snprintf(detail, dlen, "unexpected answer (HTTP %ld): %.*s%s", status,
	    (int)(i < EXCERPT_MAX ? i : EXCERPT_MAX), body,
	    i > EXCERPT_MAX ? "..." : "");
}

static int
dyndns2_update(const struct ss_conf *c, const struct checkip_addr *v4,
    const struct checkip_addr *v6, enum presult *res, char *detail, size_t dlen)
{
	const char		*server = c->ddns.server;
	const char		*user = c->ddns.username;
	struct http_resp	 resp;
	struct http		*h = NULL;
	char			*url = NULL, *host = NULL, *ip4 = NULL;
	char			*ip6 = NULL, pw[256];
	size_t			 n;
	int			 rc;

	pw[0] = '\0';
	if (!server_ok(server)) {
		log_err("%s server in %s: '%s' is not an https:// URL "
		    "(http:// only to a loopback address)", ddnsname_section(c),
		    c->file, server);
		return EX_CONFIG;
	}
	if (*user == '\0' || strchr(user, ':') != NULL) {
		log_err("%s username in %s: %s", ddnsname_section(c), c->file,
		    *user ?
		    "basic auth cannot carry a ':' in it" : "not set");
		return EX_CONFIG;
	}
	n = strlen(server);
	while (n > 0 && server[n - 1] == '/')
		n--;
	/* Escaped, each value stays one parameter, whatever it holds. */
	if ((host = http_query_escape(c->fqdn)) == NULL ||
	    (ip4 = http_query_escape(v4 != NULL ? v4->text : "")) == NULL ||
	    (ip6 = http_query_escape(v6 != NULL ? v6->text : "")) == NULL ||
	    asprintf(&url, "%.*s/nic/update?hostname=%s&myip=%s%s%s", (int)n,
	    server, host, ip4, v4 != NULL && v6 != NULL ? "," : "", ip6) ==
	    -1) {
		log_err("%s", strerror(errno));
		url = NULL;
		rc = EX_OSERR;
		goto out;
	}
	if ((rc = password(c, pw, sizeof(pw))) != 0)
		goto out;
	if ((h = http_new("ss-ddns/" SS_VERSION, c->ddns.ca_file,
	    c->device.proxy, PROVIDER_TIMEOUT)) == NULL) {
		rc = EX_OSERR;
		goto out;
	}
	/* libcurl has its copy, wiped by http_free(). */
	rc = http_basic_auth(h, user, pw);
	secret_zero(pw, sizeof(pw));
	if (rc != 0)
		goto out;
	switch (rc = http_request(h, "GET", url, NULL, NULL, 0, &resp)) {
	case 0:
		judge(resp.status, resp.body, resp.len, res, detail, dlen);
		http_resp_free(&resp);
		break;
	case EX_OSERR:
		break;
	case EX_CONFIG:
		/* Asking again cannot help: the CA file is the device's. */
		log_err("%s ca_file in %s: '%s' cannot be used",
		    ddnsname_section(c), c->file, c->ddns.ca_file);
		break;
	default:
		/* A failing proxy is the device's fault, not the provider's. */
		if (http_proxy_failed(h) != NULL)
			break;
		rc = 0;
		*res = UPDATE_RETRY;
		snprintf(detail, dlen, "no usable answer from %.*s", (int)n,
		    server);
		break;
	}
out:
	secret_zero(pw, sizeof(pw));
	http_free(h);
	free(url);
	free(host);
	free(ip4);
	free(ip6);
	return rc;
}

const struct provider provider_dyndns2 = { "dyndns2", dyndns2_update };
