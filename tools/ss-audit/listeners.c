/*
 * listeners: what answers from outside.  A port beyond loopback that the
 * owner did not allow is a door nobody watches; the automation server's
 * own ports there are a way around the proxy and its authentication.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"
#include "hostport.h"
#include "ipaddr.h"
#include "openhab.h"
#include "procnet.h"

#define SERVER_PORTS	3	/* openHAB's HTTP and HTTPS, the backend's */

struct server_ports {
	long	port[SERVER_PORTS];
	size_t	n;
};

static int
sock_cmp(const void *a, const void *b)
{
	const struct procnet_sock	*x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto == IPPROTO_TCP ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->family != y->family)
		return x->family == AF_INET ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

static int
port_allowed(const struct ss_conf *c, unsigned port)
{
	char *const	*p;

	for (p = c->audit.allow_ports; *p != NULL; p++)
		if (strtol(*p, NULL, 10) == (long)port)
			return 1;
	return 0;
}

/* The port of [nginx] backend, http://HOST[:PORT][/PATH]; 0 if none. */
static long
backend_port(const char *url)
{
	const char	*p;
	char		 auth[256], host[256];
	size_t		 n;
	long		 port, def;

	if (strncmp(url, "https://", 8) == 0) {
		p = url + 8;
		def = 443;
	} else if (strncmp(url, "http://", 7) == 0) {
		p = url + 7;
		def = 80;
	} else
		return 0;
	if ((n = strcspn(p, "/?#")) >= sizeof(auth))
		return 0;
	memcpy(auth, p, n);
	auth[n] = '\0';
	if (hostport_parse(auth, def, host, sizeof(host), &port) != 1)
		return 0;
	return port;
}

/*
 * The automation server's ports: openHAB's from its defaults file (8080
 * and 8443 when it sets none) and the one nginx forwards to.
 */
static void
server_ports(struct report *r, struct server_ports *sp)
{
	const char		*path = r->c->openhab.defaults_file;
	struct openhab_defaults	 d;
	long			 port;
	size_t			 i;

	sp->n = 0;
	sp->port[sp->n++] = OPENHAB_HTTP_DEFAULT;
	sp->port[sp->n++] = OPENHAB_HTTPS_DEFAULT;
	if (access(path, F_OK) == 0) {
		if (openhab_load(path, &d) != 0)
			report_add(r, CHECK_UNKNOWN, "listeners", NULL, "%s "
			    "cannot be read; the automation server's ports "
			    "are taken as 8080 and 8443", path);
		else {
			if (openhab_port(&d, path, OPENHAB_HTTP_VAR,
			    OPENHAB_HTTP_DEFAULT, &port) == 0)
				sp->port[0] = port;
			if (openhab_port(&d, path, OPENHAB_HTTPS_VAR,
			    OPENHAB_HTTPS_DEFAULT, &port) == 0)
				sp->port[1] = port;
			openhab_free(&d);
		}
	}
	if ((port = backend_port(r->c->nginx.backend)) == 0)
		return;
	for (i = 0; i < sp->n; i++)
		if (sp->port[i] == port)
			return;
	sp->port[sp->n++] = port;
}

static int
is_server_port(const struct server_ports *sp, const struct procnet_sock *s)
{
	size_t	i;

	if (s->proto != IPPROTO_TCP)
		return 0;
	for (i = 0; i < sp->n; i++)
		if (sp->port[i] == (long)s->port)
			return 1;
	return 0;
}

/*
 * The sockets V[0..N) of one protocol and port: where they listen and
 * who holds them, into WHERE and WHO; the first holder's name in NAME.
 */
static void
describe(const struct procnet_sock *v, size_t n, char *where, size_t wlen,
    char *who, size_t hlen, const char **name)
{
	char	addr[INET6_ADDRSTRLEN];
	size_t	i, wl = 0, hl = 0;

	where[0] = who[0] = '\0';
	*name = NULL;
	for (i = 0; i < n; i++) {
		if (inet_ntop(v[i].family, v[i].addr, addr,
		    sizeof(addr)) == NULL)
			snprintf(addr, sizeof(addr), "?");
		if (wl < wlen)
			wl += (size_t)snprintf(where + wl, wlen - wl, "%s%s",
			    i > 0 ? ", " : "", addr);
		if (v[i].pid == 0 || (i > 0 && v[i].pid == v[i - 1].pid))
			continue;
		if (*name == NULL)
			*name = v[i].comm;
		if (hl < hlen)
			hl += (size_t)snprintf(who + hl, hlen - hl, "%s%s "
			    "pid %ld", hl > 0 ? ", " : "", v[i].comm,
			    v[i].pid);
	}
}

/* One finding for the sockets V[0..N) of one protocol and port. */
static void
judge(struct report *r, const struct server_ports *sp,
    const struct procnet_sock *v, size_t n)
{
	const char	*proto = v->proto == IPPROTO_TCP ? "tcp" : "udp";
	const char	*name;
	char		 where[160], who[120], fix[FINDING_FIX];

	describe(v, n, where, sizeof(where), who, sizeof(who), &name);
	if (is_server_port(sp, v)) {
		report_add(r, CHECK_CRITICAL, "listeners", "ss-nginxconf bind",
		    "%s port %u of the automation server listens on %s%s%s%s, "
		    "reachable without the proxy", proto, v->port, where,
		    who[0] != '\0' ? " (" : "", who, who[0] != '\0' ? ")" : "");
		return;
	}
	snprintf(fix, sizeof(fix), "stop %s or bind it to 127.0.0.1; or add "
	    "%u to [audit] allow_ports", name != NULL ? name : "what holds it",
	    v->port);
	report_add(r, CHECK_WARNING, "listeners", fix, "%s port %u listens on "
	    "%s%s%s%s, not in [audit] allow_ports", proto, v->port, where,
	    who[0] != '\0' ? " (" : "", who, who[0] != '\0' ? ")" : "");
}

void
listeners_check(struct report *r)
{
	struct procnet_sock	*v = NULL;
	struct server_ports	 sp;
	char			 allowed[160];
	size_t			 n, i, j, k, al = 0, bad = 0;

	if (procnet_listening(&v, &n) != 0) {
		report_add(r, CHECK_UNKNOWN, "listeners", NULL, "the sockets "
		    "in /proc/net cannot be read");
		return;
	}
	server_ports(r, &sp);
	for (i = j = 0; i < n; i++)
		if (!ipaddr_loopback(v[i].family, v[i].addr))
			v[j++] = v[i];
	n = j;
	procnet_owners(v, n);
	qsort(v, n, sizeof(*v), sock_cmp);
	allowed[0] = '\0';
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j].proto == v[i].proto &&
		    v[j].port == v[i].port; j++)
			continue;
		if (is_server_port(&sp, &v[i]) ||
		    !port_allowed(r->c, v[i].port)) {
			judge(r, &sp, &v[i], j - i);
			bad++;
			continue;
		}
		/* The same port over TCP and UDP is named once. */
		for (k = 0; k < i && v[k].port != v[i].port; k++)
			continue;
		if (k == i && al < sizeof(allowed))
			al += (size_t)snprintf(allowed + al,
			    sizeof(allowed) - al, "%s%u", al > 0 ? ", " : "",
			    v[i].port);
	}
	if (bad == 0 && al == 0)
		report_add(r, CHECK_OK, "listeners", NULL, "nothing listens "
		    "beyond loopback");
	else if (bad == 0)
		report_add(r, CHECK_OK, "listeners", NULL, "only allowed ports "
		    "listen beyond loopback (%s)", allowed);
	free(v);
}
