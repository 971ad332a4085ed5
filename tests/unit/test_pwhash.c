/*
 * Unit tests for lib/pwhash.c.  The judges are independent programs: the
 * argon2 reference CLI and mkpasswd(1), which must read our hashes and
 * write ones we read.  Small argon2 parameters keep it fast, except in
 * the one test at the defaults of security.conf.
 */
#include <sys/types.h>
#include <sys/wait.h>

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
#include <openssl/evp.h>

#include "log.h"
#include "pwhash.h"
#include "util.h"

#define ALPHABET	"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679"
#define LOOKALIKES	"0Oo1lI5S2Z8B"

static const struct pwhash_params	fast = { 1, 1024, 1 };
static const struct pwhash_params	defaults = { 3, 65536, 4 };

static void
chomp(char *s)
{
	s[strcspn(s, "\n")] = '\0';
}

/* Output of the shell command CMD, trailing newline removed. */
static char *
run(const char *cmd)
{
	FILE	*f;
	char	*out;

	assert_non_null(f = popen(cmd, "r"));
	out = slurp_stream(f);
	assert_int_equal(pclose(f), 0);
	chomp(out);
	return out;
}

/*
 * The argon2 CLI's encoded hash of PW with the raw SALT bytes (no NUL):
 * exec'd directly, since the salt is binary and no shell quoting fits.
 */
static char *
argon2_cli(const unsigned char *salt, size_t saltlen, const char *pw,
    uint32_t t, uint32_t m, uint32_t p)
{
	char	 s[64], ts[16], ms[16], ps[16];
	char	*out;
	FILE	*f;
	pid_t	 pid;
	int	 in[2], res[2], status;

	assert_true(saltlen < sizeof(s));
	memcpy(s, salt, saltlen);
	s[saltlen] = '\0';
	snprintf(ts, sizeof(ts), "%u", t);
	snprintf(ms, sizeof(ms), "%u", m);
	snprintf(ps, sizeof(ps), "%u", p);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(res), 0);
	if ((pid = fork()) == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(res[1], STDOUT_FILENO);
		close(in[0]);
		close(in[1]);
		close(res[0]);
		close(res[1]);
		execlp("argon2", "argon2", s, "-id", "-t", ts, "-k", ms,
		    "-p", ps, "-e", (char *)NULL);
		_exit(127);
	}
	assert_int_not_equal(pid, -1);
	close(in[0]);
	close(res[1]);
	assert_int_equal(write(in[1], pw, strlen(pw)), (ssize_t)strlen(pw));
	close(in[1]);
	assert_non_null(f = fdopen(res[0], "r"));
	out = slurp_stream(f);
	fclose(f);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	chomp(out);
	return out;
}

/*
 * Splits $argon2id$v=19$m=M,t=T,p=P$SALT$HASH: the parameters, and the
 * salt decoded from PHC base64 (no padding).  0 when the salt holds a
 * NUL byte, which no command line can carry.
 */
static int
phc_parts(const char *phc, struct pwhash_params *pp, unsigned char *salt,
    size_t *saltlen)
{
	char	b64[64];
	int	n, end;

	assert_int_equal(sscanf(phc, "$argon2id$v=19$m=%u,t=%u,p=%u$%n",
	    &pp->m_kib, &pp->t, &pp->p, &end), 3);
	n = (int)strcspn(phc + end, "$");
	assert_true(n > 0 && n + 4 < (int)sizeof(b64));
	memcpy(b64, phc + end, n);
	while (n % 4 != 0)
		b64[n++] = '=';
	b64[n] = '\0';
	n = EVP_DecodeBlock(salt, (unsigned char *)b64, n);
	assert_true(n > 0);
	*saltlen = (size_t)n - (strchr(b64, '=') != NULL ?
	    strlen(strchr(b64, '=')) : 0);
	return memchr(salt, '\0', *saltlen) == NULL;
}

/* Our hash, recomputed by the CLI from its salt and parameters. */
static void
assert_cli_reproduces(const struct pwhash_params *pp, const char *pw)
{
	struct pwhash_params	 got;
	unsigned char		 salt[64];
	char			 h[PW_HASH_MAX];
	char			*cli;
	size_t			 saltlen;
	int			 tries = 0;

	do {
		assert_true(tries++ < 50);
		assert_int_equal(pwhash_argon2id(pw, pp, h, sizeof(h)), 0);
	} while (!phc_parts(h, &got, salt, &saltlen));
	assert_int_equal(saltlen, 16);
	assert_int_equal(got.t, pp->t);
	assert_int_equal(got.m_kib, pp->m_kib);
	assert_int_equal(got.p, pp->p);
	cli = argon2_cli(salt, saltlen, pw, got.t, got.m_kib, got.p);
	assert_string_equal(cli, h);
	free(cli);
}

static void
test_argon2id_hash_is_reproduced_by_argon2_cli(void **state)
{
	(void)state;
	assert_cli_reproduces(&fast, "correct horse battery staple");
}

static void
test_argon2id_default_cost_is_reproduced_by_argon2_cli(void **state)
{
	(void)state;
	assert_cli_reproduces(&defaults, "Sm@rtServer-2024");
}

static void
test_argon2id_verifies_hash_from_argon2_cli(void **state)
{
	char	*h;

	(void)state;
	h = run("printf '%s' 's3cret pass' | "
	    "argon2 saltsaltsalt -id -t 1 -k 1024 -p 1 -e");
	assert_int_equal(pwhash_verify_argon2id(h, "s3cret pass"), 1);
	free(h);
}

static void
test_argon2id_refuses_wrong_password(void **state)
{
	char	h[PW_HASH_MAX];

	(void)state;
	assert_int_equal(pwhash_argon2id("right", &fast, h, sizeof(h)), 0);
	assert_int_equal(pwhash_verify_argon2id(h, "wrong"), 0);
	assert_int_equal(pwhash_verify_argon2id(h, "righ"), 0);
	assert_int_equal(pwhash_verify_argon2id(h, "right"), 1);
}

static void
test_argon2id_params_travel_in_the_string(void **state)
{
	struct pwhash_params	small = { 1, 64, 1 };
	char			h[PW_HASH_MAX];

	(void)state;
	assert_int_equal(pwhash_argon2id("pw", &small, h, sizeof(h)), 0);
	assert_non_null(strstr(h, "$m=64,t=1,p=1$"));
	assert_int_equal(pwhash_verify_argon2id(h, "pw"), 1);
}

static void
test_argon2id_salts_differ(void **state)
{
	char	a[PW_HASH_MAX], b[PW_HASH_MAX];

	(void)state;
	assert_int_equal(pwhash_argon2id("same", &fast, a, sizeof(a)), 0);
	assert_int_equal(pwhash_argon2id("same", &fast, b, sizeof(b)), 0);
	assert_string_not_equal(a, b);
}

static void
test_argon2id_verify_refuses_other_hash_kinds(void **state)
{
	static const char *const others[] = {
		"$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0"
		    "$GMv1V/a9uBNqF+93SqBH3JLZiqfe1V1xP9SfOSAqqRE",
		"$y$j9T$pm2YHXAslP70RypYxipt2/"
		    "$IAKm6wZvNmU7FG410cEuqBUYx8dHYaT02jVl43ssAaD",
		"",
	};
	char	*err;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		capture_begin(STDERR_FILENO);
		assert_int_equal(pwhash_verify_argon2id(others[i], "secret"),
		    -1);
		err = capture_end();
		assert_string_equal(err, "test_pwhash: not an argon2id hash\n");
		free(err);
	}
}

static void
test_argon2id_verify_malformed_hash_is_error(void **state)
{
	char	*err;

	(void)state;
	capture_begin(STDERR_FILENO);
	assert_int_equal(pwhash_verify_argon2id(
	    "$argon2id$v=19$m=1024,t=1,p=1$", "secret"), -1);
	err = capture_end();
	assert_string_equal(err,
	    "test_pwhash: argon2id hash: Decoding failed\n");
	free(err);
}

static void
test_argon2id_hash_refuses_short_buffer(void **state)
{
	char	 h[40];
	char	*err;

	(void)state;
	capture_begin(STDERR_FILENO);
	assert_int_equal(pwhash_argon2id("pw", &fast, h, sizeof(h)),
	    EX_SOFTWARE);
	err = capture_end();
	assert_non_null(strstr(err, "argon2id: "));
	assert_non_null(strstr(err, "bytes needed for the hash, 40 given"));
	free(err);
}

static void
test_crypt_hash_is_reproduced_by_mkpasswd(void **state)
{
	char	 h[PW_HASH_MAX], cmd[PW_HASH_MAX + 128];
	char	*cli;

	(void)state;
	assert_int_equal(pwhash_crypt("0penHAB pass", h, sizeof(h)), 0);
	assert_memory_equal(h, "$y$", 3);
	/* The setting, "$y$PARAMS$SALT", is everything up to the last '$'. */
	snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '0penHAB pass' | "
	    "mkpasswd -m yescrypt -s -S '%.*s'",
	    (int)(strrchr(h, '$') - h), h);
	cli = run(cmd);
	assert_string_equal(cli, h);
	free(cli);
}

static void
test_crypt_verifies_hash_from_mkpasswd(void **state)
{
	char	*h;

	(void)state;
	h = run("printf '%s\\n' 'apollo pw' | mkpasswd -m yescrypt -s");
	assert_int_equal(pwhash_verify_crypt(h, "apollo pw"), 1);
	free(h);
}

static void
test_crypt_refuses_wrong_password(void **state)
{
	char	h[PW_HASH_MAX];

	(void)state;
	assert_int_equal(pwhash_crypt("right", h, sizeof(h)), 0);
	assert_int_equal(pwhash_verify_crypt(h, "wrong"), 0);
	assert_int_equal(pwhash_verify_crypt(h, "right"), 1);
}

static void
test_crypt_salts_differ(void **state)
{
	char	a[PW_HASH_MAX], b[PW_HASH_MAX];

	(void)state;
	assert_int_equal(pwhash_crypt("same", a, sizeof(a)), 0);
	assert_int_equal(pwhash_crypt("same", b, sizeof(b)), 0);
	assert_string_not_equal(a, b);
}

static void
test_crypt_locked_hashes_never_match_quietly(void **state)
{
	static const char *const locked[] = {
		"!", "*", "!!", "",
		"!$y$j9T$pm2YHXAslP70RypYxipt2/"
		    "$IAKm6wZvNmU7FG410cEuqBUYx8dHYaT02jVl43ssAaD",
	};
	char	*err;
	size_t	 i;

	(void)state;
	capture_begin(STDERR_FILENO);
	for (i = 0; i < sizeof(locked) / sizeof(locked[0]); i++) {
		assert_int_equal(pwhash_verify_crypt(locked[i], "secret"), -1);
		assert_int_equal(pwhash_verify_crypt(locked[i], ""), -1);
	}
	err = capture_end();
	assert_string_equal(err, "");
	free(err);
}

static void
test_crypt_malformed_hash_is_error(void **state)
{
	char	*err;

	(void)state;
	capture_begin(STDERR_FILENO);
	assert_int_equal(pwhash_verify_crypt("$9$abc", "secret"), -1);
	err = capture_end();
	assert_string_equal(err,
	    "test_pwhash: password hash: unsupported or malformed\n");
	free(err);
}

static void
test_random_has_requested_length(void **state)
{
	char	buf[65];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(pwhash_random(buf, 16), 0);
	assert_int_equal(strlen(buf), 16);
	assert_int_equal(pwhash_random(buf, 64), 0);
	assert_int_equal(strlen(buf), 64);
	assert_int_equal(pwhash_random(buf, 0), 0);
	assert_string_equal(buf, "");
}

static void
test_random_uses_alphabet_without_lookalikes(void **state)
{
	char	buf[10001];

	(void)state;
	assert_int_equal(pwhash_random(buf, sizeof(buf) - 1), 0);
	assert_int_equal(strspn(buf, ALPHABET), sizeof(buf) - 1);
	assert_null(strpbrk(buf, LOOKALIKES));
	assert_null(strpbrk(ALPHABET, LOOKALIKES));
}

/*
 * Every character appears, and the counts pass a chi-square test (49
 * degrees of freedom; 120 is about seven standard deviations out).  Plain
 * modulo of a byte would give the first six characters 6/5 their share:
 * a chi-square in the thousands.
 */
static void
test_random_is_uniform_over_alphabet(void **state)
{
	enum { DRAWS = 100000 };
	const size_t	 k = sizeof(ALPHABET) - 1;
	size_t		 count[sizeof(ALPHABET) - 1] = { 0 };
	double		 expect = (double)DRAWS / k, chi2 = 0, d;
	char		*buf;
	size_t		 i;

	(void)state;
	assert_non_null(buf = malloc(DRAWS + 1));
	assert_int_equal(pwhash_random(buf, DRAWS), 0);
	for (i = 0; i < DRAWS; i++)
		count[strchr(ALPHABET, buf[i]) - ALPHABET]++;
	for (i = 0; i < k; i++) {
		assert_true(count[i] > 0);
		d = count[i] - expect;
		chi2 += d * d / expect;
	}
	assert_true(chi2 < 120);
	free(buf);
}

static void
test_equal_matches_identical_strings(void **state)
{
	(void)state;
	assert_int_equal(pwhash_equal("secret", "secret"), 1);
	assert_int_equal(pwhash_equal("", ""), 1);
}

static void
test_equal_refuses_different_content(void **state)
{
	(void)state;
	assert_int_equal(pwhash_equal("secret", "secreT"), 0);
	assert_int_equal(pwhash_equal("Secret", "secret"), 0);
}

static void
test_equal_refuses_prefix(void **state)
{
	(void)state;
	assert_int_equal(pwhash_equal("secret", "secret1"), 0);
	assert_int_equal(pwhash_equal("secret1", "secret"), 0);
	assert_int_equal(pwhash_equal("", "x"), 0);
}

/* pwhash_policy's verdict on PW: WANT in WHY, the password not in it. */
static void
assert_policy(const char *pw, const char *cur, const char *user,
    const char *factory, long min, const char *want)
{
	char	why[128];

	memset(why, 'x', sizeof(why));
	assert_int_equal(pwhash_policy(pw, cur, user, factory, min, why,
	    sizeof(why)), want[0] == '\0' ? 0 : EX_DATAERR);
	assert_string_equal(why, want);
	if (pw[0] != '\0')
		assert_null(strstr(why, pw));
}

static void
test_policy_accepts_good_password(void **state)
{
	(void)state;
	assert_policy("Kq7#mPx9vL2!", "old password", "apollo",
	    "factory1234", 10, "");
	assert_policy("Kq7#mPx9vL2!", NULL, NULL, NULL, 10, "");
}

static void
test_policy_refuses_short_password(void **state)
{
	(void)state;
	assert_policy("Kq7#mPx9v", NULL, NULL, NULL, 10,
	    "shorter than 10 characters");
	assert_policy("", NULL, NULL, NULL, 8, "shorter than 8 characters");
}

static void
test_policy_counts_characters_not_bytes(void **state)
{
	(void)state;
	/* Nine two-byte characters: 18 bytes, still too short. */
	assert_policy("\xc3\xa4\xc3\xb6\xc3\xbc\xc3\xa4\xc3\xb6\xc3\xbc"
	    "\xc3\xa4\xc3\xb6\xc3\xbc", NULL, NULL, NULL, 10,
	    "shorter than 10 characters");
	/* Ten of them pass. */
	assert_policy("\xc3\xa4\xc3\xb6\xc3\xbc\xc3\xa4\xc3\xb6\xc3\xbc"
	    "\xc3\xa4\xc3\xb6\xc3\xbc\xc3\x9f", NULL, NULL, NULL, 10, "");
}

static void
test_policy_refuses_password_over_256_bytes(void **state)
{
	char	pw[PW_MAX + 2];

	(void)state;
	memset(pw, 'k', PW_MAX);
	pw[PW_MAX] = '\0';
	assert_policy(pw, NULL, NULL, NULL, 10, "");
	pw[PW_MAX] = 'k';
	pw[PW_MAX + 1] = '\0';
	assert_policy(pw, NULL, NULL, NULL, 10, "longer than 256 bytes");
}

static void
test_policy_refuses_current_password(void **state)
{
	(void)state;
	assert_policy("Kq7#mPx9vL2!", "Kq7#mPx9vL2!", "apollo", NULL, 10,
	    "the same as the current password");
}

static void
test_policy_refuses_user_name_in_any_case(void **state)
{
	(void)state;
	assert_policy("ApolloAdmin", NULL, "apolloadmin", NULL, 10,
	    "the same as the user name");
	assert_policy("apolloadmin", NULL, "apolloadmin", NULL, 10,
	    "the same as the user name");
}

static void
test_policy_refuses_factory_password(void **state)
{
	(void)state;
	assert_policy("factory1234", "old password", "apollo", "factory1234",
	    10, "the same as the factory password");
	assert_policy("Factory1234", NULL, NULL, "factory1234", 10, "");
}

static void
test_policy_reports_first_rule_broken(void **state)
{
	(void)state;
	/* Short and the user name: the length is reported. */
	assert_policy("apollo", "apollo", "apollo", "apollo", 10,
	    "shorter than 10 characters");
	/* Current, user and factory at once: the current password. */
	assert_policy("apolloadmin", "apolloadmin", "apolloadmin",
	    "apolloadmin", 10, "the same as the current password");
	assert_policy("apolloadmin", NULL, "apolloadmin", "apolloadmin", 10,
	    "the same as the user name");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_argon2id_hash_is_reproduced_by_argon2_cli),
		cmocka_unit_test(
		    test_argon2id_default_cost_is_reproduced_by_argon2_cli),
		cmocka_unit_test(test_argon2id_verifies_hash_from_argon2_cli),
		cmocka_unit_test(test_argon2id_refuses_wrong_password),
		cmocka_unit_test(test_argon2id_params_travel_in_the_string),
		cmocka_unit_test(test_argon2id_salts_differ),
		cmocka_unit_test(test_argon2id_verify_refuses_other_hash_kinds),
		cmocka_unit_test(test_argon2id_verify_malformed_hash_is_error),
		cmocka_unit_test(test_argon2id_hash_refuses_short_buffer),
		cmocka_unit_test(test_crypt_hash_is_reproduced_by_mkpasswd),
		cmocka_unit_test(test_crypt_verifies_hash_from_mkpasswd),
		cmocka_unit_test(test_crypt_refuses_wrong_password),
		cmocka_unit_test(test_crypt_salts_differ),
		cmocka_unit_test(test_crypt_locked_hashes_never_match_quietly),
		cmocka_unit_test(test_crypt_malformed_hash_is_error),
		cmocka_unit_test(test_random_has_requested_length),
		cmocka_unit_test(test_random_uses_alphabet_without_lookalikes),
		cmocka_unit_test(test_random_is_uniform_over_alphabet),
		cmocka_unit_test(test_equal_matches_identical_strings),
		cmocka_unit_test(test_equal_refuses_different_content),
		cmocka_unit_test(test_equal_refuses_prefix),
		cmocka_unit_test(test_policy_accepts_good_password),
		cmocka_unit_test(test_policy_refuses_short_password),
		cmocka_unit_test(test_policy_counts_characters_not_bytes),
		cmocka_unit_test(test_policy_refuses_password_over_256_bytes),
		cmocka_unit_test(test_policy_refuses_current_password),
		cmocka_unit_test(test_policy_refuses_user_name_in_any_case),
		cmocka_unit_test(test_policy_refuses_factory_password),
		cmocka_unit_test(test_policy_reports_first_rule_broken),
	};

	log_init("test_pwhash");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
