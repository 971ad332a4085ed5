/*
 * tls: what a server presents in its TLS handshake.  Kept apart from
 * crypto.c so that tools that never speak TLS do not load libssl.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "crypto.h"
#include "log.h"

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
tcp_connect(const char *host, const char *port, const char *where,
    const struct timespec *deadline, char *why, size_t whylen)
{
	struct addrinfo	 hints, *res, *ai;
	int		 fd = -1, err = ECONNREFUSED, e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(why, whylen, "%s: %s", where, e == EAI_SYSTEM ?
		    strerror(errno) : gai_strerror(e));
		return -1;
	}
	for (ai = res; ai != NULL && err != ETIMEDOUT; ai = ai->ai_next) {
		if ((fd = connect_one(ai, deadline)) != -1)
			break;
		err = errno;
	}
	freeaddrinfo(res);
	if (fd == -1)
		snprintf(why, whylen, "%s: %s", where, strerror(err));
	return fd;
}

/* Why SSL_connect gave up: OpenSSL's reason, the socket's, or the peer. */
static const char *
tls_failure(int sslerr, int err)
{
	if (ERR_peek_last_error() != 0)
		return crypto_last_error();
	if (sslerr == SSL_ERROR_SYSCALL && err != 0)
		return strerror(err);
	return "connection closed by the server";
}

int
crypto_tls_peer_chain(const char *host, const char *port, const char *sni,
    int timeout, STACK_OF(X509) **out, char *why, size_t whylen)
{
	struct sigaction sa, oldpipe;
	struct timespec	 deadline;
	SSL_CTX		*ctx = NULL;
	SSL		*ssl = NULL;
	STACK_OF(X509)	*peer;
	char		 where[320];
	short		 ev;
	int		 fd = -1, r, v6, w, rv = EX_UNAVAILABLE;

	*out = NULL;
	if (whylen > 0)
		why[0] = '\0';
	v6 = strchr(host, ':') != NULL;
	snprintf(where, sizeof(where), "%s%s%s:%s", v6 ? "[" : "", host,
	    v6 ? "]" : "", port);
	/* A server that resets mid-handshake must not kill the tool. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, &oldpipe);

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout;
	if ((fd = tcp_connect(host, port, where, &deadline, why, whylen)) == -1)
		goto out;
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    (ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1 ||
	    (sni != NULL && !crypto_is_ip(sni) &&
	    SSL_set_tlsext_host_name(ssl, sni) != 1)) {
		snprintf(why, whylen, "%s: %s", where, crypto_last_error());
		log_err("%s", why);
		rv = EX_SOFTWARE;
		goto out;
	}
	/* Fetching, not trusting: the caller verifies what comes back. */
	SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
	for (;;) {
		ERR_clear_error();
		errno = 0;
		if ((r = SSL_connect(ssl)) == 1)
			break;
		switch (r = SSL_get_error(ssl, r)) {
		case SSL_ERROR_WANT_READ:
			ev = POLLIN;
			break;
		case SSL_ERROR_WANT_WRITE:
			ev = POLLOUT;
			break;
		default:
			snprintf(why, whylen, "%s: TLS handshake failed: %s",
			    where, tls_failure(r, errno));
			goto out;
		}
		if ((w = wait_fd(fd, ev, &deadline)) != 1) {
			snprintf(why, whylen, "%s: TLS handshake failed: %s",
			    where, w == 0 ? "timed out" : strerror(errno));
			goto out;
		}
	}
	peer = SSL_get_peer_cert_chain(ssl);
	if (sk_X509_num(peer) <= 0) {
		snprintf(why, whylen, "%s: the server sent no certificate",
		    where);
		goto out;
	}
	if ((*out = X509_chain_up_ref(peer)) == NULL) {
		snprintf(why, whylen, "%s: %s", where, crypto_last_error());
		log_err("%s", why);
		rv = EX_SOFTWARE;
		goto out;
	}
	rv = 0;
out:
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	if (fd != -1)
		close(fd);
	ERR_clear_error();
	sigaction(SIGPIPE, &oldpipe, NULL);
	return rv;
}
