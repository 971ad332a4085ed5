/*
 * ss-confgen: the commented security.conf that the package ships and
 * `make install` puts in place, printed from conf_keys.h so that it
 * cannot drift from the code.  Every key is there with its default and
 * commented out: the tools' own defaults apply until the owner sets a
 * key.  Run at build time, never installed.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "conf.h"

#define CONFGEN_HINT_COL	40	/* where "; range" starts */

struct confgen_key {
	const char		*section;
	const char		*name;
	const char		*type;
	long			 min;
	long			 max;
	const char *const	*choices;
	const char		*def;
};

#define CONFGEN_KEY(s, k, t, min, max, choices, def)			\
	{ #s, #k, #t, min, max, choices, def },
#define CONFGEN_SECTION(s, KEYS)	KEYS(CONFGEN_KEY)
static const struct confgen_key confgen_keys[] = {
	CONF_SECTIONS(CONFGEN_SECTION)
};
#undef CONFGEN_SECTION
#undef CONFGEN_KEY

#define CONFGEN_NKEYS	(sizeof(confgen_keys) / sizeof(confgen_keys[0]))

static const char confgen_head[] =
"# security.conf: the configuration of ss-cert, ss-ddns, ss-passwd,\n"
"# ss-btnwatch and ss-nginxconf.  security.conf(5) describes every key.\n"
"#\n"
"# Every key is listed below with its default, commented out: a key that\n"
"# is not set takes that default from the tools, so this file as shipped\n"
"# changes nothing.  To set a key, remove its '#' and change the value.\n"
"# A ';' after a blank starts a comment: the range or the choices of a\n"
"# key.  Secrets are never values here: a key ending in _file names a file\n"
"# of mode 0600 that holds one.\n"
"#\n"
"# Generated from the key table of ss-security " SS_VERSION ".\n";

/* What the value may be, for the comment after it; "" when it says all. */
static void
confgen_hint(const struct confgen_key *k, char *buf, size_t len)
{
	const char *const	*c;
	size_t			 n;

	buf[0] = '\0';
	if (strcmp(k->type, "INT") == 0)
		snprintf(buf, len, "%ld..%ld", k->min, k->max);
	else if (strcmp(k->type, "BOOL") == 0)
		snprintf(buf, len, "yes or no");
	else if (strcmp(k->type, "ENUM") == 0) {
		n = (size_t)snprintf(buf, len, "one of");
		for (c = k->choices; *c != NULL && n < len; c++)
			n += (size_t)snprintf(buf + n, len - n, "%s %s",
			    c == k->choices ? "" : ",", *c);
	} else if (strstr(k->type, "LIST") != NULL)
		snprintf(buf, len, "comma-separated");
}

/*
 * One key: "#name = default", its hint aligned after it.  A default
 * that would not read back as itself (a ';' starts a comment) or that
 * makes the line too long for the parser is refused.
 */
static int
confgen_key_print(const struct confgen_key *k)
{
	char	hint[256];
	int	n;

	if (k->def == NULL) {
		printf("# Not set: the system's host name up to its first "
		    "dot.\n#%s =\n", k->name);
		return 0;
	}
	if (strchr(k->def, ';') != NULL || strchr(k->def, '\n') != NULL) {
		fprintf(stderr, "ss-confgen: [%s] %s: the default '%s' cannot "
		    "be written as a value\n", k->section, k->name, k->def);
		return EX_SOFTWARE;
	}
	confgen_hint(k, hint, sizeof(hint));
	n = printf("#%s =%s%s", k->name, k->def[0] != '\0' ? " " : "",
	    k->def);
	if (hint[0] != '\0')
		n += printf("%*s; %s", n < CONFGEN_HINT_COL ?
		    CONFGEN_HINT_COL - n : 1, "", hint);
	printf("\n");
	if (n > CONF_MAX_LINE) {
		fprintf(stderr, "ss-confgen: [%s] %s: the line is longer than "
		    "%d characters\n", k->section, k->name, CONF_MAX_LINE);
		return EX_SOFTWARE;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	const char	*section = NULL;
	size_t		 i;
	int		 rc = 0;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: ss-confgen >security.conf\n");
		return EX_USAGE;
	}
	fputs(confgen_head, stdout);
	for (i = 0; i < CONFGEN_NKEYS && rc == 0; i++) {
		if (section == NULL ||
		    strcmp(section, confgen_keys[i].section) != 0) {
			section = confgen_keys[i].section;
			printf("\n[%s]\n", section);
		}
		rc = confgen_key_print(&confgen_keys[i]);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("ss-confgen: stdout");
		return EX_IOERR;
	}
	return rc;
}
