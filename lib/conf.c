/*
 * conf: security.conf loaded once into struct ss_conf.
 *
 * confparse checks the file and keeps each value as a string with its line;
 * this file turns them into the typed fields the tools read.  The strings
 * and lists the fields point to live in the conf_store until conf_free().
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "confparse.h"
#include "dnsname.h"
#include "fs.h"
#include "log.h"

struct conf_store {
	char			*file;
	char			*fqdn;
	char			 hostname[HOST_NAME_MAX + 1];
	struct conf_value	 val[CONF_NKEYS];
	char			**lists[CONF_NKEYS];
	struct conf_name	*names;		/* [ddns:FQDN] as read */
	size_t			 nnames;
	struct ss_conf_ddns_name *fields;	/* and as fields */
};

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

static void
list_free(char **list)
{
	char	**p;

	if (list == NULL)
		return;
	for (p = list; *p != NULL; p++)
		free(*p);
	free(list);
}

/* S split at commas: a NULL-terminated array, or NULL on ENOMEM. */
static char **
list_split(const char *s)
{
	const char	*p, *item;
	char		**list;
	size_t		 i, n, len;

	p = s;
	for (n = 0; confparse_list_next(&p, &item, &len); n++)
		continue;
	if ((list = calloc(n + 1, sizeof(*list))) == NULL)
		return NULL;
	p = s;
	for (i = 0; i < n && confparse_list_next(&p, &item, &len); i++) {
		if ((list[i] = strndup(item, len)) == NULL) {
			list_free(list);
			return NULL;
		}
	}
	return list;
}

/* Key I's string: the file's, else the default. */
static const char *
text_of(const struct ss_conf *c, size_t i)
{
	const struct conf_keydef	*k = &confparse_keys[i];
	const struct conf_store		*st = c->store;

	if (st->val[i].str != NULL)
		return st->val[i].str;
	return k->def != NULL ? k->def : st->hostname;
}

/*
 * Sets the field of K in BASE from S; a list is split into *LIST, which
 * the store frees.
 */
static int
fill_field(const struct conf_keydef *k, const char *s, char *base,
    char ***list)
{
	char	*field = base + k->offset;

	switch (k->type) {
	case TYPE_INT:
		*(long *)field = strtol(s, NULL, 10);
		break;
	case TYPE_BOOL:
		*(int *)field = confparse_bool(s) == 1;
		break;
	case TYPE_LIST:
	case TYPE_IPLIST:
	case TYPE_PORTLIST:
	case TYPE_CIDRLIST:
		if ((*list = list_split(s)) == NULL)
			return -1;
		*(char *const **)field = *list;
		break;
	default:
		*(const char **)field = s;
		break;
	}
	return 0;
}

/* Sets field I of C from the file's string or the default. */
static int
fill(struct ss_conf *c, size_t i)
{
	const struct conf_keydef	*k = &confparse_keys[i];

	return fill_field(k, text_of(c, i), (char *)c, &c->store->lists[i]);
}

/*
 * The [ddns:FQDN] sections as fields; none may be the device's own
 * name, whose provider is [ddns]'s.
 */
static int
fill_names(struct ss_conf *c)
{
	const struct conf_keydef	*k;
	struct conf_store		*st = c->store;
	struct ss_conf_ddns_name	*f;
	const char			*s;
	char				**none = NULL;
	size_t				 i, j;

	if (st->nnames == 0)
		return 0;
	if ((st->fields = calloc(st->nnames, sizeof(*st->fields))) == NULL) {
		log_err("%s: %s", st->file, strerror(errno));
		return EX_OSERR;
	}
	for (i = 0; i < st->nnames; i++) {
		f = &st->fields[i];
		f->fqdn = st->names[i].fqdn;
		f->line = st->names[i].line;
		if (strcasecmp(f->fqdn, c->fqdn) == 0) {
			log_err("%s:%d: [ddns:%s] is the device's own name "
			    "(hostname.domain): its provider belongs in "
			    "[ddns]", st->file, f->line, f->fqdn);
			return EX_CONFIG;
		}
		for (j = 0; j < CONF_NNAME_KEYS; j++) {
			k = &confparse_name_keys[j];
			if ((s = st->names[i].val[j].str) == NULL)
				s = k->def;
			/* No list among a provider's keys: NONE stays NULL. */
			if (fill_field(k, s, (char *)f, &none) == -1) {
				log_err("%s: %s", st->file, strerror(errno));
				return EX_OSERR;
			}
		}
	}
	c->names = st->fields;
	c->nnames = st->nnames;
	return 0;
}

/* The default host name and the fully qualified name, once per load. */
static int
set_names(struct ss_conf *c)
{
	struct conf_store	*st = c->store;
	const char		*host, *domain;
	size_t			 len, i;

	if (st->val[CONF_KEY(device, hostname)].str == NULL) {
		if (gethostname(st->hostname, sizeof(st->hostname)) == -1) {
			log_err("gethostname: %s", strerror(errno));
			return EX_OSERR;
		}
		st->hostname[sizeof(st->hostname) - 1] = '\0';
		/*
		 * The kernel's name goes into URLs, certificate names and
		 * mail headers: only a DNS label is trusted that far.
		 */
		len = strcspn(st->hostname, ".");
		if (!dnsname_label_ok(st->hostname, len)) {
			for (i = 0; st->hostname[i] != '\0'; i++)
				if ((unsigned char)st->hostname[i] < ' ' ||
				    (unsigned char)st->hostname[i] >= 0x7f)
					st->hostname[i] = '?';
			log_err("[device] hostname: the system host name '%s' "
			    "is not a DNS label; set hostname in %s",
			    st->hostname, st->file);
			return EX_CONFIG;
		}
		st->hostname[len] = '\0';
	}
	host = st->val[CONF_KEY(device, hostname)].str != NULL ?
	    st->val[CONF_KEY(device, hostname)].str : st->hostname;
	domain = st->val[CONF_KEY(device, domain)].str != NULL ?
	    st->val[CONF_KEY(device, domain)].str : "";
	len = strlen(host) + 1 + strlen(domain) + 1;
	if ((st->fqdn = malloc(len)) == NULL) {
		log_err("%s: %s", st->file, strerror(errno));
		return EX_OSERR;
	}
	if (*domain == '\0')
		snprintf(st->fqdn, len, "%s", host);
	else
		snprintf(st->fqdn, len, "%s.%s", host, domain);
	c->fqdn = st->fqdn;
	return 0;
}

int
conf_load(const char *path, struct ss_conf **out)
{
	struct ss_conf		*c = NULL;
	struct conf_parse	 p;
	struct stat		 sb;
	char			*buf = NULL;
	size_t			 i, len;
	int			 rc;

	*out = NULL;
	if (stat(path, &sb) == -1 && errno == ENOENT) {
		log_err("%s: no such file; see security.conf(5) and the "
		    "example in %s", path, CONF_EXAMPLE_PATH);
		rc = EX_CONFIG;
		goto out;
	}
	if (fs_read_file(path, FS_MAX_READ, &buf, &len) != 0) {
		rc = EX_CONFIG;
		goto out;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->store = calloc(1, sizeof(*c->store))) == NULL ||
	    (c->store->file = strdup(path)) == NULL) {
		log_err("%s: %s", path, strerror(errno));
		rc = EX_OSERR;
		goto out;
	}
	c->file = c->store->file;
	memset(&p, 0, sizeof(p));
	p.unchecked = -1;
	p.keep_names = 1;
	if ((rc = confparse_buf(&p, c->store->file, buf, len,
	    c->store->val)) != 0)
		goto out;
	c->store->names = p.names;
	c->store->nnames = p.nnames;
	if ((rc = set_names(c)) != 0)
		goto out;
	for (i = 0; i < CONF_NKEYS; i++) {
		if (fill(c, i) == -1) {
			log_err("%s: %s", path, strerror(errno));
			rc = EX_OSERR;
			goto out;
		}
	}
	if ((rc = fill_names(c)) != 0)
		goto out;
	*out = c;
	c = NULL;
out:
	conf_free(c);
	free(buf);
	return rc;
}

void
conf_free(struct ss_conf *c)
{
	size_t	i;

	if (c == NULL)
		return;
	if (c->store != NULL) {
		confparse_values_free(c->store->val);
		for (i = 0; i < CONF_NKEYS; i++)
			list_free(c->store->lists[i]);
		confparse_names_free(c->store->names, c->store->nnames);
		free(c->store->fields);
		free(c->store->file);
		free(c->store->fqdn);
		free(c->store);
	}
	free(c);
}

int
conf_isset(const struct ss_conf *c, enum conf_key k)
{
	return c->store->val[k].str != NULL;
}

/* One setting of K, its field in BASE, its string S from V. */
static int
each_key(const struct conf_keydef *k, const char *base, const char *str,
    const struct conf_value *v, struct conf_setting *s,
    int (*fn)(const struct conf_setting *, void *), void *arg)
{
	const char	*field = base + k->offset;
	char		 num[24];

	s->key = k->name;
	s->file = v->file;
	s->line = v->line;
	switch (k->type) {
	case TYPE_INT:
		snprintf(num, sizeof(num), "%ld", *(const long *)field);
		s->value = num;
		break;
	case TYPE_BOOL:
		s->value = *(const int *)field ? "yes" : "no";
		break;
	default:
		s->value = str;
		break;
	}
	return fn(s, arg);
}

int
conf_each(const struct ss_conf *c,
    int (*fn)(const struct conf_setting *, void *), void *arg)
{
	const struct conf_keydef	*k;
	const struct conf_store		*st = c->store;
	struct conf_setting		 s;
	char				 section[CONF_MAX_LINE];
	const char			*str;
	size_t				 i, j;
	int				 rc;

	for (i = 0; i < CONF_NKEYS; i++) {
		k = &confparse_keys[i];
		s.section = k->section;
		s.first = i == 0 || strcmp(k->section,
		    confparse_keys[i - 1].section) != 0;
		if ((rc = each_key(k, (const char *)c, text_of(c, i),
		    &st->val[i], &s, fn, arg)) != 0)
			return rc;
	}
	for (i = 0; i < c->nnames; i++) {
		snprintf(section, sizeof(section), "ddns:%s", c->names[i].fqdn);
		s.section = section;
		for (j = 0; j < CONF_NNAME_KEYS; j++) {
			k = &confparse_name_keys[j];
			s.first = j == 0;
			if ((str = st->names[i].val[j].str) == NULL)
				str = k->def;
			if ((rc = each_key(k, (const char *)&c->names[i], str,
			    &st->names[i].val[j], &s, fn, arg)) != 0)
				return rc;
		}
	}
	return 0;
}
