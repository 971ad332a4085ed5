/*
 * ss-passwd: what crosses its files.
 */
#ifndef SS_PASSWD_EXTERN_H
#define SS_PASSWD_EXTERN_H

#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "pwhash.h"
#include "shadow.h"
#include "tool.h"
#include "users.h"

#define LOCK_WAIT	15	/* seconds to wait for .pwd.lock */

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
