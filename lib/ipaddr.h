/*
 * ipaddr: IPv4 and IPv6 addresses written as text ("192.0.2.1",
 * "2001:db8::1"), as security.conf, certificates and DNS answers hold them.
 */
#ifndef SEC_IPADDR_H
#define SEC_IPADDR_H

#include <stddef.h>

#define IPADDR_MAX	16	/* bytes of the largest address, IPv6 */

/*
 * The family of the N bytes at S, AF_INET or AF_INET6, with the address
 * in OUT (4 or 16 bytes; OUT may be NULL); 0 when they are not an
 * address.
 */
int	ipaddr_parse(const char *s, size_t n, unsigned char *out);
/* 1 when A and B are one address, however each is written. */
int	ipaddr_equal(const char *a, const char *b);
/*
 * 1 for a loopback address of FAMILY at ADDR (4 or 16 bytes):
 * 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104; else 0.
 */
int	ipaddr_loopback(int family, const unsigned char *addr);
/* 1 when S is "localhost" or a loopback address as text, else 0. */
int	ipaddr_loopback_text(const char *s);

#endif
