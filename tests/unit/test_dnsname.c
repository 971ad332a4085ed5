/*
 * dnsname: host names DNS can hold.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dnsname.h"

static void
test_names_of_labels_are_good(void **state)
{
	(void)state;
	assert_int_equal(dnsname_ok("box"), 1);
	assert_int_equal(dnsname_ok("box-1.example.net"), 1);
	assert_int_equal(dnsname_ok("0xdead.EXAMPLE.net"), 1);
	assert_int_equal(dnsname_label_ok("smart-server", 12), 1);
	/* Only the N bytes count: a label out of a longer name. */
	assert_int_equal(dnsname_label_ok("box.example.net", 3), 1);
}

static void
test_bad_labels_are_refused(void **state)
{
	static const char *const bad[] = { "", ".", "example..net",
	    "example.net.", ".example.net", "-box.net", "box-.net",
	    "smart_server", "box net", "*.example.net", "b\xc3\xa4r.net" };
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(dnsname_ok(bad[i]), 0);
	assert_int_equal(dnsname_label_ok("box.net", 7), 0);
	assert_int_equal(dnsname_label_ok("", 0), 0);
}

static void
test_lengths_are_limited(void **state)
{
	char	name[300];

	(void)state;
	memset(name, 'a', 63);
	name[63] = '\0';
	assert_int_equal(dnsname_ok(name), 1);
	name[63] = 'a';
	name[64] = '\0';
	assert_int_equal(dnsname_ok(name), 0);
	/* 4 labels of 63 and one of 1: 253 bytes with the dots. */
	memset(name, 'a', 255);
	name[63] = name[127] = name[191] = name[251] = '.';
	name[253] = '\0';
	assert_int_equal(dnsname_ok(name), 1);
	name[253] = 'a';
	name[254] = '\0';
	assert_int_equal(dnsname_ok(name), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_of_labels_are_good),
		cmocka_unit_test(test_bad_labels_are_refused),
		cmocka_unit_test(test_lengths_are_limited),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
