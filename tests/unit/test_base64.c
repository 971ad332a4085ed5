/*
 * base64: base64url both ways, against RFC 4648's vectors and random
 * bytes, and what the decoder refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "base64.h"
#include "log.h"
#include "secret.h"
#include "util.h"

/* RFC 4648 section 10, in the URL and filename safe alphabet unpadded. */
static const struct {
	const char	*bytes;
	const char	*b64u;
} rfc4648[] = {
	{ "", "" },
	{ "f", "Zg" },
	{ "fo", "Zm8" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg" },
	{ "fooba", "Zm9vYmE" },
	{ "foobar", "Zm9vYmFy" },
	{ "\xfb\xef\xff", "--__" },
	{ "\xfb\xff", "-_8" },
};

static void
test_b64url_encodes_rfc4648_vectors(void **state)
{
	char	*s;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		assert_non_null(s = base64_urlencode(rfc4648[i].bytes,
		    strlen(rfc4648[i].bytes)));
		assert_string_equal(s, rfc4648[i].b64u);
		free(s);
	}
}

static void
test_b64url_decodes_rfc4648_vectors(void **state)
{
	unsigned char	*b, rnd[64];
	char		*s;
	size_t		 i, len;

	(void)state;
	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		assert_int_equal(base64_urldecode(rfc4648[i].b64u, &b,
		    &len), 0);
		assert_int_equal(len, strlen(rfc4648[i].bytes));
		assert_memory_equal(b, rfc4648[i].bytes, len);
		free(b);
	}
	assert_int_equal(secret_random(rnd, sizeof(rnd)), 0);
	for (i = 0; i <= sizeof(rnd); i++) {
		assert_non_null(s = base64_urlencode(rnd, i));
		assert_int_equal(base64_urldecode(s, &b, &len), 0);
		assert_int_equal(len, i);
		assert_memory_equal(b, rnd, i);
		free(b);
		free(s);
	}
}

static void
test_b64url_decode_refuses_padding_and_other_alphabets(void **state)
{
	static const char *bad[] = { "Zg==", "Zm8=", "Zm9v+w", "Zm9v/w",
	    "Zm 9v", "Zm9v\n", "Z", "Zm9vY", "Zm9v=Yg", "Zm9v\xc3\xa9" };
	unsigned char	*b;
	char		*err;
	size_t		 i, len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		capture_begin(STDERR_FILENO);
		assert_int_equal(base64_urldecode(bad[i], &b, &len),
		    EX_DATAERR);
		err = capture_end();
		assert_null(b);
		assert_int_equal(len, 0);
		if (strstr(err, "not base64url") == NULL)
			fail_msg("'%s': no message in '%s'", bad[i], err);
		free(err);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64url_encodes_rfc4648_vectors),
		cmocka_unit_test(test_b64url_decodes_rfc4648_vectors),
		cmocka_unit_test(
		    test_b64url_decode_refuses_padding_and_other_alphabets),
	};

	log_init("test_base64");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
