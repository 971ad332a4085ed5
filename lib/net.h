/*
 * net: the raw TLS probe of `ss-cert check --connect`: one TLS handshake
 * with a server, whose certificates are taken as they come, unverified,
 * for the check to judge (libcurl, which does all HTTP, verifies and
 * would not show the chain it refuses).  One deadline covers the whole
 * connection: a server that stops answering costs the caller no more than
 * the time it allowed.
 *
 * Functions return 0 or a sysexits(3) code and leave the reason in WHY,
 * starting with HOST:PORT; they log only what is the program's fault.
 * SIGPIPE is ignored while a connection is open.
 */
#ifndef SEC_NET_H
#define SEC_NET_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

struct conn;

/* DEADLINE (CLOCK_MONOTONIC) set SECONDS from now. */
void	 net_deadline(struct timespec *deadline, int seconds);

/*
 * Connects to HOST:PORT (a name, an IPv4 or an IPv6 address, each
 * address of a name tried in turn) and does a TLS handshake, TLS 1.2 or
 * later, sending NAME as SNI unless NAME is NULL or an IP address, all by
 * DEADLINE.  The certificate is not checked.  EX_UNAVAILABLE when the
 * server cannot be reached or the handshake fails, EX_TEMPFAIL when
 * DEADLINE passed or the name could not be resolved for now, EX_OSERR or
 * EX_SOFTWARE on the program's side.
 */
int	 net_open(const char *host, const char *port, const char *name,
	    const struct timespec *deadline, struct conn **out, char *why,
	    size_t whylen);

/* The certificates the server sent, leaf first (up-referenced), or NULL. */
STACK_OF(X509) *net_peer_chain(struct conn *);

/* Closes the connection; NULL is fine. */
void	 net_close(struct conn *);

#endif
