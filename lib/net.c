/*
 * net: one TLS handshake under one deadline, for what the server sends.
 * Kept apart from cert.c so that tools that never go on the network do
 * not load libssl.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "ipaddr.h"
#include "log.h"
#include "net.h"
#include "openssl.h"

struct conn {
	int		 fd;
	SSL_CTX		*ctx;
	SSL		*ssl;
	struct timespec	 deadline;
	char		 where[320];	/* HOST:PORT, [HOST]:PORT for IPv6 */
};

/*
 * SIGPIPE is ignored while any connection is open: a server that resets
 * the connection must not kill the tool.  (The tools are single-threaded.)
 */
static int		 pipe_users;
static struct sigaction	 pipe_saved;

static void
pipe_ignore(void)
{
	struct sigaction	sa;

	if (pipe_users++ > 0)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, &pipe_saved);
}

static void
pipe_restore(void)
{
	if (--pipe_users == 0)
		sigaction(SIGPIPE, &pipe_saved, NULL);
}

void
net_deadline(struct timespec *deadline, int seconds)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += seconds;
}

static long
ms_left(const struct timespec *deadline)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* 1 when FD is ready for EVENTS before DEADLINE, 0 on timeout, -1 on error. */
static int
wait_fd(int fd, short events, const struct timespec *deadline)
{
	struct pollfd	pfd;
	long		ms;
	int		r;

	pfd.fd = fd;
	pfd.events = events;
	for (;;) {
		if ((ms = ms_left(deadline)) < 0)
			ms = 0;
		r = poll(&pfd, 1, ms > INT_MAX ? INT_MAX : (int)ms);
		if (r != -1 || errno != EINTR)
			return r > 0 ? 1 : r;
	}
}

/* A connected non-blocking socket, or -1 with errno set. */
static int
connect_one(const struct addrinfo *ai, const struct timespec *deadline)
{
	socklen_t	len;
	int		fd, err = 0, r;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		err = errno;
		goto out;
	}
	if ((r = wait_fd(fd, POLLOUT, deadline)) != 1) {
		err = r == 0 ? ETIMEDOUT : errno;
		goto out;
	}
	len = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
out:
	if (err == 0)
		return fd;
	close(fd);
	errno = err;
	return -1;
}

static int
tcp_connect(struct conn *c, const char *host, const char *port, char *why,
    size_t whylen)
{
	struct addrinfo	 hints, *res, *ai;
	int		 err = ECONNREFUSED, e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(why, whylen, "%s: %s", c->where, e == EAI_SYSTEM ?
		    strerror(errno) : gai_strerror(e));
		return e == EAI_AGAIN ? EX_TEMPFAIL : EX_UNAVAILABLE;
	}
	for (ai = res; ai != NULL && err != ETIMEDOUT; ai = ai->ai_next) {
		if ((c->fd = connect_one(ai, &c->deadline)) != -1)
			break;
		err = errno;
	}
	freeaddrinfo(res);
	if (c->fd != -1)
		return 0;
	snprintf(why, whylen, "%s: %s", c->where, err == ETIMEDOUT ?
	    "connection timed out" : strerror(err));
	return err == ETIMEDOUT ? EX_TEMPFAIL : EX_UNAVAILABLE;
}

/* Why a TLS call gave up: OpenSSL, the socket, the server. */
static const char *
tls_failure(int sslerr, int err)
{
	if (ERR_peek_last_error() != 0)
		return openssl_error();
	if (sslerr == SSL_ERROR_SYSCALL && err != 0)
		return strerror(err);
	return "connection closed by the server";
}

/*
 * Waits until C's socket can go on after SSL said SSLERR.  0 to retry,
 * else the code and WHY (WHAT failed).
 */
static int
tls_wait(struct conn *c, int sslerr, const char *what, char *why,
    size_t whylen)
{
	short	ev;
	int	w;

	switch (sslerr) {
	case SSL_ERROR_WANT_READ:
		ev = POLLIN;
		break;
	case SSL_ERROR_WANT_WRITE:
		ev = POLLOUT;
		break;
	default:
		snprintf(why, whylen, "%s: %s: %s", c->where, what,
		    tls_failure(sslerr, errno));
		return EX_UNAVAILABLE;
	}
	if ((w = wait_fd(c->fd, ev, &c->deadline)) == 1)
		return 0;
	snprintf(why, whylen, "%s: %s: %s", c->where, what,
	    w == 0 ? "timed out" : strerror(errno));
	return w == 0 ? EX_TEMPFAIL : EX_UNAVAILABLE;
}

/*
 * A context that checks nothing of the peer: TLS 1.2 and later, or what
 * OFFER says, at security level 0 so that OpenSSL refuses nothing the
 * server may accept.
 */
static int
tls_context(struct conn *c, const struct net_offer *offer, char *why,
    size_t whylen)
{
	if ((c->ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto fail;
	if (offer == NULL) {
		if (SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION) == 1)
			return 0;
		goto fail;
	}
	SSL_CTX_set_security_level(c->ctx, 0);
	if (SSL_CTX_set_min_proto_version(c->ctx, offer->version) == 1 &&
	    SSL_CTX_set_max_proto_version(c->ctx, offer->version) == 1 &&
	    (offer->version == TLS1_3_VERSION ||
	    SSL_CTX_set_cipher_list(c->ctx, offer->ciphers != NULL ?
	    offer->ciphers : "ALL") == 1))
		return 0;
fail:
	snprintf(why, whylen, "%s: %s", c->where, openssl_error());
	log_err("%s", why);
	return EX_SOFTWARE;
}

static int
tls_handshake(struct conn *c, const char *name, char *why, size_t whylen)
{
	int	r, rc;

	if ((c->ssl = SSL_new(c->ctx)) == NULL ||
	    SSL_set_fd(c->ssl, c->fd) != 1)
		goto internal;
	if (name != NULL && ipaddr_parse(name, strlen(name), NULL) == 0 &&
	    SSL_set_tlsext_host_name(c->ssl, name) != 1)
		goto internal;
	for (;;) {
		ERR_clear_error();
		errno = 0;
		if ((r = SSL_connect(c->ssl)) == 1)
			return 0;
		if ((rc = tls_wait(c, SSL_get_error(c->ssl, r),
		    "TLS handshake failed", why, whylen)) != 0)
			return rc == EX_UNAVAILABLE ? EX_PROTOCOL : rc;
	}
internal:
	snprintf(why, whylen, "%s: %s", c->where, openssl_error());
	log_err("%s", why);
	return EX_SOFTWARE;
}

int
net_open(const char *host, const char *port, const char *name,
    const struct timespec *deadline, struct conn **out, char *why,
    size_t whylen)
{
	int	rc;

	rc = net_open_offer(host, port, name, NULL, deadline, out, why,
	    whylen);
	return rc == EX_PROTOCOL ? EX_UNAVAILABLE : rc;
}

int
net_open_offer(const char *host, const char *port, const char *name,
    const struct net_offer *offer, const struct timespec *deadline,
    struct conn **out, char *why, size_t whylen)
{
	struct conn	*c;
	int		 v6, rc;

	*out = NULL;
	if (whylen > 0)
		why[0] = '\0';
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(why, whylen, "%s", strerror(errno));
		log_err("%s", why);
		return EX_OSERR;
	}
	c->fd = -1;
	c->deadline = *deadline;
	v6 = strchr(host, ':') != NULL;
	snprintf(c->where, sizeof(c->where), "%s%s%s:%s", v6 ? "[" : "", host,
	    v6 ? "]" : "", port);
	pipe_ignore();
	if ((rc = tls_context(c, offer, why, whylen)) != 0 ||
	    (rc = tcp_connect(c, host, port, why, whylen)) != 0 ||
	    (rc = tls_handshake(c, name, why, whylen)) != 0) {
		net_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

STACK_OF(X509) *
net_peer_chain(struct conn *c)
{
	STACK_OF(X509)	*peer;

	if (c->ssl == NULL || (peer = SSL_get_peer_cert_chain(c->ssl)) ==
	    NULL || sk_X509_num(peer) <= 0)
		return NULL;
	return X509_chain_up_ref(peer);
}

const char *
net_cipher(struct conn *c, int *bits)
{
	const SSL_CIPHER	*cipher = SSL_get_current_cipher(c->ssl);

	*bits = SSL_CIPHER_get_bits(cipher, NULL);
	return SSL_CIPHER_get_name(cipher);
}

int
net_write(struct conn *c, const void *buf, size_t len, char *why,
    size_t whylen)
{
	int	r, rc;

	if (len > INT_MAX) {
		snprintf(why, whylen, "%s: write too long", c->where);
		return EX_SOFTWARE;
	}
	for (;;) {
		ERR_clear_error();
		errno = 0;
		if ((r = SSL_write(c->ssl, buf, (int)len)) > 0)
			return 0;
		if ((rc = tls_wait(c, SSL_get_error(c->ssl, r),
		    "write failed", why, whylen)) != 0)
			return rc;
	}
}

int
net_read(struct conn *c, void *buf, size_t len, size_t *got, char *why,
    size_t whylen)
{
	int	r, rc, e;

	*got = 0;
	for (;;) {
		ERR_clear_error();
		errno = 0;
		if ((r = SSL_read(c->ssl, buf, len > INT_MAX ? INT_MAX :
		    (int)len)) > 0) {
			*got = (size_t)r;
			return 0;
		}
		if ((e = SSL_get_error(c->ssl, r)) == SSL_ERROR_ZERO_RETURN)
			return 0;
		if ((rc = tls_wait(c, e, "read failed", why, whylen)) != 0)
			return rc;
	}
}

void
net_close(struct conn *c)
{
	if (c == NULL)
		return;
	if (c->ctx != NULL) {
		SSL_free(c->ssl);
		SSL_CTX_free(c->ctx);
		ERR_clear_error();
	}
	if (c->fd != -1)
		close(c->fd);
	pipe_restore();
	free(c);
}
