/*
 * report: the findings of a run, printed one a line or as one JSON
 * document; the worst decides the exit status.
 */
#include <stdarg.h>
#include <stdio.h>

#include <jansson.h>

#include "extern.h"
#include "log.h"

void
report_add(struct report *r, int status, const char *id, const char *fix,
    const char *fmt, ...)
{
	struct finding	*f;
	va_list		 ap;

	r->status = check_worse(r->status, status);
	if (r->n == FINDINGS_MAX) {
		r->lost++;
		return;
	}
	f = &r->f[r->n++];
	f->status = status;
	snprintf(f->id, sizeof(f->id), "%s", id);
	snprintf(f->fix, sizeof(f->fix), "%s", fix != NULL ? fix : "");
	va_start(ap, fmt);
	vsnprintf(f->seen, sizeof(f->seen), fmt, ap);
	va_end(ap);
}

static int
print_text(const struct report *r)
{
	const struct finding	*f;
	size_t			 i;

	for (i = 0; i < r->n; i++) {
		f = &r->f[i];
		printf("%-8s %s: %s", check_status_name(f->status), f->id,
		    f->seen);
		if (f->fix[0] != '\0')
			printf("; fix: %s", f->fix);
		putchar('\n');
	}
	if (r->lost > 0)
		printf("%-8s report: %zu more findings not shown\n",
		    check_status_name(r->status), r->lost);
	if (fflush(stdout) == EOF || ferror(stdout))
		return -1;
	return 0;
}

static json_t *
findings_json(const struct report *r)
{
	const struct finding	*f;
	json_t			*a, *o;
	size_t			 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < r->n; i++) {
		f = &r->f[i];
		o = json_pack("{s:s, s:s, s:s, s:s?}", "status",
		    check_status_name(f->status), "id", f->id, "seen",
		    f->seen, "fix", f->fix[0] != '\0' ? f->fix : NULL);
		if (o == NULL || json_array_append_new(a, o) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/*
 * Prints the report; returns its worst status as the monitoring code,
 * UNKNOWN when the report could not be written.
 */
int
report_print(const struct report *r, int json)
{
	json_t	*a;
	int	 rc;

	if (json) {
		if ((a = findings_json(r)) == NULL)
			rc = tool_print_json(NULL);
		else
			rc = tool_print_json(json_pack("{s:s, s:i, s:o}",
			    "status", check_status_name(r->status),
			    "not_shown", (int)r->lost, "findings", a));
	} else
		rc = print_text(r);
	return rc != 0 ? CHECK_UNKNOWN : r->status;
}
