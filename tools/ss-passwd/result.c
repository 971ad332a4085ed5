/*
 * result: what a command changed (or would under -n), as one --json
 * document on stdout; a change is a file written, so "changed" is true
 * exactly when "paths" is not empty.
 */
#include <string.h>

#include <jansson.h>

#include "extern.h"

void
result_path(struct result *r, const char *path)
{
	size_t	i;

	for (i = 0; i < r->npaths; i++)
		if (strcmp(r->paths[i], path) == 0)
			return;
	if (r->npaths < RESULT_PATHS)
		r->paths[r->npaths++] = path;
}

int
result_print(const struct tool_env *e, const struct result *r)
{
	json_t	*o, *paths;
	size_t	 i;

	if (!r->json)
		return 0;
	if ((paths = json_array()) == NULL)
		return tool_print_json(NULL);
	for (i = 0; i < r->npaths; i++)
		if (json_array_append_new(paths,
		    json_string(r->paths[i])) == -1) {
			json_decref(paths);
			return tool_print_json(NULL);
		}
	o = tool_result(r->npaths > 0, r->npaths > 0 ? r->action :
	    "unchanged", paths, e->dry_run);
	if (o != NULL && ((r->user != NULL && json_object_set_new(o, "user",
	    json_string(r->user)) == -1) ||
	    (r->email != NULL && json_object_set_new(o, "email",
	    json_string(r->email)) == -1))) {
		json_decref(o);
		o = NULL;
	}
	return tool_print_json(o);
}
