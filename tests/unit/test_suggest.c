/*
 * suggest: the closest candidate, and none when nothing is close.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "suggest.h"

static const char *
best_of(const char *word, const char *const *cands)
{
	struct suggest	s;

	suggest_init(&s, word);
	for (; *cands != NULL; cands++)
		suggest_try(&s, *cands);
	return suggest_best(&s);
}

static const char *const certs_keys[] = {
	"dir", "key_type", "self_days", "renew_days", "dhparam_bits", NULL
};
static const char *const commands[] = {
	"selfsigned", "install", "check", "list", "dhparam", "export",
	"issue", "renew", "revoke", "account", NULL
};

static void
test_a_changed_letter_suggests_the_key(void **state)
{
	(void)state;
	assert_string_equal(best_of("renew_dayz", certs_keys), "renew_days");
	assert_string_equal(best_of("keytype", certs_keys), "key_type");
}

static void
test_a_missing_letter_and_a_swap_suggest_the_command(void **state)
{
	(void)state;
	assert_string_equal(best_of("chek", commands), "check");
	assert_string_equal(best_of("reenw", commands), "renew");
	assert_string_equal(best_of("lsit", commands), "list");
}

static void
test_the_closest_candidate_wins(void **state)
{
	(void)state;
	/* one edit from "renew", two from "revoke" */
	assert_string_equal(best_of("renw", commands), "renew");
}

static void
test_nothing_close_suggests_nothing(void **state)
{
	(void)state;
	assert_null(best_of("frobnicate", commands));
	assert_null(best_of("x", certs_keys));
	assert_null(best_of("", commands));
}

static void
test_the_word_itself_is_no_suggestion(void **state)
{
	(void)state;
	assert_null(best_of("check", commands));
}

static void
test_a_word_past_the_limit_gets_none(void **state)
{
	char	 word[SUGGEST_MAX + 2];
	char	 cand[SUGGEST_MAX + 2];
	const char *cands[2] = { cand, NULL };

	(void)state;
	memset(word, 'a', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	memcpy(cand, word, sizeof(cand));
	cand[0] = 'b';
	assert_null(best_of(word, cands));
	word[SUGGEST_MAX] = '\0';
	cand[SUGGEST_MAX] = '\0';
	assert_string_equal(best_of(word, cands), cand);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_changed_letter_suggests_the_key),
		cmocka_unit_test(
		    test_a_missing_letter_and_a_swap_suggest_the_command),
		cmocka_unit_test(test_the_closest_candidate_wins),
		cmocka_unit_test(test_nothing_close_suggests_nothing),
		cmocka_unit_test(test_the_word_itself_is_no_suggestion),
		cmocka_unit_test(test_a_word_past_the_limit_gets_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
