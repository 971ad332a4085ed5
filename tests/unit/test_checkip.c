/*
 * checkip: the external address, from a command source, and what an
 * answer must be.
 */
#include <sys/socket.h>

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

#include "checkip.h"
#include "conf.h"
#include "log.h"
#include "util.h"

static char	*dir;

/* The configuration with [ddns] SECTION's lines. */
static struct ss_conf *
conf_with(const char *section)
{
	struct ss_conf	*c = NULL;
	char		 text[1024];

	snprintf(text, sizeof(text), "[device]\nhostname = dev1\n"
	    "domain = example.test\n[ddns]\n%s", section);
	assert_int_equal(tmpdir_conf(dir, text, &c), 0);
	return c;
}

static int
setup(void **state)
{
	(void)state;
	log_init("test_checkip");
	return (dir = tmpdir_new("test_checkip")) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return tmpdir_free(dir);
}

static void
test_one_address_is_taken_in_one_spelling(void **state)
{
	struct checkip_addr	a;

	(void)state;
	assert_int_equal(checkip_parse(" 203.0.113.7\n", 13, AF_INET, &a), 1);
	assert_string_equal(a.text, "203.0.113.7");
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(checkip_parse("2001:DB8:0::7", 13, AF_INET6, &a), 1);
	assert_string_equal(a.text, "2001:db8::7");
}

static void
test_what_is_not_one_address_of_the_family_is_refused(void **state)
{
	struct checkip_addr	a;

	(void)state;
	assert_int_equal(checkip_parse("203.0.113.7", 11, AF_INET6, &a), 0);
	assert_int_equal(checkip_parse("203.0.113.7 203.0.113.8", 23,
	    AF_INET, &a), 0);
	assert_int_equal(checkip_parse("<html>", 6, AF_INET, &a), 0);
	assert_int_equal(checkip_parse("", 0, AF_INET, &a), 0);
}

static void
test_families_follow_ip_version(void **state)
{
	struct ss_conf	*c;
	int		 fam[2];

	(void)state;
	c = conf_with("ip_version = both\n");
	assert_int_equal(checkip_families(c, fam), 2);
	assert_int_equal(fam[0], AF_INET);
	assert_int_equal(fam[1], AF_INET6);
	conf_free(c);
	c = conf_with("ip_version = 6\n");
	assert_int_equal(checkip_families(c, fam), 1);
	assert_int_equal(fam[0], AF_INET6);
	conf_free(c);
}

static void
test_command_source_gives_the_address(void **state)
{
	struct ss_conf		*c;
	struct checkip_addr	 a;

	(void)state;
	c = conf_with("checkip = cmd:false, cmd:echo 203.0.113.7\n");
	assert_int_equal(checkip_external(c, AF_INET, &a), 0);
	assert_string_equal(a.text, "203.0.113.7");
	conf_free(c);
}

static void
test_no_usable_source_is_a_temporary_failure(void **state)
{
	struct ss_conf		*c;
	struct checkip_addr	 a;

	(void)state;
	c = conf_with("checkip = cmd:echo 0.0.0.0, cmd:echo nothing\n");
	assert_int_equal(checkip_external(c, AF_INET, &a), EX_TEMPFAIL);
	conf_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_address_is_taken_in_one_spelling),
		cmocka_unit_test(
		    test_what_is_not_one_address_of_the_family_is_refused),
		cmocka_unit_test(test_families_follow_ip_version),
		cmocka_unit_test(test_command_source_gives_the_address),
		cmocka_unit_test(test_no_usable_source_is_a_temporary_failure),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
