/*
 * dhparam: Diffie-Hellman parameters for nginx's ssl_dhparam.
 */
#ifndef SEC_DHPARAM_H
#define SEC_DHPARAM_H

#include <stddef.h>

/*
 * PEM DH parameters (PKCS#3, generator 2) of BITS bits, generated now;
 * 0 or a sysexits(3) code (logged).  Callers hold deployments to >= 2048;
 * 512 is accepted for tests.
 */
int	 dhparam_pem(int bits, char **pem, size_t *len);

/* Bits of the DH parameters in PATH; 0 when absent or not DH parameters. */
int	 dhparam_bits(const char *path);

#endif
