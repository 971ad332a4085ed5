/*
 * check: monitoring-plugin results shared by every `check` subcommand.
 */
#include <stdarg.h>
#include <stdio.h>

#include <jansson.h>

#include "check.h"

static int
severity(int status)
{
	switch (status) {
	case CHECK_CRITICAL:
		return 3;
	case CHECK_UNKNOWN:
		return 2;
	default:
		return status;
	}
}

int
check_worse(int a, int b)
{
	return severity(b) > severity(a) ? b : a;
}

void
check_problem(struct check *c, int status, const char *fmt, ...)
{
	va_list	ap;

	c->status = check_worse(c->status, status);
	if (c->nproblems == CHECK_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(c->problems[c->nproblems++], sizeof(c->problems[0]), fmt,
	    ap);
	va_end(ap);
}

const char *
check_status_name(int status)
{
	static const char *const names[] = { "OK", "WARNING", "CRITICAL",
	    "UNKNOWN" };

	return status >= CHECK_OK && status <= CHECK_UNKNOWN ? names[status] :
	    "UNKNOWN";
}

json_t *
check_problems_json(const struct check *c)
{
	json_t	*a;
	int	 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < c->nproblems; i++)
		if (json_array_append_new(a, json_string(c->problems[i])) ==
		    -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}
