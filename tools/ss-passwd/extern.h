/*
 * ss-passwd: what crosses its files.
 */
#ifndef SS_PASSWD_EXTERN_H
#define SS_PASSWD_EXTERN_H

#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "pwhash.h"
#include "tool.h"

#define LOCK_WAIT	15	/* seconds to wait for .pwd.lock */
#define USER_NAME_MAX	32
#define EMAIL_MAX	254

/* Subcommands: argc/argv start at the subcommand's name. */
int	 cmd_system(struct tool_env *, int, char **);
int	 cmd_user(struct tool_env *, int, char **);
int	 cmd_useradd(struct tool_env *, int, char **);
int	 cmd_usermod(struct tool_env *, int, char **);
int	 cmd_userdel(struct tool_env *, int, char **);
int	 cmd_list(struct tool_env *, int, char **);
int	 cmd_reset(struct tool_env *, int, char **);
int	 cmd_forgot(struct tool_env *, int, char **);
int	 cmd_factory_reset(struct tool_env *, int, char **);
int	 cmd_verify(struct tool_env *, int, char **);
int	 cmd_htpasswd(struct tool_env *, int, char **);
int	 cmd_unlock(struct tool_env *, int, char **);

/*
 * result.c: what a command wrote, or would write under -n, for --json:
 * {"changed", "action", "paths", "user", "email", "dry_run"}.  Never a
 * password or a hash.
 */
#define RESULT_PATHS	2

struct result {
	int		 json;		/* --json given */
	const char	*action;	/* when something changed */
	const char	*paths[RESULT_PATHS];
	size_t		 npaths;
	const char	*user;		/* or NULL */
	const char	*email;		/* or NULL */
};

/* PATH was (or would be) written; once each. */
void	 result_path(struct result *, const char *path);
/* The document on stdout when --json was given; 0 or a sysexits code. */
int	 result_print(const struct tool_env *, const struct result *);

/*
 * lock.c: every change to the shadow and users files happens under the
 * record lock .pwd.lock beside [passwd] shadow_file, as shadow-utils does.
 */
int	 lock_pwd(const struct ss_conf *, int *fd);

/*
 * users.c: the CMS users, [passwd] users_file, one line each:
 *   name:role:email:recovery:hash:failures:locked_until:last_mail
 * role owner|admin|user; recovery on|off; hash an argon2id PHC string, or
 * "!" for none; the three numbers are a count and two epoch seconds.
 */
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

/* A missing file is an empty list; a malformed line is FILE:LINE, EX_DATAERR. */
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

/* shadow.c: the system user's entry in [passwd] shadow_file. */
/* Its hash (copied into HASH), or EX_NOUSER / EX_DATAERR (FILE:LINE). */
int	 shadow_get(const struct ss_conf *, const char *user, char *hash,
	    size_t len);
/* New hash and last-change day (today); the rest of the file untouched. */
int	 shadow_set(const struct ss_conf *, const char *user, const char *hash);

/* password.c: new passwords in, wiped on the way out. */
/*
 * "New password: " (policy), then "Repeat new password: " (match).  The
 * current password passes: setting it again is the caller's "unchanged".
 */
int	 password_ask_new(const char *user, const struct ss_conf *, int fd,
	    char *buf, size_t len);
/* The same with "Confirm new password: ", as `system` asks. */
int	 password_ask_new_confirm(const char *user, const struct ss_conf *,
	    int fd, char *buf, size_t len);
int	 password_factory(const struct ss_conf *, char *buf, size_t len);
struct pwhash_params password_params(const struct ss_conf *);

/*
 * verify.c: a CMS user's password, each attempt counted like a login.
 * Minutes U stays locked at NOW (rounded up), 0 when it is not locked.
 */
int64_t	 verify_lock_left(const struct user *, int64_t now);
/*
 * PW against the hash of U (as loaded, not locked).  The outcome is judged
 * against the users file as it is after hashing and recorded there under
 * the lock (not with -n): a failure counts and locks the user for
 * lockout_minutes after max_failures; a match clears the count.
 * 0 match; 1 no match, no password or locked meanwhile (logged); else a
 * sysexits code.
 */
int	 verify_auth(const struct tool_env *, const struct user *,
	    const char *pw);
/*
 * One argon2id hash's work with the configured parameters, for an answer
 * that has no hash to check (no such user, locked, no password): the time
 * taken does not tell who has an account.
 */
void	 verify_as_long(const struct ss_conf *);

/* mail.c: a new random password to a user's address, then stored. */
/* 0 when [smtp] url and from are set, else EX_CONFIG (logged). */
int	 mail_ready(const struct ss_conf *);
int	 mail_password(const struct ss_conf *, const struct user *,
	    const char *reason, const char *password);

#endif
