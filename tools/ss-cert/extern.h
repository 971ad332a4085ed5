/*
 * ss-cert: what crosses its files.
 */
#ifndef SS_CERT_EXTERN_H
#define SS_CERT_EXTERN_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

#include "certdir.h"
#include "conf.h"
#include "tool.h"

#define LOCK_WAIT	30	/* seconds to wait for another ss-cert */

/* Subcommands: argc/argv start at the subcommand's name. */
int	 cmd_selfsigned(struct tool_env *, int, char **);
int	 cmd_install(struct tool_env *, int, char **);
int	 cmd_check(struct tool_env *, int, char **);
int	 cmd_list(struct tool_env *, int, char **);
int	 cmd_dhparam(struct tool_env *, int, char **);
int	 cmd_export(struct tool_env *, int, char **);
int	 cmd_issue(struct tool_env *, int, char **);
int	 cmd_renew(struct tool_env *, int, char **);
int	 cmd_revoke(struct tool_env *, int, char **);
int	 cmd_account(struct tool_env *, int, char **);

/* store.c: the certificates directory. */
int	 store_lock(const struct ss_conf *, int *fd);
/* The audit line of EVENT for NAME's LEAF; REASON may be NULL. */
void	 store_audit(const char *event, const char *name, X509 *leaf,
	    const char *reason);

struct store_set {
	const char	*cert;		/* PEM of the leaf */
	size_t		 certlen;
	const char	*chain;		/* PEM of the intermediates,
	    may be "" */
	size_t		 chainlen;
	const char	*key;		/* PEM of the private key */
	size_t		 keylen;
};
int	 store_install(const struct ss_conf *, const char *name,
	    const struct store_set *, int *version);
int	 store_install_x509(const struct ss_conf *, const char *name,
    X509 *leaf,
	    STACK_OF(X509) *chain, EVP_PKEY *key, int *version);
/*
 * What store_install_x509 would do, writing nothing: *same is 1 when the
 * active version of NAME already holds those files byte for byte,
 * *version that version, else the one store_install would write.
 */
int	 store_plan_x509(const struct ss_conf *, const char *name, X509 *leaf,
	    STACK_OF(X509) *chain, EVP_PKEY *key, int *same, int *version);
/* The files of a version: KIND-N.pem, and KIND.pem linking to it. */
#define STORE_NKINDS	4
extern const char *const store_kinds[STORE_NKINDS];

/*
 * result.c: the --json report of a command that changes files, one
 * object: "changed", "action", "paths" (PATHS, an array), "dry_run"
 * under -n, and the members of EXTRA (may be NULL).  Both are taken.
 */
struct json_t;
int	 result_print(const struct tool_env *, int changed, const char *action,
	    struct json_t *paths, struct json_t *extra);
/* PATH appended to the array PATHS. */
void	 result_path(struct json_t *paths, const char *path);

/* challenge.c: what the CA looks at to validate a name. */
struct chall {
	int	 dns;		/* dns-01, else http-01 */
	char	*where;		/* token file, or TXT record name */
	char	*value;		/* file content, or TXT value */
};
int	 challenge_set(const struct ss_conf *, int dns, const char *domain,
	    const char *token, const char *keyauth, struct chall *);
void	 challenge_clear(const struct ss_conf *, struct chall *);

/* acme.c: the RFC 8555 exchange; files and keys stay with the callers. */
struct acme;
struct acme_account {
	const char		*email;		/* or "" */
	int			 agree_tos;
	const char		*eab_kid;	/* or "" */
	const unsigned char	*eab_key;
	size_t			 eab_len;
};
struct acme_order {
	char *const		*domains;
	int			 dns;		/* dns-01, else http-01 */
	const unsigned char	*csr;		/* DER */
	size_t			 csrlen;
	long			 timeout;	/* seconds for the whole order */
};
int	 acme_open(const struct ss_conf *, const char *directory, EVP_PKEY *,
	    struct acme **);	/* takes its own reference to the key */
void	 acme_close(struct acme *);
int	 acme_login(struct acme *, const char *url, const struct acme_account *,
	    char **new_url);
int	 acme_key_change(struct acme *, EVP_PKEY *new_key, int *answered);
int	 acme_issue(struct acme *, const struct acme_order *, char **chain,
	    size_t *len);
int	 acme_revoke(struct acme *, const unsigned char *der, size_t len,
	    int reason);
int	 acme_renewal_window(struct acme *, const char *cert_id,
	    int64_t *start, int64_t *end);
/* Why the last order failed (the CA's problem, a timeout), or NULL. */
const char *acme_why(const struct acme *);
/* Whether the CA answered accountDoesNotExist (then EX_NOUSER). */
int	 acme_account_gone(const struct acme *);
int	 acme_account_check(struct acme *);
const char *acme_terms(const struct acme *);	/* or NULL */

/*
 * hooks.c: pre_hook, deploy_hook, post_hook and hooks_dir's files around
 * the orders of one run; ENABLED 0 (a dry run) runs none.
 */
struct hooks {
	const struct ss_conf	*conf;
	const char		*deploy_cmd;
	int			 enabled;
	int			 pre_done;	/* pre hooks tried */
	int			 pre_rc;
	char			 pre_why[PATH_MAX + 64];
};
void	 hooks_init(struct hooks *, const struct ss_conf *, int enabled,
	    const char *deploy_cmd);	/* NULL: [acme] deploy_hook */
/* Before each order: the pre hooks run once, before the first. */
int	 hooks_pre(struct hooks *, char *why, size_t len);
/* After NAME was installed for DOMAINS. */
int	 hooks_deploy(struct hooks *, const char *name, char *const *domains,
	    char *why, size_t len);
/* After the last order, when there was one. */
int	 hooks_post(struct hooks *, char *why, size_t len);

/* issue.c: where the renewal file of NAME (NULL: their folder) is. */
int	 issue_renewal_path(const struct ss_conf *, const char *name, char *buf,
	    size_t len);
/* The CA's renewal window of a certificate (RFC 9773), as renew keeps it. */
struct renewal_window {
	int	 known;		/* the rest is 0 when not */
	int64_t	 start;
	int64_t	 end;
	int64_t	 at;		/* the moment chosen in it */
};
/*
 * The window members of the renewal file PATH, parsed into J from TEXT:
 * none gives known 0; a bad or partial set is "PATH:LINE: ..." logged
 * and EX_DATAERR.
 */
int	 issue_renewal_window(const char *path, const char *text,
	    const struct json_t *j, struct renewal_window *);

/* account.c: the ACME account under state_dir. */
const char *account_directory(const struct ss_conf *, int staging);
int	 account_open(const struct ss_conf *, const char *directory,
	    int agree_tos, struct acme **, int *changed);
int	 account_reregister(const struct ss_conf *, const char *directory,
	    int agree_tos, struct acme *);

#endif
