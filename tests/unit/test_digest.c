/*
 * digest: SHA-256 against the standard's own example.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "digest.h"
#include "log.h"

static void
test_sha256_of_abc(void **state)
{
	/* FIPS 180-2 appendix B.1. */
	static const unsigned char want[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	unsigned char	md[32];

	(void)state;
	assert_int_equal(digest_sha256("abc", 3, md), 0);
	assert_memory_equal(md, want, sizeof(want));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_of_abc),
	};

	log_init("test_digest");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
