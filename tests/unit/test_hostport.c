/*
 * hostport: HOST[:PORT] as operators write it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "hostport.h"

static void
test_name_with_port(void **state)
{
	char	host[256];
	long	port;

	(void)state;
	assert_int_equal(hostport_parse("ns1.example.net:5353", 53, host,
	    sizeof(host), &port), 1);
	assert_string_equal(host, "ns1.example.net");
	assert_int_equal(port, 5353);
	assert_int_equal(hostport_parse("127.0.0.1:443", 0, host,
	    sizeof(host), &port), 1);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 443);
}

static void
test_no_port_takes_the_default(void **state)
{
	char	host[256];
	long	port;

	(void)state;
	assert_int_equal(hostport_parse("ns1.example.net", 53, host,
	    sizeof(host), &port), 1);
	assert_string_equal(host, "ns1.example.net");
	assert_int_equal(port, 53);
}

static void
test_no_port_where_one_is_required_is_refused(void **state)
{
	char	host[256];
	long	port;

	(void)state;
	assert_int_equal(hostport_parse("nohostport", 0, host, sizeof(host),
	    &port), 0);
	assert_int_equal(hostport_parse("[::1]", 0, host, sizeof(host),
	    &port), 0);
	/* Without brackets the last group is part of the address. */
	assert_int_equal(hostport_parse("::1:443", 0, host, sizeof(host),
	    &port), 0);
}

static void
test_ipv6_in_brackets_or_bare(void **state)
{
	char	host[256];
	long	port;

	(void)state;
	assert_int_equal(hostport_parse("[2001:db8::1]:853", 53, host,
	    sizeof(host), &port), 1);
	assert_string_equal(host, "2001:db8::1");
	assert_int_equal(port, 853);
	assert_int_equal(hostport_parse("[::1]", 53, host, sizeof(host),
	    &port), 1);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 53);
	assert_int_equal(hostport_parse("2001:db8::1", 53, host, sizeof(host),
	    &port), 1);
	assert_string_equal(host, "2001:db8::1");
	assert_int_equal(port, 53);
}

static void
test_bad_ports_are_refused(void **state)
{
	static const char *const bad[] = { "host:", "host:0", "host:65536",
	    "host:+53", "host: 53", "host:53x", "host:-1",
	    "host:99999999999999999999", "[::1]:", "[::1]x", "[::1", ":53",
	    "[]:53", "a]b:53" };
	char	host[256];
	long	port = -1;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hostport_parse(bad[i], 53, host,
		    sizeof(host), &port), 0);
	assert_int_equal(port, -1);
	assert_int_equal(hostport_parse("host:65535", 0, host, sizeof(host),
	    &port), 1);
	assert_int_equal(port, 65535);
}

static void
test_host_longer_than_the_buffer_is_refused(void **state)
{
	char	host[8];
	long	port;

	(void)state;
	assert_int_equal(hostport_parse("abcdefg:53", 0, host, sizeof(host),
	    &port), 1);
	assert_string_equal(host, "abcdefg");
	assert_int_equal(hostport_parse("abcdefgh:53", 0, host, sizeof(host),
	    &port), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_with_port),
		cmocka_unit_test(test_no_port_takes_the_default),
		cmocka_unit_test(test_no_port_where_one_is_required_is_refused),
		cmocka_unit_test(test_ipv6_in_brackets_or_bare),
		cmocka_unit_test(test_bad_ports_are_refused),
		cmocka_unit_test(test_host_longer_than_the_buffer_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
