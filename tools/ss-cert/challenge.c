/*
 * Challenges: the token file under the webroot for http-01, the TXT
 * record through dns_hook for dns-01 (RFC 8555 section 8).
 */
#define _GNU_SOURCE		/* asprintf */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "base64.h"
#include "digest.h"
#include "extern.h"
#include "fs.h"
#include "log.h"
#include "run.h"

#define WELL_KNOWN	".well-known/acme-challenge"
#define HOOK_TIMEOUT	120	/* seconds for one dns_hook call */

/* A token from the CA goes into a file name: base64url characters only. */
static int
token_ok(const char *t)
{
	return *t != '\0' && strlen(t) <= 256 &&
	    strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == strlen(t);
}

int
challenge_set(const struct ss_conf *c, int dns, const char *domain,
    const char *token, const char *keyauth, struct chall *ch)
{
	const char	*hook = c->acme.dns_hook;
	unsigned char	 digest[32];
	char		 dir[PATH_MAX];
	char		*args[4];
	int		 rc;

	memset(ch, 0, sizeof(*ch));
	ch->dns = dns;
	if (!token_ok(token)) {
		log_err("%s: the CA sent a token that is not base64url",
		    domain);
		return EX_DATAERR;
	}
	if (dns) {
		if (*hook == '\0') {
			log_err("dns-01 needs dns_hook in [acme] of %s",
			    c->file);
			return EX_CONFIG;
		}
		if (strncmp(domain, "*.", 2) == 0)
			domain += 2;
		if (digest_sha256(keyauth, strlen(keyauth), digest) != 0 ||
		    (ch->value = base64_urlencode(digest, sizeof(digest))) ==
		    NULL || asprintf(&ch->where, "_acme-challenge.%s",
		    domain) == -1) {
			ch->where = NULL;
			challenge_clear(c, ch);
			return EX_SOFTWARE;
		}
		args[0] = "set";
		args[1] = ch->where;
		args[2] = ch->value;
		args[3] = NULL;
		if ((rc = run_command("dns_hook", hook, args, NULL,
		    HOOK_TIMEOUT)) != 0) {
			/* It may have half-worked: take it back all the same. */
			challenge_clear(c, ch);
			return rc;
		}
		log_debug("%s: TXT %s set", ch->where, ch->value);
		return 0;
	}

	snprintf(dir, sizeof(dir), "%s/%s", c->acme.webroot,
	    WELL_KNOWN);
	if (asprintf(&ch->where, "%s/%s", dir, token) == -1) {
		ch->where = NULL;
		return EX_OSERR;
	}
	if ((ch->value = strdup(keyauth)) == NULL) {
		challenge_clear(c, ch);
		return EX_OSERR;
	}
	if ((rc = fs_mkdir_p(dir, 0755)) != 0 ||
	    (rc = fs_write_atomic(ch->where, keyauth, strlen(keyauth),
	    0644)) != 0) {
		free(ch->where);
		free(ch->value);
		memset(ch, 0, sizeof(*ch));
		return rc;
	}
	log_debug("%s: written", ch->where);
	return 0;
}

void
challenge_clear(const struct ss_conf *c, struct chall *ch)
{
	char	*args[4];

	if (ch->where != NULL && ch->value != NULL) {
		if (ch->dns) {
			args[0] = "clear";
			args[1] = ch->where;
			args[2] = ch->value;
			args[3] = NULL;
			if (run_command("dns_hook", c->acme.dns_hook, args,
			    NULL, HOOK_TIMEOUT) != 0)
				log_warn("%s: TXT record may be left behind",
				    ch->where);
		} else if (unlink(ch->where) == -1 && errno != ENOENT)
			log_warn("%s: cannot remove: %s", ch->where,
			    strerror(errno));
	}
	free(ch->where);
	free(ch->value);
	memset(ch, 0, sizeof(*ch));
}
