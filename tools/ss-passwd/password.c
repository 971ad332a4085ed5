/*
 * password: new passwords asked and held to the policy, the factory
 * password read, the hash parameters; wiped on every way out.
 */
#include <sys/stat.h>

#include <errno.h>
#include <sysexits.h>

#include "extern.h"
#include "fs.h"
#include "log.h"
#include "prompt.h"
#include "secret.h"

/*
 * "New password: ", then AGAIN; the policy is checked on the first
 * answer so that a person hears at once why it will not do.  The current
 * password is no refusal: asking for it again changes nothing, which the
 * caller tells.
 */
static int
ask_twice(const char *again, const char *user, const struct ss_conf *c,
    int fd, char *buf, size_t len)
{
	struct stat	 st;
	char		 factory[PW_MAX + 1], repeat[PW_MAX + 1], why[128];
	const char	*fp = NULL;
	int		 rc;

	/* Without a label password on this box there is none to avoid. */
	if (stat(c->passwd.factory_file, &st) == 0 ||
	    errno != ENOENT) {
		if ((rc = password_factory(c, factory, sizeof(factory))) != 0)
			goto out;
		fp = factory;
	}
	if ((rc = prompt_secret("New password: ", fd, buf, len)) != 0)
		goto out;
	if ((rc = pwhash_policy(buf, NULL, user, fp,
	    c->passwd.min_length, why, sizeof(why))) != 0) {
		log_err("new password refused: %s", why);
		goto out;
	}
	if ((rc = prompt_secret(again, fd, repeat, sizeof(repeat))) != 0)
		goto out;
	if (!pwhash_equal(buf, repeat)) {
		log_err("new password refused: passwords do not match");
		rc = EX_DATAERR;
	}
out:
	secret_zero(factory, sizeof(factory));
	secret_zero(repeat, sizeof(repeat));
	if (rc != 0)
		secret_zero(buf, len);
	return rc;
}

int
password_ask_new(const char *user, const struct ss_conf *c, int fd, char *buf,
    size_t len)
{
	return ask_twice("Repeat new password: ", user, c, fd, buf, len);
}

int
password_ask_new_confirm(const char *user, const struct ss_conf *c, int fd,
    char *buf, size_t len)
{
	return ask_twice("Confirm new password: ", user, c, fd, buf, len);
}

int
password_factory(const struct ss_conf *c, char *buf, size_t len)
{
	return fs_read_secret("[passwd] factory_file", c->passwd.factory_file,
	    buf, len);
}

struct pwhash_params
password_params(const struct ss_conf *c)
{
	struct pwhash_params	p;

	p.t = (uint32_t)c->passwd.argon2_t;
	p.m_kib = (uint32_t)c->passwd.argon2_m_kib;
	p.p = (uint32_t)c->passwd.argon2_p;
	return p;
}
