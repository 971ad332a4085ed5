/*
 * secret: random bytes and wiping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"
#include "secret.h"

static void
test_random_fills_buffers_differently(void **state)
{
	unsigned char	a[32], b[32], zero[32];

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(zero, 0, sizeof(zero));
	assert_int_equal(secret_random(a, sizeof(a)), 0);
	assert_int_equal(secret_random(b, sizeof(b)), 0);
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));
	secret_zero(a, sizeof(a));
	assert_memory_equal(a, zero, sizeof(a));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_fills_buffers_differently),
	};

	log_init("test_secret");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
