/*
 * dhparam: DH parameters as the openssl CLI checks them.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dhparam.h"
#include "log.h"
#include "util.h"

static char	*dir;		/* scratch directory */

static int
group_setup(void **state)
{
	(void)state;
	log_init("test_dhparam");
	return (dir = tmpdir_new("test_dhparam")) == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	return tmpdir_free(dir);
}

static void
test_dhparam_pem_is_pkcs3_that_openssl_checks(void **state)
{
	char	*pem, *out;
	size_t	 len;

	(void)state;
	/* 512 bits keeps the test fast; callers are held to 2048 and up. */
	assert_int_equal(dhparam_pem(512, &pem, &len), 0);
	assert_true(strncmp(pem, "-----BEGIN DH PARAMETERS-----\n", 30) == 0);
	assert_int_equal(tmpdir_write(dir, "dh.pem", pem, len), 0);
	free(pem);
	out = sh_out("openssl dhparam -in %s/dh.pem -check -noout 2>&1", dir);
	assert_non_null(strstr(out, "DH parameters appear to be ok"));
	free(out);
	out = sh_out("openssl pkeyparam -in %s/dh.pem -text -noout 2>&1",
	    dir);
	assert_non_null(strstr(out, "(512 bit)"));
	assert_non_null(strstr(out, "G:    2 (0x2)"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dhparam_pem_is_pkcs3_that_openssl_checks),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
