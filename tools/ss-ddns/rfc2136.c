/*
 * rfc2136: DNS UPDATE (RFC 2136) signed with TSIG (RFC 8945) and sent to
 * the zone's primary, for the device's A/AAAA records and for dns-01 TXT
 * records.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/*
 * ldns.h declares its DNSSEC functions with OpenSSL types that
 * OPENSSL_NO_DEPRECATED hides; nothing here uses them.
 */
#undef OPENSSL_NO_DEPRECATED
#include <ldns/ldns.h>

#include "extern.h"
#include "log.h"
#include "secret.h"

#define TXT_TTL		60

/* TSIG errors in the TSIG record of a NOTAUTH answer (RFC 8945 5.3). */
#define TSIG_BADSIG	16
#define TSIG_BADKEY	17
#define TSIG_BADTIME	18

/* How the primary took the update, from its answer. */
static void
update_judge(const char *server, const struct tsigkey *key,
    const char *zone, int verified, const ldns_pkt *reply,
    enum presult *res, char *detail, size_t len)
{
	const ldns_rr	*tsig;
	int		 rcode = ldns_pkt_get_rcode(reply);
	uint16_t	 err = 0;

	if ((tsig = ldns_pkt_tsig(reply)) != NULL && ldns_rr_rd_count(tsig) > 5)
		err = ldns_rdf2native_int16(ldns_rr_rdf(tsig, 5));
	log_debug("%s answered %s%s", server, ns_rcode_name(rcode),
	    verified ? ", signed with the key" : "");
	*res = UPDATE_STOP;
	switch (rcode) {
	case LDNS_RCODE_NOERROR:
		if (verified) {
			*res = UPDATE_OK;
			snprintf(detail, len, "%s took the update", server);
		} else {
			*res = UPDATE_RETRY;
			snprintf(detail, len, "the answer from %s is not "
			    "signed with the key %s; not trusted", server,
			    key->name);
		}
		break;
	case LDNS_RCODE_SERVFAIL:
		*res = UPDATE_RETRY;
		snprintf(detail, len, "%s could not apply the update "
		    "(SERVFAIL)", server);
		break;
	case LDNS_RCODE_NOTAUTH:
		if (err == TSIG_BADKEY)
			snprintf(detail, len, "the server refused the TSIG key "
			    "%s (BADKEY: it does not know the key)", key->name);
		else if (err == TSIG_BADSIG)
			snprintf(detail, len, "the server refused the TSIG key "
			    "%s (BADSIG: the secret differs)", key->name);
		else if (err == TSIG_BADTIME) {
			*res = UPDATE_RETRY;
			snprintf(detail, len, "%s refused the signature's time "
			    "(BADTIME): the clocks differ by over 5 minutes",
			    server);
		} else
			snprintf(detail, len, "%s is not authoritative for the "
			    "zone %s (NOTAUTH)", server, zone);
		break;
	case LDNS_RCODE_REFUSED:
		snprintf(detail, len, "%s refused the update (REFUSED): the "
		    "key %s may not change these records in %s", server,
		    key->name, zone);
		break;
	case LDNS_RCODE_NOTZONE:
		snprintf(detail, len, "the name is not in the zone %s "
		    "(NOTZONE)", zone);
		break;
	default:
		snprintf(detail, len, "%s answered %s", server,
		    ns_rcode_name(rcode));
		break;
	}
}

/*
 * Sends the update RRS for ZONE to [ddns] server, signed with the key
 * from tsig_key_file.  Returns 0 with *RES and DETAIL, or a sysexits code
 * (logged) when the configuration is not usable.
 */
static int
update_send(const struct ss_conf *c, const ldns_rdf *zone,
    const ldns_rr_list *rrs, enum presult *res, char *detail, size_t len)
{
	const char	*server = c->ddns.server;
	struct tsigkey	 key;
	ldns_resolver	*r = NULL;
	ldns_pkt	*q = NULL, *reply = NULL;
	ldns_status	 st;
	char		*zs = NULL, *s;
	size_t		 i;
	int		 rc, verified;

	memset(&key, 0, sizeof(key));
	if (*server == '\0') {
		log_err("%s: %s protocol rfc2136 needs server (HOST[:PORT] "
		    "of the zone's primary)", c->file, ddnsname_section(c));
		return EX_CONFIG;
	}
	if ((rc = tsigkey_load(c, &key)) != 0)
		goto out;
	if ((rc = ns_resolver(server, &r, detail, len)) != 0) {
		if (rc == EX_DATAERR) {
			log_err("%s: %s server %s", c->file,
			    ddnsname_section(c), detail);
			rc = EX_CONFIG;
		} else if (rc == EX_TEMPFAIL) {
			*res = UPDATE_RETRY;
			rc = 0;
		} else
			log_err("%s", detail);
		goto out;
	}
	ldns_resolver_set_tsig_keyname(r, key.name);
	ldns_resolver_set_tsig_algorithm(r, "hmac-sha256.");
	ldns_resolver_set_tsig_keydata(r, key.secret);

	rc = EX_OSERR;
	if ((zs = ldns_rdf2str(zone)) == NULL ||
	    (q = ldns_update_pkt_new(ldns_rdf_clone(zone), LDNS_RR_CLASS_IN,
	    NULL, rrs, NULL)) == NULL) {
		log_err("the update for %s: out of memory", server);
		goto out;
	}
	/* RFC 2136 2.2: the header's other bits are zero in an update. */
	ldns_pkt_set_rd(q, false);
	ldns_pkt_set_random_id(q);
	if ((st = ldns_update_pkt_tsig_add(q, r)) != LDNS_STATUS_OK) {
		log_err("cannot sign the update with the key %s: %s", key.name,
		    ldns_get_errorstr_by_id(st));
		goto out;
	}
	/* Messages name the zone without the root's dot. */
	if (strlen(zs) > 1)
		zs[strlen(zs) - 1] = '\0';
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++)
		if ((s = ldns_rr2str(ldns_rr_list_rr(rrs, i))) != NULL) {
			s[strcspn(s, "\n")] = '\0';
			log_debug("update %s at %s: %s", zs, server, s);
			free(s);
		}
	rc = 0;
	if (ns_exchange(r, server, q, &reply, &verified, detail, len) != 0)
		*res = UPDATE_RETRY;
	else
		update_judge(server, &key, zs, verified, reply, res, detail,
		    len);
out:
	ldns_pkt_free(reply);
	ldns_pkt_free(q);
	free(zs);
	ns_resolver_free(r);
	secret_zero(&key, sizeof(key));
	return rc;
}

/*
 * The zone and NAME as domain names, NAME inside the zone: EX_USAGE when
 * NAME is not a domain name, EX_CONFIG when it is outside the zone.
 */
static int
zone_names(const struct ss_conf *c, const char *name, ldns_rdf **zone,
    ldns_rdf **owner)
{
	char	z[256];
	int	rc;

	*zone = *owner = NULL;
	if ((rc = ddnsname_zone(c, z, sizeof(z))) != 0)
		return rc;
	if (ldns_str2rdf_dname(zone, z) != LDNS_STATUS_OK) {
		log_err("%s: the zone %s is not a domain name", c->file,
		    z);
		return EX_CONFIG;
	}
	if (ldns_str2rdf_dname(owner, name) != LDNS_STATUS_OK) {
		log_err("%s: not a domain name", name);
		return EX_USAGE;
	}
	if (ldns_dname_compare(*owner, *zone) != 0 &&
	    !ldns_dname_is_subdomain(*owner, *zone)) {
		log_err("%s is not in the zone %s (%s zone in %s)", name, z,
		    ddnsname_section(c), c->file);
		return EX_CONFIG;
	}
	return 0;
}

/* An RR for OWNER that owns RDATA (may be NULL: an RRset deletion). */
static int
rr_push(ldns_rr_list *rrs, const ldns_rdf *owner, ldns_rr_type type,
    ldns_rr_class class, uint32_t ttl, ldns_rdf *rdata)
{
	ldns_rr		*rr;
	ldns_rdf	*o;

	if ((rr = ldns_rr_new()) == NULL || (o = ldns_rdf_clone(owner)) ==
	    NULL) {
		ldns_rr_free(rr);
		ldns_rdf_deep_free(rdata);
		return 0;
	}
	ldns_rr_set_owner(rr, o);
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, class);
	ldns_rr_set_ttl(rr, ttl);
	if (rdata != NULL && !ldns_rr_push_rdf(rr, rdata)) {
		ldns_rdf_deep_free(rdata);
		ldns_rr_free(rr);
		return 0;
	}
	if (!ldns_rr_list_push_rr(rrs, rr)) {
		ldns_rr_free(rr);
		return 0;
	}
	return 1;
}

/* Replaces the fqdn's A and/or AAAA RRset with the address given. */
static int
rfc2136_update(const struct ss_conf *c, const struct checkip_addr *v4,
    const struct checkip_addr *v6, enum presult *res, char *detail, size_t len)
{
	const struct checkip_addr *const addrs[] = { v4, v6 };
	const char	*fqdn = c->fqdn;
	ldns_rdf	*zone = NULL, *owner = NULL, *rdata;
	ldns_rr_list	*rrs = NULL;
	ldns_rr_type	 type;
	uint32_t	 ttl = c->ddns.ttl;
	char		 sent[128] = "";
	size_t		 i, n;
	int		 rc;

	if ((rc = zone_names(c, fqdn, &zone, &owner)) != 0) {
		if (rc == EX_USAGE)
			rc = EX_CONFIG;
		goto out;
	}
	rc = EX_OSERR;
	if ((rrs = ldns_rr_list_new()) == NULL)
		goto nomem;
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		if (addrs[i] == NULL)
			continue;
		type = addrs[i]->family == AF_INET6 ? LDNS_RR_TYPE_AAAA :
		    LDNS_RR_TYPE_A;
		if ((rdata = ldns_rdf_new_frm_str(type == LDNS_RR_TYPE_A ?
		    LDNS_RDF_TYPE_A : LDNS_RDF_TYPE_AAAA, addrs[i]->text)) ==
		    NULL) {
			log_err("%s: not an IPv%c address", addrs[i]->text,
			    type == LDNS_RR_TYPE_A ? '4' : '6');
			rc = EX_SOFTWARE;
			goto out;
		}
		if (!rr_push(rrs, owner, type, LDNS_RR_CLASS_ANY, 0, NULL) ||
		    !rr_push(rrs, owner, type, LDNS_RR_CLASS_IN, ttl, rdata))
			goto nomem;
		n = strlen(sent);
		snprintf(sent + n, sizeof(sent) - n, " %s %s",
		    type == LDNS_RR_TYPE_A ? "A" : "AAAA", addrs[i]->text);
	}
	if ((rc = update_send(c, zone, rrs, res, detail, len)) == 0 &&
	    *res == UPDATE_OK)
		snprintf(detail, len, "%s%s ttl %u", fqdn, sent, ttl);
	goto out;
nomem:
	log_err("the update for %s: out of memory", fqdn);
out:
	ldns_rr_list_deep_free(rrs);
	ldns_rdf_deep_free(zone);
	ldns_rdf_deep_free(owner);
	return rc;
}

const struct provider provider_rfc2136 = { "rfc2136", rfc2136_update };

int
rfc2136_txt(const struct ss_conf *c, int add, const char *name,
    const char *value)
{
	enum presult	 res;
	ldns_rdf	*zone = NULL, *owner = NULL, *rdata;
	ldns_rr_list	*rrs = NULL;
	unsigned char	 str[256];
	char		 detail[256];
	size_t		 vlen = strlen(value);
	int		 rc;

	if (vlen > 255) {
		log_err("the TXT value is longer than 255 bytes");
		return EX_USAGE;
	}
	if ((rc = zone_names(c, name, &zone, &owner)) != 0)
		goto out;
	str[0] = vlen;
	memcpy(str + 1, value, vlen);
	rc = EX_OSERR;
	if ((rrs = ldns_rr_list_new()) == NULL ||
	    (rdata = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR, vlen + 1,
	    str)) == NULL ||
	    !rr_push(rrs, owner, LDNS_RR_TYPE_TXT, add ? LDNS_RR_CLASS_IN :
	    LDNS_RR_CLASS_NONE, add ? TXT_TTL : 0, rdata)) {
		log_err("the update for %s: out of memory", name);
		goto out;
	}
	if ((rc = update_send(c, zone, rrs, &res, detail,
	    sizeof(detail))) != 0)
		goto out;
	switch (res) {
	case UPDATE_OK:
		log_debug("%s TXT \"%s\": %s", name, value, detail);
		break;
	case UPDATE_STOP:
		log_err("%s TXT: %s", name, detail);
		rc = EX_UNAVAILABLE;
		break;
	default:
		log_err("%s TXT: %s", name, detail);
		rc = EX_TEMPFAIL;
		break;
	}
out:
	ldns_rr_list_deep_free(rrs);
	ldns_rdf_deep_free(zone);
	ldns_rdf_deep_free(owner);
	return rc;
}
