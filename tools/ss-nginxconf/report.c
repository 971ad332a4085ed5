/*
 * report: what a command did, for a person or a script.  --json has the
 * members every ss- tool's changing commands share ("changed", "action",
 * "paths", "dry_run") and the file before and after as Ansible's diff
 * mode takes it; none of these files holds a secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "extern.h"
#include "log.h"

void
result_init(struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->nginx = NGINX_NOT_ASKED;
}

void
result_free(struct result *r)
{
	free(r->owned);
	result_init(r);
}

/*
 * {"before", "after", "before_header", "after_header"}, or NULL when a
 * text is not UTF-8, which JSON cannot carry as a string.
 */
static json_t *
diff_json(const struct result *r)
{
	json_t	*d;

	d = json_pack("{s:s%, s:s%, s:s, s:s}",
	    "before", r->before != NULL ? r->before : "", r->beforelen,
	    "after", r->after, r->afterlen,
	    "before_header", r->path, "after_header", r->path);
	if (d == NULL)
		log_debug("%s: not UTF-8, no diff in the report", r->path);
	return d;
}

static const char *
nginx_word_of(int state)
{
	switch (state) {
	case NGINX_RUNNING:
		return "running";
	case NGINX_STOPPED:
		return "stopped";
	default:
		return "unknown";
	}
}

static json_t *
result_json(const struct result *r, int dry_run)
{
	json_t	*o, *d;

	if ((o = tool_result(r->changed, r->action, json_pack("[s*]",
	    r->changed ? r->path : NULL), dry_run)) == NULL)
		return NULL;
	if (r->path != NULL && json_object_set_new(o, "file",
	    json_string(r->path)) == -1)
		goto fail;
	if (r->nginx != NGINX_NOT_ASKED && (json_object_set_new(o, "nginx",
	    json_string(nginx_word_of(r->nginx))) == -1 ||
	    json_object_set_new(o, "reloaded",
	    json_boolean(r->reloaded)) == -1))
		goto fail;
	if (r->path != NULL && r->changed && (d = diff_json(r)) != NULL &&
	    json_object_set_new(o, "diff", d) == -1)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

int
report(const struct result *r, int dry_run, int json, const char *key,
    const char *value)
{
	json_t	*o;

	if (json) {
		if ((o = result_json(r, dry_run)) != NULL && key != NULL &&
		    json_object_set_new(o, key, json_string(value)) == -1) {
			json_decref(o);
			o = NULL;
		}
		return tool_print_json(o);
	}
	if (!dry_run || r->after == NULL)
		return 0;
	fwrite(r->after, 1, r->afterlen, stdout);
	return fflush(stdout) == EOF || ferror(stdout) ? EX_IOERR : 0;
}
