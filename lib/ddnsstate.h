/*
 * ddnsstate: what ss-ddns remembers between runs, one file per name in
 * STATE/ddns/ (state_dir): the cached address per family, the provider's
 * state, and a bounded history of changes; written through lib/fs under
 * a lock.  ss-audit only reads it.
 */
#ifndef SEC_DDNSSTATE_H
#define SEC_DDNSSTATE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "checkip.h"
#include "conf.h"
#include "ddnsname.h"

enum pstate {
	PROVIDER_OK,
	PROVIDER_BACKOFF,
	PROVIDER_STOPPED,
	PROVIDER_RETRY		/* a stop lifted by retry: the next run sends */
};

struct ddns_state {
	char		 last4[INET6_ADDRSTRLEN];	/* "" when none */
	char		 last6[INET6_ADDRSTRLEN];
	int64_t		 updated;		/* last successful update */
	char		 result[128];		/* last update's result */
	enum pstate	 provider;
	int64_t		 backoff_until;
	char		 stop_reason[128];
	char		 stop_config[65];	/* config hash at the stop */
	char		*history;		/* "EPOCH FAMILY ADDR\n" each */
	size_t		 history_len;
};
int	 ddnsstate_lock(const struct ss_conf *, int *fd);
/* The state file of a name; none yet is an empty state. */
int	 ddnsstate_load(const struct ddns_name *, struct ddns_state *);
/* Cache and history in one atomic replace; the newest HISTORY_MAX kept. */
int	 ddnsstate_save(const struct ddns_name *, const struct ddns_state *);
/* STATE/ddns/FILE of a name, for messages and --json. */
int	 ddnsstate_path(const struct ddns_name *, char *buf, size_t len);
void	 ddnsstate_free(struct ddns_state *);
/* Adds a change (time, family, address) to the history in memory. */
int	 ddnsstate_history_add(struct ddns_state *, int64_t,
	    const struct checkip_addr *);
/* Changes since SINCE. */
int	 ddnsstate_history_count(const struct ddns_state *, int64_t since);
/*
 * A hash of a name's provider settings (C is the name's view), so that a
 * stop is lifted once they change.
 */
int	 ddnsstate_config_hash(const struct ss_conf *, char out[65]);

#endif
