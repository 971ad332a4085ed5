/*
 * users: the CMS users, [passwd] users_file, one line each:
 *   name:role:email:recovery:hash:failures:locked_until:last_mail
 * role owner|admin|user; recovery on|off; hash an argon2id PHC string, or
 * "!" for none; the three numbers are a count and two epoch seconds.
 * Read strictly, written whole; reached by directory descriptor from
 * [device] state_dir when the file lies under it.
 */
#ifndef SEC_USERS_H
#define SEC_USERS_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "pwhash.h"

#define USER_NAME_MAX	32
#define EMAIL_MAX	254

enum role { ROLE_OWNER, ROLE_ADMIN, ROLE_USER };

struct user {
	char		 name[USER_NAME_MAX + 1];
	enum role	 role;
	char		 email[EMAIL_MAX + 1];
	int		 recovery;
	char		 hash[PW_HASH_MAX];
	long		 failures;
	int64_t		 locked_until;		/* lib/time64 */
	int64_t		 last_mail;
};

struct users {
	struct user	*v;
	size_t		 n;
};

/*
 * A missing file (or directory) is an empty list, nothing written; a
 * malformed line is FILE:LINE, EX_DATAERR.  users_free wipes the hashes.
 */
int	 users_load(const struct ss_conf *, struct users *);
/* Atomically, mode and owner kept, the old file kept as FILE-. */
int	 users_save(const struct ss_conf *, const struct users *);
void	 users_free(struct users *);
struct user *users_find(const struct users *, const char *name);
int	 users_owners(const struct users *);
int	 users_name_ok(const char *);
/* One '@' with something either side; no ':', ',', blanks or controls. */
int	 users_email_ok(const char *);
int	 users_role_parse(const char *, enum role *);
const char *users_role_name(enum role);

#endif
