/*
 * ddnsname: the names kept, each with its own view of the configuration,
 * and their zones.
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

#include <cmocka.h>

#include "conf.h"
#include "ddnsname.h"
#include "log.h"
#include "util.h"

static char	*dir;

static struct ss_conf *
conf_with(const char *text)
{
	struct ss_conf	*c = NULL;

	assert_int_equal(tmpdir_conf(dir, text, &c), 0);
	return c;
}

static int
setup(void **state)
{
	(void)state;
	log_init("test_ddnsname");
	return (dir = tmpdir_new("test_ddnsname")) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return tmpdir_free(dir);
}

#define TWO_NAMES	"[device]\nhostname = dev1\ndomain = example.test\n" \
	"[ddns]\nprotocol = dyndns2\nserver = https://a.example\n" \
	"[ddns:gw.example.net]\nprotocol = rfc2136\n" \
	"server = 127.0.0.1:53\nzone = example.net\n"

static void
test_device_name_first_then_each_section(void **state)
{
	struct ss_conf		*c = conf_with(TWO_NAMES);
	struct ddns_name	*n;
	size_t			 nn;

	(void)state;
	assert_int_equal(ddnsname_get(c, NULL, &n, &nn), 0);
	assert_int_equal(nn, 2);
	assert_string_equal(n[0].fqdn, "dev1.example.test");
	assert_true(n[0].device);
	assert_string_equal(n[0].state, "state");
	assert_string_equal(n[0].conf.ddns.server, "https://a.example");
	assert_string_equal(n[1].fqdn, "gw.example.net");
	assert_false(n[1].device);
	assert_string_equal(n[1].state, "gw.example.net.state");
	assert_string_equal(n[1].conf.ddns.protocol, "rfc2136");
	assert_string_equal(n[1].conf.fqdn, "gw.example.net");
	assert_string_equal(ddnsname_section(&n[1].conf),
	    "[ddns:gw.example.net]");
	assert_string_equal(ddnsname_section(&n[0].conf), "[ddns]");
	free(n);
	conf_free(c);
}

static void
test_one_name_picked_and_an_unknown_one_refused(void **state)
{
	struct ss_conf		*c = conf_with(TWO_NAMES);
	struct ddns_name	*n;
	size_t			 nn;

	(void)state;
	assert_int_equal(ddnsname_get(c, "GW.example.net", &n, &nn), 0);
	assert_int_equal(nn, 1);
	assert_string_equal(n[0].fqdn, "gw.example.net");
	free(n);
	assert_int_equal(ddnsname_get(c, "nope.example.net", &n, &nn),
	    EX_USAGE);
	assert_null(n);
	conf_free(c);
}

static void
test_zone_is_the_key_else_the_fqdn_without_its_first_label(void **state)
{
	struct ss_conf		*c = conf_with(TWO_NAMES);
	struct ddns_name	*n;
	size_t			 nn;
	char			 zone[256];

	(void)state;
	assert_int_equal(ddnsname_get(c, NULL, &n, &nn), 0);
	assert_int_equal(ddnsname_zone(&n[0].conf, zone, sizeof(zone)), 0);
	assert_string_equal(zone, "example.test");
	assert_int_equal(ddnsname_zone(&n[1].conf, zone, sizeof(zone)), 0);
	assert_string_equal(zone, "example.net");
	free(n);
	conf_free(c);
}

static void
test_without_a_domain_only_the_sections_are_kept(void **state)
{
	struct ss_conf		*c;
	struct ddns_name	*n;
	size_t			 nn;
	char			 zone[256];

	(void)state;
	c = conf_with("[device]\nhostname = dev1\n"
	    "[ddns:gw.example.net]\nserver = https://a.example\n");
	assert_int_equal(ddnsname_get(c, NULL, &n, &nn), 0);
	assert_int_equal(nn, 1);
	assert_string_equal(n[0].fqdn, "gw.example.net");
	free(n);
	conf_free(c);
	c = conf_with("[device]\nhostname = dev1\n");
	assert_int_equal(ddnsname_get(c, NULL, &n, &nn), 0);
	assert_int_equal(nn, 1);
	assert_int_equal(ddnsname_zone(&n[0].conf, zone, sizeof(zone)),
	    EX_CONFIG);
	free(n);
	conf_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_name_first_then_each_section),
		cmocka_unit_test(
		    test_one_name_picked_and_an_unknown_one_refused),
		cmocka_unit_test(
		    test_zone_is_the_key_else_the_fqdn_without_its_first_label),
		cmocka_unit_test(
		    test_without_a_domain_only_the_sections_are_kept),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
