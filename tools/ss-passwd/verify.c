/*
 * verify: a CMS user's password, as a login would check it, failures
 * counted and repeated failures locking the user out for a while.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "audit.h"
#include "extern.h"
#include "fs.h"
#include "log.h"
#include "prompt.h"
#include "secret.h"
#include "time64.h"

#define SYNOPSIS "verify name [--password-fd n]"

int64_t
verify_lock_left(const struct user *u, int64_t now)
{
	if (u->locked_until <= now)
		return 0;
	return (u->locked_until - now + 59) / 60;
}

/*
 * The outcome of one attempt on U (MATCH or not), judged against the
 * users file as it is now: the user may have been locked, deleted or
 * given a new password while the hash ran.  A match that finds nothing to
 * clear only reads, so a good login never waits for the lock.
 */
static int
record(const struct ss_conf *c, const struct user *u, int match)
{
	struct users	 us = { NULL, 0 };
	struct user	*cur;
	int64_t		 now = time64_now();
	long		 max = c->passwd.max_failures;
	long		 minutes = c->passwd.lockout_minutes;
	int64_t		 left;
	char		 n[24], m[24];
	int		 fd = -1, locked = 0, rc;

	if ((!match || u->failures != 0) && (rc = lock_pwd(c, &fd)) != 0)
		return rc;
	if ((rc = users_load(c, &us)) != 0)
		goto out;
	rc = 1;
	if ((cur = users_find(&us, u->name)) == NULL ||
	    strcmp(cur->hash, u->hash) != 0) {
		log_err("the password of %s changed while it was checked",
		    u->name);
		goto out;
	}
	if ((left = verify_lock_left(cur, now)) > 0) {
		log_err("%s is locked for %lld more minutes", u->name,
		    (long long)left);
		goto out;
	}
	if (match) {
		rc = 0;
		if (cur->failures == 0 || fd == -1)
			goto out;
		cur->failures = 0;
	} else {
		log_err("wrong password for %s", u->name);
		if (++cur->failures >= max && max > 0) {
			cur->failures = 0;
			cur->locked_until = now + (int64_t)minutes * 60;
			locked = 1;
			log_warn("%s is locked for %ld minutes after %ld "
			    "failed attempts", u->name, minutes, max);
		}
	}
	if ((rc = users_save(c, &us)) != 0)
		goto out;
	if (locked) {
		snprintf(n, sizeof(n), "%ld", max);
		snprintf(m, sizeof(m), "%ld", minutes);
		audit_warning("account locked", "account", u->name,
		    "kind", "cms", "failures", n, "minutes", m);
	}
	rc = match ? 0 : 1;
out:
	fs_unlock(fd);
	users_free(&us);
	return rc;
}

void
verify_as_long(const struct ss_conf *c)
{
	struct pwhash_params	p = password_params(c);

	pwhash_argon2id_work(&p);
}

int
verify_auth(const struct tool_env *e, const struct user *u, const char *pw)
{
	int	match;

	if (strcmp(u->hash, "!") == 0) {
		verify_as_long(e->conf);
		log_err("%s has no password", u->name);
		return 1;
	}
	if ((match = pwhash_verify_argon2id(u->hash, pw)) == -1)
		return EX_DATAERR;
	if (!e->dry_run)
		return record(e->conf, u, match);
	if (!match)
		log_err("wrong password for %s", u->name);
	return match ? 0 : 1;
}

int
cmd_verify(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "password-fd",	required_argument,	NULL, 'p' },
		{ NULL,			0,			NULL, 0 }
	};
	struct users	 us = { NULL, 0 };
	struct user	*u;
	char		 pw[PW_MAX + 1];
	long		 left;
	int		 ch, fd = -1, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'p')
			return tool_usage(SYNOPSIS);
		if ((rc = prompt_fd_option(optarg, &fd)) != 0)
			return rc;
	}
	if (argc - optind != 1)
		return tool_usage(SYNOPSIS);
	/* Only what the hash needs comes before it: one read of each file. */
	if ((rc = tool_conf(e)) != 0 || (rc = users_load(e->conf, &us)) != 0)
		return rc;
	if ((u = users_find(&us, argv[optind])) == NULL) {
		verify_as_long(e->conf);
		log_err("no user %s", argv[optind]);
		rc = EX_NOUSER;
		goto out;
	}
	if ((left = verify_lock_left(u, time64_now())) > 0) {
		verify_as_long(e->conf);
		log_err("%s is locked for %lld more minutes", u->name,
		    (long long)left);
		rc = 1;
		goto out;
	}
	if ((rc = prompt_secret("Password: ", fd, pw, sizeof(pw))) != 0)
		goto out;
	rc = verify_auth(e, u, pw);
	secret_zero(pw, sizeof(pw));
out:
	users_free(&us);
	return rc;
}
