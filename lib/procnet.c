/*
 * procnet: listening sockets from /proc/net.  The kernel prints each
 * address as the 32-bit words it holds in network order, read as host
 * integers: copying the words back gives the address's bytes on any
 * machine.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <ctype.h>
#include <limits.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "fs.h"
#include "log.h"
#include "procnet.h"

#define TCP_LISTEN_STATE	0x0a
#define TCP_CLOSE_STATE		0x07	/* an unconnected UDP socket */
#define NTOKENS			10	/* sl local remote st ... inode */

static const struct {
	const char	*path;
	int		 proto;
	int		 family;
} tables[] = {
	{ "/proc/net/tcp", IPPROTO_TCP, AF_INET },
	{ "/proc/net/tcp6", IPPROTO_TCP, AF_INET6 },
	{ "/proc/net/udp", IPPROTO_UDP, AF_INET },
	{ "/proc/net/udp6", IPPROTO_UDP, AF_INET6 },
};

/* N (1 to 8) hex digits at P into *OUT; -1 for anything else. */
static int
hex_u32(const char *p, size_t n, uint32_t *out)
{
	uint32_t	v = 0;
	size_t		i;
	int		d;

	if (n == 0 || n > 8)
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* "ADDR:PORT" of FAMILY, N bytes at P. */
static int
parse_endpoint(const char *p, size_t n, int family, struct procnet_sock *s)
{
	size_t		words = family == AF_INET ? 1 : 4, i;
	uint32_t	w;

	if (n != words * 8 + 5 || p[words * 8] != ':')
		return -1;
	for (i = 0; i < words; i++) {
		if (hex_u32(p + i * 8, 8, &w) == -1)
			return -1;
		memcpy(s->addr + i * 4, &w, 4);
	}
	if (hex_u32(p + words * 8 + 1, 4, &w) == -1)
		return -1;
	s->port = w;
	return 0;
}

static int
parse_ulong(const char *p, size_t n, unsigned long *out)
{
	unsigned long	v = 0;
	size_t		i;

	if (n == 0 || n > 20)
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9' ||
		    v > (~0UL - (unsigned long)(p[i] - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	*out = v;
	return 0;
}

int
procnet_parse_line(const char *line, size_t len, int family,
    struct procnet_sock *s)
{
	const char	*tok[NTOKENS], *p = line, *end = line + len;
	size_t		 tlen[NTOKENS], nt = 0;
	uint32_t	 st;

	while (nt < NTOKENS) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		tok[nt] = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		tlen[nt] = (size_t)(p - tok[nt]);
		nt++;
	}
	if (nt >= 1 && tlen[0] == 2 && strncmp(tok[0], "sl", 2) == 0)
		return 0;
	if (nt < NTOKENS || tok[0][tlen[0] - 1] != ':')
		return -1;
	memset(s, 0, sizeof(*s));
	s->family = family;
	if (parse_endpoint(tok[1], tlen[1], family, s) == -1 ||
	    hex_u32(tok[3], tlen[3], &st) == -1 ||
	    parse_ulong(tok[9], tlen[9], &s->inode) == -1)
		return -1;
	s->state = st;
	return 1;
}

static int
waits_for_peers(const struct procnet_sock *s)
{
	if (s->proto == IPPROTO_TCP)
		return s->state == TCP_LISTEN_STATE;
	return s->state == TCP_CLOSE_STATE && s->port != 0;
}

/* The listening sockets of one table, appended to *V. */
static int
read_table(size_t t, struct procnet_sock **v, size_t *n)
{
	struct procnet_sock	 s, *nv;
	const char		*p, *nl, *end;
	char			*buf = NULL;
	size_t			 len, line = 0;
	int			 r, rc;

	if ((rc = fs_read_file(tables[t].path, FS_MAX_READ, &buf, &len)) != 0)
		return rc == EX_NOINPUT ? 0 : rc;
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((r = procnet_parse_line(p, (size_t)(nl - p),
		    tables[t].family, &s)) == 0)
			continue;
		if (r == -1) {
			log_err("%s:%zu: not a socket line", tables[t].path,
			    line);
			rc = EX_DATAERR;
			goto out;
		}
		s.proto = tables[t].proto;
		if (!waits_for_peers(&s))
			continue;
		if ((nv = reallocarray(*v, *n + 1, sizeof(**v))) == NULL) {
			log_err("%s: %s", tables[t].path, strerror(errno));
			rc = EX_OSERR;
			goto out;
		}
		*v = nv;
		(*v)[(*n)++] = s;
	}
out:
	free(buf);
	return rc;
}

int
procnet_listening(struct procnet_sock **v, size_t *n)
{
	size_t	t;
	int	rc = 0;

	*v = NULL;
	*n = 0;
	for (t = 0; t < sizeof(tables) / sizeof(tables[0]) && rc == 0; t++)
		rc = read_table(t, v, n);
	if (rc != 0) {
		free(*v);
		*v = NULL;
		*n = 0;
	}
	return rc;
}

/* The name of process PID into S's comm. */
static void
owner_comm(const char *pid, struct procnet_sock *s)
{
	char	path[PATH_MAX];
	ssize_t	got;
	int	fd;

	s->comm[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	if ((got = read(fd, s->comm, sizeof(s->comm) - 1)) > 0) {
		s->comm[got] = '\0';
		s->comm[strcspn(s->comm, "\n")] = '\0';
	} else
		s->comm[0] = '\0';
	close(fd);
}

/* Marks the sockets of V that descriptor LINK ("socket:[INODE]") holds. */
static void
owner_match(const char *link, const char *pid, struct procnet_sock *v,
    size_t n)
{
	unsigned long	inode;
	size_t		i, len = strlen(link);

	if (len < 10 || strncmp(link, "socket:[", 8) != 0 ||
	    link[len - 1] != ']' ||
	    parse_ulong(link + 8, len - 9, &inode) == -1)
		return;
	for (i = 0; i < n; i++) {
		if (v[i].inode != inode || v[i].pid != 0)
			continue;
		v[i].pid = strtol(pid, NULL, 10);
		owner_comm(pid, &v[i]);
	}
}

static void
owner_scan(const char *pid, struct procnet_sock *v, size_t n)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[PATH_MAX], link[64];
	ssize_t		 got;
	int		 fd;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if ((got = readlinkat(fd, de->d_name, link,
		    sizeof(link) - 1)) <= 0)
			continue;
		link[got] = '\0';
		owner_match(link, pid, v, n);
	}
	closedir(d);
}

void
procnet_owners(struct procnet_sock *v, size_t n)
{
	struct dirent	*de;
	DIR		*d;

	if (n == 0 || (d = opendir("/proc")) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (isdigit((unsigned char)de->d_name[0]))
			owner_scan(de->d_name, v, n);
	closedir(d);
}
