/*
 * dnscheck: does DNS answer the device's external address for a name, at
 * the system resolver and at the zone's authoritative servers.
 */
#ifndef SEC_DNSCHECK_H
#define SEC_DNSCHECK_H

#include <stddef.h>

#include "check.h"
#include "checkip.h"
#include "conf.h"
#include "ddnsname.h"
#include "ns.h"

#define DNSCHECK_SERVERS	8

struct dnscheck_answer {
	int		 rc;		/* 0: answered */
	char		 why[256];
	struct ns_answer ans;
};

/* One family's records: the external address and what DNS answered. */
struct dnscheck_family {
	int			 af;
	const char		*type;		/* "A" or "AAAA" */
	int			 have_ext;
	struct checkip_addr	 ext;
	struct dnscheck_answer	 sys;
	struct dnscheck_answer	 auth[DNSCHECK_SERVERS];
};

struct dnscheck {
	const char		*fqdn;
	char			 zone[256];
	char			 ns_why[320];	/* why no NS records */
	char			 servers[DNSCHECK_SERVERS][256];
	int			 primary;	/* [ddns] server's, or -1 */
	int			 nservers;
	struct dnscheck_family	 fam[2];
	int			 nfam;
	struct check		 check;		/* the verdict */
};

/*
 * The families to look at (WANT AF_INET or AF_INET6 for one, 0 for those
 * [ddns] ip_version asks for) into FAMS, and the external address of each
 * into EXT (family 0 when no checkip source gave it; logged).  Returns
 * how many families.  Found once per run: it is the same for every name.
 */
int	 dnscheck_external(const struct ss_conf *, int want, int fams[2],
	    struct checkip_addr ext[2]);
/*
 * Asks DNS about name N for each of the NFAM families FAMS, EXT[i] the
 * external address of FAMS[i], and judges: CRITICAL when an
 * authoritative server answers something else, WARNING when only the
 * system resolver lags or one server does not answer, UNKNOWN when no
 * authoritative server answers or the address is not known.  NULL when
 * out of memory (logged); the caller frees the result.
 */
struct dnscheck *dnscheck_name(const struct ddns_name *n, const int *fams,
	    int nfam, const struct checkip_addr *ext);
/* Adds to R->check the verdict on family F, whose answers are in. */
void	 dnscheck_judge(struct dnscheck *r, const struct dnscheck_family *f);
/* What A says, for people: "a, b", "no A record" or why it failed. */
void	 dnscheck_answer_text(const struct dnscheck_family *f,
	    const struct dnscheck_answer *a, char *buf, size_t len);

#endif
