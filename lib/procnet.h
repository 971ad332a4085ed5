/*
 * procnet: the sockets of this network namespace as the kernel lists
 * them in /proc/net/tcp, tcp6, udp and udp6, and the processes that hold
 * them (found through /proc/PID/fd).
 */
#ifndef SEC_PROCNET_H
#define SEC_PROCNET_H

#include <stddef.h>

#define PROCNET_COMM	16	/* a process's name, as /proc/PID/comm */

struct procnet_sock {
	int		proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	int		family;		/* AF_INET or AF_INET6 */
	unsigned char	addr[16];	/* the local address, 4 bytes in v4 */
	unsigned	port;
	unsigned	state;		/* as the kernel numbers TCP states */
	unsigned long	inode;
	long		pid;		/* of a holder; 0 when none was found */
	char		comm[PROCNET_COMM];
};

/*
 * One line of a table of FAMILY: 1 with S filled (pid 0), 0 for the
 * heading, -1 when it is neither.
 */
int	procnet_parse_line(const char *line, size_t len, int family,
	    struct procnet_sock *s);

/*
 * The sockets that wait for peers, in *V (*N of them; free it): TCP in
 * LISTEN and UDP bound and not connected.  A table the kernel does not
 * have (no IPv6) is left out.  0, or a sysexits(3) code (logged).
 */
int	procnet_listening(struct procnet_sock **v, size_t *n);

/* Fills pid and comm of each of the N sockets whose holder can be seen. */
void	procnet_owners(struct procnet_sock *v, size_t n);

#endif
