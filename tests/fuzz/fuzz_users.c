/*
 * The CMS users file: read, and when it reads, written and read back to
 * the same users.
 */
#include <string.h>

#include "fuzz.h"
#include "users.h"

static struct ss_conf	*conf;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conf = fuzz_conf_path("passwd", "users_file", "users");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct users	us, again;
	size_t		i;

	fuzz_file("users", data, size);
	if (users_load(conf, &us) != 0)
		return 0;
	(void)users_owners(&us);
	if (users_save(conf, &us) == 0) {
		FUZZ_CHECK(users_load(conf, &again) == 0);
		FUZZ_CHECK(again.n == us.n);
		for (i = 0; i < us.n; i++) {
			FUZZ_CHECK(strcmp(us.v[i].name, again.v[i].name) == 0);
			FUZZ_CHECK(strcmp(us.v[i].email, again.v[i].email) ==
			    0);
			FUZZ_CHECK(strcmp(us.v[i].hash, again.v[i].hash) == 0);
			FUZZ_CHECK(us.v[i].role == again.v[i].role);
			FUZZ_CHECK(us.v[i].recovery == again.v[i].recovery);
			FUZZ_CHECK(us.v[i].failures == again.v[i].failures);
			FUZZ_CHECK(us.v[i].locked_until ==
			    again.v[i].locked_until);
			FUZZ_CHECK(us.v[i].last_mail == again.v[i].last_mail);
		}
		users_free(&again);
	}
	users_free(&us);
	return 0;
}
