/*
 * procnet: the kernel's socket tables read, and their holders found.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "procnet.h"
#include "ipaddr.h"
#include "util.h"

static int
parse(const char *line, int family, struct procnet_sock *s)
{
	return procnet_parse_line(line, strlen(line), family, s);
}

static void
test_ipv4_listener_gives_address_port_state_and_inode(void **state)
{
	static const unsigned char	want[4] = { 127, 0, 0, 53 };
	struct procnet_sock		s;

	(void)state;
	assert_int_equal(parse("   3: 3500007F:0035 00000000:0000 0A "
	    "00000000:00000000 00:00000000 00000000   101        0 20524 1 "
	    "0000000000000000 100 0 0 10 0", AF_INET, &s), 1);
	assert_memory_equal(s.addr, want, 4);
	assert_int_equal(s.port, 53);
	assert_int_equal(s.state, 0x0a);
	assert_int_equal(s.inode, 20524);
	assert_int_equal(s.family, AF_INET);
	assert_int_equal(s.pid, 0);
}

static void
test_ipv6_address_keeps_its_bytes(void **state)
{
	static const unsigned char	want[16] = { [15] = 1 };
	struct procnet_sock		s;

	(void)state;
	assert_int_equal(parse("   0: 00000000000000000000000001000000:1F90 "
	    "00000000000000000000000000000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000     0        0 777 1 0000000000000000 "
	    "100 0 0 10 0", AF_INET6, &s), 1);
	assert_memory_equal(s.addr, want, 16);
	assert_int_equal(s.port, 8080);
	assert_int_equal(s.inode, 777);
}

static void
test_heading_is_skipped_and_garbage_refused(void **state)
{
	struct procnet_sock	s;

	(void)state;
	assert_int_equal(parse("  sl  local_address rem_address   st "
	    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
	    AF_INET, &s), 0);
	assert_int_equal(parse("", AF_INET, &s), -1);
	assert_int_equal(parse("0: 0100007F:0035", AF_INET, &s), -1);
	/* An IPv6 address in the IPv4 table. */
	assert_int_equal(parse("   0: 00000000000000000000000001000000:1F90 "
	    "0:0 0A 0:0 0:0 0 0 0 1", AF_INET, &s), -1);
	assert_int_equal(parse("   0: 0100007G:0035 00000000:0000 0A 0:0 "
	    "0:0 0 0 0 1", AF_INET, &s), -1);
	assert_int_equal(parse("   0: 0100007F:0035 00000000:0000 0A 0:0 "
	    "0:0 0 0 0 99999999999999999999999", AF_INET, &s), -1);
}

static void
test_loopback_is_127_8_and_v6_one_and_mapped_127(void **state)
{
	static const unsigned char	v4lo[4] = { 127, 1, 2, 3 };
	static const unsigned char	v4[4] = { 192, 0, 2, 1 };
	static const unsigned char	any[16];
	static const unsigned char	one[16] = { [15] = 1 };
	static const unsigned char	mapped[16] = { [10] = 0xff,
	    [11] = 0xff, [12] = 127, [15] = 1 };
	static const unsigned char	mapped_out[16] = { [10] = 0xff,
	    [11] = 0xff, [12] = 10, [15] = 1 };

	(void)state;
	assert_true(ipaddr_loopback(AF_INET, v4lo));
	assert_false(ipaddr_loopback(AF_INET, v4));
	assert_false(ipaddr_loopback(AF_INET6, any));
	assert_true(ipaddr_loopback(AF_INET6, one));
	assert_true(ipaddr_loopback(AF_INET6, mapped));
	assert_false(ipaddr_loopback(AF_INET6, mapped_out));
}

static void
test_our_listener_is_found_with_us_as_its_holder(void **state)
{
	struct procnet_sock	*v;
	char			 comm[PROCNET_COMM];
	size_t			 n, i;
	FILE			*f;
	int			 fd, port, found = 0;

	(void)state;
	assert_non_null(f = fopen("/proc/self/comm", "r"));
	assert_non_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	fd = loopback_bind(&port);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(procnet_listening(&v, &n), 0);
	procnet_owners(v, n);
	for (i = 0; i < n; i++) {
		if (v[i].proto != IPPROTO_TCP || v[i].port != (unsigned)port)
			continue;
		found = 1;
		assert_true(ipaddr_loopback(v[i].family, v[i].addr));
		assert_int_equal(v[i].pid, getpid());
		assert_string_equal(v[i].comm, comm);
	}
	assert_true(found);
	free(v);
	close(fd);
}

static void
test_bound_udp_socket_counts_as_listening(void **state)
{
	struct sockaddr_in	 sin;
	struct procnet_sock	*v;
	socklen_t		 len = sizeof(sin);
	size_t			 n, i;
	int			 fd, found = 0;

	(void)state;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(fd = socket(AF_INET, SOCK_DGRAM, 0), -1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	assert_int_equal(procnet_listening(&v, &n), 0);
	for (i = 0; i < n; i++)
		if (v[i].proto == IPPROTO_UDP &&
		    v[i].port == ntohs(sin.sin_port))
			found = 1;
	assert_true(found);
	free(v);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_ipv4_listener_gives_address_port_state_and_inode),
		cmocka_unit_test(test_ipv6_address_keeps_its_bytes),
		cmocka_unit_test(test_heading_is_skipped_and_garbage_refused),
		cmocka_unit_test(
		    test_loopback_is_127_8_and_v6_one_and_mapped_127),
		cmocka_unit_test(
		    test_our_listener_is_found_with_us_as_its_holder),
		cmocka_unit_test(test_bound_udp_socket_counts_as_listening),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
