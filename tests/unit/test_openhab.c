/*
 * openhab: the defaults file read as the shell would.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <cmocka.h>

#include "openhab.h"
#include "util.h"

/* DIR/defaults holding TEXT, loaded into D; the load's code. */
static int
load(const char *text, struct openhab_defaults *d)
{
	char	*dir, path[PATH_MAX];
	int	 rc;

	assert_non_null(dir = tmpdir_new("test_openhab"));
	assert_int_equal(tmpdir_put(dir, "defaults", text), 0);
	snprintf(path, sizeof(path), "%s/defaults", dir);
	rc = openhab_load(path, d);
	assert_int_equal(tmpdir_free(dir), 0);
	return rc;
}

static void
test_last_assignment_wins_unquoted(void **state)
{
	struct openhab_defaults	 d;
	char			*v;

	(void)state;
	assert_int_equal(load("# openHAB\nOPENHAB_HTTP_ADDRESS=0.0.0.0\n"
	    "export OPENHAB_HTTP_ADDRESS=\"127.0.0.1\"  # ss-nginxconf\n", &d),
	    0);
	assert_int_equal(d.n, 2);
	assert_int_equal(openhab_get(&d, OPENHAB_ADDRESS_VAR, &v), 0);
	assert_string_equal(v, "127.0.0.1");
	free(v);
	openhab_free(&d);
}

static void
test_unset_name_is_null(void **state)
{
	struct openhab_defaults	 d;
	char			*v = (char *)"x";

	(void)state;
	assert_int_equal(load("OPENHAB_HTTP_PORT=8081\n", &d), 0);
	assert_int_equal(openhab_get(&d, OPENHAB_ADDRESS_VAR, &v), 0);
	assert_null(v);
	openhab_free(&d);
}

static void
test_escapes_are_resolved(void **state)
{
	struct openhab_defaults	 d;
	char			*v;

	(void)state;
	assert_int_equal(load("A='x y'\nB=\"a\\\"b\"\nC=c\\ d\n", &d), 0);
	assert_int_equal(openhab_get(&d, "A", &v), 0);
	assert_string_equal(v, "x y");
	free(v);
	assert_int_equal(openhab_get(&d, "B", &v), 0);
	assert_string_equal(v, "a\"b");
	free(v);
	assert_int_equal(openhab_get(&d, "C", &v), 0);
	assert_string_equal(v, "c d");
	free(v);
	openhab_free(&d);
}

static void
test_more_than_an_assignment_is_refused_with_its_line(void **state)
{
	struct openhab_defaults	d;

	(void)state;
	assert_int_equal(load("A=1\nB=$(reboot)\n", &d), EX_DATAERR);
	assert_int_equal(d.badline, 2);
	assert_int_equal(load("A=1\n\nB='open\n", &d), EX_DATAERR);
	assert_int_equal(d.badline, 3);
	assert_int_equal(load("echo hi\n", &d), EX_DATAERR);
	assert_int_equal(d.badline, 1);
}

static void
test_ports_default_and_bad_ones_are_refused(void **state)
{
	struct openhab_defaults	d;
	long			port;

	(void)state;
	assert_int_equal(load("OPENHAB_HTTP_PORT=\"9090\"\n", &d), 0);
	assert_int_equal(openhab_port(&d, "f", OPENHAB_HTTP_VAR,
	    OPENHAB_HTTP_DEFAULT, &port), 0);
	assert_int_equal(port, 9090);
	assert_int_equal(openhab_port(&d, "f", OPENHAB_HTTPS_VAR,
	    OPENHAB_HTTPS_DEFAULT, &port), 0);
	assert_int_equal(port, 8443);
	openhab_free(&d);
	assert_int_equal(load("OPENHAB_HTTP_PORT=80x\n", &d), 0);
	assert_int_equal(openhab_port(&d, "f", OPENHAB_HTTP_VAR,
	    OPENHAB_HTTP_DEFAULT, &port), EX_DATAERR);
	openhab_free(&d);
	assert_int_equal(load("OPENHAB_HTTP_PORT=70000\n", &d), 0);
	assert_int_equal(openhab_port(&d, "f", OPENHAB_HTTP_VAR,
	    OPENHAB_HTTP_DEFAULT, &port), EX_DATAERR);
	openhab_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_last_assignment_wins_unquoted),
		cmocka_unit_test(test_unset_name_is_null),
		cmocka_unit_test(test_escapes_are_resolved),
		cmocka_unit_test(
		    test_more_than_an_assignment_is_refused_with_its_line),
		cmocka_unit_test(test_ports_default_and_bad_ones_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
