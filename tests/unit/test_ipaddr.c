/*
 * ipaddr: addresses written as text.
 */
#include <sys/socket.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipaddr.h"

static void
test_ipv4_and_ipv6_give_their_family_and_bytes(void **state)
{
	static const unsigned char v4[4] = { 192, 0, 2, 1 };
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	unsigned char	out[IPADDR_MAX];

	(void)state;
	assert_int_equal(ipaddr_parse("192.0.2.1", 9, out), AF_INET);
	assert_memory_equal(out, v4, 4);
	assert_int_equal(ipaddr_parse("2001:db8::1", 11, out), AF_INET6);
	assert_memory_equal(out, v6, 16);
	assert_int_equal(ipaddr_parse("::ffff:192.0.2.1", 16, NULL), AF_INET6);
}

static void
test_only_the_n_bytes_count(void **state)
{
	(void)state;
	/* An address out of a list: "10.0.0.1, fd00::1". */
	assert_int_equal(ipaddr_parse("10.0.0.1, fd00::1", 8, NULL), AF_INET);
	assert_int_equal(ipaddr_parse("10.0.0.1, fd00::1", 9, NULL), 0);
	assert_int_equal(ipaddr_parse("10.0.0.12", 8, NULL), AF_INET);
}

static void
test_what_is_no_address_is_refused(void **state)
{
	static const char *const bad[] = { "", "box.example.net",
	    "192.0.2", "192.0.2.256", "192.0.2.1/24", "2001:db8:::1",
	    "[2001:db8::1]", " 192.0.2.1", "2001:db8::1%eth0",
	    "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb" };
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ipaddr_parse(bad[i], strlen(bad[i]), NULL),
		    0);
}

static void
test_one_address_written_two_ways_is_equal(void **state)
{
	(void)state;
	assert_true(ipaddr_equal("2001:db8::1", "2001:0db8:0:0:0:0:0:0001"));
	assert_true(ipaddr_equal("2001:DB8::1", "2001:db8::1"));
	assert_true(ipaddr_equal("192.0.2.1", "192.0.2.1"));
	assert_false(ipaddr_equal("192.0.2.1", "192.0.2.2"));
	/* The same 32 bits in another family are another address. */
	assert_false(ipaddr_equal("192.0.2.1", "::ffff:192.0.2.1"));
	assert_false(ipaddr_equal("192.0.2.1", "not an address"));
	assert_false(ipaddr_equal("", ""));
}

/* Loopback, in either family and as text; nothing else is. */
static void
test_loopback_addresses_and_localhost(void **state)
{
	(void)state;
	assert_true(ipaddr_loopback_text("127.0.0.1"));
	assert_true(ipaddr_loopback_text("127.8.9.10"));
	assert_true(ipaddr_loopback_text("::1"));
	assert_true(ipaddr_loopback_text("::ffff:127.0.0.1"));
	assert_true(ipaddr_loopback_text("LocalHost"));
	assert_false(ipaddr_loopback_text("128.0.0.1"));
	assert_false(ipaddr_loopback_text("0.0.0.0"));
	assert_false(ipaddr_loopback_text("::"));
	assert_false(ipaddr_loopback_text("::ffff:10.0.0.1"));
	assert_false(ipaddr_loopback_text("::2"));
	assert_false(ipaddr_loopback_text("localhost.example"));
	assert_false(ipaddr_loopback_text(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_ipv4_and_ipv6_give_their_family_and_bytes),
		cmocka_unit_test(test_only_the_n_bytes_count),
		cmocka_unit_test(test_what_is_no_address_is_refused),
		cmocka_unit_test(test_loopback_addresses_and_localhost),
		cmocka_unit_test(test_one_address_written_two_ways_is_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
