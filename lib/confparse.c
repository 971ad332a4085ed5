/*
 * confparse: the key table from conf_keys.h and the checker for
 * security.conf, one line at a time (see confparse.h).
 */
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "confparse.h"
#include "dnsname.h"
#include "hostport.h"
#include "ipaddr.h"
#include "log.h"
#include "suggest.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define KEYDEF(s, k, t, mn, mx, ch, d) \
	[CONF_KEY(s, k)] = { #s, #k, TYPE_##t, mn, mx, ch, d, \
	    offsetof(struct ss_conf, s.k) },
#define KEYDEF_SECTION(s, KEYS)	KEYS(KEYDEF)

const struct conf_keydef confparse_keys[CONF_NKEYS] = {
	CONF_SECTIONS(KEYDEF_SECTION)
};

#define NAMEDEF(s, k, t, mn, mx, ch, d) \
	[CONF_NAME_KEY(k)] = { #s, #k, TYPE_##t, mn, mx, ch, d, \
	    offsetof(struct ss_conf_ddns_name, k) },

const struct conf_keydef confparse_name_keys[CONF_NNAME_KEYS] = {
	CONF_DDNS_NAME(NAMEDEF)
};

/* [NAME_PREFIX FQDN] opens one more name; P->section is then this. */
#define NAME_PREFIX	"ddns:"
static const char name_section[] = NAME_PREFIX;

int
confparse_find(const char *section, const char *name)
{
	size_t	i;

	for (i = 0; i < CONF_NKEYS; i++)
		if (strcmp(confparse_keys[i].section, section) == 0 &&
		    strcmp(confparse_keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
confparse_section(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < CONF_NKEYS; i++)
		if (strlen(confparse_keys[i].section) == n &&
		    strncmp(confparse_keys[i].section, s, n) == 0)
			return confparse_keys[i].section;
	return NULL;
}

int
confparse_bool(const char *s)
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

int
confparse_list_next(const char **sp, const char **item, size_t *len)
{
	const char	*s = *sp, *e;

	for (;;) {
		while (isspace((unsigned char)*s) || *s == ',')
			s++;
		if (*s == '\0') {
			*sp = s;
			return 0;
		}
		e = s + strcspn(s, ",");
		*sp = e;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		*item = s;
		*len = (size_t)(e - s);
		return 1;
	}
}

/* An IP literal with an optional /prefix that fits its family. */
static int
is_cidr(const char *s, size_t n)
{
	const char	*slash = memchr(s, '/', n);
	size_t		 plen;
	long		 max, prefix = 0;

	if (slash == NULL)
		return ipaddr_parse(s, n, NULL) != 0;
	plen = n - (size_t)(slash - s) - 1;
	if (plen == 0 || plen > 3 ||
	    ipaddr_parse(s, (size_t)(slash - s), NULL) == 0)
		return 0;
	max = memchr(s, ':', (size_t)(slash - s)) != NULL ? 128 : 32;
	for (size_t i = 1; i <= plen; i++) {
		if (slash[i] < '0' || slash[i] > '9')
			return 0;
		prefix = prefix * 10 + (slash[i] - '0');
	}
	return prefix <= max;
}

/* A decimal port, 1 to 65535, without sign or leading zero. */
static int
is_port(const char *s, size_t n)
{
	long	port = 0;
	size_t	i;

	if (n == 0 || n > 5 || s[0] == '0')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		port = port * 10 + (s[i] - '0');
	}
	return port <= 65535;
}

/*
 * http://HOST[:PORT][/], HOST a DNS name, an IPv4 address or an IPv6 one
 * in brackets.  A user name and password would be a secret in the file:
 * refused, and not repeated in the message.
 */
static int
proxy_check(const char *name, const char *v, char *why, size_t len)
{
	const char	*h;
	char		 hostport[256 + 8], host[256];
	size_t		 hl;
	long		 port;
	int		 af;

	if (*v == '\0')
		return 0;
	if (strchr(v, '@') != NULL) {
		snprintf(why, len, "%s: a user name or password does not "
		    "belong in this file; a proxy that needs them can come "
		    "from https_proxy in the environment", name);
		return -1;
	}
	if (strncmp(v, "http://", 7) != 0)
		goto bad;
	h = v + 7;
	hl = strcspn(h, "/?#");
	if ((h[hl] != '\0' && strcmp(h + hl, "/") != 0) ||
	    hl >= sizeof(hostport))
		goto bad;
	memcpy(hostport, h, hl);
	hostport[hl] = '\0';
	if (!hostport_parse(hostport, 1080, host, sizeof(host), &port))
		goto bad;
	/* In a URL an IPv6 address, and nothing else, stands in brackets. */
	af = ipaddr_parse(host, strlen(host), NULL);
	if ((hostport[0] == '[') != (af == AF_INET6))
		goto bad;
	if (af != 0 || dnsname_ok(host))
		return 0;
bad:
	snprintf(why, len, "%s: '%s' is not http://HOST[:PORT]", name, v);
	return -1;
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

int
confparse_value(const struct conf_keydef *k, const char *v, char *why,
    size_t len)
{
	const char *const	*c;
	const char		*s, *item;
	char			 list[256];
	size_t			 n;
	long			 l;

	switch (k->type) {
	case TYPE_STRING:
	case TYPE_LIST:
		break;
	case TYPE_HOSTNAME:
		if (!dnsname_label_ok(v, strlen(v))) {
			snprintf(why, len, "%s: '%s' is not a host name (1-63 "
			    "letters, digits or '-', not starting or ending "
			    "with '-')", k->name, v);
			return -1;
		}
		break;
	case TYPE_DNSNAME:
		if (*v != '\0' && !dnsname_ok(v)) {
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
	case TYPE_PROXY:
		return proxy_check(k->name, v, why, len);
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
		if (confparse_bool(v) == -1) {
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
		if (ipaddr_parse(v, strlen(v), NULL) == 0) {
			snprintf(why, len, "%s: '%s' is not an IP address",
			    k->name, v);
			return -1;
		}
		break;
	case TYPE_CIDRLIST:
		s = v;
		while (confparse_list_next(&s, &item, &n)) {
			if (!is_cidr(item, n)) {
				snprintf(why, len, "%s: '%.*s' is not an IP "
				    "address or network", k->name, (int)n,
				    item);
				return -1;
			}
		}
		break;
	case TYPE_PORTLIST:
		s = v;
		while (confparse_list_next(&s, &item, &n)) {
			if (!is_port(item, n)) {
				snprintf(why, len, "%s: '%.*s' is not a port "
				    "(1 to 65535)", k->name, (int)n, item);
				return -1;
			}
		}
		break;
	case TYPE_IPLIST:
		s = v;
		while (confparse_list_next(&s, &item, &n)) {
			if (ipaddr_parse(item, n, NULL) == 0) {
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
fail(struct conf_parse *p, int code, const char *fmt, ...)
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
 * The sections that have a key NAME, in the table's order, as "[a]",
 * "[a] or [b]" or "[a], [b] or [c]"; empty when none has it.
 */
static void
sections_of(const char *name, char *buf, size_t len)
{
	size_t	i, n = 0, total = 0, used;

	for (i = 0; i < CONF_NKEYS; i++)
		if (strcmp(confparse_keys[i].name, name) == 0)
			total++;
	buf[0] = '\0';
	for (i = 0; i < CONF_NKEYS; i++) {
		if (strcmp(confparse_keys[i].name, name) != 0)
			continue;
		n++;
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s[%s]", n == 1 ? "" :
		    n == total ? " or " : ", ", confparse_keys[i].section);
	}
}

/*
 * An unknown key, with where it belongs when another section has it, or
 * the key of this section, else of another, that it looks like.
 */
static int
unknown_key(struct conf_parse *p, const char *section, const char *name)
{
	struct suggest	 s;
	const char	*best;
	char		 where[128];
	size_t		 i;

	sections_of(name, where, sizeof(where));
	if (where[0] != '\0')
		return fail(p, EX_CONFIG, "unknown key '%s' in [%s]; it "
		    "belongs in %s", name, section, where);
	suggest_init(&s, name);
	for (i = 0; i < CONF_NKEYS; i++)
		if (strcmp(confparse_keys[i].section, section) == 0)
			suggest_try(&s, confparse_keys[i].name);
	if ((best = suggest_best(&s)) != NULL)
		return fail(p, EX_CONFIG, "unknown key '%s' in [%s]; did you "
		    "mean '%s'?", name, section, best);
	suggest_init(&s, name);
	for (i = 0; i < CONF_NKEYS; i++)
		suggest_try(&s, confparse_keys[i].name);
	if ((best = suggest_best(&s)) != NULL) {
		sections_of(best, where, sizeof(where));
		return fail(p, EX_CONFIG, "unknown key '%s' in [%s]; did you "
		    "mean '%s' in %s?", name, section, best, where);
	}
	return fail(p, EX_CONFIG, "unknown key '%s' in [%s]", name, section);
}

/* An unknown section S (N bytes), with the one it looks like. */
static void
unknown_section(struct conf_parse *p, const char *s, size_t n)
{
	struct suggest	 sg;
	const char	*best;
	char		 name[CONF_MAX_LINE + 1];
	size_t		 i;

	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, s, n);
	name[n] = '\0';
	suggest_init(&sg, name);
	for (i = 0; i < CONF_NKEYS; i++)
		suggest_try(&sg, confparse_keys[i].section);
	if ((best = suggest_best(&sg)) != NULL)
		fail(p, EX_CONFIG, "unknown section [%s]; did you mean [%s]?",
		    name, best);
	else
		fail(p, EX_CONFIG, "unknown section [%s]", name);
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
		was_blank = isspace((unsigned char)*s);
	return s;
}

/*
 * [ddns:FQDN] (S, N bytes, without the brackets): one more name in
 * P->names.  Returns name_section, or NULL after fail().
 */
static const char *
name_open(struct conf_parse *p, const char *s, size_t n)
{
	struct conf_name	*nm;
	char			*fqdn;
	size_t			 i, plen = strlen(NAME_PREFIX);

	if ((fqdn = strndup(s + plen, n - plen)) == NULL) {
		fail(p, EX_OSERR, "%s", strerror(errno));
		return NULL;
	}
	for (i = 0; fqdn[i] != '\0'; i++)
		fqdn[i] = (char)tolower((unsigned char)fqdn[i]);
	if (!dnsname_ok(fqdn) || strchr(fqdn, '.') == NULL) {
		fail(p, EX_CONFIG, "[%.*s]: '%s' is not a fully qualified "
		    "DNS name (labels joined by dots: [ddns:gw.example.net])",
		    (int)n, s, fqdn);
		goto bad;
	}
	for (i = 0; i < p->nnames; i++) {
		if (strcmp(p->names[i].fqdn, fqdn) == 0) {
			fail(p, EX_CONFIG, "duplicate section [%.*s] (first "
			    "on line %d)", (int)n, s, p->names[i].line);
			goto bad;
		}
	}
	if ((nm = reallocarray(p->names, p->nnames + 1, sizeof(*nm))) ==
	    NULL) {
		fail(p, EX_OSERR, "%s", strerror(errno));
		goto bad;
	}
	p->names = nm;
	nm = &p->names[p->nnames++];
	memset(nm, 0, sizeof(*nm));
	nm->fqdn = fqdn;
	nm->line = p->line;
	return name_section;
bad:
	free(fqdn);
	return NULL;
}

/* inih's reader: the next line of the buffer, checked and left-trimmed. */
static char *
read_line(char *str, int num, void *arg)
{
	struct conf_parse	*p = arg;
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
	while (s < e && isspace((unsigned char)*s))
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
		n = (size_t)(end - str - 1);
		if (*end == ']' && n >= strlen(NAME_PREFIX) &&
		    strncmp(str + 1, NAME_PREFIX, strlen(NAME_PREFIX)) == 0) {
			if ((p->section = name_open(p, str + 1, n)) == NULL)
				return NULL;
		} else if (*end == ']') {
			if ((p->section = confparse_section(str + 1,
			    n)) == NULL) {
				unknown_section(p, str + 1, n);
				return NULL;
			}
		}
	}
	if (str[0] != '\0' && p->track != NULL && p->section == p->track)
		p->track_line = p->line;
	return str;
}

/* NAME = VALUE in the last [ddns:FQDN]. */
static int
on_name_key(struct conf_parse *p, const char *name, const char *value)
{
	struct conf_name	*nm = &p->names[p->nnames - 1];
	struct suggest		 sg;
	const char		*best;
	char			 why[CONFPARSE_ERRLEN];
	size_t			 i;

	for (i = 0; i < CONF_NNAME_KEYS; i++)
		if (strcmp(confparse_name_keys[i].name, name) == 0)
			break;
	if (i == CONF_NNAME_KEYS && confparse_find("ddns", name) != -1)
		return fail(p, EX_CONFIG, "'%s' in [ddns:%s]: it is set in "
		    "[ddns], once for every name", name, nm->fqdn);
	if (i == CONF_NNAME_KEYS) {
		suggest_init(&sg, name);
		for (i = 0; i < CONF_NNAME_KEYS; i++)
			suggest_try(&sg, confparse_name_keys[i].name);
		if ((best = suggest_best(&sg)) != NULL)
			return fail(p, EX_CONFIG, "unknown key '%s' in "
			    "[ddns:%s]; did you mean '%s'?", name, nm->fqdn,
			    best);
		return fail(p, EX_CONFIG, "unknown key '%s' in [ddns:%s]",
		    name, nm->fqdn);
	}
	if (nm->val[i].line != 0)
		return fail(p, EX_CONFIG, "duplicate key '%s' in [ddns:%s] "
		    "(first set on line %d)", name, nm->fqdn, nm->val[i].line);
	if (confparse_value(&confparse_name_keys[i], value, why,
	    sizeof(why)) == -1)
		return fail(p, EX_CONFIG, "%s", why);
	if ((nm->val[i].str = strdup(value)) == NULL)
		return fail(p, EX_OSERR, "%s", strerror(errno));
	nm->val[i].file = p->file;
	nm->val[i].line = p->line;
	return 1;
}

static int
on_key(void *arg, const char *section, const char *name, const char *value)
{
	struct conf_parse	*p = arg;
	char		 why[CONFPARSE_ERRLEN];
	int		 i;

	if (p->section == name_section)
		return on_name_key(p, name, value);
	if (*section == '\0')
		return fail(p, EX_CONFIG, "key '%s' before any [section]",
		    name);
	if ((i = confparse_find(section, name)) == -1)
		return unknown_key(p, section, name);
	if (p->val[i].line != 0)
		return fail(p, EX_CONFIG, "duplicate key '%s' in [%s] (first "
		    "set on line %d)", name, section, p->val[i].line);
	if (i != p->unchecked &&
	    confparse_value(&confparse_keys[i], value, why, sizeof(why)) == -1)
		return fail(p, EX_CONFIG, "%s", why);
	if ((p->val[i].str = strdup(value)) == NULL)
		return fail(p, EX_OSERR, "%s", strerror(errno));
	p->val[i].file = p->file;
	p->val[i].line = p->line;
	return 1;
}

void
confparse_values_free(struct conf_value *val)
{
	size_t	i;

	for (i = 0; i < CONF_NKEYS; i++) {
		free(val[i].str);
		val[i].str = NULL;
		val[i].file = NULL;
		val[i].line = 0;
	}
}

void
confparse_names_free(struct conf_name *names, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < CONF_NNAME_KEYS; j++)
			free(names[i].val[j].str);
		free(names[i].fqdn);
	}
	free(names);
}

static int
parse(struct conf_parse *p, const char *file, const char *buf, size_t len,
    struct conf_value *val)
{
	int	r;

	p->pos = buf;
	p->end = buf + len;
	p->file = file;
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

int
confparse_buf(struct conf_parse *p, const char *file, const char *buf,
    size_t len, struct conf_value *val)
{
	int	rc;

	p->names = NULL;
	p->nnames = 0;
	if ((rc = parse(p, file, buf, len, val)) != 0 || !p->keep_names) {
		confparse_names_free(p->names, p->nnames);
		p->names = NULL;
		p->nnames = 0;
	}
	return rc;
}
