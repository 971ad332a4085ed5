/*
 * shadow: one user's entry of a shadow(5) file read, and its hash
 * replaced with every other byte kept and the old file kept as FILE-.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <cmocka.h>

#include "conf.h"
#include "log.h"
#include "shadow.h"
#include "time64.h"
#include "util.h"

#define SHADOW \
	"root:$y$j9T$abc$def:19700:0:99999:7:::\n" \
	"daemon:*:19700:0:99999:7:::\n" \
	"apollo:$y$j9T$salt$hash:19700:0:99999:7:::\n" \
	"apollo:$y$second$entry:1:0:99999:7:::\n"

struct fixture {
	char		*dir;
	char		 shadow[PATH_MAX];
	struct ss_conf	*conf;
};

static int
setup(void **state)
{
	struct fixture	*f;
	char		 text[PATH_MAX + 64];

	log_init("test_shadow");
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->dir = tmpdir_new("test_shadow")) == NULL)
		return -1;
	snprintf(f->shadow, sizeof(f->shadow), "%s/shadow", f->dir);
	snprintf(text, sizeof(text), "[passwd]\nshadow_file = %s\n",
	    f->shadow);
	if (tmpdir_put(f->dir, "shadow", SHADOW) != 0 ||
	    chmod(f->shadow, 0640) != 0 ||
	    tmpdir_conf(f->dir, text, &f->conf) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	int		 rc;

	conf_free(f->conf);
	rc = tmpdir_free(f->dir);
	free(f);
	return rc;
}

static void
test_get_finds_the_first_entry_as_getspnam_does(void **state)
{
	struct fixture	*f = *state;
	char		 hash[64];

	assert_int_equal(shadow_get(f->conf, "apollo", hash, sizeof(hash)),
	    0);
	assert_string_equal(hash, "$y$j9T$salt$hash");
	assert_int_equal(shadow_get(f->conf, "daemon", hash, sizeof(hash)),
	    0);
	assert_string_equal(hash, "*");
}

static void
test_get_of_a_missing_user_is_nouser(void **state)
{
	struct fixture	*f = *state;
	char		 hash[64], *err;

	capture_begin(2);
	assert_int_equal(shadow_get(f->conf, "apoll", hash, sizeof(hash)),
	    EX_NOUSER);
	err = capture_end();
	assert_non_null(strstr(err, "/shadow: no user apoll"));
	free(err);
}

static void
test_get_checks_every_line_and_names_the_bad_one(void **state)
{
	struct fixture	*f = *state;
	char		 hash[64], *err;

	assert_int_equal(tmpdir_put(f->dir, "shadow", SHADOW
	    "broken:x:1\n"), 0);
	capture_begin(2);
	assert_int_equal(shadow_get(f->conf, "root", hash, sizeof(hash)),
	    EX_DATAERR);
	err = capture_end();
	assert_non_null(strstr(err, "/shadow:5: 3 fields, not 9"));
	free(err);
}

static void
test_get_refuses_a_hash_longer_than_the_buffer(void **state)
{
	struct fixture	*f = *state;
	char		 hash[8], *err;

	capture_begin(2);
	assert_int_equal(shadow_get(f->conf, "apollo", hash, sizeof(hash)),
	    EX_DATAERR);
	err = capture_end();
	assert_non_null(strstr(err, "/shadow:3: the hash of apollo is too "
	    "long"));
	free(err);
}

static void
test_set_replaces_hash_and_day_and_keeps_the_rest(void **state)
{
	struct fixture	*f = *state;
	char		 path[PATH_MAX + 2], want[512], *got, *old, *day;
	struct stat	 st;
	long long	 before, after, n;

	before = time64_now() / TIME64_DAY;
	assert_int_equal(shadow_set(f->conf, "apollo", "$y$new$hash"), 0);
	after = time64_now() / TIME64_DAY;
	got = slurp(f->shadow);
	assert_non_null(day = strstr(got, "$y$new$hash:"));
	n = atoll(day + strlen("$y$new$hash:"));
	assert_in_range(n, before, after);
	snprintf(want, sizeof(want), "root:$y$j9T$abc$def:19700:0:99999:7:::\n"
	    "daemon:*:19700:0:99999:7:::\n"
	    "apollo:$y$new$hash:%lld:0:99999:7:::\n"
	    "apollo:$y$second$entry:1:0:99999:7:::\n", n);
	assert_string_equal(got, want);
	assert_int_equal(stat(f->shadow, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	snprintf(path, sizeof(path), "%s-", f->shadow);
	old = slurp(path);
	assert_string_equal(old, SHADOW);
	free(got);
	free(old);
}

static void
test_set_of_a_missing_user_changes_nothing(void **state)
{
	struct fixture	*f = *state;
	char		 path[PATH_MAX + 2], *got, *err;
	struct stat	 st;

	capture_begin(2);
	assert_int_equal(shadow_set(f->conf, "nobody", "$y$x$y"), EX_NOUSER);
	err = capture_end();
	free(err);
	got = slurp(f->shadow);
	assert_string_equal(got, SHADOW);
	free(got);
	snprintf(path, sizeof(path), "%s-", f->shadow);
	assert_int_equal(stat(path, &st), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_get_finds_the_first_entry_as_getspnam_does, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_get_of_a_missing_user_is_nouser, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_get_checks_every_line_and_names_the_bad_one, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_get_refuses_a_hash_longer_than_the_buffer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_set_replaces_hash_and_day_and_keeps_the_rest, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_set_of_a_missing_user_changes_nothing, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
