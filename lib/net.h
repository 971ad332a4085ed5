/*
 * net: the raw TLS probes of `ss-cert check --connect` and ss-audit: one
 * TLS handshake with a server, whose certificates are taken as they come,
 * unverified, for the check to judge (libcurl, which does all HTTP,
 * verifies and would not show the chain it refuses), or that offers one
 * protocol version or set of ciphers to see whether the server takes it.
 * One deadline covers the whole connection: a server that stops
 * answering costs the caller no more than the time it allowed.
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

/*
 * What a probe offers instead of TLS 1.2 and later: exactly VERSION
 * (TLS1_VERSION ... TLS1_3_VERSION) with CIPHERS (an OpenSSL cipher list
 * for TLS 1.2 and earlier; NULL: OpenSSL's ALL), at security
 * level 0, so that only the server decides.
 */
struct net_offer {
	int		 version;
	const char	*ciphers;
};

/*
 * net_open offering OFFER (NULL: what net_open offers), but EX_PROTOCOL
 * when the server was reached and the handshake failed: it refused what
 * was offered.
 */
int	 net_open_offer(const char *host, const char *port, const char *name,
	    const struct net_offer *offer, const struct timespec *deadline,
	    struct conn **out, char *why, size_t whylen);

/* The cipher agreed, its strength in *BITS. */
const char *net_cipher(struct conn *, int *bits);

/*
 * Sends LEN bytes; reads up to LEN bytes, *GOT 0 when the server closed
 * the connection.  Both by the connection's deadline.
 */
int	 net_write(struct conn *, const void *, size_t, char *why,
	    size_t whylen);
int	 net_read(struct conn *, void *, size_t len, size_t *got, char *why,
	    size_t whylen);

/* The certificates the server sent, leaf first (up-referenced), or NULL. */
STACK_OF(X509) *net_peer_chain(struct conn *);

/* Closes the connection; NULL is fine. */
void	 net_close(struct conn *);

#endif
