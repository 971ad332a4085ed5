/*
 * A name server's reply to ns_query, the question's type picked by the
 * first byte: the reply is the rest of the input in wire format, handed
 * over by the harness's ldns_send (which stands in for the library's)
 * with the question's ID, as a reply that got through would have it.
 */
#include "../../lib/ns.c"

#include "fuzz.h"

static const uint8_t	*wire;
static size_t		 wirelen;

ldns_status
ldns_send(ldns_pkt **reply, ldns_resolver *r, const ldns_pkt *q)
{
	ldns_status	st;

	(void)r;
	if ((st = ldns_wire2pkt(reply, wire, wirelen)) != LDNS_STATUS_OK) {
		*reply = NULL;
		return st;
	}
	ldns_pkt_set_id(*reply, ldns_pkt_id(q));
	return LDNS_STATUS_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int	 types[] = { DNS_A, DNS_AAAA, DNS_TXT, DNS_NS };
	struct ns_answer	 ans;
	char			 why[256];

	if (size == 0)
		return 0;
	wire = data + 1;
	wirelen = size - 1;
	(void)ns_query("127.0.0.1", "dev1.example.test", types[data[0] % 4],
	    &ans, why, sizeof(why));
	return 0;
}
