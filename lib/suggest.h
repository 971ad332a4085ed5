/*
 * suggest: "did you mean" for a misspelt word (a key, a command, an
 * option): the closest of the candidates offered, when it is close.
 */
#ifndef SEC_SUGGEST_H
#define SEC_SUGGEST_H

#include <stddef.h>

#define SUGGEST_MAX	64	/* longer words get no suggestion */

struct suggest {
	const char	*word;
	const char	*best;
	size_t		 dist;
};

/* Starts a search for a word close to WORD. */
void	suggest_init(struct suggest *, const char *word);
/* Offers CAND; kept when it is closer than every candidate before it. */
void	suggest_try(struct suggest *, const char *cand);
/*
 * The closest candidate, or NULL when none is close enough to be what
 * was meant: at most one edit (a letter added, removed, changed, or two
 * neighbours swapped) per three letters of the word, and at least one.
 * A candidate equal to the word is no suggestion.
 */
const char *suggest_best(const struct suggest *);

#endif
