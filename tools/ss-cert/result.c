/*
 * result: what a command that changes files says it did, for scripts
 * (--json): the same three members whatever the command.
 */
#include <jansson.h>

#include "extern.h"

int
result_print(const struct tool_env *e, int changed, const char *action,
    json_t *paths, json_t *extra)
{
	json_t	*o;

	if (paths == NULL) {
		json_decref(extra);
		return tool_print_json(NULL);
	}
	o = tool_result(changed, action, paths, e->dry_run);
	if (o != NULL && extra != NULL && json_object_update(o, extra) != 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(extra);
	return tool_print_json(o);
}

void
result_path(json_t *paths, const char *path)
{
	json_array_append_new(paths, json_string(path));
}
