/*
 * users: the CMS users file read strictly, written whole and read back
 * the same; a missing file is no users and nothing made.
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
#include "users.h"
#include "util.h"

#define PHC	"$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"
#define USERS \
	"alice:owner:alice@example.test:on:" PHC ":0:0:0\n" \
	"bob:user::off:!:2:4102444800:1700000000\n" \
	"carol:admin:carol@example.test:off:" PHC ":0:0:0\n"

struct fixture {
	char		*dir;
	char		 users[PATH_MAX];
	struct ss_conf	*conf;
};

static int
setup(void **state)
{
	struct fixture	*f;
	char		 text[2 * PATH_MAX + 64];

	log_init("test_users");
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->dir = tmpdir_new("test_users")) == NULL)
		return -1;
	snprintf(f->users, sizeof(f->users), "%s/state/passwd/users",
	    f->dir);
	snprintf(text, sizeof(text), "[device]\nstate_dir = %s/state\n"
	    "[passwd]\nusers_file = %s\n", f->dir, f->users);
	if (tmpdir_conf(f->dir, text, &f->conf) != 0)
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
put_users(const struct fixture *f, const char *text)
{
	char	dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/state", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof(dir), "%s/state/passwd", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(tmpdir_put(dir, "users", text), 0);
}

static void
test_missing_file_is_no_users_and_makes_nothing(void **state)
{
	struct fixture	*f = *state;
	struct users	 us;
	struct stat	 st;
	char		 dir[PATH_MAX];

	assert_int_equal(users_load(f->conf, &us), 0);
	assert_int_equal(us.n, 0);
	snprintf(dir, sizeof(dir), "%s/state", f->dir);
	assert_int_equal(stat(dir, &st), -1);
	users_free(&us);
}

static void
test_load_reads_every_field(void **state)
{
	struct fixture	*f = *state;
	struct users	 us;
	struct user	*u;

	put_users(f, USERS);
	assert_int_equal(users_load(f->conf, &us), 0);
	assert_int_equal(us.n, 3);
	assert_non_null(u = users_find(&us, "alice"));
	assert_int_equal(u->role, ROLE_OWNER);
	assert_string_equal(u->email, "alice@example.test");
	assert_true(u->recovery);
	assert_string_equal(u->hash, PHC);
	assert_non_null(u = users_find(&us, "bob"));
	assert_int_equal(u->role, ROLE_USER);
	assert_string_equal(u->email, "");
	assert_false(u->recovery);
	assert_string_equal(u->hash, "!");
	assert_int_equal(u->failures, 2);
	assert_int_equal(u->locked_until, 4102444800LL);
	assert_int_equal(u->last_mail, 1700000000LL);
	assert_null(users_find(&us, "dave"));
	assert_int_equal(users_owners(&us), 1);
	users_free(&us);
	assert_null(us.v);
	assert_int_equal(us.n, 0);
}

static void
expect_refused(struct fixture *f, const char *text, const char *msg)
{
	struct users	 us;
	char		*err;

	put_users(f, text);
	capture_begin(2);
	assert_int_equal(users_load(f->conf, &us), EX_DATAERR);
	err = capture_end();
	if (strstr(err, msg) == NULL)
		fail_msg("'%s' lacks '%s'", err, msg);
	free(err);
	assert_int_equal(us.n, 0);
}

static void
test_malformed_line_is_named(void **state)
{
	expect_refused(*state, USERS "dave:owner\n",
	    "/users:4: not name:role:email:recovery:hash");
}

static void
test_bad_role_is_named(void **state)
{
	expect_refused(*state, "dave:root::off:!:0:0:0\n",
	    "/users:1: bad role (not owner, admin or user)");
}

static void
test_hash_neither_none_nor_argon2id_is_refused(void **state)
{
	expect_refused(*state, "dave:owner::off:$y$j9T$a$b:0:0:0\n",
	    "/users:1: bad hash (neither ! nor an argon2id PHC string)");
}

static void
test_user_twice_is_refused(void **state)
{
	expect_refused(*state, USERS "bob:user::off:!:0:0:0\n",
	    "/users:4: user bob appears twice");
}

static void
test_time_past_9999_is_refused(void **state)
{
	expect_refused(*state, "dave:owner::off:!:0:253402300800:0\n",
	    "/users:1: bad locked_until");
}

static void
test_save_writes_what_load_reads_keeping_mode_and_old_file(void **state)
{
	struct fixture	*f = *state;
	struct users	 us;
	struct stat	 st;
	char		 old[PATH_MAX + 2], *got;

	put_users(f, USERS);
	assert_int_equal(chmod(f->users, 0640), 0);
	assert_int_equal(users_load(f->conf, &us), 0);
	users_find(&us, "bob")->failures = 0;
	assert_int_equal(users_save(f->conf, &us), 0);
	users_free(&us);
	got = slurp(f->users);
	assert_string_equal(got,
	    "alice:owner:alice@example.test:on:" PHC ":0:0:0\n"
	    "bob:user::off:!:0:4102444800:1700000000\n"
	    "carol:admin:carol@example.test:off:" PHC ":0:0:0\n");
	free(got);
	snprintf(old, sizeof(old), "%s-", f->users);
	got = slurp(old);
	assert_string_equal(got, USERS);
	free(got);
	assert_int_equal(stat(f->users, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
}

static void
test_first_save_makes_the_directories_0700_and_the_file_0600(void **state)
{
	struct fixture	*f = *state;
	struct users	 us = { NULL, 0 }, again;
	struct user	 u;
	struct stat	 st;
	char		 dir[PATH_MAX];

	memset(&u, 0, sizeof(u));
	strcpy(u.name, "erin");
	u.role = ROLE_OWNER;
	strcpy(u.hash, "!");
	us.v = &u;
	us.n = 1;
	assert_int_equal(users_save(f->conf, &us), 0);
	snprintf(dir, sizeof(dir), "%s/state/passwd", f->dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(f->users, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(users_load(f->conf, &again), 0);
	assert_int_equal(again.n, 1);
	assert_string_equal(again.v[0].name, "erin");
	users_free(&again);
}

static void
test_names_addresses_and_roles(void **state)
{
	enum role	r;

	(void)state;
	assert_true(users_name_ok("alice"));
	assert_true(users_name_ok("_svc.backup-2"));
	assert_false(users_name_ok("Alice"));
	assert_false(users_name_ok("2alice"));
	assert_false(users_name_ok("a:b"));
	assert_false(users_name_ok(""));
	assert_true(users_name_ok("a234567890123456789012345678901"));
	assert_false(users_name_ok("a2345678901234567890123456789012x"));
	assert_true(users_email_ok("a@example.test"));
	assert_false(users_email_ok("a@b@c"));
	assert_false(users_email_ok("@example.test"));
	assert_false(users_email_ok("a b@example.test"));
	assert_false(users_email_ok("a:b@example.test"));
	assert_int_equal(users_role_parse("admin", &r), 0);
	assert_int_equal(r, ROLE_ADMIN);
	assert_int_equal(users_role_parse("root", &r), -1);
	assert_string_equal(users_role_name(ROLE_OWNER), "owner");
}

#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_missing_file_is_no_users_and_makes_nothing),
		T(test_load_reads_every_field),
		T(test_malformed_line_is_named),
		T(test_bad_role_is_named),
		T(test_hash_neither_none_nor_argon2id_is_refused),
		T(test_user_twice_is_refused),
		T(test_time_past_9999_is_refused),
		T(test_save_writes_what_load_reads_keeping_mode_and_old_file),
		T(test_first_save_makes_the_directories_0700_and_the_file_0600),
		T(test_names_addresses_and_roles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
