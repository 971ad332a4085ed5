/*
 * enable, disable, status: the owner's switch for the factory reset by
 * the button, [button] reset_enabled.
 */
#include <getopt.h>
#include <jansson.h>
#include <stddef.h>
#include <sysexits.h>
#include <unistd.h>

#include "audit.h"
#include "confedit.h"
#include "extern.h"
#include "log.h"
#include "prompt.h"

#define SYNOPSIS_ENABLE		"enable"
#define SYNOPSIS_DISABLE	"disable [--yes]"
#define SYNOPSIS_STATUS		"status [--json]"

/* What status shows, as its JSON type: string, integer or boolean. */
#define SHOWN(key, type) \
	{ #key, type, offsetof(struct ss_conf, button.key) }
static const struct {
	const char	*key;
	char		 type;
	size_t		 offset;
} shown[] = {
	SHOWN(reset_enabled, 'b'), SHOWN(chip, 's'), SHOWN(line, 'i'),
	SHOWN(active_low, 'b'), SHOWN(hold_seconds, 'i'),
	SHOWN(debounce_ms, 'i'), SHOWN(led_red, 's'), SHOWN(led_green, 's'),
	SHOWN(led_blue, 's'), SHOWN(reset_command, 's'),
	SHOWN(reboot_command, 's')
};

#define SHOWN_FIELD(c, i, type)	\
	(*(const type *)((const char *)(c) + shown[i].offset))

#define NSHOWN	(sizeof(shown) / sizeof(shown[0]))

static int
set_enabled(struct tool_env *e, int on)
{
	int	rc;

	if ((rc = tool_conf(e)) != 0)
		return rc;
	if (e->conf->button.reset_enabled == on) {
		log_info("the factory reset by the button is already %s",
		    on ? "enabled" : "disabled");
		return 0;
	}
	if (e->dry_run) {
		log_info("would %s the factory reset by the button",
		    on ? "enable" : "disable");
		return 0;
	}
	if ((rc = confedit_set(e->conf->file, "button", "reset_enabled",
	    on ? "yes" : "no")) != 0)
		return rc;
	audit_notice(on ? "button reset enabled" : "button reset disabled",
	    "file", e->conf->file);
	log_info("the factory reset by the button is %s",
	    on ? "enabled" : "disabled");
	return 0;
}

int
cmd_enable(struct tool_env *e, int argc, char *argv[])
{
	(void)argv;
	if (argc != 1)
		return tool_usage(SYNOPSIS_ENABLE);
	return set_enabled(e, 1);
}

int
cmd_disable(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "yes",	no_argument,	NULL, 'y' },
		{ NULL,		0,		NULL, 0 }
	};
	int	ch, yes = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'y')
			return tool_usage(SYNOPSIS_DISABLE);
		yes = 1;
	}
	if (optind != argc)
		return tool_usage(SYNOPSIS_DISABLE);
	log_warn("with the factory reset by the button disabled, a lost "
	    "system password cannot be restored on the device: it has to "
	    "be replaced");
	if (!yes && !isatty(STDIN_FILENO)) {
		log_err("--yes is needed when not on a terminal");
		return EX_USAGE;
	}
	if (!yes && !prompt_yes("Disable the factory reset by the button? "
	    "[y/N] ", -1)) {
		log_info("the factory reset by the button stays enabled");
		return 0;
	}
	return set_enabled(e, 0);
}

static int
status_json(const struct ss_conf *c)
{
	json_t	*o, *v;
	size_t	 i;

	if ((o = json_object()) == NULL)
		return tool_print_json(NULL);
	for (i = 0; i < NSHOWN; i++) {
		if (shown[i].type == 'b')
			v = json_boolean(SHOWN_FIELD(c, i, int));
		else if (shown[i].type == 'i')
			v = json_integer(SHOWN_FIELD(c, i, long));
		else
			v = json_string(SHOWN_FIELD(c, i, char *));
		json_object_set_new(o, shown[i].key, v);
	}
	return tool_print_json(o);
}

int
cmd_status(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ NULL,		0,		NULL, 0 }
	};
	const char	*v;
	size_t		 i;
	int		 ch, json = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'j')
			return tool_usage(SYNOPSIS_STATUS);
		json = 1;
	}
	if (optind != argc)
		return tool_usage(SYNOPSIS_STATUS);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	if (json)
		return status_json(e->conf);
	printf("%s\n", e->conf->button.reset_enabled ?
	    "enabled" : "disabled");
	for (i = 0; i < NSHOWN; i++) {
		if (shown[i].type == 'i') {
			printf("%s: %ld\n", shown[i].key,
			    SHOWN_FIELD(e->conf, i, long));
			continue;
		}
		if (shown[i].type == 'b')
			v = SHOWN_FIELD(e->conf, i, int) ? "yes" : "no";
		else
			v = SHOWN_FIELD(e->conf, i, char *);
		printf("%s:%s%s\n", shown[i].key, *v != '\0' ? " " : "", v);
	}
	return ferror(stdout) ? EX_IOERR : 0;
}
