/*
 * reset, forgot: a new random password by mail, on an owner's word or at
 * the user's own request.  The mail goes first: a password is stored only
 * once its user has been sent it.
 */
#include <getopt.h>
#include <stdio.h>
#include <sysexits.h>
#include <unistd.h>

#include "audit.h"
#include "extern.h"
#include "fs.h"
#include "log.h"
#include "prompt.h"
#include "secret.h"
#include "time64.h"

#define RESET_SYNOPSIS	"reset name --as owner [--password-fd n] [--json]"
#define FORGOT_SYNOPSIS	"forgot name [--json]"
#define RANDOM_LEN	16		/* characters of a mailed password */
#define FORGOT_EVERY	(15 * 60)	/* seconds between two forgot mails */

/*
 * NAME may be sent a new password: it exists and has an address; for
 * forgot, recovery is on and its last mail is FORGOT_EVERY old.
 */
static int
target_ok(const struct users *us, const char *name, int forgot, int64_t now,
    struct user **out)
{
	struct user	*u;

	if ((u = users_find(us, name)) == NULL) {
		log_err("no user %s", name);
		return EX_NOUSER;
	}
	if (u->email[0] == '\0') {
		log_err("%s has no email address", name);
		return EX_DATAERR;
	}
	if (forgot && !u->recovery) {
		log_err("recovery is off for %s", name);
		return EX_DATAERR;
	}
	if (forgot && now - u->last_mail < FORGOT_EVERY) {
		log_err("forgot: one mail per user per 15 minutes; try again "
		    "in %lld minutes",
		    (long long)((u->last_mail + FORGOT_EVERY - now + 59) / 60));
		return EX_TEMPFAIL;
	}
	*out = u;
	return 0;
}

/*
 * Mails T a new password, then stores it: on the word of OWNER, or at
 * T's own request (forgot) when OWNER is NULL.  The lock is held from
 * before the mail to after the write and T is checked again under it, so
 * what was mailed is what is stored; the hash is made before, to hold the
 * lock no longer than the mail.  A new password is always a change: R
 * tells it, with T's name and address.
 */
static int
renew(const struct tool_env *e, const struct user *t, const char *reason,
    const char *owner, struct result *r)
{
	const struct ss_conf	*c = e->conf;
	struct pwhash_params	 params = password_params(c);
	struct users		 us = { NULL, 0 };
	struct user		*u;
	char			 pw[RANDOM_LEN + 1], hash[PW_HASH_MAX];
	int64_t			 now;
	int			 fd = -1, forgot = owner == NULL, rc;

	r->user = t->name;
	r->email = t->email;
	if (e->dry_run) {
		log_info("would mail a new password to %s and store it for %s",
		    t->email, t->name);
		result_path(r, c->passwd.users_file);
		return 0;
	}
	if ((rc = pwhash_random(pw, RANDOM_LEN)) != 0 ||
	    (rc = pwhash_argon2id(pw, &params, hash, sizeof(hash))) != 0 ||
	    (rc = lock_pwd(c, &fd)) != 0 ||
	    (rc = users_load(c, &us)) != 0)
		goto out;
	now = time64_now();
	if ((rc = target_ok(&us, t->name, forgot, now, &u)) != 0)
		goto out;
	if ((rc = mail_password(c, u, reason, pw)) != 0) {
		log_err("the mail to %s was not sent: the password of %s is "
		    "unchanged", u->email, u->name);
		goto out;
	}
	snprintf(u->hash, sizeof(u->hash), "%s", hash);
	u->failures = 0;
	u->locked_until = 0;
	if (forgot)
		u->last_mail = now;
	if ((rc = users_save(c, &us)) != 0) {
		log_err("a new password was mailed to %s but not stored: the "
		    "old password of %s still works", u->email, u->name);
		goto out;
	}
	result_path(r, c->passwd.users_file);
	if (forgot)
		audit_notice("password mailed", "account", u->name,
		    "kind", "cms", "request", "forgot");
	else
		audit_notice("password reset", "account", u->name,
		    "kind", "cms", "owner", owner);
	log_info("new password for %s mailed to %s", u->name, u->email);
out:
	fs_unlock(fd);
	users_free(&us);
	secret_zero(pw, sizeof(pw));
	secret_zero(hash, sizeof(hash));
	return rc;
}

int
cmd_reset(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "as",			required_argument,	NULL, 'a' },
		{ "password-fd",	required_argument,	NULL, 'p' },
		{ "json",		no_argument,		NULL, 'j' },
		{ NULL,			0,			NULL, 0 }
	};
	struct result	 r = { 0, "reset", { NULL }, 0, NULL, NULL };
	struct users	 us = { NULL, 0 };
	struct user	*o, *t;
	const char	*owner = NULL, *name;
	char		 pw[PW_MAX + 1], prompt[USER_NAME_MAX + 16];
	char		 reason[USER_NAME_MAX + 32];
	int64_t		 left;
	int		 ch, fd = -1, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			owner = optarg;
			break;
		case 'p':
			if ((rc = prompt_fd_option(optarg, &fd)) != 0)
				return rc;
			break;
		case 'j':
			r.json = 1;
			break;
		default:
			return tool_usage(RESET_SYNOPSIS);
		}
	}
	if (argc - optind != 1 || owner == NULL)
		return tool_usage(RESET_SYNOPSIS);
	name = argv[optind];
	if ((rc = tool_conf(e)) != 0 || (rc = users_load(e->conf, &us)) != 0)
		return rc;
	if ((o = users_find(&us, owner)) == NULL) {
		log_err("no user %s", owner);
		rc = EX_NOUSER;
		goto out;
	}
	if (o->role != ROLE_OWNER) {
		log_err("%s is not an owner: only an owner may reset another "
		    "user's password", owner);
		rc = EX_NOPERM;
		goto out;
	}
	if ((left = verify_lock_left(o, time64_now())) > 0) {
		log_err("%s is locked for %lld more minutes", owner,
		    (long long)left);
		rc = EX_TEMPFAIL;
		goto out;
	}
	snprintf(prompt, sizeof(prompt), "Password for %s: ", owner);
	if ((rc = prompt_secret(prompt, fd, pw, sizeof(pw))) != 0)
		goto out;
	rc = verify_auth(e, o, pw);
	secret_zero(pw, sizeof(pw));
	if (rc == 1)
		rc = EX_DATAERR;
	if (rc != 0 ||
	    (rc = target_ok(&us, name, 0, time64_now(), &t)) != 0 ||
	    (rc = mail_ready(e->conf)) != 0)
		goto out;
	snprintf(reason, sizeof(reason), "%s has reset your password.", owner);
	if ((rc = renew(e, t, reason, o->name, &r)) == 0)
		rc = result_print(e, &r);
out:
	users_free(&us);
	return rc;
}

int
cmd_forgot(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ NULL,		0,		NULL, 0 }
	};
	struct result	 r = { 0, "mailed", { NULL }, 0, NULL, NULL };
	struct users	 us = { NULL, 0 };
	struct user	*t;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'j')
			return tool_usage(FORGOT_SYNOPSIS);
		r.json = 1;
	}
	if (argc - optind != 1)
		return tool_usage(FORGOT_SYNOPSIS);
	if ((rc = tool_conf(e)) != 0 || (rc = mail_ready(e->conf)) != 0 ||
	    (rc = users_load(e->conf, &us)) != 0)
		return rc;
	/* renew() hashes a new password: a refusal costs as much. */
	if ((rc = target_ok(&us, argv[optind], 1, time64_now(), &t)) == 0)
		rc = renew(e, t, "A new password was asked for your account "
		    "(password recovery). If that was not you, tell an owner "
		    "of this device.", NULL, &r);
	else
		verify_as_long(e->conf);
	if (rc == 0)
		rc = result_print(e, &r);
	users_free(&us);
	return rc;
}
