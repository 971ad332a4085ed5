/*
 * tls: the protocols and ciphers nginx's HTTPS port accepts, probed with
 * one handshake each: TLS 1.0 and 1.1, or a cipher under 128 bits, let
 * an eavesdropper in.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <openssl/ssl.h>

#include "extern.h"
#include "net.h"

#define ID		"tls"
#define TLS_FIX		"ss-nginxconf proxy"
#define WEAK_CIPHERS	"LOW:EXP:DES:RC4:3DES:NULL:aNULL"

static const struct {
	int		 version;
	const char	*name;
	int		 weak;
} versions[] = {
	{ TLS1_VERSION,		"TLSv1",	1 },
	{ TLS1_1_VERSION,	"TLSv1.1",	1 },
	{ TLS1_2_VERSION,	"TLSv1.2",	0 },
	{ TLS1_3_VERSION,	"TLSv1.3",	0 },
};

/*
 * One handshake offering OFFER: 1 when the server takes it (the cipher
 * agreed in CIPHER), 0 when it refuses, -1 when the port does not answer
 * (WHY).
 */
static int
accepts(const struct https_target *t, const char *name,
    const struct net_offer *offer, char *cipher, size_t len, char *why,
    size_t whylen)
{
	struct timespec	 deadline;
	struct conn	*c;
	const char	*s;
	int		 bits, rc;

	net_deadline(&deadline, HTTPS_PROBE_SECONDS);
	rc = net_open_offer(t->host, t->port, name, offer, &deadline, &c, why,
	    whylen);
	if (rc != 0)
		return rc == EX_PROTOCOL ? 0 : -1;
	s = net_cipher(c, &bits);
	snprintf(cipher, len, "%s, %d bits", s, bits);
	net_close(c);
	return 1;
}

void
tls_check(struct report *r)
{
	struct https_target	 t;
	struct net_offer	 offer;
	char			 cipher[128], why[512], good[128] = "";
	size_t			 i, before = r->n + r->lost;
	int			 a;

	https_target(r->c, &t);
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		offer.version = versions[i].version;
		offer.ciphers = NULL;
		a = accepts(&t, r->c->fqdn, &offer, cipher, sizeof(cipher),
		    why, sizeof(why));
		if (a == -1) {
			report_add(r, CHECK_WARNING, ID,
			    "systemctl start nginx", "the TLS profile could "
			    "not be probed: %s (is nginx running?)", why);
			return;
		}
		if (a == 1 && versions[i].weak)
			report_add(r, CHECK_CRITICAL, ID, TLS_FIX, "%s accepts "
			    "%s (%s): nginx needs \"ssl_protocols TLSv1.2 "
			    "TLSv1.3;\"", t.where, versions[i].name, cipher);
		else if (a == 1)
			snprintf(good + strlen(good), sizeof(good) -
			    strlen(good), "%s%s", good[0] != '\0' ? ", " : "",
			    versions[i].name);
	}
	offer.version = TLS1_2_VERSION;
	offer.ciphers = WEAK_CIPHERS;
	a = accepts(&t, r->c->fqdn, &offer, cipher, sizeof(cipher), why,
	    sizeof(why));
	if (a == 1)
		report_add(r, CHECK_CRITICAL, ID, TLS_FIX, "%s accepts the "
		    "weak cipher (%s): nginx needs ssl_ciphers without LOW, "
		    "DES, 3DES, RC4, NULL and aNULL", t.where, cipher);
	if (r->n + r->lost != before)
		return;
	if (good[0] == '\0')
		report_add(r, CHECK_WARNING, ID, NULL, "%s accepts no TLS "
		    "version", t.where);
	else
		report_add(r, CHECK_OK, ID, NULL, "%s accepts %s only, with "
		    "ciphers of 128 bits or more", t.where, good);
}
