/*
 * certificate: the certificate nginx serves, judged as a public SSL
 * checker would (lib/certcheck, as `ss-cert check`), and whether it is
 * the one installed.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cert.h"
#include "certcheck.h"
#include "certdir.h"
#include "extern.h"
#include "time64.h"

#define CRIT_DAYS	7
#define ID		"certificate"
#define INSTALL_CHAIN	"ss-cert install --cert FILE --key FILE --chain FILE"

/* The last ssl_certificate of nginx's certs.conf in BUF, "" if none. */
static void
conf_cert(const char *certs_conf, char *buf, size_t len)
{
	FILE	*f;
	char	 line[1024], *p, *end;

	buf[0] = '\0';
	if ((f = fopen(certs_conf, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		p = line + strspn(line, " \t");
		if (strncmp(p, "ssl_certificate", 15) != 0 ||
		    (p[15] != ' ' && p[15] != '\t'))
			continue;
		p += 15 + strspn(p + 15, " \t");
		if ((end = strchr(p, ';')) != NULL)
			snprintf(buf, len, "%.*s", (int)(end - p), p);
	}
	fclose(f);
}

/* The active certificate's file in PATH and its chain, or NULL. */
static STACK_OF(X509) *
active_chain(struct report *r, char *path, size_t len)
{
	STACK_OF(X509)	*certs;
	char		 name[256];
	int		 rc;

	path[0] = '\0';
	rc = certdir_active_file(r->c, name, sizeof(name), path, len);
	if (rc == EX_NOINPUT) {
		report_add(r, CHECK_WARNING, ID, "ss-cert selfsigned",
		    "no certificate in %s yet", r->c->certs.dir);
		return NULL;
	}
	if (rc != 0) {
		report_add(r, CHECK_UNKNOWN, ID, NULL, "%s: the active "
		    "certificate could not be found (see the error above)",
		    r->c->certs.dir);
		return NULL;
	}
	if (cert_load(path, &certs) != 0) {
		report_add(r, CHECK_UNKNOWN, ID, NULL, "%s cannot be read",
		    path);
		return NULL;
	}
	return certs;
}

/* What nginx serves against what it should: reloaded, pointed at it. */
static void
served_or_installed(struct report *r, X509 *served, X509 *installed,
    const char *path)
{
	char	named[PATH_MAX];

	if (X509_cmp(served, installed) == 0)
		return;
	conf_cert(r->c->nginx.certs_conf, named, sizeof(named));
	if (named[0] != '\0' && strcmp(named, path) != 0)
		report_add(r, CHECK_WARNING, ID, "ss-nginxconf certs",
		    "nginx serves %s (%s), not the installed certificate %s",
		    named, r->c->nginx.certs_conf, path);
	else
		report_add(r, CHECK_WARNING, ID, "ss-nginxconf reload",
		    "nginx serves another certificate than %s: it was not "
		    "reloaded since that was installed", path);
}

static void
judge_dates(struct report *r, const struct certcheck *cc, int self)
{
	char	date[32];

	if (cc->not_yet_valid) {
		time64_date(date, sizeof(date), cc->ci.not_before);
		report_add(r, CHECK_CRITICAL, ID, NULL, "%s is not valid "
		    "before %s (is the clock right?)", cc->ci.cn, date);
	}
	time64_date(date, sizeof(date), cc->ci.not_after);
	if (cc->days_left < 0)
		report_add(r, CHECK_CRITICAL, ID, self ?
		    "ss-cert selfsigned --force" : "ss-cert renew --force",
		    "%s expired on %s", cc->ci.cn, date);
	else if (cc->expiry != CHECK_OK)
		report_add(r, cc->expiry, ID, self ?
		    "ss-cert selfsigned --force" : "ss-cert renew",
		    "%s expires in %ld days, on %s (renewal is due %ld days "
		    "before)", cc->ci.cn, cc->days_left, date,
		    r->c->certs.renew_days);
}

static void
judge_names(struct report *r, const struct certcheck *cc, int self)
{
	char		 names[FINDING_SEEN / 2];
	char *const	*san;
	size_t		 n = 0;

	if (cc->host_match)
		return;
	names[0] = '\0';
	for (san = cc->ci.sans; *san != NULL && n < sizeof(names); san++)
		n += snprintf(names + n, sizeof(names) - n, "%s%s",
		    san == cc->ci.sans ? "" : ", ", *san);
	report_add(r, CHECK_CRITICAL, ID, self ? "ss-cert selfsigned --force" :
	    "ss-cert issue", "%s is not valid for %s (it names %s)",
	    cc->ci.cn, cc->host, names[0] != '\0' ? names : "nothing");
}

static void
judge_chain(struct report *r, const struct certcheck *cc, int ddns)
{
	switch (cc->chain_state) {
	case CERTCHECK_CHAIN_OK:
		break;
	case CERTCHECK_CHAIN_SELF:
		if (ddns)
			report_add(r, CHECK_WARNING, ID, "ss-cert issue",
			    "%s is self-signed although the device has the "
			    "DNS name %s: browsers warn on every visit",
			    cc->ci.cn, r->c->fqdn);
		break;
	case CERTCHECK_CHAIN_INCOMPLETE:
		report_add(r, CHECK_CRITICAL, ID, INSTALL_CHAIN, "the chain of "
		    "%s is incomplete: the intermediate certificate (%s) is "
		    "not served; install it with the chain, or renew",
		    cc->ci.cn, cc->gap_issuer);
		break;
	case CERTCHECK_CHAIN_UNTRUSTED:
		report_add(r, CHECK_CRITICAL, ID, "ss-cert issue", "%s is "
		    "issued by %s, which is not a trusted CA", cc->ci.cn,
		    cc->gap_issuer);
		break;
	case CERTCHECK_CHAIN_BAD:
		/* An expired leaf fails the chain too: said once, above. */
		if (cc->days_left >= 0 && !cc->not_yet_valid)
			report_add(r, CHECK_CRITICAL, ID, "ss-cert issue",
			    "the chain of %s does not verify: %s", cc->ci.cn,
			    cc->chain_why);
		break;
	case CERTCHECK_CHAIN_UNKNOWN:
		report_add(r, CHECK_UNKNOWN, ID, NULL, "the chain of %s could "
		    "not be checked (see the error above)", cc->ci.cn);
		break;
	}
}

static void
judge(struct report *r, const struct certcheck *cc, const char *where)
{
	char	date[32];
	int	self, ddns;
	size_t	before = r->n + r->lost;

	self = cc->chain_state == CERTCHECK_CHAIN_SELF;
	ddns = r->c->device.domain[0] != '\0' || r->c->ddns.enabled;
	judge_dates(r, cc, self);
	judge_names(r, cc, self);
	judge_chain(r, cc, ddns);
	if (cc->key_status != CHECK_OK)
		report_add(r, cc->key_status, ID, self ?
		    "ss-cert selfsigned --key-type ec256 --force" :
		    "ss-cert issue", "%s has a weak %s key of %d bits (at "
		    "least 2048-bit RSA or 256-bit EC)", cc->ci.cn,
		    cc->ci.key_type, cc->ci.key_bits);
	if (cc->sha1)
		report_add(r, CHECK_WARNING, ID, self ?
		    "ss-cert selfsigned --force" : "ss-cert issue",
		    "%s is signed with SHA-1 (%s)", cc->ci.cn, cc->ci.sigalg);
	if (r->n + r->lost != before)
		return;
	time64_date(date, sizeof(date), cc->ci.not_after);
	report_add(r, CHECK_OK, ID, NULL, "%s (%s): %s%s, valid until %s "
	    "(%ld days), %s %d bits", cc->ci.cn, where, self ?
	    "self-signed" : "issued by ", self ? "" : cc->ci.issuer_cn, date,
	    cc->days_left, cc->ci.key_type, cc->ci.key_bits);
}

void
certificate_check(struct report *r)
{
	struct https_target	 t;
	struct certcheck	 cc;
	STACK_OF(X509)		*served = NULL, *installed, *judged;
	STACK_OF(X509)		*rest = NULL;
	char			 path[PATH_MAX], why[512], where[PATH_MAX + 16];
	int			 i;

	memset(&cc, 0, sizeof(cc));
	https_target(r->c, &t);
	if (certcheck_probe(t.host, t.port, r->c->fqdn, HTTPS_PROBE_SECONDS,
	    &served, why, sizeof(why)) != 0)
		report_add(r, CHECK_WARNING, ID, "systemctl start nginx",
		    "no certificate served: %s (is nginx running?)", why);
	installed = active_chain(r, path, sizeof(path));
	if (served != NULL && installed != NULL)
		served_or_installed(r, sk_X509_value(served, 0),
		    sk_X509_value(installed, 0), path);
	if ((judged = served != NULL ? served : installed) == NULL)
		goto out;
	snprintf(where, sizeof(where), served != NULL ? "served on %s" :
	    "%s", served != NULL ? t.where : path);
	if ((rest = sk_X509_new_null()) == NULL)
		goto fail;
	for (i = 1; i < sk_X509_num(judged); i++)
		if (!sk_X509_push(rest, sk_X509_value(judged, i)))
			goto fail;
	if (certcheck_judge(&cc, sk_X509_value(judged, 0), rest, r->c->fqdn,
	    NULL, r->c->certs.renew_days, CRIT_DAYS) != 0)
		goto fail;
	judge(r, &cc, where);
	goto out;
fail:
	report_add(r, CHECK_UNKNOWN, ID, NULL, "the certificate %s could not "
	    "be examined", where);
out:
	certcheck_free(&cc);
	sk_X509_free(rest);
	cert_chain_free(installed);
	cert_chain_free(served);
}
