/*
 * secret: passwords in, held to the policy, wiped on every way out.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <paths.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "extern.h"
#include "fs.h"
#include "log.h"
#include "prompt.h"
#include "secret.h"

#define ANSWER_MAX		8

int
password_fd(const char *arg, int *fd)
{
	if ((*fd = prompt_parse_fd(arg)) == -1) {
		log_err("--password-fd: '%s' is not a file descriptor", arg);
		return EX_USAGE;
	}
	return 0;
}

int
ask(const char *prompt, int fd, char *buf, size_t len)
{
	return prompt_secret(prompt, fd, buf, len);
}

/*
 * "New password: ", then AGAIN; the policy is checked on the first
 * answer so that a person hears at once why it will not do.
 */
static int
ask_twice(const char *again, const char *user, const char *current,
    const struct ss_conf *c, int fd, char *buf, size_t len)
{
	struct stat	 st;
	char		 factory[PW_MAX + 1], repeat[PW_MAX + 1], why[128];
	const char	*fp = NULL;
	int		 rc;

	/* Without a label password on this box there is none to avoid. */
	if (stat(c->passwd.factory_file, &st) == 0 ||
	    errno != ENOENT) {
		if ((rc = factory_password(c, factory, sizeof(factory))) != 0)
			goto out;
		fp = factory;
	}
	if ((rc = ask("New password: ", fd, buf, len)) != 0)
		goto out;
	if ((rc = pw_policy(buf, current, user, fp,
	    c->passwd.min_length, why, sizeof(why))) != 0) {
		log_err("new password refused: %s", why);
		goto out;
	}
	if ((rc = ask(again, fd, repeat, sizeof(repeat))) != 0)
		goto out;
	if (!pw_equal(buf, repeat)) {
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
ask_new(const char *user, const char *current, const struct ss_conf *c,
    int fd, char *buf, size_t len)
{
	return ask_twice("Repeat new password: ", user, current, c, fd, buf,
	    len);
}

int
ask_new_confirm(const char *user, const char *current, const struct ss_conf *c,
    int fd, char *buf, size_t len)
{
	return ask_twice("Confirm new password: ", user, current, c, fd, buf,
	    len);
}

/*
 * One line from FD, byte by byte so that nothing after it is consumed.
 * 1 for y or yes; anything else, end of input included, is no.
 */
static int
read_yes(int fd)
{
	char	 line[ANSWER_MAX], c;
	size_t	 n = 0;
	ssize_t	 r;

	for (;;) {
		if ((r = read(fd, &c, 1)) == -1 && errno == EINTR)
			continue;
		if (r != 1 || c == '\n')
			break;
		if (n < sizeof(line) - 1)
			line[n] = c;
		n++;
	}
	if (n >= sizeof(line))
		return 0;
	line[n] = '\0';
	return strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0;
}

int
ask_yes(const char *prompt, int fd)
{
	int	tty, yes;

	if (fd >= 0 || !isatty(STDIN_FILENO))
		return read_yes(fd >= 0 ? fd : STDIN_FILENO);
	/* Not prompt_secret: the answer is no secret and is echoed. */
	if ((tty = open(_PATH_TTY, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		log_err("%s: %s", _PATH_TTY, strerror(errno));
		return 0;
	}
	yes = write(tty, prompt, strlen(prompt)) != -1 && read_yes(tty);
	close(tty);
	return yes;
}

int
factory_password(const struct ss_conf *c, char *buf, size_t len)
{
	return fs_read_secret("[passwd] factory_file", c->passwd.factory_file,
	    buf, len);
}

struct pw_params
pw_params_conf(const struct ss_conf *c)
{
	struct pw_params	p;

	p.t = (uint32_t)c->passwd.argon2_t;
	p.m_kib = (uint32_t)c->passwd.argon2_m_kib;
	p.p = (uint32_t)c->passwd.argon2_p;
	return p;
}
