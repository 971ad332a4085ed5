/*
 * mail: a new password to a user's address, over SMTP with TLS.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "crypto.h"
#include "extern.h"
#include "http.h"
#include "log.h"

/*
 * The whole SMTP exchange.  It runs under .pwd.lock, so it stays near
 * LOCK_WAIT: a slow server makes other runs retry rather than hang.
 */
#define MAIL_TIMEOUT	20

int
mail_ready(const struct conf *c)
{
	if (*conf_str(c, "smtp", "url") == '\0') {
		log_err("[smtp] url is not set in %s", conf_file(c));
		return EX_CONFIG;
	}
	if (*conf_str(c, "smtp", "from") == '\0') {
		log_err("[smtp] from is not set in %s", conf_file(c));
		return EX_CONFIG;
	}
	return 0;
}

/*
 * The first line of [smtp] password_file into BUF.  A file that group or
 * others can open has leaked the secret already, or soon will: refused.
 */
static int
smtp_password(const struct conf *c, char *buf, size_t len)
{
	const char	*path = conf_str(c, "smtp", "password_file");
	struct stat	 st;
	size_t		 got = 0, line;
	ssize_t		 n;
	int		 fd, rc = EX_CONFIG;

	if (*path == '\0') {
		log_err("[smtp] username is set but password_file is not in %s",
		    conf_file(c));
		return EX_CONFIG;
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		log_err("[smtp] password_file %s: %s", path, strerror(errno));
		return EX_CONFIG;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		log_err("[smtp] password_file %s: not a regular file", path);
		goto out;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		log_err("[smtp] password_file %s: readable or writable by group "
		    "or others (mode %04o); chmod 600 it", path,
		    (unsigned)(st.st_mode & 07777));
		goto out;
	}
	while (got < len - 1) {
		if ((n = read(fd, buf + got, len - 1 - got)) == -1) {
			if (errno == EINTR)
				continue;
			log_err("[smtp] password_file %s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	line = strcspn(buf, "\r\n");
	if (line == 0)
		log_err("[smtp] password_file %s: the first line is empty",
		    path);
	else if (line == len - 1)
		log_err("[smtp] password_file %s: the first line is longer "
		    "than %zu bytes", path, len - 2);
	else {
		buf[line] = '\0';
		rc = 0;
	}
out:
	close(fd);
	if (rc != 0)
		secure_zero(buf, len);
	return rc;
}

int
mail_password(const struct conf *c, const struct user *u,
    const char *reason, const char *password)
{
	const char	*username = conf_str(c, "smtp", "username");
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
	    conf_fqdn(c));
	n = snprintf(body, sizeof(body), "Hello %s,\n\n%s\n\n"
	    "New password: %s\n\n"
	    "Change it after logging in: https://%s/\n",
	    u->name, reason, password, conf_fqdn(c));
	if (n < 0 || (size_t)n >= sizeof(body)) {
		log_err("mail to %s: message too long", u->email);
		rc = EX_SOFTWARE;
		goto out;
	}
	msg.from = conf_str(c, "smtp", "from");
	msg.to = u->email;
	msg.subject = subject;
	msg.body = body;
	rc = smtp_send(conf_str(c, "smtp", "url"), conf_str(c, "smtp",
	    "ca_file"), *username != '\0' ? username : NULL,
	    *username != '\0' ? secret : NULL, &msg, MAIL_TIMEOUT);
out:
	secure_zero(secret, sizeof(secret));
	secure_zero(body, sizeof(body));
	return rc;
}
