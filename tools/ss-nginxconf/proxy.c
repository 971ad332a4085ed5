/*
 * proxy: the one way in to the automation server from outside is nginx,
 * with TLS and authentication in front; port 80 only answers ACME and
 * sends everyone else to HTTPS.  Every value is checked before a byte is
 * written, so a refusal changes nothing.
 */
#include <sys/stat.h>


#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "cert.h"
#include "extern.h"
#include "ipaddr.h"
#include "log.h"

#define PROXY_SYNOPSIS							\
	"proxy [--allow-no-auth] [--allow-exposed] [--dry-run] [--json]"
#define URL_HOST_MAX	256

/* Mozilla's "intermediate" profile (server side TLS, version 5.7). */
#define INTERMEDIATE_CIPHERS						\
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"	\
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"	\
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"	\
	"DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"		\
	"DHE-RSA-CHACHA20-POLY1305"

struct site {
	const char	*fqdn;
	const char	*webroot;
	const char	*certs_conf;
	const char	*htpasswd;	/* NULL: no basic authentication */
	const char	*client_ca;	/* NULL: no client certificates */
	const char	*backend;
	long		 http_port;
	long		 https_port;
	long		 public_port;	/* HTTPS as clients reach it */
	char *const	*listen;	/* empty: every address */
	char *const	*allow;		/* empty: everyone */
};

/*
 * The host of an http(s) URL the way nginx's proxy_pass finds it: after
 * the scheme, up to ':', '/' or '?', or inside brackets for IPv6.  -1
 * for user information, which nginx does not take and which would make
 * "http://127.0.0.1@elsewhere" look local.
 */
static int
url_host(const char *url, char *host, size_t len)
{
	const char	*p, *close;
	size_t		 n;

	if ((p = strstr(url, "://")) == NULL)
		return -1;
	p += 3;
	n = strcspn(p, "/?");
	if (memchr(p, '@', n) != NULL)
		return -1;
	if (*p == '[') {
		if ((close = memchr(p, ']', n)) == NULL)
			return -1;
		p++;
		n = (size_t)(close - p);
	} else
		n = strcspn(p, ":/?");
	if (n >= len)
		return -1;
	memcpy(host, p, n);
	host[n] = '\0';
	return 0;
}

/*
 * A backend elsewhere than on this machine is reachable without the
 * proxy, its TLS and its authentication.
 */
static int
check_backend(const struct ss_conf *c, const char *backend, int allow_exposed)
{
	char	host[URL_HOST_MAX];

	if (url_host(backend, host, sizeof(host)) == -1) {
		log_err("%s: [nginx] backend: '%s' is not http://HOST[:PORT]"
		    "[/PATH] without user information", c->file, backend);
		return EX_CONFIG;
	}
	if (ipaddr_loopback_text(host))
		return 0;
	if (!allow_exposed) {
		log_err("%s: [nginx] backend: %s is not a loopback address, so "
		    "the automation server is reachable without the proxy's "
		    "authentication; use 127.0.0.1, ::1 or localhost (or "
		    "--allow-exposed)", c->file, host);
		return EX_CONFIG;
	}
	log_warn("[nginx] backend: %s is not a loopback address; the "
	    "automation server is reachable without the proxy", host);
	return 0;
}

/*
 * openHAB listens on every address unless told otherwise, and then the
 * proxy is a door next to an open one.  Without its defaults file there
 * is nothing to check.
 */
static int
check_openhab(const struct ss_conf *c, int allow_exposed)
{
	const char	*path = c->openhab.defaults_file;
	char		*addr = NULL;
	int		 rc;

	if (access(path, F_OK) == -1 && errno == ENOENT)
		return 0;
	if ((rc = bind_address(c, &addr)) != 0)
		return rc;
	if (addr != NULL && ipaddr_loopback_text(addr))
		goto out;
	if (!allow_exposed) {
		if (addr == NULL)
			log_err("%s: OPENHAB_HTTP_ADDRESS is not set, so the "
			    "automation server listens on every address, "
			    "without the proxy's authentication; run "
			    "'ss-nginxconf bind' (or use --allow-exposed)",
			    path);
		else
			log_err("%s: OPENHAB_HTTP_ADDRESS=%s is not a loopback "
			    "address, so the automation server is reachable "
			    "without the proxy's authentication; run "
			    "'ss-nginxconf bind' (or use --allow-exposed)",
			    path, addr);
		rc = EX_CONFIG;
		goto out;
	}
	log_warn("%s: the automation server listens on %s, not only through "
	    "the proxy", path, addr != NULL ? addr : "every address");
out:
	free(addr);
	return rc;
}

/* The site includes certs.conf: without it nginx would refuse the site. */
static int
check_certs_conf(const struct ss_conf *c)
{
	const char	*path = c->nginx.certs_conf;

	if (access(path, F_OK) == 0 || errno != ENOENT)
		return 0;
	log_err("%s: no such file ([nginx] certs_conf in %s), which the site "
	    "includes for its certificate; run: ss-nginxconf certs", path,
	    c->file);
	return EX_NOINPUT;
}

/*
 * What [nginx] auth asks for must be there now: nginx would start without
 * the password file and turn every login away.
 */
static int
check_auth(const struct ss_conf *c, struct site *s, int allow_no_auth)
{
	STACK_OF(X509)	*certs = NULL;
	struct stat	 st;
	const char	*auth = c->nginx.auth;
	const char	*file;
	int		 rc;

	if (strcmp(auth, "none") == 0) {
		if (!allow_no_auth) {
			log_err("%s: [nginx] auth = none lets anyone who "
			    "reaches the port use the automation server; "
			    "refused without --allow-no-auth", c->file);
			return EX_CONFIG;
		}
		log_warn("[nginx] auth = none: no authentication in front of "
		    "the automation server");
		return 0;
	}
	if (strcmp(auth, "basic") == 0 || strcmp(auth, "both") == 0) {
		file = c->passwd.htpasswd_file;
		if ((rc = nginx_word(c, "passwd", "htpasswd_file", file)) != 0)
			return rc;
		if (stat(file, &st) == -1) {
			if (errno == ENOENT)
				log_err("%s: no such file ([passwd] "
				    "htpasswd_file in %s), so nobody could log "
				    "in; add a web user, run: ss-passwd "
				    "htpasswd NAME", file, c->file);
			else
				log_err("%s: %s ([passwd] htpasswd_file in %s)",
				    file, strerror(errno), c->file);
			return EX_NOINPUT;
		}
		s->htpasswd = file;
	}
	if (strcmp(auth, "clientcert") == 0 || strcmp(auth, "both") == 0) {
		file = c->nginx.client_ca_file;
		if (*file == '\0') {
			log_err("%s: [nginx] auth = %s needs client_ca_file, "
			    "the CA that issues the client certificates",
			    c->file, auth);
			return EX_CONFIG;
		}
		if ((rc = nginx_word(c, "nginx", "client_ca_file", file)) != 0)
			return rc;
		if ((rc = cert_load(file, &certs)) != 0) {
			log_err("%s: [nginx] client_ca_file: %s holds no usable "
			    "CA certificates", c->file, file);
			return rc;
		}
		cert_chain_free(certs);
		s->client_ca = file;
	}
	return 0;
}

/* "listen ADDR:PORT SUFFIX;" for each address, or for all of them. */
static void
listen_lines(struct text *t, char *const *listen, long port, const char *suffix)
{
	char *const	*a;

	if (*listen == NULL) {
		text_add(t, "\tlisten %ld%s;\n", port, suffix);
		text_add(t, "\tlisten [::]:%ld%s;\n", port, suffix);
		return;
	}
	for (a = listen; *a != NULL; a++)
		text_add(t, strchr(*a, ':') != NULL ? "\tlisten [%s]:%ld%s;\n" :
		    "\tlisten %s:%ld%s;\n", *a, port, suffix);
}

static void
site_text(struct text *t, const struct site *s)
{
	char *const	*a;

	text_add(t, "# Written by ss-nginxconf proxy: the reverse proxy for "
	    "the automation server.\n\n");
	text_add(t, "map $http_upgrade $ss_connection_upgrade {\n"
	    "\tdefault upgrade;\n"
	    "\t'' close;\n"
	    "}\n\n");

	text_add(t, "server {\n");
	listen_lines(t, s->listen, s->http_port, "");
	text_add(t, "\tserver_name %s;\n\n", s->fqdn);
	text_add(t, "\tlocation ^~ /.well-known/acme-challenge/ {\n"
	    "\t\troot %s;\n"
	    "\t\tdefault_type text/plain;\n"
	    "\t\ttry_files $uri =404;\n"
	    "\t}\n", s->webroot);
	/* In a location: at server level it would catch ACME too. */
	text_add(t, "\tlocation / {\n");
	if (s->public_port == 443)
		text_add(t, "\t\treturn 301 https://$host$request_uri;\n");
	else
		text_add(t, "\t\treturn 301 https://$host:%ld$request_uri;\n",
		    s->public_port);
	text_add(t, "\t}\n}\n\n");

	text_add(t, "server {\n");
	listen_lines(t, s->listen, s->https_port, " ssl http2");
	text_add(t, "\tserver_name %s;\n", s->fqdn);
	text_add(t, "\tinclude %s;\n\n", s->certs_conf);
	text_add(t, "\tssl_protocols TLSv1.2 TLSv1.3;\n"
	    "\tssl_ciphers " INTERMEDIATE_CIPHERS ";\n"
	    "\tssl_prefer_server_ciphers off;\n"
	    "\tssl_session_timeout 1d;\n"
	    "\tssl_session_cache shared:SSPROXY:10m;\n"
	    "\tssl_session_tickets off;\n\n"
	    "\tadd_header Strict-Transport-Security \"max-age=63072000\" "
	    "always;\n\n");
	if (s->htpasswd != NULL)
		text_add(t, "\tauth_basic \"restricted\";\n"
		    "\tauth_basic_user_file %s;\n", s->htpasswd);
	if (s->client_ca != NULL)
		text_add(t, "\tssl_client_certificate %s;\n"
		    "\tssl_verify_client on;\n", s->client_ca);
	if (*s->allow != NULL) {
		for (a = s->allow; *a != NULL; a++)
			text_add(t, "\tallow %s;\n", *a);
		text_add(t, "\tdeny all;\n");
	}
	if (s->htpasswd != NULL || s->client_ca != NULL || *s->allow != NULL)
		text_add(t, "\n");
	text_add(t, "\tlocation / {\n"
	    "\t\tproxy_pass %s;\n"
	    "\t\tproxy_http_version 1.1;\n"
	    "\t\tproxy_set_header Host $host;\n"
	    "\t\tproxy_set_header X-Real-IP $remote_addr;\n"
	    "\t\tproxy_set_header X-Forwarded-For "
	    "$proxy_add_x_forwarded_for;\n"
	    "\t\tproxy_set_header X-Forwarded-Proto $scheme;\n"
	    "\t\tproxy_set_header Upgrade $http_upgrade;\n"
	    "\t\tproxy_set_header Connection $ss_connection_upgrade;\n"
	    "\t\tproxy_read_timeout 3600s;\n"
	    "\t\tproxy_send_timeout 3600s;\n"
	    "\t\tproxy_buffering off;\n"
	    "\t}\n}\n", s->backend);
}

int
cmd_proxy(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "allow-no-auth",	no_argument,	NULL, 'a' },
		{ "allow-exposed",	no_argument,	NULL, 'x' },
		{ "dry-run",		no_argument,	NULL, 'n' },
		{ "json",		no_argument,	NULL, 'j' },
		{ NULL,			0,		NULL, 0 }
	};
	const struct ss_conf	*c;
	struct result		 r;
	struct site		 s;
	struct text		 t;
	int			 ch, rc, allow_no_auth = 0, allow_exposed = 0;
	int			 json = 0;

	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	result_init(&r);
	while ((ch = getopt_long(argc, argv, "n", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			allow_no_auth = 1;
			break;
		case 'x':
			allow_exposed = 1;
			break;
		case 'n':
			e->dry_run = 1;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return tool_usage(PROXY_SYNOPSIS);
		}
	}
	if (optind != argc)
		return tool_usage(PROXY_SYNOPSIS);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	c = e->conf;
	s.fqdn = c->fqdn;
	s.webroot = c->acme.webroot;
	s.certs_conf = c->nginx.certs_conf;
	s.backend = c->nginx.backend;
	s.http_port = c->nginx.http_port;
	s.https_port = c->nginx.https_port;
	s.public_port = c->nginx.public_https_port != 0 ?
	    c->nginx.public_https_port : s.https_port;
	if ((rc = nginx_word(c, "device", "hostname", s.fqdn)) != 0 ||
	    (rc = nginx_word(c, "acme", "webroot", s.webroot)) != 0 ||
	    (rc = nginx_word(c, "nginx", "certs_conf", s.certs_conf)) != 0 ||
	    (rc = nginx_word(c, "nginx", "backend", s.backend)) != 0 ||
	    (rc = check_certs_conf(c)) != 0 ||
	    (rc = check_auth(c, &s, allow_no_auth)) != 0 ||
	    (rc = check_backend(c, s.backend, allow_exposed)) != 0 ||
	    (rc = check_openhab(c, allow_exposed)) != 0)
		return rc;
	s.listen = c->nginx.listen;
	s.allow = c->nginx.allow;
	site_text(&t, &s);
	if (t.failed) {
		log_err("out of memory");
		rc = EX_OSERR;
		goto out;
	}
	if ((rc = nginx_apply(c, c->nginx.site_conf, t.buf, t.len,
	    e->dry_run, &r)) == 0)
		rc = report(&r, e->dry_run, json, NULL, NULL);
out:
	result_free(&r);
	text_free(&t);
	return rc;
}
