/*
 * user: the CMS users: their own password changes, and adding, changing,
 * removing and listing them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "extern.h"
#include "fs.h"
#include "log.h"
#include "prompt.h"
#include "secret.h"
#include "time64.h"

#define SYNOPSIS_USER	"user [name] [--also-system] [--password-fd n] " \
	"[--json]"
#define SYNOPSIS_USERADD "useradd name --role owner|admin|user " \
	"[--email address] [--random] [--password-fd n] [--json]"
#define SYNOPSIS_USERMOD "usermod name [--role role] [--email address] " \
	"[--recovery on|off] [--json]"
#define SYNOPSIS_USERDEL	"userdel name [--json]"
#define SYNOPSIS_UNLOCK		"unlock name [--json]"
#define SYNOPSIS_LIST		"list [--json]"

#define RANDOM_LENGTH	16

/* The users file into US (emptied first), under .pwd.lock with LOCK. */
static int
load(const struct ss_conf *c, int *lock, struct users *us)
{
	int	rc;

	if (lock != NULL && (rc = lock_pwd(c, lock)) != 0)
		return rc;
	users_free(us);
	return users_load(c, us);
}

/* The same, and NAME's entry in it. */
static int
load_user(const struct ss_conf *c, int *lock, struct users *us,
    const char *name, struct user **u)
{
	int	rc;

	if ((rc = load(c, lock, us)) != 0)
		return rc;
	if ((*u = users_find(us, name)) != NULL)
		return 0;
	log_err("no user %s", name);
	return EX_NOUSER;
}

/*
 * The same for the user NU to be added: its name must be free, unless
 * the user is there as NU would be (role, address, recovery) and not
 * MAILED a new password: *U is then that user, else NULL.
 */
static int
load_without(const struct ss_conf *c, int *lock, struct users *us,
    const struct user *nu, int mailed, struct user **u)
{
	int	rc;

	if ((rc = load(c, lock, us)) != 0)
		return rc;
	if ((*u = users_find(us, nu->name)) == NULL)
		return 0;
	if (!mailed && (*u)->role == nu->role &&
	    strcmp((*u)->email, nu->email) == 0 &&
	    (*u)->recovery == nu->recovery)
		return 0;
	log_err("user %s exists; change it with ss-passwd usermod", nu->name);
	return EX_DATAERR;
}

/* 0 when CURRENT is the password behind the argon2id HASH. */
static int
current_ok(const char *hash, const char *current)
{
	if (strcmp(hash, "!") != 0 &&
	    pwhash_verify_argon2id(hash, current) == 1)
		return 0;
	log_err("current password is wrong");
	return EX_DATAERR;
}

int
cmd_user(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "also-system", no_argument,		NULL, 'a' },
		{ "password-fd", required_argument,	NULL, 'F' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct result	 r = { 0, "changed", { NULL }, 0, NULL, NULL };
	struct users	 us = { NULL, 0 };
	struct user	*u;
	struct pwhash_params p;
	const struct ss_conf *c;
	const char	*name, *sysuser;
	char		 current[PW_MAX + 1], new[PW_MAX + 1];
	char		 seen[PW_HASH_MAX], hash[PW_HASH_MAX];
	char		 crypted[PW_HASH_MAX], shadow[PW_HASH_MAX];
	int		 ch, fd = -1, lock = -1, also = 0, sys = 0, again, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			also = 1;
			break;
		case 'F':
			if ((rc = prompt_fd_option(optarg, &fd)) != 0)
				return rc;
			break;
		case 'j':
			r.json = 1;
			break;
		default:
			return tool_usage(SYNOPSIS_USER);
		}
	}
	if (argc - optind > 1)
		return tool_usage(SYNOPSIS_USER);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	c = e->conf;
	sysuser = c->passwd.system_user;
	name = optind < argc ? argv[optind] : sysuser;
	r.user = name;
	if (also && strcmp(name, sysuser) != 0) {
		log_err("--also-system is only for %s, the system user",
		    sysuser);
		return EX_USAGE;
	}
	memset(current, 0, sizeof(current));
	memset(new, 0, sizeof(new));

	if ((rc = load_user(c, NULL, &us, name, &u)) != 0 ||
	    (also && (rc = shadow_get(c, sysuser, shadow,
	    sizeof(shadow))) != 0))
		goto out;
	if (strcmp(u->hash, "!") == 0) {
		log_err("%s has no password to change; an owner can reset it",
		    name);
		rc = EX_DATAERR;
		goto out;
	}
	snprintf(seen, sizeof(seen), "%s", u->hash);
	if ((rc = prompt_secret("Current password: ", fd, current,
	    sizeof(current))) != 0 || (rc = current_ok(seen, current)) != 0 ||
	    (rc = password_ask_new(name, c, fd, new, sizeof(new))) != 0)
		goto out;
	/* The current password again: verified above, nothing to write. */
	again = pwhash_equal(new, current);
	sys = also && prompt_yes("Also change the system password? [y/N] ", fd);
	p = password_params(c);
	if ((!again &&
	    (rc = pwhash_argon2id(new, &p, hash, sizeof(hash))) != 0) ||
	    (sys && (rc = pwhash_crypt(new, crypted, sizeof(crypted))) != 0))
		goto out;

	if ((rc = load_user(c, &lock, &us, name, &u)) != 0 ||
	    (strcmp(u->hash, seen) != 0 &&
	    (rc = current_ok(u->hash, current)) != 0) ||
	    (sys && (rc = shadow_get(c, sysuser, shadow,
	    sizeof(shadow))) != 0))
		goto out;
	if (again)
		log_info("CMS user %s already has the password given: "
		    "unchanged", name);
	else {
		memcpy(u->hash, hash, sizeof(u->hash));
		if (!e->dry_run && (rc = users_save(c, &us)) != 0)
			goto out;
		result_path(&r, c->passwd.users_file);
		if (!e->dry_run)
			audit_notice("password changed", "account", name,
			    "kind", "cms");
		log_info(e->dry_run ? "would change the password of CMS user "
		    "%s" : "password of CMS user %s changed", name);
	}
	if (!also)
		goto out;
	if (!sys) {
		log_info("system password unchanged");
		goto out;
	}
	if (pwhash_verify_crypt(shadow, new) == 1) {
		log_info("the system password is already the one given: "
		    "unchanged");
		goto out;
	}
	if (!e->dry_run && (rc = shadow_set(c, sysuser, crypted)) != 0) {
		if (!again)
			log_err("password of CMS user %s changed, system "
			    "password not changed", name);
		rc = EX_CANTCREAT;
		goto out;
	}
	result_path(&r, c->passwd.shadow_file);
	if (!e->dry_run)
		audit_notice("password changed", "account", sysuser,
		    "kind", "system");
	log_info(e->dry_run ? "would change the system password" :
	    "system password changed");
out:
	fs_unlock(lock);
	users_free(&us);
	secret_zero(current, sizeof(current));
	secret_zero(new, sizeof(new));
	return rc != 0 ? rc : result_print(e, &r);
}

static int
append(struct users *us, const struct user *u)
{
	struct user	*nv;

	if ((nv = reallocarray(us->v, us->n + 1, sizeof(*nv))) == NULL) {
		log_err("%s", strerror(errno));
		return EX_OSERR;
	}
	us->v = nv;
	us->v[us->n++] = *u;
	return 0;
}

int
cmd_useradd(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "role",	required_argument,	NULL, 'r' },
		{ "email",	required_argument,	NULL, 'e' },
		{ "random",	no_argument,		NULL, 'R' },
		{ "password-fd", required_argument,	NULL, 'F' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct result	 r = { 0, "added", { NULL }, 0, NULL, NULL };
	struct users	 us = { NULL, 0 };
	struct user	 nu, *u;
	struct pwhash_params p;
	const struct ss_conf *c;
	const char	*role = NULL, *email = "";
	char		 pw[PW_MAX + 1];
	int		 ch, fd = -1, lock = -1, mailed = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			role = optarg;
			break;
		case 'e':
			email = optarg;
			break;
		case 'R':
			mailed = 1;
			break;
		case 'F':
			if ((rc = prompt_fd_option(optarg, &fd)) != 0)
				return rc;
			break;
		case 'j':
			r.json = 1;
			break;
		default:
			return tool_usage(SYNOPSIS_USERADD);
		}
	}
	if (optind + 1 != argc || role == NULL || (mailed && fd >= 0))
		return tool_usage(SYNOPSIS_USERADD);
	memset(&nu, 0, sizeof(nu));
	if (!users_name_ok(argv[optind])) {
		log_err("bad user name '%s': a-z, 0-9, '_', '.', '-', at most "
		    "%d, not starting with a digit, '.' or '-'", argv[optind],
		    USER_NAME_MAX);
		return EX_DATAERR;
	}
	if (users_role_parse(role, &nu.role) == -1) {
		log_err("--role: '%s' is not owner, admin or user", role);
		return EX_USAGE;
	}
	if (*email != '\0' && !users_email_ok(email)) {
		log_err("--email: '%s' is not an email address", email);
		return EX_DATAERR;
	}
	if (mailed && *email == '\0') {
		log_err("--random needs --email: the password is mailed");
		return EX_USAGE;
	}
	if ((rc = tool_conf(e)) != 0)
		return rc;
	c = e->conf;
	memcpy(nu.name, argv[optind], strlen(argv[optind]) + 1);
	memcpy(nu.email, email, strlen(email) + 1);
	nu.recovery = *email != '\0';
	r.user = nu.name;
	r.email = mailed ? nu.email : NULL;
	memset(pw, 0, sizeof(pw));

	if ((rc = load_without(c, NULL, &us, &nu, mailed, &u)) != 0)
		goto out;
	rc = mailed ? pwhash_random(pw, RANDOM_LENGTH) :
	    password_ask_new(nu.name, c, fd, pw, sizeof(pw));
	if (rc != 0)
		goto out;
	p = password_params(c);
	if ((rc = pwhash_argon2id(pw, &p, nu.hash, sizeof(nu.hash))) != 0)
		goto out;
	if ((rc = load_without(c, &lock, &us, &nu, mailed, &u)) != 0)
		goto out;
	/* Added before with this very password: a rerun changes nothing. */
	if (u != NULL) {
		if (strcmp(u->hash, "!") == 0 ||
		    pwhash_verify_argon2id(u->hash, pw) != 1) {
			log_err("user %s exists with another password; change "
			    "it with ss-passwd user or reset", nu.name);
			rc = EX_DATAERR;
		} else
			log_info("user %s exists as given: unchanged",
			    nu.name);
		goto out;
	}
	/*
	 * Mailed under the lock, once the name is known to be free, and
	 * stored only once mailed: a password nobody received locks out.
	 */
	if (mailed && !e->dry_run && (rc = mail_password(c, &nu,
	    "A user account has been created for you.", pw)) != 0)
		goto out;
	if ((rc = append(&us, &nu)) != 0 ||
	    (!e->dry_run && (rc = users_save(c, &us)) != 0))
		goto out;
	result_path(&r, c->passwd.users_file);
	if (!e->dry_run)
		audit_notice("user added", "account", nu.name,
		    "role", users_role_name(nu.role), "mailed",
		    mailed ? "yes" : "no");
	if (e->dry_run)
		log_info("would add user %s (%s)", nu.name,
		    users_role_name(nu.role));
	else if (mailed)
		log_info("user %s added (%s); its password was mailed to %s",
		    nu.name, users_role_name(nu.role), nu.email);
	else
		log_info("user %s added (%s)", nu.name,
		    users_role_name(nu.role));
out:
	fs_unlock(lock);
	users_free(&us);
	secret_zero(pw, sizeof(pw));
	if (rc == 0)
		rc = result_print(e, &r);
	secret_zero(&nu, sizeof(nu));
	return rc;
}

/* What changed from WAS to U, by field name; the address is not told. */
static void
usermod_audit(const struct user *was, const struct user *u)
{
	char	changed[32];

	snprintf(changed, sizeof(changed), "%s%s%s",
	    u->role != was->role ? ",role" : "",
	    strcmp(u->email, was->email) != 0 ? ",email" : "",
	    u->recovery != was->recovery ? ",recovery" : "");
	audit_notice("user modified", "account", u->name,
	    "changed", changed + 1, "role", users_role_name(u->role),
	    "email", u->email[0] != '\0' ? "set" : "none",
	    "recovery", u->recovery ? "on" : "off");
}

int
cmd_usermod(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "role",	required_argument,	NULL, 'r' },
		{ "email",	required_argument,	NULL, 'e' },
		{ "recovery",	required_argument,	NULL, 'R' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct result	 r = { 0, "modified", { NULL }, 0, NULL, NULL };
	struct users	 us = { NULL, 0 };
	struct user	*u, was;
	enum role	 role = ROLE_USER;
	const char	*name, *email = NULL;
	int		 ch, lock = -1, setrole = 0, recovery = -1, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (users_role_parse(optarg, &role) == -1) {
				log_err("--role: '%s' is not owner, admin or "
				    "user", optarg);
				return EX_USAGE;
			}
			setrole = 1;
			break;
		case 'e':
			email = optarg;
			break;
		case 'R':
			if (strcmp(optarg, "on") == 0)
				recovery = 1;
			else if (strcmp(optarg, "off") == 0)
				recovery = 0;
			else
				return tool_usage(SYNOPSIS_USERMOD);
			break;
		case 'j':
			r.json = 1;
			break;
		default:
			return tool_usage(SYNOPSIS_USERMOD);
		}
	}
	if (optind + 1 != argc || (!setrole && email == NULL &&
	    recovery == -1))
		return tool_usage(SYNOPSIS_USERMOD);
	name = argv[optind];
	r.user = name;
	if (email != NULL && *email != '\0' && !users_email_ok(email)) {
		log_err("--email: '%s' is not an email address", email);
		return EX_DATAERR;
	}
	if ((rc = tool_conf(e)) != 0)
		return rc;

	if ((rc = load_user(e->conf, &lock, &us, name, &u)) != 0)
		goto out;
	was = *u;
	if (setrole && u->role == ROLE_OWNER && role != ROLE_OWNER &&
	    users_owners(&us) == 1) {
		log_err("%s is the last owner", name);
		rc = EX_DATAERR;
		goto out;
	}
	if (setrole)
		u->role = role;
	if (email != NULL) {
		memcpy(u->email, email, strlen(email) + 1);
		/* No address, no recovery mail: unless asked otherwise. */
		if (*email == '\0' && recovery == -1)
			u->recovery = 0;
	}
	if (recovery == 1 && u->email[0] == '\0') {
		log_err("%s has no email address: recovery needs one", name);
		rc = EX_DATAERR;
		goto out;
	}
	if (recovery != -1)
		u->recovery = recovery;
	if (u->role == was.role && strcmp(u->email, was.email) == 0 &&
	    u->recovery == was.recovery) {
		log_info("user %s unchanged", name);
		goto out;
	}
	if (!e->dry_run && (rc = users_save(e->conf, &us)) != 0)
		goto out;
	result_path(&r, e->conf->passwd.users_file);
	if (!e->dry_run)
		usermod_audit(&was, u);
	log_info("%s %s: role %s, email %s, recovery %s",
	    e->dry_run ? "would change user" : "changed user", name,
	    users_role_name(u->role), u->email[0] != '\0' ? u->email :
	    "none", u->recovery ? "on" : "off");
out:
	fs_unlock(lock);
	users_free(&us);
	secret_zero(&was, sizeof(was));
	return rc != 0 ? rc : result_print(e, &r);
}

/* --json, the one option of userdel and unlock, into R. */
static int
json_option(int argc, char *argv[], struct result *r)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ NULL,		0,		NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'j')
			return -1;
		r->json = 1;
	}
	return optind + 1 == argc ? 0 : -1;
}

int
cmd_userdel(struct tool_env *e, int argc, char *argv[])
{
	struct result	 r = { 0, "removed", { NULL }, 0, NULL, NULL };
	struct users	 us = { NULL, 0 };
	struct user	*u;
	const char	*name;
	size_t		 i;
	int		 lock = -1, rc;

	if (json_option(argc, argv, &r) == -1)
		return tool_usage(SYNOPSIS_USERDEL);
	name = argv[optind];
	r.user = name;
	if ((rc = tool_conf(e)) != 0)
		return rc;

	if ((rc = load_user(e->conf, &lock, &us, name, &u)) != 0)
		goto out;
	if (u->role == ROLE_OWNER && users_owners(&us) == 1) {
		log_err("%s is the last owner", name);
		rc = EX_DATAERR;
		goto out;
	}
	i = (size_t)(u - us.v);
	memmove(u, u + 1, (us.n - i - 1) * sizeof(*u));
	us.n--;
	if (!e->dry_run && (rc = users_save(e->conf, &us)) != 0)
		goto out;
	result_path(&r, e->conf->passwd.users_file);
	if (!e->dry_run)
		audit_notice("user removed", "account", name);
	log_info(e->dry_run ? "would delete user %s" : "user %s deleted",
	    name);
out:
	fs_unlock(lock);
	users_free(&us);
	return rc != 0 ? rc : result_print(e, &r);
}

/*
 * Lifts NAME's lockout and forgets its failed attempts.  No password is
 * asked: whoever may write the users file may do this.
 */
int
cmd_unlock(struct tool_env *e, int argc, char *argv[])
{
	struct result	 r = { 0, "unlocked", { NULL }, 0, NULL, NULL };
	struct users	 us = { NULL, 0 };
	struct user	*u;
	const char	*name;
	long		 failures;
	int		 lock = -1, locked, rc;

	if (json_option(argc, argv, &r) == -1)
		return tool_usage(SYNOPSIS_UNLOCK);
	name = argv[optind];
	r.user = name;
	if ((rc = tool_conf(e)) != 0)
		return rc;

	if ((rc = load_user(e->conf, &lock, &us, name, &u)) != 0)
		goto out;
	locked = verify_lock_left(u, time64_now()) > 0;
	if (!locked && u->failures == 0) {
		log_info("%s is not locked", name);
		goto out;
	}
	failures = u->failures;
	if (!locked)
		r.action = "cleared";
	u->failures = 0;
	u->locked_until = 0;
	if (!e->dry_run && (rc = users_save(e->conf, &us)) != 0)
		goto out;
	result_path(&r, e->conf->passwd.users_file);
	if (!e->dry_run)
		audit_notice("account unlocked", "account", name,
		    "kind", "cms", "locked", locked ? "yes" : "no");
	if (locked)
		log_info(e->dry_run ? "would unlock %s" : "%s unlocked", name);
	else
		log_info("%s is not locked; its %ld failed attempts %s", name,
		    failures, e->dry_run ? "would be forgotten" : "forgotten");
out:
	fs_unlock(lock);
	users_free(&us);
	return rc != 0 ? rc : result_print(e, &r);
}

static const char *
status(const struct user *u, int64_t now)
{
	if (strcmp(u->hash, "!") == 0)
		return "no-password";
	return u->locked_until > now ? "locked" : "ok";
}

/* T in RFC 3339, or null for 0 (never). */
static json_t *
json_time(int64_t t)
{
	char	buf[32];

	if (t == 0)
		return json_null();
	time64_rfc3339(buf, sizeof(buf), t);
	return json_string(buf);
}

static int
print_json(const struct users *us, int64_t now)
{
	const struct user *u;
	json_t		*a, *o;
	size_t		 i;

	if ((a = json_array()) == NULL)
		return tool_print_json(NULL);
	for (i = 0; i < us->n; i++) {
		u = &us->v[i];
		o = json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:I, s:o, s:o}",
		    "name", u->name, "role", users_role_name(u->role),
		    "email", u->email, "recovery", u->recovery,
		    "locked", u->locked_until > now,
		    "has_password", strcmp(u->hash, "!") != 0,
		    "failures", (json_int_t)u->failures,
		    "locked_until", json_time(u->locked_until),
		    "last_mail", json_time(u->last_mail));
		if (o == NULL || json_array_append_new(a, o) == -1) {
			json_decref(a);
			return tool_print_json(NULL);
		}
	}
	return tool_print_json(a);
}

int
cmd_list(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ NULL,		0,		NULL, 0 }
	};
	struct users	 us = { NULL, 0 };
	const struct user *u;
	int64_t		 now = time64_now();
	size_t		 i;
	int		 ch, json = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'j')
			return tool_usage(SYNOPSIS_LIST);
		json = 1;
	}
	if (optind != argc)
		return tool_usage(SYNOPSIS_LIST);
	if ((rc = tool_conf(e)) != 0 || (rc = users_load(e->conf, &us)) != 0)
		return rc;
	if (json)
		rc = print_json(&us, now);
	else {
		if (isatty(STDOUT_FILENO))
			printf("NAME\tROLE\tEMAIL\tRECOVERY\tSTATUS\n");
		/* "-" keeps the columns apart for read(1) with IFS=tab. */
		for (i = 0; i < us.n; i++) {
			u = &us.v[i];
			printf("%s\t%s\t%s\t%s\t%s\n", u->name,
			    users_role_name(u->role), u->email[0] != '\0' ?
			    u->email : "-", u->recovery ? "on" : "off",
			    status(u, now));
		}
		if (fflush(stdout) == EOF)
			rc = EX_IOERR;
	}
	users_free(&us);
	return rc;
}
