/*
 * system: the system user's password in the shadow file, changed by
 * whoever knows it or restored to the label's factory password.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "audit.h"
#include "extern.h"
#include "fs.h"
#include "log.h"
#include "prompt.h"
#include "secret.h"

#define SYNOPSIS_SYSTEM		"system [--password-fd n] [--json]"
#define SYNOPSIS_FACTORY	"factory-reset [--yes] [--json]"

/* 0 when CURRENT is the password behind the crypt(3) HASH. */
static int
current_ok(const char *hash, const char *current)
{
	if (pwhash_verify_crypt(hash, current) == 1)
		return 0;
	log_err("current password is wrong");
	return EX_DATAERR;
}

/*
 * The CMS user U (NULL: none) follows the system password only when it
 * had the same one: *SAME tells, and OUT then holds its new hash.
 */
static int
cms_follows(const struct ss_conf *c, const struct user *u, const char *current,
    const char *new, int *same, char *out, size_t len)
{
	struct pwhash_params	p;

	*same = u != NULL && strcmp(u->hash, "!") != 0 &&
	    pwhash_verify_argon2id(u->hash, current) == 1;
	if (!*same)
		return 0;
	p = password_params(c);
	return pwhash_argon2id(new, &p, out, len);
}

int
cmd_system(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "password-fd", required_argument,	NULL, 'F' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct result	 r = { 0, "changed", { NULL }, 0, NULL, NULL };
	struct users	 us = { NULL, 0 };
	struct user	*u;
	const struct ss_conf *c;
	const char	*name;
	char		 current[PW_MAX + 1], new[PW_MAX + 1];
	char		 hash[PW_HASH_MAX], fresh[PW_HASH_MAX];
	char		 crypted[PW_HASH_MAX];
	char		 cms_seen[PW_HASH_MAX], cms_new[PW_HASH_MAX];
	int		 ch, fd = -1, lock = -1, same = 0, again, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			if ((rc = prompt_fd_option(optarg, &fd)) != 0)
				return rc;
			break;
		case 'j':
			r.json = 1;
			break;
		default:
			return tool_usage(SYNOPSIS_SYSTEM);
		}
	}
	if (optind != argc)
		return tool_usage(SYNOPSIS_SYSTEM);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	c = e->conf;
	name = c->passwd.system_user;
	r.user = name;
	memset(current, 0, sizeof(current));
	memset(new, 0, sizeof(new));
	memset(cms_new, 0, sizeof(cms_new));

	/* A bad file is reported before anyone types a password. */
	if ((rc = shadow_get(c, name, hash, sizeof(hash))) != 0 ||
	    (rc = users_load(c, &us)) != 0)
		goto out;
	if ((rc = prompt_secret("Current password: ", fd, current,
	    sizeof(current))) != 0 || (rc = current_ok(hash, current)) != 0 ||
	    (rc = password_ask_new_confirm(name, c, fd, new,
	    sizeof(new))) != 0)
		goto out;
	/* The current password again: verified above, nothing to write. */
	again = pwhash_equal(new, current);
	if (!again && (rc = pwhash_crypt(new, crypted, sizeof(crypted))) != 0)
		goto out;
	/* The slow argon2id work is done before the lock where it can be. */
	u = users_find(&us, name);
	snprintf(cms_seen, sizeof(cms_seen), "%s", u != NULL ? u->hash : "");
	if (!again && (rc = cms_follows(c, u, current, new, &same, cms_new,
	    sizeof(cms_new))) != 0)
		goto out;

	if ((rc = lock_pwd(c, &lock)) != 0)
		goto out;
	users_free(&us);
	if ((rc = shadow_get(c, name, fresh, sizeof(fresh))) != 0 ||
	    (strcmp(fresh, hash) != 0 &&
	    (rc = current_ok(fresh, current)) != 0) ||
	    (rc = users_load(c, &us)) != 0)
		goto out;
	if (again) {
		log_info("the system password is already the one given: "
		    "nothing changed");
		goto out;
	}
	u = users_find(&us, name);
	if (strcmp(u != NULL ? u->hash : "", cms_seen) != 0 &&
	    (rc = cms_follows(c, u, current, new, &same, cms_new,
	    sizeof(cms_new))) != 0)
		goto out;

	/* The system password first: it is what the command is for. */
	if (!e->dry_run && (rc = shadow_set(c, name, crypted)) != 0)
		goto out;
	result_path(&r, c->passwd.shadow_file);
	if (!e->dry_run)
		audit_notice("password changed", "account", name,
		    "kind", "system");
	log_info(e->dry_run ? "would change the system password" :
	    "system password changed");
	if (same)
		result_path(&r, c->passwd.users_file);
	if (u == NULL)
		log_info("no CMS user %s", name);
	else if (!same)
		log_info("CMS user %s unchanged (its password differs)", name);
	else if (e->dry_run)
		log_info("would change CMS user %s too (it has the same "
		    "password)", name);
	else {
		memcpy(u->hash, cms_new, sizeof(u->hash));
		if ((rc = users_save(c, &us)) != 0) {
			log_err("system password changed, CMS user %s not "
			    "changed: it keeps the old password", name);
			rc = EX_CANTCREAT;
			goto out;
		}
		audit_notice("password changed", "account", name,
		    "kind", "cms");
		log_info("CMS user %s changed too (it had the same password)",
		    name);
	}
out:
	fs_unlock(lock);
	users_free(&us);
	secret_zero(current, sizeof(current));
	secret_zero(new, sizeof(new));
	secret_zero(cms_new, sizeof(cms_new));
	return rc != 0 ? rc : result_print(e, &r);
}

int
cmd_factory_reset(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "yes",	no_argument,	NULL, 'y' },
		{ "json",	no_argument,	NULL, 'j' },
		{ NULL,		0,		NULL, 0 }
	};
	struct result	 r = { 0, "restored", { NULL }, 0, NULL, NULL };
	const struct ss_conf *c;
	const char	*name;
	char		 factory[PW_MAX + 1], hash[PW_HASH_MAX];
	char		 crypted[PW_HASH_MAX], question[128];
	int		 ch, yes = 0, lock = -1, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'y':
			yes = 1;
			break;
		case 'j':
			r.json = 1;
			break;
		default:
			return tool_usage(SYNOPSIS_FACTORY);
		}
	}
	if (optind != argc)
		return tool_usage(SYNOPSIS_FACTORY);
	if (!yes && !isatty(STDIN_FILENO)) {
		log_err("--yes is needed when not on a terminal");
		return EX_USAGE;
	}
	if ((rc = tool_conf(e)) != 0)
		return rc;
	c = e->conf;
	name = c->passwd.system_user;
	r.user = name;
	memset(factory, 0, sizeof(factory));

	if ((rc = password_factory(c, factory, sizeof(factory))) != 0 ||
	    (rc = shadow_get(c, name, hash, sizeof(hash))) != 0)
		goto out;
	if (!yes) {
		snprintf(question, sizeof(question),
		    "Restore the factory password of %s? [y/N] ", name);
		if (!prompt_yes(question, -1)) {
			log_info("system password unchanged");
			goto out;
		}
	}
	if ((rc = pwhash_crypt(factory, crypted, sizeof(crypted))) != 0 ||
	    (rc = lock_pwd(c, &lock)) != 0 ||
	    (rc = shadow_get(c, name, hash, sizeof(hash))) != 0)
		goto out;
	/* Idempotent: the button may be held again, or a script rerun. */
	if (pwhash_verify_crypt(hash, factory) == 1) {
		log_info("system password of %s is already the factory "
		    "password", name);
		goto out;
	}
	if (!e->dry_run && (rc = shadow_set(c, name, crypted)) != 0)
		goto out;
	result_path(&r, c->passwd.shadow_file);
	if (!e->dry_run)
		audit_notice("factory password restored", "account",
		    name, "kind", "system");
	log_info(e->dry_run ? "would restore the factory password of %s" :
	    "factory password of %s restored", name);
out:
	fs_unlock(lock);
	secret_zero(factory, sizeof(factory));
	return rc != 0 ? rc : result_print(e, &r);
}
