/*
 * net: one TCP connection, plain or TLS (libssl), with one deadline for
 * everything done on it.  A server that stops answering costs the caller
 * no more than the time it allowed.
 *
 * Functions return 0 or a sysexits(3) code and leave the reason in WHY,
 * starting with HOST:PORT (or with CA_FILE when that cannot be loaded);
 * they log only what is the program's fault.  SIGPIPE is ignored while
 * a connection is open.
 */
#ifndef SEC_NET_H
#define SEC_NET_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#define NET_TLS		0x1	/* TLS 1.2 or later over the connection */
#define NET_NOVERIFY	0x2	/* with NET_TLS: fetch, do not trust */

struct conn;

/* DEADLINE (CLOCK_MONOTONIC) set SECONDS from now. */
void	 net_deadline(struct timespec *deadline, int seconds);

/*
 * Connects to HOST:PORT (a name, an IPv4 or an IPv6 address, each
 * address of a name tried in turn) by DEADLINE, which the connection
 * keeps for every later read and write.  With NET_TLS it sends NAME as SNI
 * (unless NAME is NULL or an IP address) and, unless NET_NOVERIFY, checks
 * that the server's certificate chains to CA_FILE (NULL or "" for the
 * system store) and is valid for NAME.  EX_UNAVAILABLE when the server
 * cannot be reached or the handshake or the check fails, EX_TEMPFAIL when
 * DEADLINE passed or the name could not be resolved for now, EX_CONFIG
 * when CA_FILE cannot be loaded (checked before connecting), EX_OSERR or
 * EX_SOFTWARE on the program's side.
 */
int	 net_open(const char *host, const char *port, const char *name,
	    int flags, const char *ca_file, const struct timespec *deadline,
	    struct conn **out, char *why, size_t whylen);

/* Sends all LEN bytes of BUF. */
int	 net_write(struct conn *, const void *buf, size_t len, char *why,
	    size_t whylen);

/*
 * Reads what has arrived, at most SIZE bytes, into BUF; *GOT is 0 at the
 * end of the stream.  Over TLS the end must be the server's close_notify:
 * a connection cut without it may have cut the data short, and is
 * EX_UNAVAILABLE ("unexpected eof while reading").
 */
int	 net_read(struct conn *, void *buf, size_t size, size_t *got,
	    char *why, size_t whylen);

/* The certificates the server sent, leaf first (up-referenced), or NULL. */
STACK_OF(X509) *net_peer_chain(struct conn *);

/* Closes the connection; NULL is fine. */
void	 net_close(struct conn *);

#endif
