/*
 * ssh: root may not log in with a password where SSH answers from
 * outside; guessing one password is then all it takes.  What sshd will
 * do comes from `sshd -T` (the configuration as sshd itself resolves
 * it), else from sshd_config read as sshd reads it.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extern.h"
#include "fs.h"
#include "ipaddr.h"
#include "procnet.h"
#include "run.h"

#define SSHD_TIMEOUT	10		/* seconds for sshd -T */
#define SSHD_OUTPUT	(64 * 1024)
#define SSHD_CONFIG_MAX	(256 * 1024)
#define INCLUDE_DEPTH	16		/* as sshd's own limit */

struct sshd_settings {
	char	root[32];	/* PermitRootLogin; "" until set */
	char	password[32];	/* PasswordAuthentication */
};

/* The first value wins, as in sshd. */
static void
setting(struct sshd_settings *s, const char *key, size_t klen,
    const char *val, size_t vlen)
{
	char	*dst = NULL;

	if (klen == 15 && strncasecmp(key, "permitrootlogin", klen) == 0)
		dst = s->root;
	else if (klen == 22 &&
	    strncasecmp(key, "passwordauthentication", klen) == 0)
		dst = s->password;
	if (dst == NULL || dst[0] != '\0' || vlen >= sizeof(s->root))
		return;
	memcpy(dst, val, vlen);
	dst[vlen] = '\0';
}

/* The next word at *P (up to END), quotes removed; its length. */
static size_t
word(const char **p, const char *end, const char **w)
{
	const char	*q = *p;
	size_t		 n;

	while (q < end && isblank((unsigned char)*q))
		q++;
	if (q < end && *q == '"') {
		*w = ++q;
		while (q < end && *q != '"')
			q++;
		n = (size_t)(q - *w);
		*p = q < end ? q + 1 : q;
		return n;
	}
	*w = q;
	while (q < end && !isblank((unsigned char)*q))
		q++;
	*p = q;
	return (size_t)(q - *w);
}

static int	config_read(const char *, const char *, struct sshd_settings *,
		    int);

/* Include PATTERN...: each file in the order glob(3) sorts them. */
static void
config_include(const char *p, const char *end, const char *dir,
    struct sshd_settings *s, int depth)
{
	const char	*w;
	char		 pat[PATH_MAX];
	glob_t		 g;
	size_t		 n, i;

	while ((n = word(&p, end, &w)) > 0) {
		if (w[0] == '/')
			snprintf(pat, sizeof(pat), "%.*s", (int)n, w);
		else
			snprintf(pat, sizeof(pat), "%s/%.*s", dir, (int)n, w);
		if (glob(pat, 0, NULL, &g) != 0)
			continue;
		for (i = 0; i < g.gl_pathc; i++)
			(void)config_read(g.gl_pathv[i], dir, s, depth + 1);
		globfree(&g);
	}
}

/*
 * sshd_config at PATH into S: "Keyword value" or "Keyword=value" lines;
 * a Match block applies only to some connections, so reading stops
 * there.  Relative Include patterns are taken from DIR.  -1 when PATH
 * cannot be read.
 */
static int
config_read(const char *path, const char *dir, struct sshd_settings *s,
    int depth)
{
	const char	*p, *nl, *end, *key, *val;
	char		*buf = NULL;
	size_t		 len, klen, vlen;

	if (depth > INCLUDE_DEPTH ||
	    fs_read_file(path, SSHD_CONFIG_MAX, &buf, &len) != 0)
		return -1;
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		while (p < nl && isspace((unsigned char)*p))
			p++;
		if (p == nl || *p == '#')
			continue;
		key = p;
		while (p < nl && !isspace((unsigned char)*p) && *p != '=')
			p++;
		klen = (size_t)(p - key);
		while (p < nl && isblank((unsigned char)*p))
			p++;
		if (p < nl && *p == '=')
			p++;
		if (klen == 5 && strncasecmp(key, "match", 5) == 0)
			break;
		if (klen == 7 && strncasecmp(key, "include", 7) == 0) {
			config_include(p, nl, dir, s, depth);
			continue;
		}
		vlen = word(&p, nl, &val);
		while (vlen > 0 && isspace((unsigned char)val[vlen - 1]))
			vlen--;
		setting(s, key, klen, val, vlen);
	}
	free(buf);
	return 0;
}

/* The output of sshd -T: "keyword value" lines, keywords in lower case. */
static int
sshd_test(const char *cmd, struct sshd_settings *s)
{
	const char	*p, *nl, *end, *key, *val;
	char		*buf;
	size_t		 len, klen, vlen;
	int		 rc;

	if ((buf = malloc(SSHD_OUTPUT)) == NULL)
		return -1;
	if ((rc = run_command_output("[audit] sshd_command", cmd,
	    SSHD_TIMEOUT, buf, SSHD_OUTPUT, &len)) == 0) {
		end = buf + len;
		for (p = buf; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			klen = word(&p, nl, &key);
			vlen = word(&p, nl, &val);
			setting(s, key, klen, val, vlen);
		}
	}
	free(buf);
	return rc == 0 ? 0 : -1;
}

/*
 * Where a TCP socket on PORT listens beyond loopback, into WHERE ("" when
 * nowhere).  -1 when the sockets cannot be read.
 */
static int
exposed(long port, char *where, size_t len)
{
	struct procnet_sock	*v;
	size_t			 n, i;

	where[0] = '\0';
	if (procnet_listening(&v, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i].proto == IPPROTO_TCP && v[i].port == (unsigned)port &&
		    !ipaddr_loopback(v[i].family, v[i].addr)) {
			if (inet_ntop(v[i].family, v[i].addr, where,
			    (socklen_t)len) == NULL)
				snprintf(where, len, "?");
			break;
		}
	free(v);
	return 0;
}

void
ssh_check(struct report *r)
{
	const struct ss_conf	*c = r->c;
	struct sshd_settings	 s;
	const char		*from, *root, *pw;
	char			 where[INET6_ADDRSTRLEN], dir[PATH_MAX];
	char			 fix[FINDING_FIX];
	long			 port = c->device.ssh_port;

	if (port == 0) {
		report_add(r, CHECK_OK, "ssh", NULL, "no SSH port "
		    "([device] ssh_port is 0)");
		return;
	}
	if (exposed(port, where, sizeof(where)) == -1) {
		report_add(r, CHECK_UNKNOWN, "ssh", NULL, "the sockets in "
		    "/proc/net cannot be read");
		return;
	}
	if (where[0] == '\0') {
		report_add(r, CHECK_OK, "ssh", NULL, "port %ld does not listen "
		    "beyond loopback", port);
		return;
	}
	memset(&s, 0, sizeof(s));
	from = c->audit.sshd_command;
	if (from[0] == '\0' || sshd_test(from, &s) == -1) {
		memset(&s, 0, sizeof(s));
		from = c->audit.sshd_config;
		if (fs_dirname(from, dir, sizeof(dir)) != 0 ||
		    config_read(from, dir, &s, 0) == -1) {
			report_add(r, CHECK_UNKNOWN, "ssh", NULL, "port %ld "
			    "listens on %s, and neither [audit] sshd_command "
			    "nor %s says whether root may log in with a "
			    "password", port, where, from);
			return;
		}
	}
	root = s.root[0] != '\0' ? s.root : "prohibit-password";
	pw = s.password[0] != '\0' ? s.password : "yes";
	if (strcasecmp(root, "yes") == 0 && strcasecmp(pw, "yes") == 0) {
		snprintf(fix, sizeof(fix), "set PermitRootLogin "
		    "prohibit-password in %s", c->audit.sshd_config);
		report_add(r, CHECK_WARNING, "ssh", fix, "root may log in with "
		    "a password (PermitRootLogin %s, PasswordAuthentication "
		    "%s, from %s) while port %ld listens on %s", root, pw, from,
		    port, where);
	} else
		report_add(r, CHECK_OK, "ssh", NULL, "root may not log in with "
		    "a password (PermitRootLogin %s, PasswordAuthentication "
		    "%s, from %s)", root, pw, from);
}
