/*
 * The openHAB defaults file as ss-nginxconf bind edits it: read, the
 * settings applied, and the result read again with the new values.
 */
#include "../../tools/ss-nginxconf/bind.c"

#include "fuzz.h"

static int
has_value(const struct openhab_defaults *d, const struct setting *s)
{
	char	*v;
	size_t	 i;
	int	 ok = 0;

	for (i = 0; i < d->n; i++) {
		if (!openhab_name_is(&d->v[i], s->name))
			continue;
		FUZZ_CHECK((v = openhab_unquote(d->v[i].val, d->v[i].vallen)) != NULL);
		ok = strcmp(v, s->value) == 0;
		free(v);
	}
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct setting	 set[2];
	struct openhab_defaults d, again;
	struct text	 t;
	char		 path[PATH_MAX];
	size_t		 i;

	memset(set, 0, sizeof(set));
	set[0].name = OPENHAB_ADDRESS_VAR;
	snprintf(set[0].value, sizeof(set[0].value), "127.0.0.1");
	set[1].name = OPENHAB_HTTP_VAR;
	snprintf(set[1].value, sizeof(set[1].value), "8080");
	snprintf(path, sizeof(path), "%s", fuzz_file("openhab", data, size));
	if (openhab_load(path, &d) != 0)
		return 0;
	memset(&t, 0, sizeof(t));
	(void)rewrite(path, &d, set, 2, &t);
	if (!t.failed) {
		fuzz_file("openhab", (const uint8_t *)t.buf, t.len);
		FUZZ_CHECK(openhab_load(path, &again) == 0);
		for (i = 0; i < 2; i++)
			FUZZ_CHECK(has_value(&again, &set[i]));
		openhab_free(&again);
	}
	text_free(&t);
	openhab_free(&d);
	return 0;
}
