/*
 * conf: security.conf, checked line by line against one table of keys.
 *
 * inih does the INI syntax; the reader below feeds it one line at a time
 * from a buffer so that the line number is known in the handler, leading
 * blanks are dropped (inih would otherwise glue an indented line to the
 * previous key's value) and over-long lines are refused instead of being
 * split.  Only the first problem is reported.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "conf.h"
#include "fs.h"
#include "log.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define CONF_LOCK_WAIT	10	/* seconds conf_set waits for the lock */
#define ERRLEN		512

enum type {
	TYPE_STRING,
	TYPE_HOSTNAME,		/* one DNS label */
	TYPE_DNSNAME,		/* dot-separated labels, may be empty */
	TYPE_PATH,		/* absolute */
	TYPE_OPTPATH,		/* absolute, or empty for none */
	TYPE_URL,		/* https:// or http:// */
	TYPE_INT,		/* decimal, min..max */
	TYPE_BOOL,
	TYPE_ENUM,		/* one of choices */
	TYPE_IP,		/* one IPv4/IPv6 literal */
	TYPE_IPLIST,		/* comma-separated IPv4/IPv6 literals */
	TYPE_CIDRLIST		/* the same, each with an optional /prefix */
};

struct key {
	const char		*section;
	const char		*name;
	enum type		 type;
	long			 min;		/* TYPE_INT */
	long			 max;
	const char *const	*choices;	/* TYPE_ENUM */
	const char		*def;		/* NULL: system's host name */
};

static const char *const key_types[] = {
	"ec256", "ec384", "rsa2048", "rsa3072", "rsa4096", NULL
};

static const char *const challenges[] = { "http-01", "dns-01", NULL };
static const char *const ddns_protocols[] = { "dyndns2", "rfc2136", NULL };
static const char *const ip_versions[] = { "4", "6", "both", NULL };
static const char *const auths[] = { "basic", "clientcert", "both", "none",
    NULL };

static const struct key keys[] = {
	{ "device", "hostname", TYPE_HOSTNAME, 0, 0, NULL, NULL },
	{ "device", "domain", TYPE_DNSNAME, 0, 0, NULL, "" },
	{ "device", "state_dir", TYPE_PATH, 0, 0, NULL, "/var/lib/ss" },
	{ "device", "addresses", TYPE_IPLIST, 0, 0, NULL, "" },
	{ "certs", "dir", TYPE_PATH, 0, 0, NULL, "/var/apollo/data/certs" },
	{ "certs", "key_type", TYPE_ENUM, 0, 0, key_types, "ec256" },
	{ "certs", "self_days", TYPE_INT, 1, 36500, NULL, "3650" },
	{ "certs", "renew_days", TYPE_INT, 0, 365, NULL, "30" },
	{ "certs", "dhparam_bits", TYPE_INT, 2048, 8192, NULL, "2048" },
	{ "acme", "directory", TYPE_URL, 0, 0, NULL,
	    "https://acme-v02.api.letsencrypt.org/directory" },
	{ "acme", "ca_file", TYPE_OPTPATH, 0, 0, NULL, "" },
	{ "acme", "email", TYPE_STRING, 0, 0, NULL, "" },
	{ "acme", "agree_tos", TYPE_BOOL, 0, 0, NULL, "no" },
	{ "acme", "challenge", TYPE_ENUM, 0, 0, challenges, "http-01" },
	{ "acme", "webroot", TYPE_PATH, 0, 0, NULL, "/var/www/acme" },
	{ "acme", "dns_hook", TYPE_STRING, 0, 0, NULL, "" },
	{ "acme", "dns_wait", TYPE_INT, 0, 3600, NULL, "30" },
	{ "acme", "eab_kid", TYPE_STRING, 0, 0, NULL, "" },
	{ "acme", "eab_hmac_file", TYPE_OPTPATH, 0, 0, NULL, "" },
	{ "acme", "deploy_hook", TYPE_STRING, 0, 0, NULL, "" },
	{ "acme", "timeout", TYPE_INT, 10, 3600, NULL, "300" },
	{ "device", "ssh_port", TYPE_INT, 0, 65535, NULL, "22" },
	{ "device", "sftp", TYPE_BOOL, 0, 0, NULL, "yes" },
	{ "device", "mqtt_port", TYPE_INT, 0, 65535, NULL, "8883" },
	{ "nginx", "certs_conf", TYPE_PATH, 0, 0, NULL,
	    "/etc/nginx/sites-enabled/certs.conf" },
	{ "nginx", "site_conf", TYPE_PATH, 0, 0, NULL,
	    "/etc/nginx/sites-enabled/ss-proxy.conf" },
	{ "nginx", "test_command", TYPE_STRING, 0, 0, NULL, "nginx -t -q" },
	{ "nginx", "reload_command", TYPE_STRING, 0, 0, NULL,
	    "systemctl reload nginx" },
	{ "nginx", "backend", TYPE_URL, 0, 0, NULL, "http://127.0.0.1:8080" },
	{ "nginx", "auth", TYPE_ENUM, 0, 0, auths, "basic" },
	{ "nginx", "client_ca_file", TYPE_OPTPATH, 0, 0, NULL, "" },
	{ "nginx", "allow", TYPE_CIDRLIST, 0, 0, NULL, "" },
	{ "nginx", "listen", TYPE_IPLIST, 0, 0, NULL, "" },
	{ "nginx", "http_port", TYPE_INT, 1, 65535, NULL, "80" },
	{ "nginx", "https_port", TYPE_INT, 1, 65535, NULL, "443" },
	{ "passwd", "htpasswd_file", TYPE_PATH, 0, 0, NULL,
	    "/etc/nginx/htpasswd" },
	{ "passwd", "system_user", TYPE_STRING, 0, 0, NULL, "apollo" },
	{ "passwd", "shadow_file", TYPE_PATH, 0, 0, NULL, "/etc/shadow" },
	{ "passwd", "users_file", TYPE_PATH, 0, 0, NULL, "/var/lib/ss/users" },
	{ "passwd", "factory_file", TYPE_PATH, 0, 0, NULL,
	    "/etc/ss/factory_password" },
	{ "passwd", "min_length", TYPE_INT, 8, 128, NULL, "10" },
	{ "passwd", "argon2_t", TYPE_INT, 1, 100, NULL, "3" },
	{ "passwd", "argon2_m_kib", TYPE_INT, 8, 4194304, NULL, "65536" },
	{ "passwd", "argon2_p", TYPE_INT, 1, 64, NULL, "4" },
	{ "passwd", "max_failures", TYPE_INT, 0, 1000, NULL, "5" },
	{ "passwd", "lockout_minutes", TYPE_INT, 0, 10080, NULL, "15" },
	{ "smtp", "url", TYPE_STRING, 0, 0, NULL, "" },
	{ "smtp", "from", TYPE_STRING, 0, 0, NULL, "" },
	{ "smtp", "username", TYPE_STRING, 0, 0, NULL, "" },
	{ "smtp", "password_file", TYPE_OPTPATH, 0, 0, NULL, "" },
	{ "smtp", "ca_file", TYPE_OPTPATH, 0, 0, NULL, "" },
	{ "ddns", "enabled", TYPE_BOOL, 0, 0, NULL, "no" },
	{ "ddns", "protocol", TYPE_ENUM, 0, 0, ddns_protocols, "dyndns2" },
	{ "ddns", "server", TYPE_STRING, 0, 0, NULL, "" },
	{ "ddns", "username", TYPE_STRING, 0, 0, NULL, "" },
	{ "ddns", "password_file", TYPE_OPTPATH, 0, 0, NULL, "" },
	{ "ddns", "zone", TYPE_DNSNAME, 0, 0, NULL, "" },
	{ "ddns", "tsig_key_file", TYPE_OPTPATH, 0, 0, NULL, "" },
	{ "ddns", "ttl", TYPE_INT, 30, 86400, NULL, "60" },
	{ "ddns", "checkip", TYPE_STRING, 0, 0, NULL,
	    "https://checkip.amazonaws.com, https://api.ipify.org" },
	{ "ddns", "ip_version", TYPE_ENUM, 0, 0, ip_versions, "4" },
	{ "ddns", "force_days", TYPE_INT, 1, 365, NULL, "28" },
	{ "ddns", "flap_threshold", TYPE_INT, 1, 100, NULL, "3" },
	{ "ddns", "ca_file", TYPE_OPTPATH, 0, 0, NULL, "" },
	{ "button", "chip", TYPE_STRING, 0, 0, NULL, "gpiochip0" },
	{ "button", "line", TYPE_INT, 0, 1023, NULL, "0" },
	{ "button", "active_low", TYPE_BOOL, 0, 0, NULL, "yes" },
	{ "button", "hold_seconds", TYPE_INT, 1, 600, NULL, "20" },
	{ "button", "debounce_ms", TYPE_INT, 0, 1000, NULL, "50" },
	{ "button", "reset_enabled", TYPE_BOOL, 0, 0, NULL, "yes" },
	{ "button", "led_red", TYPE_STRING, 0, 0, NULL, "" },
	{ "button", "led_green", TYPE_STRING, 0, 0, NULL, "" },
	{ "button", "led_blue", TYPE_STRING, 0, 0, NULL, "" },
	{ "button", "reset_command", TYPE_STRING, 0, 0, NULL,
	    "ss-passwd factory-reset --yes" },
	{ "button", "reboot_command", TYPE_STRING, 0, 0, NULL,
	    "systemctl reboot" },
	{ "openhab", "defaults_file", TYPE_PATH, 0, 0, NULL,
	    "/etc/default/openhab" },
	{ "openhab", "http_address", TYPE_IP, 0, 0, NULL, "127.0.0.1" },
	{ "openhab", "http_port", TYPE_INT, 0, 65535, NULL, "0" },
	{ "openhab", "https_port", TYPE_INT, 0, 65535, NULL, "0" },
};

#define NKEYS	nitems(keys)

struct value {
	char	*str;		/* NULL: not in the file */
	int	 line;
};

struct conf {
	char		*file;
	struct value	 val[NKEYS];
	char		 hostname[HOST_NAME_MAX + 1];
	char		*fqdn;
};

/* One pass of the checker over a buffer. */
struct parse {
	const char	*pos;
	const char	*end;
	int		 line;
	const char	*section;	/* of the last good [section] line */
	struct value	*val;		/* NKEYS entries, filled in */
	int		 unchecked;	/* key whose value may be bad, or -1 */
	const char	*track;		/* section whose last line is wanted */
	int		 track_line;	/* last non-blank line of it, or 0 */
	int		 err_line;	/* first problem, 0 if none */
	int		 err_code;
	char		 err[ERRLEN];
};

static int
key_find(const char *section, const char *name)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The table's spelling of section S (N bytes), or NULL when unknown. */
static const char *
section_find(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (strlen(keys[i].section) == n &&
		    strncmp(keys[i].section, s, n) == 0)
			return keys[i].section;
	return NULL;
}

/*
 * A key the calling code names must be in the table with that type: a
 * miss is a bug in the tool, caught by its first test run.
 */
static int
key_get(const char *section, const char *name, int type)
{
	int	i;

	i = key_find(section, name);
	if (i == -1 || (type != -1 && (int)keys[i].type != type)) {
		log_err("conf: [%s] %s: not in the key table with this type",
		    section, name);
		abort();
	}
	return i;
}

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

static int
is_label(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

static int
is_dnsname(const char *s)
{
	const char	*dot;

	if (*s == '\0')
		return 1;
	if (strlen(s) > 253)
		return 0;
	for (;;) {
		dot = strchr(s, '.');
		if (!is_label(s, dot != NULL ? (size_t)(dot - s) : strlen(s)))
			return 0;
		if (dot == NULL)
			return 1;
		s = dot + 1;
	}
}

/* 1 or 0, or -1 when S is not a boolean. */
static int
parse_bool(const char *s)
{
	static const char *const	 yes[] = { "yes", "true", "on", "1" };
	static const char *const	 no[] = { "no", "false", "off", "0" };
	size_t				 i;

	for (i = 0; i < nitems(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

/*
 * Next item of a comma-separated list at *SP, blanks around it trimmed
 * and empty items skipped.  Returns 0 at the end of the list.
 */
static int
list_next(const char **sp, const char **item, size_t *len)
{
	const char	*s = *sp, *e;

	for (;;) {
		while (is_blank((unsigned char)*s) || *s == ',')
			s++;
		if (*s == '\0') {
			*sp = s;
			return 0;
		}
		e = s + strcspn(s, ",");
		*sp = e;
		while (e > s && is_blank((unsigned char)e[-1]))
			e--;
		*item = s;
		*len = (size_t)(e - s);
		return 1;
	}
}

static int
is_ip(const char *s, size_t n)
{
	char		buf[INET6_ADDRSTRLEN];
	unsigned char	addr[sizeof(struct in6_addr)];

	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET, buf, addr) == 1 ||
	    inet_pton(AF_INET6, buf, addr) == 1;
}

/* An IP literal with an optional /prefix that fits its family. */
static int
is_cidr(const char *s, size_t n)
{
	const char	*slash = memchr(s, '/', n);
	size_t		 plen;
	long		 max, prefix = 0;

	if (slash == NULL)
		return is_ip(s, n);
	plen = n - (size_t)(slash - s) - 1;
	if (plen == 0 || plen > 3 || !is_ip(s, (size_t)(slash - s)))
		return 0;
	max = memchr(s, ':', (size_t)(slash - s)) != NULL ? 128 : 32;
	for (size_t i = 1; i <= plen; i++) {
		if (slash[i] < '0' || slash[i] > '9')
			return 0;
		prefix = prefix * 10 + (slash[i] - '0');
	}
	return prefix <= max;
}

static void
join_choices(const char *const *c, char *buf, size_t len)
{
	buf[0] = '\0';
	for (; *c != NULL; c++) {
		if (buf[0] != '\0')
			strncat(buf, ", ", len - strlen(buf) - 1);
		strncat(buf, *c, len - strlen(buf) - 1);
	}
}

/* 0 when V is a good value for K, else -1 with the reason in WHY. */
static int
check_value(const struct key *k, const char *v, char *why, size_t len)
{
	const char *const	*c;
	const char		*s, *item;
	char			 list[256];
	size_t			 n;
	long			 l;

	switch (k->type) {
	case TYPE_STRING:
		break;
	case TYPE_HOSTNAME:
		if (!is_label(v, strlen(v))) {
			snprintf(why, len, "%s: '%s' is not a host name (1-63 "
			    "letters, digits or '-', not starting or ending "
			    "with '-')", k->name, v);
			return -1;
		}
		break;
	case TYPE_DNSNAME:
		if (!is_dnsname(v)) {
			snprintf(why, len, "%s: '%s' is not a DNS name",
			    k->name, v);
			return -1;
		}
		break;
	case TYPE_PATH:
		if (v[0] != '/') {
			snprintf(why, len, "%s: '%s' is not an absolute path",
			    k->name, v);
			return -1;
		}
		break;
	case TYPE_OPTPATH:
		if (v[0] != '\0' && v[0] != '/') {
			snprintf(why, len, "%s: '%s' is not an absolute path",
			    k->name, v);
			return -1;
		}
		break;
	case TYPE_URL:
		if ((strncmp(v, "https://", 8) != 0 || v[8] == '\0') &&
		    (strncmp(v, "http://", 7) != 0 || v[7] == '\0')) {
			snprintf(why, len, "%s: '%s' is not an https:// URL",
			    k->name, v);
			return -1;
		}
		break;
	case TYPE_INT:
		s = v[0] == '-' ? v + 1 : v;
		if (*s == '\0' || strspn(s, "0123456789") != strlen(s)) {
			snprintf(why, len, "%s: '%s' is not a number",
			    k->name, v);
			return -1;
		}
		errno = 0;
		l = strtol(v, NULL, 10);
		if (errno == ERANGE || l < k->min || l > k->max) {
			snprintf(why, len, "%s: %s is out of range (%ld-%ld)",
			    k->name, v, k->min, k->max);
			return -1;
		}
		break;
	case TYPE_BOOL:
		if (parse_bool(v) == -1) {
			snprintf(why, len, "%s: '%s' is not a boolean (yes/no, "
			    "true/false, on/off, 1/0)", k->name, v);
			return -1;
		}
		break;
	case TYPE_ENUM:
		for (c = k->choices; *c != NULL; c++)
			if (strcmp(v, *c) == 0)
				break;
		if (*c == NULL) {
			join_choices(k->choices, list, sizeof(list));
			snprintf(why, len, "%s: '%s' is not one of %s",
			    k->name, v, list);
			return -1;
		}
		break;
	case TYPE_IP:
		if (!is_ip(v, strlen(v))) {
			snprintf(why, len, "%s: '%s' is not an IP address",
			    k->name, v);
			return -1;
		}
		break;
	case TYPE_CIDRLIST:
		s = v;
		while (list_next(&s, &item, &n)) {
			if (!is_cidr(item, n)) {
				snprintf(why, len, "%s: '%.*s' is not an IP "
				    "address or network", k->name, (int)n, item);
				return -1;
			}
		}
		break;
	case TYPE_IPLIST:
		s = v;
		while (list_next(&s, &item, &n)) {
			if (!is_ip(item, n)) {
				snprintf(why, len, "%s: '%.*s' is not an IP "
				    "address", k->name, (int)n, item);
				return -1;
			}
		}
		break;
	}
	return 0;
}

/* Records the first problem; returns 0 so inih's handler fails too. */
static int __attribute__((format(printf, 3, 4)))
fail(struct parse *p, int code, const char *fmt, ...)
{
	va_list	ap;

	if (p->err_line != 0)
		return 0;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	p->err_line = p->line;
	p->err_code = code;
	return 0;
}

/*
 * Where inih ends a section name: at ']' or at an inline comment (';'
 * after a blank), as its find_chars_or_comment() does.
 */
static const char *
section_end(const char *s)
{
	int	was_blank = 0;

	for (; *s != '\0' && *s != ']' && !(was_blank && *s == ';'); s++)
		was_blank = is_blank((unsigned char)*s);
	return s;
}

/* inih's reader: the next line of the buffer, checked and left-trimmed. */
static char *
read_line(char *str, int num, void *arg)
{
	struct parse	*p = arg;
	const char	*s, *e, *nl, *end;
	size_t		 n;

	if (p->err_line != 0 || p->pos >= p->end)
		return NULL;
	s = p->pos;
	nl = memchr(s, '\n', (size_t)(p->end - s));
	e = nl != NULL ? nl : p->end;
	p->pos = nl != NULL ? nl + 1 : p->end;
	p->line++;
	if (e > s && e[-1] == '\r')
		e--;
	if (memchr(s, '\0', (size_t)(e - s)) != NULL) {
		fail(p, EX_CONFIG, "NUL byte in line");
		return NULL;
	}
	if (e - s > CONF_MAX_LINE) {
		fail(p, EX_CONFIG, "line too long (more than %d characters)",
		    CONF_MAX_LINE);
		return NULL;
	}
	if (p->line == 1 && e - s >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < e && is_blank((unsigned char)*s))
		s++;
	n = (size_t)(e - s);
	if (n >= (size_t)num) {
		fail(p, EX_CONFIG, "line too long (more than %d characters)",
		    num - 1);
		return NULL;
	}
	memcpy(str, s, n);
	str[n] = '\0';
	if (str[0] == '[') {
		end = section_end(str + 1);
		if (*end == ']') {
			n = (size_t)(end - str - 1);
			if ((p->section = section_find(str + 1, n)) == NULL) {
				fail(p, EX_CONFIG, "unknown section [%.*s]",
				    (int)n, str + 1);
				return NULL;
			}
		}
	}
	if (str[0] != '\0' && p->track != NULL && p->section == p->track)
		p->track_line = p->line;
	return str;
}

static int
on_key(void *arg, const char *section, const char *name, const char *value)
{
	struct parse	*p = arg;
	char		 why[ERRLEN];
	int		 i;

	if (*section == '\0')
		return fail(p, EX_CONFIG, "key '%s' before any [section]",
		    name);
	if ((i = key_find(section, name)) == -1)
		return fail(p, EX_CONFIG, "unknown key '%s' in [%s]", name,
		    section);
	if (p->val[i].line != 0)
		return fail(p, EX_CONFIG, "duplicate key '%s' in [%s] (first "
		    "set on line %d)", name, section, p->val[i].line);
	if (i != p->unchecked &&
	    check_value(&keys[i], value, why, sizeof(why)) == -1)
		return fail(p, EX_CONFIG, "%s", why);
	if ((p->val[i].str = strdup(value)) == NULL)
		return fail(p, EX_OSERR, "%s", strerror(errno));
	p->val[i].line = p->line;
	return 1;
}

static void
values_free(struct value *val)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++) {
		free(val[i].str);
		val[i].str = NULL;
		val[i].line = 0;
	}
}

/*
 * Checks LEN bytes of BUF (FILE names it in messages) into VAL.  Logs the
 * first problem and returns EX_CONFIG (EX_OSERR out of memory), or 0.
 */
static int
check_buf(struct parse *p, const char *file, const char *buf, size_t len,
    struct value *val)
{
	int	r;

	p->pos = buf;
	p->end = buf + len;
	p->line = 0;
	p->section = NULL;
	p->val = val;
	p->track_line = 0;
	p->err_line = 0;
	r = ini_parse_stream(read_line, p, on_key, p);
	/*
	 * inih keeps going after a syntax error and reports its line at the
	 * end; the reader stops at the first problem of ours, so whichever
	 * line is smaller came first.
	 */
	if (r > 0 && (p->err_line == 0 || r < p->err_line)) {
		log_err("%s:%d: syntax error: expected 'key = value' or "
		    "'[section]'", file, r);
		return EX_CONFIG;
	}
	if (r < 0) {
		log_err("%s: out of memory", file);
		return EX_OSERR;
	}
	if (p->err_line != 0) {
		log_err("%s:%d: %s", file, p->err_line, p->err);
		return p->err_code;
	}
	return 0;
}

const char *
conf_path(const char *opt)
{
	const char	*env;

	if (opt != NULL)
		return opt;
	if ((env = getenv("SS_CONFIG")) != NULL && *env != '\0')
		return env;
	return CONF_DEFAULT_PATH;
}

/* The default host name and the fully qualified name, once per load. */
static int
set_names(struct conf *c)
{
	const char	*host, *domain;
	size_t		 len;

	if (c->val[key_get("device", "hostname", TYPE_HOSTNAME)].str == NULL) {
		if (gethostname(c->hostname, sizeof(c->hostname)) == -1) {
			log_err("gethostname: %s", strerror(errno));
			return EX_OSERR;
		}
		c->hostname[sizeof(c->hostname) - 1] = '\0';
		c->hostname[strcspn(c->hostname, ".")] = '\0';
	}
	host = conf_hostname(c);
	domain = conf_str(c, "device", "domain");
	len = strlen(host) + 1 + strlen(domain) + 1;
	if ((c->fqdn = malloc(len)) == NULL) {
		log_err("%s: %s", c->file, strerror(errno));
		return EX_OSERR;
	}
	if (*domain == '\0')
		snprintf(c->fqdn, len, "%s", host);
	else
		snprintf(c->fqdn, len, "%s.%s", host, domain);
	return 0;
}

int
conf_load(const char *path, struct conf **out)
{
	struct conf	*c = NULL;
	struct parse	 p;
	char		*buf = NULL;
	size_t		 len;
	int		 rc;

	*out = NULL;
	if (fs_read_file(path, FS_MAX_READ, &buf, &len) != 0) {
		rc = EX_CONFIG;
		goto out;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->file = strdup(path)) == NULL) {
		log_err("%s: %s", path, strerror(errno));
		rc = EX_OSERR;
		goto out;
	}
	memset(&p, 0, sizeof(p));
	p.unchecked = -1;
	if ((rc = check_buf(&p, path, buf, len, c->val)) != 0)
		goto out;
	if ((rc = set_names(c)) != 0)
		goto out;
	*out = c;
	c = NULL;
out:
	conf_free(c);
	free(buf);
	return rc;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	values_free(c->val);
	free(c->file);
	free(c->fqdn);
	free(c);
}

const char *
conf_file(const struct conf *c)
{
	return c->file;
}

const char *
conf_str(const struct conf *c, const char *section, const char *key)
{
	int	i;

	i = key_get(section, key, -1);
	if (c->val[i].str != NULL)
		return c->val[i].str;
	return keys[i].def != NULL ? keys[i].def : c->hostname;
}

long
conf_int(const struct conf *c, const char *section, const char *key)
{
	key_get(section, key, TYPE_INT);
	return strtol(conf_str(c, section, key), NULL, 10);
}

int
conf_bool(const struct conf *c, const char *section, const char *key)
{
	key_get(section, key, TYPE_BOOL);
	return parse_bool(conf_str(c, section, key)) == 1;
}

char **
conf_list(const struct conf *c, const char *section, const char *key)
{
	const char	*s, *item;
	char		**list;
	size_t		 i, n, len;

	s = conf_str(c, section, key);
	for (n = 0; list_next(&s, &item, &len); n++)
		continue;
	if ((list = calloc(n + 1, sizeof(*list))) == NULL) {
		log_err("%s: %s", c->file, strerror(errno));
		return NULL;
	}
	s = conf_str(c, section, key);
	for (i = 0; i < n && list_next(&s, &item, &len); i++) {
		if ((list[i] = strndup(item, len)) == NULL) {
			log_err("%s: %s", c->file, strerror(errno));
			conf_list_free(list);
			return NULL;
		}
	}
	return list;
}

void
conf_list_free(char **list)
{
	char	**p;

	if (list == NULL)
		return;
	for (p = list; *p != NULL; p++)
		free(*p);
	free(list);
}

int
conf_isset(const struct conf *c, const char *section, const char *key)
{
	return c->val[key_get(section, key, -1)].str != NULL;
}

const char *
conf_hostname(const struct conf *c)
{
	return conf_str(c, "device", "hostname");
}

const char *
conf_fqdn(const struct conf *c)
{
	return c->fqdn;
}

/* Byte offset of line LINE (1-based) in BUF; LEN past the last line. */
static size_t
line_offset(const char *buf, size_t len, int line)
{
	const char	*p = buf, *nl;

	while (--line > 0) {
		if ((nl = memchr(p, '\n', len - (size_t)(p - buf))) == NULL)
			return len;
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

/*
 * Writes BUF with the value of the "key = value" line at LINE replaced by
 * VALUE to F.  The line's indentation, the text up to the value and an
 * inline comment stay as they are.
 */
static void
put_replaced(FILE *f, const char *buf, size_t len, int line,
    const char *value)
{
	size_t	ls, le, sep, c, vs, ve;
	int	was_blank = 0;

	ls = line_offset(buf, len, line);
	le = ls;
	while (le < len && buf[le] != '\n')
		le++;
	if (le > ls && buf[le - 1] == '\r')
		le--;
	sep = ls;
	while (sep < le && buf[sep] != '=' && buf[sep] != ':')
		sep++;
	/* inih's rule: ';' starts a comment only after a blank. */
	for (c = sep + 1; c < le && !(was_blank && buf[c] == ';'); c++)
		was_blank = is_blank((unsigned char)buf[c]);
	vs = sep + 1;
	while (vs < c && is_blank((unsigned char)buf[vs]))
		vs++;
	ve = c;
	while (ve > vs && is_blank((unsigned char)buf[ve - 1]))
		ve--;
	fwrite(buf, 1, vs, f);
	if (vs == ve && vs == sep + 1)
		fputc(' ', f);
	fputs(value, f);
	/* An empty value right before the comment: keep a blank before ';'. */
	if (ve == c && c < le)
		fputc(' ', f);
	fwrite(buf + ve, 1, len - ve, f);
}

/* The file's text with SECTION.KEY = VALUE set; *NEW is malloc'ed. */
static int
edit(const char *buf, size_t len, const struct value *val, int i,
    int track_line, const char *value, char **new, size_t *newlen)
{
	FILE	*f;
	size_t	 off;

	if ((f = open_memstream(new, newlen)) == NULL)
		return -1;
	if (val[i].line != 0)
		put_replaced(f, buf, len, val[i].line, value);
	else if (track_line != 0) {
		off = line_offset(buf, len, track_line + 1);
		fwrite(buf, 1, off, f);
		if (buf[off - 1] != '\n')
			fputc('\n', f);
		fprintf(f, "%s = %s\n", keys[i].name, value);
		fwrite(buf + off, 1, len - off, f);
	} else {
		fwrite(buf, 1, len, f);
		if (len > 0 && buf[len - 1] != '\n')
			fputc('\n', f);
		fprintf(f, "%s[%s]\n%s = %s\n", len > 0 ? "\n" : "",
		    keys[i].section, keys[i].name, value);
	}
	return fclose(f) == 0 ? 0 : -1;
}

int
conf_set(const char *path, const char *section, const char *key,
    const char *value)
{
	char		 dir[PATH_MAX], lock[PATH_MAX], why[ERRLEN];
	const char	*base, *v, *text;
	struct value	 val[NKEYS], nval[NKEYS];
	struct parse	 p;
	struct stat	 st;
	char		*old = NULL, *new = NULL;
	size_t		 len = 0, newlen = 0;
	mode_t		 mode = 0644;
	int		 i, lockfd = -1, rc = EX_CONFIG;

	memset(val, 0, sizeof(val));
	memset(nval, 0, sizeof(nval));
	if ((i = key_find(section, key)) == -1) {
		if (section_find(section, strlen(section)) == NULL)
			log_err("%s: unknown section [%s]", path, section);
		else
			log_err("%s: unknown key '%s' in [%s]", path, key,
			    section);
		goto out;
	}
	for (v = value; *v != '\0'; v++) {
		if ((unsigned char)*v < 0x20 || *v == 0x7f) {
			log_err("%s: %s: control character in value", path,
			    key);
			goto out;
		}
	}
	if (strlen(value) > CONF_MAX_LINE) {
		log_err("%s: %s: value too long (more than %d characters)",
		    path, key, CONF_MAX_LINE);
		goto out;
	}
	if (check_value(&keys[i], value, why, sizeof(why)) == -1) {
		log_err("%s: %s", path, why);
		goto out;
	}

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	if ((rc = fs_dirname(path, dir, sizeof(dir))) != 0)
		goto out;
	if ((size_t)snprintf(lock, sizeof(lock), "%s/.%s.lock", dir, base) >=
	    sizeof(lock)) {
		log_err("%s: path too long", path);
		rc = EX_CANTCREAT;
		goto out;
	}
	if ((rc = fs_lock(lock, CONF_LOCK_WAIT, &lockfd)) != 0)
		goto out;
	if (lstat(path, &st) == 0) {
		mode = st.st_mode & 07777;
		if ((rc = fs_read_file(path, FS_MAX_READ, &old, &len)) != 0)
			goto out;
	} else if (errno != ENOENT) {
		log_err("%s: %s", path, strerror(errno));
		rc = EX_NOINPUT;
		goto out;
	}
	text = old != NULL ? old : "";

	/* The old value of this key may be the mistake being corrected. */
	memset(&p, 0, sizeof(p));
	p.unchecked = i;
	p.track = keys[i].section;
	if ((rc = check_buf(&p, path, text, len, val)) != 0)
		goto out;
	if (edit(text, len, val, i, p.track_line, value, &new, &newlen) ==
	    -1) {
		log_err("%s: %s", path, strerror(errno));
		rc = EX_OSERR;
		goto out;
	}
	p.unchecked = -1;
	p.track = NULL;
	if ((rc = check_buf(&p, path, new, newlen, nval)) != 0)
		goto out;
	if (nval[i].str == NULL || strcmp(nval[i].str, value) != 0) {
		log_err("%s: %s: '%s' would not read back the same (blanks "
		    "around it, or ' ;' which starts a comment)", path, key,
		    value);
		rc = EX_CONFIG;
		goto out;
	}
	if (old != NULL && newlen == len && memcmp(new, old, len) == 0)
		goto out;
	rc = fs_write_atomic(path, new, newlen, mode);
out:
	values_free(val);
	values_free(nval);
	fs_unlock(lockfd);
	free(old);
	free(new);
	return rc;
}
