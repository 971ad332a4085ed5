/*
 * factory: whether the label's factory password still opens the system
 * account or a CMS owner's.  Each stored hash is computed again from the
 * factory password with its own salt and parameters: nothing is written,
 * no failed login counted, the password never shown.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "extern.h"
#include "fs.h"
#include "pwhash.h"
#include "secret.h"
#include "shadow.h"
#include "users.h"

#define FACTORY_ID	"factory-password"

/* The system account's crypt(3) hash in [passwd] shadow_file. */
static void
factory_system(struct report *r, const char *factory)
{
	const struct ss_conf	*c = r->c;
	const char		*name = c->passwd.system_user;
	const char		*path = c->passwd.shadow_file;
	char			 hash[PW_HASH_MAX], fix[64];
	int			 rc;

	if ((rc = shadow_get(c, name, hash, sizeof(hash))) != 0) {
		if (rc == EX_NOUSER)
			report_add(r, CHECK_UNKNOWN, FACTORY_ID, NULL,
			    "no system account %s in %s: check [passwd] "
			    "system_user", name, path);
		else
			report_add(r, CHECK_UNKNOWN, FACTORY_ID, NULL,
			    "%s: the system account %s could not be read "
			    "(see the error above)", path, name);
		return;
	}
	switch (pwhash_verify_crypt(hash, factory)) {
	case 1:
		report_add(r, CHECK_CRITICAL, FACTORY_ID, "ss-passwd system",
		    "the system account %s still has the factory password",
		    name);
		break;
	case 0:
		report_add(r, CHECK_OK, FACTORY_ID, NULL, "the system account "
		    "%s does not have the factory password", name);
		break;
	default:
		if (hash[0] == '!' || hash[0] == '*')
			report_add(r, CHECK_OK, FACTORY_ID, NULL, "the system "
			    "account %s is locked: no password logs in", name);
		else if (hash[0] == '\0') {
			snprintf(fix, sizeof(fix), "passwd %s", name);
			report_add(r, CHECK_WARNING, FACTORY_ID, fix, "the "
			    "system account %s has an empty password field in "
			    "%s: it may log in without one", name, path);
		} else
			report_add(r, CHECK_UNKNOWN, FACTORY_ID, NULL,
			    "%s: the hash of the system account %s cannot be "
			    "checked (see the error above)", path, name);
		break;
	}
	secret_zero(hash, sizeof(hash));
}

/*
 * The argon2id hash of every CMS owner in [passwd] users_file, each with
 * the memory and passes it was made with.  Admins and users are left
 * out: an owner's account is the one that can change everyone's.
 */
static void
factory_owners(struct report *r, const char *factory)
{
	const struct ss_conf	*c = r->c;
	const char		*path = c->passwd.users_file;
	const struct user	*u;
	struct users		 us = { NULL, 0 };
	struct stat		 st;
	char			 fix[USER_NAME_MAX + 32];
	size_t			 i;
	int			 owners = 0;

	if (users_load(c, &us) != 0) {
		report_add(r, CHECK_UNKNOWN, FACTORY_ID, NULL,
		    "%s could not be read (see the error above): the CMS "
		    "owners were not checked", path);
		return;
	}
	for (i = 0; i < us.n; i++) {
		u = &us.v[i];
		if (u->role != ROLE_OWNER)
			continue;
		owners++;
		if (strcmp(u->hash, "!") == 0) {
			report_add(r, CHECK_OK, FACTORY_ID, NULL,
			    "CMS owner %s has no password: it cannot log in",
			    u->name);
			continue;
		}
		switch (pwhash_verify_argon2id(u->hash, factory)) {
		case 1:
			snprintf(fix, sizeof(fix), "ss-passwd user %s",
			    u->name);
			report_add(r, CHECK_CRITICAL, FACTORY_ID, fix, "CMS "
			    "owner %s still has the factory password",
			    u->name);
			break;
		case 0:
			report_add(r, CHECK_OK, FACTORY_ID, NULL,
			    "CMS owner %s does not have the factory password",
			    u->name);
			break;
		default:
			report_add(r, CHECK_UNKNOWN, FACTORY_ID, NULL,
			    "%s: the hash of CMS owner %s cannot be checked "
			    "(see the error above)", path, u->name);
			break;
		}
	}
	if (owners == 0 && stat(path, &st) == -1 && errno == ENOENT)
		report_add(r, CHECK_OK, FACTORY_ID, NULL, "no users file %s: "
		    "only the system account was checked", path);
	else if (owners == 0)
		report_add(r, CHECK_OK, FACTORY_ID, NULL, "no CMS owner in %s",
		    path);
	users_free(&us);
}

void
factory_check(struct report *r)
{
	const char	*path = r->c->passwd.factory_file;
	struct stat	 st;
	char		 factory[PW_MAX + 1];

	memset(factory, 0, sizeof(factory));
	if (stat(path, &st) == -1 && errno == ENOENT) {
		report_add(r, CHECK_UNKNOWN, FACTORY_ID, NULL, "no factory "
		    "password file %s: whether the factory password is still "
		    "in use cannot be told; put the label's password in it "
		    "(mode 0600) or set [passwd] factory_file", path);
		return;
	}
	if (fs_read_secret("[passwd] factory_file", path, factory,
	    sizeof(factory)) != 0) {
		report_add(r, CHECK_UNKNOWN, FACTORY_ID, NULL,
		    "%s: the factory password could not be read (see the "
		    "error above)", path);
		goto out;
	}
	factory_system(r, factory);
	factory_owners(r, factory);
out:
	secret_zero(factory, sizeof(factory));
}
