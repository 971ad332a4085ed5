/*
 * text: a growing buffer for the files the subcommands generate.  An
 * allocation that fails marks the buffer failed once, for the caller to
 * check after the last addition.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

void
text_add(struct text *t, const char *fmt, ...)
{
	va_list	 ap;
	char	*nb;
	int	 n;

	if (t->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		goto fail;
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t ncap = (t->len + (size_t)n + 1) * 2;

		if ((nb = realloc(t->buf, ncap)) == NULL)
			goto fail;
		t->buf = nb;
		t->cap = ncap;
	}
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
	return;
fail:
	t->failed = 1;
}

void
text_free(struct text *t)
{
	free(t->buf);
	memset(t, 0, sizeof(*t));
}
