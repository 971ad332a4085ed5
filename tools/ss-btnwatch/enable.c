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

#define SYNOPSIS_ENABLE		"enable [--json]"
#define SYNOPSIS_DISABLE	"disable [--yes] [--json]"
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

/*
 * --json: {"changed", "action", "paths", "reset_enabled"}, and "dry_run"
 * under -n; CHANGED is what was written (or would be): security.conf.
 */
static int
set_json(const struct tool_env *e, int on, int changed)
{
	json_t	*o;

	o = tool_result(changed, !changed ? "unchanged" : on ? "enabled" :
	    "disabled", json_pack("[s*]", changed ? e->conf->file : NULL),
	    e->dry_run);
	if (o != NULL && json_object_set_new(o, "reset_enabled",
	    json_boolean(on)) == -1) {
		json_decref(o);
		o = NULL;
	}
	return tool_print_json(o);
}

/*
 * [button] reset_enabled set to ON; security.conf is rewritten only when
 * the setting differs, so a second run leaves the file as it was.
 */
static int
set_enabled(struct tool_env *e, int on, int json)
{
	int	rc, changed = 0;

	if ((rc = tool_conf(e)) != 0)
		return rc;
	if (e->conf->button.reset_enabled == on)
		log_info("the factory reset by the button is already %s",
		    on ? "enabled" : "disabled");
	else if (e->dry_run) {
		log_info("would %s the factory reset by the button",
		    on ? "enable" : "disable");
		changed = 1;
	} else {
		if ((rc = confedit_set(e->conf->file, "button",
		    "reset_enabled", on ? "yes" : "no")) != 0)
			return rc;
		audit_notice(on ? "button reset enabled" :
		    "button reset disabled", "file", e->conf->file);
		log_info("the factory reset by the button is %s",
		    on ? "enabled" : "disabled");
		changed = 1;
	}
	return json ? set_json(e, on, changed) : 0;
}

/* --json, and --yes when YES is not NULL; -1 for anything else. */
static int
set_options(int argc, char *argv[], int *json, int *yes)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "yes",	no_argument,	NULL, 'y' },
		{ NULL,		0,		NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'j')
			*json = 1;
		else if (ch == 'y' && yes != NULL)
			*yes = 1;
		else
			return -1;
	}
	return optind == argc ? 0 : -1;
}

int
cmd_enable(struct tool_env *e, int argc, char *argv[])
{
	int	json = 0;

	if (set_options(argc, argv, &json, NULL) == -1)
		return tool_usage(SYNOPSIS_ENABLE);
	return set_enabled(e, 1, json);
}

int
cmd_disable(struct tool_env *e, int argc, char *argv[])
{
	int	json = 0, yes = 0, rc;

	if (set_options(argc, argv, &json, &yes) == -1)
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
		if (!json)
			return 0;
		if ((rc = tool_conf(e)) != 0)
			return rc;
		return set_json(e, e->conf->button.reset_enabled, 0);
	}
	return set_enabled(e, 0, json);
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
