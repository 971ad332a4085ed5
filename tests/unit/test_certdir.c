/*
 * certdir: the layout of the certificates directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "certdir.h"
#include "conf.h"
#include "log.h"
#include "util.h"

struct fixture {
	char		*dir;
	struct ss_conf	*conf;
};

static int
setup(void **state)
{
	struct fixture	*f;
	char		 text[PATH_MAX + 64];

	log_init("test_certdir");
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->dir = tmpdir_new("test_certdir")) == NULL)
		return -1;
	snprintf(text, sizeof(text), "[device]\nhostname = dev1\n"
	    "domain = example.test\n[certs]\ndir = %s/certs\n", f->dir);
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
test_paths_under_the_certs_dir(void **state)
{
	struct fixture	*f = *state;
	char		 got[PATH_MAX], want[PATH_MAX];

	assert_int_equal(certdir_path(got, sizeof(got), f->conf, "mqtt",
	    "fullchain.pem"), 0);
	snprintf(want, sizeof(want), "%s/certs/mqtt/fullchain.pem", f->dir);
	assert_string_equal(got, want);
	assert_int_equal(certdir_path(got, sizeof(got), f->conf, NULL,
	    "dhparam.pem"), 0);
	snprintf(want, sizeof(want), "%s/certs/dhparam.pem", f->dir);
	assert_string_equal(got, want);
}

static void
test_self_uses_server_crt_and_key(void **state)
{
	struct fixture	*f = *state;
	char		 got[PATH_MAX], want[PATH_MAX];

	assert_int_equal(certdir_cert_file(f->conf, CERTDIR_SELF, got,
	    sizeof(got)), 0);
	snprintf(want, sizeof(want), "%s/certs/self/server.crt", f->dir);
	assert_string_equal(got, want);
	assert_int_equal(certdir_key_file(f->conf, "dev1.example.test", got,
	    sizeof(got)), 0);
	snprintf(want, sizeof(want), "%s/certs/dev1.example.test/privkey.pem",
	    f->dir);
	assert_string_equal(got, want);
}

static void
test_active_is_self_until_the_fqdn_has_one(void **state)
{
	struct fixture	*f = *state;
	char		 name[256], path[PATH_MAX];
	FILE		*fp;

	assert_int_equal(certdir_active(f->conf, name, sizeof(name)), 0);
	assert_string_equal(name, "self");
	snprintf(path, sizeof(path), "mkdir -p %s/certs/dev1.example.test",
	    f->dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "%s/certs/dev1.example.test/fullchain.pem",
	    f->dir);
	assert_non_null(fp = fopen(path, "w"));
	fclose(fp);
	assert_int_equal(certdir_active(f->conf, name, sizeof(name)), 0);
	assert_string_equal(name, "dev1.example.test");
}

static void
test_no_active_file_yet_says_how_to_make_one(void **state)
{
	struct fixture	*f = *state;
	char		 name[256], path[PATH_MAX], want[PATH_MAX + 64];
	char		*err;

	capture_begin(STDERR_FILENO);
	assert_int_equal(certdir_active_file(f->conf, name, sizeof(name), path,
	    sizeof(path)), EX_NOINPUT);
	err = capture_end();
	snprintf(want, sizeof(want), "no certificate in %s/certs yet; make "
	    "one with 'ss-cert selfsigned'", f->dir);
	assert_non_null(strstr(err, want));
	free(err);
	snprintf(path, sizeof(path), "mkdir -p %s/certs/self && "
	    "touch %s/certs/self/server.crt", f->dir, f->dir);
	assert_int_equal(system(path), 0);
	assert_int_equal(certdir_active_file(f->conf, name, sizeof(name), path,
	    sizeof(path)), 0);
	assert_string_equal(name, "self");
	snprintf(want, sizeof(want), "%s/certs/self/server.crt", f->dir);
	assert_string_equal(path, want);
}

static void
test_names_that_cannot_be_directories(void **state)
{
	(void)state;
	assert_true(certdir_name_ok("dev1.example.test"));
	assert_true(certdir_name_ok("mqtt_broker-2"));
	assert_false(certdir_name_ok(""));
	assert_false(certdir_name_ok(".hidden"));
	assert_false(certdir_name_ok(".."));
	assert_false(certdir_name_ok("../etc"));
	assert_false(certdir_name_ok("a/b"));
	assert_false(certdir_name_ok("*.example.test"));
	assert_false(certdir_name_ok("a b"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paths_under_the_certs_dir,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_self_uses_server_crt_and_key, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_active_is_self_until_the_fqdn_has_one, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_active_file_yet_says_how_to_make_one, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_names_that_cannot_be_directories, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
