/*
 * suggest: the closest word by the optimal string alignment distance
 * (Levenshtein plus the swap of two neighbours, the commonest typo).
 */
#include <string.h>

#include "suggest.h"

static size_t
min3(size_t a, size_t b, size_t c)
{
	if (b < a)
		a = b;
	return c < a ? c : a;
}

/* The distance of A and B, both at most SUGGEST_MAX long. */
static size_t
distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t	d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];
	size_t	i, j, cost;

	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
			    d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 <
			    d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

void
suggest_init(struct suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->dist = (size_t)-1;
}

void
suggest_try(struct suggest *s, const char *cand)
{
	size_t	lw, lc, d;

	lw = strlen(s->word);
	lc = strlen(cand);
	if (lw > SUGGEST_MAX || lc > SUGGEST_MAX)
		return;
	d = distance(s->word, lw, cand, lc);
	if (d < s->dist) {
		s->dist = d;
		s->best = cand;
	}
}

const char *
suggest_best(const struct suggest *s)
{
	size_t	limit;

	limit = strlen(s->word) / 3;
	if (limit < 1)
		limit = 1;
	if (s->best == NULL || s->dist == 0 || s->dist > limit)
		return NULL;
	return s->best;
}
