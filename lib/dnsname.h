/*
 * dnsname: host names as DNS takes them (RFC 1035 2.3.1, RFC 1123 2.1):
 * labels of 1 to 63 letters, digits and inner hyphens, at most 253 bytes
 * in all, no trailing dot.
 */
#ifndef SEC_DNSNAME_H
#define SEC_DNSNAME_H

#include <stddef.h>

/* 1 when the N bytes at S are one label. */
int	dnsname_label_ok(const char *s, size_t n);
/* 1 when S is one or more labels joined by dots. */
int	dnsname_ok(const char *s);

#endif
