/*
 * mail: a new password to a user's address, over SMTP with TLS.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "secret.h"
#include "extern.h"
#include "fs.h"
#include "log.h"
#include "smtp.h"

/*
 * The whole SMTP exchange.  It runs under .pwd.lock, so it stays near
 * LOCK_WAIT: a slow server makes other runs retry rather than hang.
 */
#define MAIL_TIMEOUT	20

int
mail_ready(const struct ss_conf *c)
{
	if (*c->smtp.url == '\0') {
		log_err("[smtp] url is not set in %s", c->file);
		return EX_CONFIG;
	}
	if (*c->smtp.from == '\0') {
		log_err("[smtp] from is not set in %s", c->file);
		return EX_CONFIG;
	}
	return 0;
}

/*
 * The first line of [smtp] password_file into BUF.  A file that group or
 * others can open has leaked the secret already, or soon will: refused.
 */
static int
smtp_password(const struct ss_conf *c, char *buf, size_t len)
{
	const char	*path = c->smtp.password_file;

	if (*path == '\0') {
		log_err("[smtp] username is set but password_file is not in %s",
		    c->file);
		return EX_CONFIG;
	}
	/* Whatever is wrong with it, the configuration points at it. */
	return fs_read_secret("[smtp] password_file", path, buf, len) != 0 ?
	    EX_CONFIG : 0;
}

int
mail_password(const struct ss_conf *c, const struct user *u,
    const char *reason, const char *password)
{
	const char	*username = c->smtp.username;
	struct smtp_msg	 msg;
	char		 subject[320], body[1024 + PW_MAX];
	char		 secret[PW_MAX + 2];
	int		 n, rc;

	if ((rc = mail_ready(c)) != 0)
		return rc;
	secret[0] = '\0';
	if (*username != '\0' &&
	    (rc = smtp_password(c, secret, sizeof(secret))) != 0)
		return rc;
	snprintf(subject, sizeof(subject), "Your new password for %s",
	    c->fqdn);
	n = snprintf(body, sizeof(body), "Hello %s,\n\n%s\n\n"
	    "New password: %s\n\n"
	    "Change it after logging in: https://%s/\n",
	    u->name, reason, password, c->fqdn);
	if (n < 0 || (size_t)n >= sizeof(body)) {
		log_err("mail to %s: message too long", u->email);
		rc = EX_SOFTWARE;
		goto out;
	}
	msg.from = c->smtp.from;
	msg.to = u->email;
	msg.subject = subject;
	msg.body = body;
	rc = smtp_send(c->smtp.url, c->smtp.ca_file,
	    *username != '\0' ? username : NULL,
	    *username != '\0' ? secret : NULL, &msg, MAIL_TIMEOUT);
out:
	secret_zero(secret, sizeof(secret));
	secret_zero(body, sizeof(body));
	return rc;
}
