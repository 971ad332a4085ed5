/*
 * ddnsstate: the state file of a name, written and read back, and what
 * is refused in it.
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
#include "ddnsname.h"
#include "ddnsstate.h"
#include "log.h"
#include "util.h"

struct fixture {
	char			*dir;
	struct ss_conf		*conf;
	struct ddns_name	*names;
	size_t			 n;
};

static int
setup(void **state)
{
	struct fixture	*f;
	char		 path[PATH_MAX], text[PATH_MAX + 128];

	log_init("test_ddnsstate");
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->dir = tmpdir_new("test_ddnsstate")) == NULL)
		return -1;
	snprintf(text, sizeof(text), "[device]\nhostname = dev1\n"
	    "domain = example.test\nstate_dir = %s/state\n", f->dir);
	snprintf(path, sizeof(path), "%s/state", f->dir);
	if (mkdir(path, 0700) != 0 ||
	    tmpdir_conf(f->dir, text, &f->conf) != 0 ||
	    ddnsname_get(f->conf, NULL, &f->names, &f->n) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	int		 rc;

	free(f->names);
	conf_free(f->conf);
	rc = tmpdir_free(f->dir);
	free(f);
	return rc;
}

static void
test_no_file_yet_is_an_empty_state(void **state)
{
	struct fixture		*f = *state;
	struct ddns_state	 s;

	assert_int_equal(ddnsstate_load(&f->names[0], &s), 0);
	assert_int_equal(s.provider, PROVIDER_OK);
	assert_string_equal(s.last4, "");
	assert_int_equal(s.history_len, 0);
	ddnsstate_free(&s);
}

static void
test_stop_and_history_read_back_as_written(void **state)
{
	struct fixture		*f = *state;
	struct ddns_state	 s, t;
	struct checkip_addr	 a = { 0, "" };
	char			 path[PATH_MAX], want[PATH_MAX];

	memset(&s, 0, sizeof(s));
	assert_int_equal(checkip_parse("203.0.113.7", 11, AF_INET, &a), 1);
	snprintf(s.last4, sizeof(s.last4), "203.0.113.7");
	s.provider = PROVIDER_STOPPED;
	snprintf(s.stop_reason, sizeof(s.stop_reason), "badauth");
	assert_int_equal(ddnsstate_history_add(&s, 4102444800LL, &a), 0);
	assert_int_equal(ddnsstate_save(&f->names[0], &s), 0);
	assert_int_equal(ddnsstate_load(&f->names[0], &t), 0);
	assert_int_equal(t.provider, PROVIDER_STOPPED);
	assert_string_equal(t.stop_reason, "badauth");
	assert_string_equal(t.last4, "203.0.113.7");
	assert_int_equal(ddnsstate_history_count(&t, 4102444800LL), 1);
	assert_int_equal(ddnsstate_history_count(&t, 4102444801LL), 0);
	assert_int_equal(ddnsstate_path(&f->names[0], path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/state/ddns/state", f->dir);
	assert_string_equal(path, want);
	ddnsstate_free(&s);
	ddnsstate_free(&t);
}

static void
test_line_that_is_no_state_is_refused(void **state)
{
	struct fixture		*f = *state;
	struct ddns_state	 s;

	assert_int_equal(sh("mkdir -p -m 700 '%s/state/ddns' && "
	    "printf 'provider=stopped\\nfrobnicate\\n' >'%s/state/ddns/state'",
	    f->dir, f->dir), 0);
	assert_int_equal(ddnsstate_load(&f->names[0], &s), EX_DATAERR);
	assert_int_equal(sh("printf 'provider=paused\\n' "
	    ">'%s/state/ddns/state'", f->dir), 0);
	assert_int_equal(ddnsstate_load(&f->names[0], &s), EX_DATAERR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_no_file_yet_is_an_empty_state, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stop_and_history_read_back_as_written, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_line_that_is_no_state_is_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
