/*
 * Unit tests for lib/conf.c: defaults, every error class with its exact
 * message, and confedit_set keeping every other byte of the file.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <limits.h>
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

#include "conf.h"
#include "confedit.h"
#include "log.h"
#include "util.h"

/* The state of each test is its scratch directory. */
static int
setup(void **state)
{
	return (*state = tmpdir_new("test_conf")) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	return tmpdir_free(*state);
}

/* security.conf in the scratch directory. */
static const char *
conf_of(void **state)
{
	static char	conf[PATH_MAX];

	snprintf(conf, sizeof(conf), "%s/security.conf", (char *)*state);
	return conf;
}

static void
put_file(const char *path, const char *text, size_t len, mode_t mode)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static const char *
put_conf(void **state, const char *text)
{
	put_file(conf_of(state), text, strlen(text), 0644);
	return conf_of(state);
}

static void
assert_file(const char *path, const char *text)
{
	char	*got;

	got = slurp(path);
	assert_string_equal(got, text);
	free(got);
}

/* "test_conf: FILE" + WHAT + "\n" must be the one line logged. */
static void
assert_logged(char *got, const char *file, const char *what)
{
	char	want[PATH_MAX + 1024];

	snprintf(want, sizeof(want), "test_conf: %s%s\n", file, what);
	assert_string_equal(got, want);
	free(got);
}

static struct ss_conf *
load_ok(void **state, const char *text)
{
	struct ss_conf	*c;

	assert_int_equal(conf_load(put_conf(state, text), &c), 0);
	assert_non_null(c);
	return c;
}

/* TEXT must be refused with WHAT ("FILE" + WHAT is the message). */
static void
assert_load_fails(void **state, const char *text, const char *what)
{
	struct ss_conf	*c = (struct ss_conf *)1;
	const char	*path;

	path = put_conf(state, text);
	capture_begin(STDERR_FILENO);
	assert_int_equal(conf_load(path, &c), EX_CONFIG);
	assert_logged(capture_end(), path, what);
	assert_null(c);
}

static void
short_hostname(char *buf, size_t len)
{
	assert_int_equal(gethostname(buf, len), 0);
	buf[len - 1] = '\0';
	buf[strcspn(buf, ".")] = '\0';
}

static void
test_defaults_when_keys_absent(void **state)
{
	struct ss_conf	*c;
	char		 host[256];
	char *const	*list;

	c = load_ok(state, "; nothing set\n[device]\n\n[certs]\n");
	short_hostname(host, sizeof(host));
	assert_string_equal(c->device.hostname, host);
	assert_string_equal(c->device.hostname, host);
	assert_string_equal(c->device.domain, "");
	assert_string_equal(c->fqdn, host);
	assert_string_equal(c->device.state_dir,
	    "/var/lib/ss");
	assert_non_null(list = c->device.addresses);
	assert_null(list[0]);
	assert_string_equal(c->certs.dir,
	    "/var/apollo/data/certs");
	assert_string_equal(c->certs.key_type, "ec256");
	assert_int_equal(c->certs.self_days, 3650);
	assert_int_equal(c->certs.renew_days, 30);
	assert_int_equal(c->certs.dhparam_bits, 2048);
	assert_false(conf_isset(c, CONF_KEY(certs, renew_days)));
	assert_false(conf_isset(c, CONF_KEY(device, hostname)));
	conf_free(c);
}

static void
test_empty_file_is_all_defaults(void **state)
{
	struct ss_conf	*c;

	c = load_ok(state, "");
	assert_int_equal(c->certs.renew_days, 30);
	assert_string_equal(c->file, conf_of(state));
	conf_free(c);
}

static void
test_values_from_file(void **state)
{
	struct ss_conf	*c;

	c = load_ok(state,
	    "[device]\n"
	    "hostname = smartserver-1\n"
	    "domain = example.net\n"
	    "state_dir = /data/ss\n"
	    "\n"
	    "[certs]\n"
	    "dir = /data/certs\n"
	    "key_type = rsa3072\n"
	    "self_days = 1\n"
	    "renew_days = 0\n"
	    "dhparam_bits = 8192\n");
	assert_string_equal(c->device.hostname, "smartserver-1");
	assert_string_equal(c->device.state_dir, "/data/ss");
	assert_string_equal(c->certs.dir, "/data/certs");
	assert_string_equal(c->certs.key_type, "rsa3072");
	assert_int_equal(c->certs.self_days, 1);
	assert_int_equal(c->certs.renew_days, 0);
	assert_int_equal(c->certs.dhparam_bits, 8192);
	assert_true(conf_isset(c, CONF_KEY(certs, renew_days)));
	assert_false(conf_isset(c, CONF_KEY(device, addresses)));
	conf_free(c);
}

static void
test_fqdn_joins_hostname_and_domain(void **state)
{
	struct ss_conf	*c;

	c = load_ok(state,
	    "[device]\nhostname = box\ndomain = dyn.example.org\n");
	assert_string_equal(c->fqdn, "box.dyn.example.org");
	conf_free(c);
}

static void
test_list_items_trimmed_and_empty_dropped(void **state)
{
	struct ss_conf	*c;
	char *const	*list;

	c = load_ok(state, "[device]\n"
	    "addresses = 10.0.0.1, ,fd00::1 ,, 192.168.1.20 ,\n");
	assert_non_null(list = c->device.addresses);
	assert_string_equal(list[0], "10.0.0.1");
	assert_string_equal(list[1], "fd00::1");
	assert_string_equal(list[2], "192.168.1.20");
	assert_null(list[3]);
	conf_free(c);
}

static void
test_indented_line_is_a_key_of_its_own(void **state)
{
	struct ss_conf	*c;

	c = load_ok(state, "[certs]\ndir = /data/certs\n\trenew_days = 14\n");
	assert_string_equal(c->certs.dir, "/data/certs");
	assert_int_equal(c->certs.renew_days, 14);
	conf_free(c);
}

static void
test_inline_comment_is_not_part_of_value(void **state)
{
	struct ss_conf	*c;

	c = load_ok(state, "[certs] ; certificates\n"
	    "renew_days = 14 ; two weeks\n"
	    "dir = /data/a;b\n");
	assert_int_equal(c->certs.renew_days, 14);
	/* Only "; " after a blank starts a comment, as in inih. */
	assert_string_equal(c->certs.dir, "/data/a;b");
	conf_free(c);
}

static void
test_crlf_lines_are_read(void **state)
{
	struct ss_conf	*c;

	c = load_ok(state, "[certs]\r\nrenew_days = 7\r\n");
	assert_int_equal(c->certs.renew_days, 7);
	conf_free(c);
}

static void
test_line_of_198_characters_is_accepted(void **state)
{
	struct ss_conf	*c;
	char		 text[256];

	/* "dir = /" and 191 more characters. */
	snprintf(text, sizeof(text), "[certs]\ndir = /%0191d\n", 0);
	assert_int_equal(strlen(strchr(text, '\n') + 1), 199);
	c = load_ok(state, text);
	assert_int_equal(strlen(c->certs.dir), 192);
	conf_free(c);
}

static void
test_line_of_199_characters_is_too_long(void **state)
{
	char	text[256];

	snprintf(text, sizeof(text), "[certs]\ndir = /%0192d\n", 0);
	assert_load_fails(state, text,
	    ":2: line too long (more than 198 characters)");
}

static void
test_unknown_section(void **state)
{
	assert_load_fails(state, "[device]\nhostname = box\n\n[foo]\n",
	    ":4: unknown section [foo]");
}

static void
test_misspelt_section_gets_a_suggestion(void **state)
{
	assert_load_fails(state, "[device]\nhostname = box\n\n[cert]\n",
	    ":4: unknown section [cert]; did you mean [certs]?");
}

static void
test_unknown_key(void **state)
{
	assert_load_fails(state, "[certs]\nfrobnicate = 30\n",
	    ":2: unknown key 'frobnicate' in [certs]");
}

static void
test_misspelt_key_gets_a_suggestion(void **state)
{
	assert_load_fails(state, "[certs]\nrenew_dayz = 30\n",
	    ":2: unknown key 'renew_dayz' in [certs]; did you mean "
	    "'renew_days'?");
}

static void
test_key_in_wrong_section_names_its_section(void **state)
{
	assert_load_fails(state, "[device]\nrenew_days = 30\n",
	    ":2: unknown key 'renew_days' in [device]; it belongs in [certs]");
}

static void
test_key_of_several_sections_names_them_all(void **state)
{
	assert_load_fails(state, "[certs]\nca_file = /ca.pem\n",
	    ":2: unknown key 'ca_file' in [certs]; it belongs in [acme], "
	    "[ddns] or [smtp]");
}

static void
test_misspelt_key_of_another_section_names_it(void **state)
{
	assert_load_fails(state, "[certs]\nwebrot = /var/www\n",
	    ":2: unknown key 'webrot' in [certs]; did you mean 'webroot' in "
	    "[acme]?");
}

static void
test_key_of_this_section_is_suggested_first(void **state)
{
	/* http_port is in [nginx] and [openhab]; https_port too. */
	assert_load_fails(state, "[nginx]\nhttps_prot = 8443\n",
	    ":2: unknown key 'https_prot' in [nginx]; did you mean "
	    "'https_port'?");
}

static void
test_not_a_number(void **state)
{
	assert_load_fails(state, "[certs]\nrenew_days = abc\n",
	    ":2: renew_days: 'abc' is not a number");
}

static void
test_bad_boolean(void **state)
{
	assert_load_fails(state, "[acme]\nagree_tos = maybe\n",
	    ":2: agree_tos: 'maybe' is not a boolean (yes/no, true/false, "
	    "on/off, 1/0)");
}

static void
test_booleans_in_every_spelling(void **state)
{
	struct ss_conf	*c;
	const char	*const yes[] = { "yes", "TRUE", "On", "1" };
	const char	*const no[] = { "no", "False", "OFF", "0" };
	char		 text[64];
	size_t		 i;

	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "[acme]\nagree_tos = %s\n",
		    yes[i]);
		c = load_ok(state, text);
		assert_int_equal(c->acme.agree_tos, 1);
		conf_free(c);
		snprintf(text, sizeof(text), "[acme]\nagree_tos = %s\n", no[i]);
		c = load_ok(state, text);
		assert_int_equal(c->acme.agree_tos, 0);
		conf_free(c);
	}
}

static void
test_number_with_trailing_junk(void **state)
{
	assert_load_fails(state, "[certs]\nrenew_days = 30d\n",
	    ":2: renew_days: '30d' is not a number");
}

static void
test_hex_number_is_not_decimal(void **state)
{
	assert_load_fails(state, "[certs]\nrenew_days = 0x1e\n",
	    ":2: renew_days: '0x1e' is not a number");
}

static void
test_empty_number(void **state)
{
	assert_load_fails(state, "[certs]\nrenew_days =\n",
	    ":2: renew_days: '' is not a number");
}

static void
test_number_out_of_range(void **state)
{
	assert_load_fails(state, "[certs]\nrenew_days = 900\n",
	    ":2: renew_days: 900 is out of range (0-365)");
}

static void
test_negative_number_out_of_range(void **state)
{
	assert_load_fails(state, "[certs]\nself_days = -1\n",
	    ":2: self_days: -1 is out of range (1-36500)");
}

static void
test_number_overflow_is_out_of_range(void **state)
{
	assert_load_fails(state, "[certs]\nrenew_days = 99999999999999999999\n",
	    ":2: renew_days: 99999999999999999999 is out of range (0-365)");
}

static void
test_bad_enum_lists_allowed_values(void **state)
{
	assert_load_fails(state, "[certs]\nkey_type = ec521\n",
	    ":2: key_type: 'ec521' is not one of ec256, ec384, rsa2048, "
	    "rsa3072, rsa4096");
}

static void
test_relative_path(void **state)
{
	assert_load_fails(state, "[certs]\ndir = data/certs\n",
	    ":2: dir: 'data/certs' is not an absolute path");
}

static void
test_bad_ip_address(void **state)
{
	assert_load_fails(state, "[device]\naddresses = 10.0.0.1, 10.0.0.300\n",
	    ":2: addresses: '10.0.0.300' is not an IP address");
}

static void
test_bad_hostname(void **state)
{
	assert_load_fails(state, "[device]\nhostname = smart_server\n",
	    ":2: hostname: 'smart_server' is not a host name (1-63 letters, "
	    "digits or '-', not starting or ending with '-')");
}

static void
test_hostname_with_dot(void **state)
{
	assert_load_fails(state, "[device]\nhostname = box.example.net\n",
	    ":2: hostname: 'box.example.net' is not a host name (1-63 "
	    "letters, digits or '-', not starting or ending with '-')");
}

static void
test_bad_dns_name(void **state)
{
	assert_load_fails(state, "[device]\ndomain = example..net\n",
	    ":2: domain: 'example..net' is not a DNS name");
}

static void
test_proxy_forms_are_accepted(void **state)
{
	static const char *const good[] = {
		"http://proxy.example.net:3128", "http://10.0.0.1:8080/",
		"http://[fd00::1]:3128", "http://proxy.example.net", "", NULL };
	const char *const	*p;
	struct ss_conf		*c;
	char			 text[256];

	for (p = good; *p != NULL; p++) {
		snprintf(text, sizeof(text), "[device]\nproxy = %s\n", *p);
		c = load_ok(state, text);
		assert_string_equal(c->device.proxy, *p);
		conf_free(c);
	}
}

static void
test_proxy_default_is_empty(void **state)
{
	struct ss_conf	*c;

	c = load_ok(state, "[device]\n");
	assert_string_equal(c->device.proxy, "");
	conf_free(c);
}

static void
test_proxy_that_is_not_an_http_url_is_refused(void **state)
{
	static const char *const bad[] = {
		"proxy.example.net:3128", "https://proxy.example.net:3128",
		"socks5h://proxy.example.net:1080", "http://", "http://:3128",
		"http://proxy.example.net:0", "http://proxy.example.net:65536",
		"http://proxy.example.net:31x8", "http://proxy.example.net:",
		"http://proxy.example.net/path", "http://proxy..net:3128",
		"http://[10.0.0.1]:3128", "http://[fd00::1:3128",
		"http://[proxy.example.net]:3128", "http://fd00::1",
		"http://proxy.example.net:3128?x", NULL };
	const char *const	*p;
	char			 text[256], what[256];

	for (p = bad; *p != NULL; p++) {
		snprintf(text, sizeof(text), "[device]\nproxy = %s\n", *p);
		snprintf(what, sizeof(what),
		    ":2: proxy: '%s' is not http://HOST[:PORT]", *p);
		assert_load_fails(state, text, what);
	}
}

/* The password would be a secret in the file: refused, never repeated. */
static void
test_proxy_credentials_are_refused_and_not_repeated(void **state)
{
	static const char *const bad[] = {
		"http://user:s3cret@proxy.example.net:3128",
		"https://user:s3cret@proxy.example.net:3128",
		"user:s3cret@proxy.example.net", NULL };
	const char *const	*p;
	char			 text[256];

	for (p = bad; *p != NULL; p++) {
		snprintf(text, sizeof(text), "[device]\nproxy = %s\n", *p);
		assert_load_fails(state, text, ":2: proxy: a user name or "
		    "password does not belong in this file; a proxy that needs "
		    "them can come from https_proxy in the environment");
	}
}

static void
test_duplicate_key(void **state)
{
	assert_load_fails(state, "[certs]\n; where\ndir = /a\ndir = /b\n",
	    ":4: duplicate key 'dir' in [certs] (first set on line 3)");
}

static void
test_duplicate_key_in_repeated_section(void **state)
{
	assert_load_fails(state,
	    "[certs]\nrenew_days = 1\n[device]\n[certs]\nrenew_days = 2\n",
	    ":5: duplicate key 'renew_days' in [certs] (first set on line 2)");
}

static void
test_key_before_any_section(void **state)
{
	assert_load_fails(state, "hostname = box\n[device]\n",
	    ":1: key 'hostname' before any [section]");
}

static void
test_line_without_equals_is_syntax_error(void **state)
{
	assert_load_fails(state, "[certs]\ndir /data/certs\n",
	    ":2: syntax error: expected 'key = value' or '[section]'");
}

static void
test_section_without_bracket_is_syntax_error(void **state)
{
	assert_load_fails(state, "[device]\nhostname = box\n[certs\n",
	    ":3: syntax error: expected 'key = value' or '[section]'");
}

static void
test_nul_byte_is_refused(void **state)
{
	struct ss_conf	*c = NULL;
	const char	*path = conf_of(state);

	put_file(path, "[certs]\ndir = /a\0b\n", 18, 0644);
	capture_begin(STDERR_FILENO);
	assert_int_equal(conf_load(path, &c), EX_CONFIG);
	assert_logged(capture_end(), path, ":2: NUL byte in line");
	assert_null(c);
}

static void
test_first_error_only_syntax_first(void **state)
{
	assert_load_fails(state, "[certs]\ndir /a\nrenew_days = x\nfoo = 1\n",
	    ":2: syntax error: expected 'key = value' or '[section]'");
}

static void
test_first_error_only_value_first(void **state)
{
	assert_load_fails(state, "[certs]\nrenew_days = x\ndir /a\n[foo]\n",
	    ":2: renew_days: 'x' is not a number");
}

static void
test_missing_file(void **state)
{
	struct ss_conf	*c = NULL;
	const char	*path = conf_of(state);

	capture_begin(STDERR_FILENO);
	assert_int_equal(conf_load(path, &c), EX_CONFIG);
	assert_logged(capture_end(), path,
	    ": no such file; see security.conf(5) and the example in "
	    CONF_EXAMPLE_PATH);
	assert_null(c);
}

static void
test_example_path_is_the_installed_one(void **state)
{
	(void)state;
	assert_string_equal(CONF_EXAMPLE_PATH + strlen(CONF_EXAMPLE_PATH) -
	    strlen("/share/ss-security/security.conf.example"),
	    "/share/ss-security/security.conf.example");
}

static void
test_directory_as_file_is_not_missing(void **state)
{
	struct ss_conf	*c = NULL;
	const char	*path = conf_of(state);

	assert_int_equal(mkdir(path, 0755), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(conf_load(path, &c), EX_CONFIG);
	assert_logged(capture_end(), path, ": not a regular file");
	assert_null(c);
}

static void
test_conf_path_option_wins(void **state)
{
	(void)state;
	assert_int_equal(setenv("SS_CONFIG", "/env/security.conf", 1), 0);
	assert_string_equal(conf_path("/opt/security.conf"),
	    "/opt/security.conf");
	unsetenv("SS_CONFIG");
}

static void
test_conf_path_environment_over_default(void **state)
{
	(void)state;
	assert_int_equal(setenv("SS_CONFIG", "/env/security.conf", 1), 0);
	assert_string_equal(conf_path(NULL), "/env/security.conf");
	unsetenv("SS_CONFIG");
}

static void
test_conf_path_empty_environment_is_default(void **state)
{
	(void)state;
	assert_int_equal(setenv("SS_CONFIG", "", 1), 0);
	assert_string_equal(conf_path(NULL), CONF_DEFAULT_PATH);
	unsetenv("SS_CONFIG");
	assert_string_equal(conf_path(NULL), CONF_DEFAULT_PATH);
}

/*
 * A file with comments, blanks and tabs everywhere; confedit_set must change
 * only what it sets: the line ADDED to [device], DIR or RENEW.
 */
#define COMMENTED(added, dir, renew)					\
    "; security.conf for the lab box\n"					\
    "[device]\n"							\
    "hostname = box   ; label name\n"					\
    added								\
    "\n"								\
    "[certs]\n"								\
    "\tdir   =  " dir "\t; where the certs live\n"			\
    "renew_days=" renew "\n"						\
    "; self_days = 90\n"						\
    "\n"								\
    "; the end\n"

static const char commented[] = COMMENTED("", "/data/certs", "30");

static void
test_set_replaces_value_keeping_comments(void **state)
{
	const char	*path = put_conf(state, commented);

	assert_int_equal(confedit_set(path, "certs", "dir", "/srv/certs"), 0);
	assert_file(path, COMMENTED("", "/srv/certs", "30"));
}

static void
test_set_replaces_value_without_blanks(void **state)
{
	const char	*path = put_conf(state, commented);

	assert_int_equal(confedit_set(path, "certs", "renew_days", "14"), 0);
	assert_file(path, COMMENTED("", "/data/certs", "14"));
}

static void
test_set_fills_empty_value_before_comment(void **state)
{
	const char	*path;

	path = put_conf(state, "[device]\ndomain = ; DDNS zone\n");
	assert_int_equal(confedit_set(path, "device", "domain",
	    "example.net"), 0);
	assert_file(path, "[device]\ndomain = example.net ; DDNS zone\n");
}

static void
test_set_inserts_after_last_line_of_section(void **state)
{
	const char	*path = put_conf(state, commented);

	assert_int_equal(confedit_set(path, "device", "domain",
	    "example.net"), 0);
	assert_file(path,
	    COMMENTED("domain = example.net\n", "/data/certs", "30"));
}

static void
test_set_inserts_into_last_section_before_trailing_blank(void **state)
{
	const char	*path;

	path = put_conf(state, "[certs]\ndir = /a\n\n\n");
	assert_int_equal(confedit_set(path, "certs", "self_days", "90"), 0);
	assert_file(path, "[certs]\ndir = /a\nself_days = 90\n\n\n");
}

static void
test_set_inserts_after_section_without_final_newline(void **state)
{
	const char	*path;

	path = put_conf(state, "[certs]");
	assert_int_equal(confedit_set(path, "certs", "renew_days", "1"), 0);
	assert_file(path, "[certs]\nrenew_days = 1\n");
}

static void
test_set_appends_missing_section(void **state)
{
	const char	*path;

	path = put_conf(state, "[device]\nhostname = box ; x\n");
	assert_int_equal(confedit_set(path, "certs", "key_type", "ec384"), 0);
	assert_file(path, "[device]\nhostname = box ; x\n"
	    "\n[certs]\nkey_type = ec384\n");
}

static void
test_set_appends_to_file_without_final_newline(void **state)
{
	const char	*path;

	path = put_conf(state, "[device]\nhostname = box");
	assert_int_equal(confedit_set(path, "certs", "renew_days", "10"), 0);
	assert_file(path, "[device]\nhostname = box\n"
	    "\n[certs]\nrenew_days = 10\n");
}

static void
test_set_creates_missing_file(void **state)
{
	const char	*path = conf_of(state);
	struct stat	 st;

	assert_int_equal(confedit_set(path, "device", "hostname", "box"), 0);
	assert_file(path, "[device]\nhostname = box\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

static void
test_set_keeps_file_mode(void **state)
{
	const char	*path = put_conf(state, commented);
	struct stat	 st;

	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(confedit_set(path, "certs", "renew_days", "20"), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
}

static void
test_set_same_value_does_not_rewrite(void **state)
{
	const char	*path = put_conf(state, commented);
	struct stat	 before, after;

	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(confedit_set(path, "certs", "renew_days", "30"), 0);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_file(path, commented);
}

static void
test_set_fixes_bad_value_of_same_key(void **state)
{
	const char	*path;

	path = put_conf(state, "[certs]\nrenew_days = 900\n");
	assert_int_equal(confedit_set(path, "certs", "renew_days", "30"), 0);
	assert_file(path, "[certs]\nrenew_days = 30\n");
}

/* confedit_set must fail with WHAT and leave the file byte for byte as is. */
static void
assert_set_fails(void **state, const char *section, const char *key,
    const char *value, const char *what)
{
	const char	*path = put_conf(state, commented);
	struct stat	 before, after;

	assert_int_equal(stat(path, &before), 0);
	capture_begin(STDERR_FILENO);
	assert_int_equal(confedit_set(path, section, key, value), EX_CONFIG);
	assert_logged(capture_end(), path, what);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_file(path, commented);
}

static void
test_set_unknown_key_leaves_file_identical(void **state)
{
	assert_set_fails(state, "certs", "renew_dayz", "30",
	    ": unknown key 'renew_dayz' in [certs]");
}

static void
test_set_unknown_section_leaves_file_identical(void **state)
{
	assert_set_fails(state, "cert", "dir", "/x",
	    ": unknown section [cert]");
}

static void
test_set_bad_value_leaves_file_identical(void **state)
{
	assert_set_fails(state, "certs", "renew_days", "900",
	    ": renew_days: 900 is out of range (0-365)");
}

static void
test_set_value_with_newline_leaves_file_identical(void **state)
{
	assert_set_fails(state, "certs", "dir", "/x\nrenew_days = 1",
	    ": dir: control character in value");
}

static void
test_set_value_that_reads_back_differently_is_refused(void **state)
{
	assert_set_fails(state, "certs", "dir", "/x ;y",
	    ": dir: '/x ;y' would not read back the same (blanks around it, "
	    "or ' ;' which starts a comment)");
}

static void
test_set_refuses_file_with_other_error(void **state)
{
	const char	*path;
	static const char text[] = "[certs]\nrenew_dayz = 3\n";

	path = put_conf(state, text);
	capture_begin(STDERR_FILENO);
	assert_int_equal(confedit_set(path, "certs", "renew_days", "3"),
	    EX_CONFIG);
	assert_logged(capture_end(), path,
	    ":2: unknown key 'renew_dayz' in [certs]; did you mean "
	    "'renew_days'?");
	assert_file(path, text);
}

static void
test_set_leaves_only_file_and_lock(void **state)
{
	const char	*path = put_conf(state, commented);
	DIR		*dp;
	struct dirent	*de;
	int		 n = 0;

	assert_int_equal(confedit_set(path, "certs", "renew_days", "5"), 0);
	assert_non_null(dp = opendir(*state));
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		assert_true(strcmp(de->d_name, "security.conf") == 0 ||
		    strcmp(de->d_name, ".security.conf.lock") == 0);
		n++;
	}
	closedir(dp);
	assert_int_equal(n, 2);
}

static void
test_ddns_name_sections_in_order_with_their_own_defaults(void **state)
{
	struct ss_conf	*c;

	c = load_ok(state, "[device]\nhostname = box\ndomain = example.net\n"
	    "[ddns]\nusername = dev\nttl = 300\nserver = https://a.example\n"
	    "[ddns:GW.Customer.example]\nprotocol = rfc2136\n"
	    "server = ns1.example:5353\ntsig_key_file = /etc/ss/gw.key\n"
	    "[ddns:alias.example.net]\nserver = https://b.example\n"
	    "username = alias\n");
	assert_int_equal(c->nnames, 2);
	assert_string_equal(c->names[0].fqdn, "gw.customer.example");
	assert_int_equal(c->names[0].line, 8);
	assert_string_equal(c->names[0].protocol, "rfc2136");
	assert_string_equal(c->names[0].server, "ns1.example:5353");
	assert_string_equal(c->names[0].tsig_key_file, "/etc/ss/gw.key");
	/* not [ddns]'s: each key not set has its default */
	assert_string_equal(c->names[0].username, "");
	assert_int_equal(c->names[0].ttl, 60);
	assert_string_equal(c->names[1].fqdn, "alias.example.net");
	assert_string_equal(c->names[1].protocol, "dyndns2");
	assert_string_equal(c->names[1].username, "alias");
	assert_string_equal(c->names[1].password_file, "");
	assert_string_equal(c->ddns.username, "dev");
	conf_free(c);
}

static void
test_no_ddns_name_section_is_no_names(void **state)
{
	struct ss_conf	*c;

	c = load_ok(state, "[ddns]\nenabled = yes\n");
	assert_int_equal(c->nnames, 0);
	assert_null(c->names);
	conf_free(c);
}

static void
test_ddns_name_that_is_not_a_dns_name(void **state)
{
	assert_load_fails(state, "[ddns]\n\n[ddns:gw..example]\n",
	    ":3: [ddns:gw..example]: 'gw..example' is not a fully qualified "
	    "DNS name (labels joined by dots: [ddns:gw.example.net])");
}

static void
test_ddns_name_of_one_label(void **state)
{
	assert_load_fails(state, "[ddns:]\n",
	    ":1: [ddns:]: '' is not a fully qualified DNS name (labels "
	    "joined by dots: [ddns:gw.example.net])");
}

static void
test_ddns_name_section_twice(void **state)
{
	assert_load_fails(state, "[ddns:a.example]\nttl = 60\n"
	    "[ddns:A.Example]\n",
	    ":3: duplicate section [ddns:A.Example] (first on line 1)");
}

static void
test_ddns_name_unknown_key(void **state)
{
	assert_load_fails(state, "[ddns:a.example]\nservr = x\n",
	    ":2: unknown key 'servr' in [ddns:a.example]; did you mean "
	    "'server'?");
	assert_load_fails(state, "[ddns:a.example]\nfrobnicate = x\n",
	    ":2: unknown key 'frobnicate' in [ddns:a.example]");
}

static void
test_ddns_name_global_key_belongs_in_ddns(void **state)
{
	assert_load_fails(state, "[ddns:a.example]\nforce_days = 3\n",
	    ":2: 'force_days' in [ddns:a.example]: it is set in [ddns], once "
	    "for every name");
}

static void
test_ddns_name_duplicate_key(void **state)
{
	assert_load_fails(state, "[ddns:a.example]\nzone = a.example\n"
	    "zone = example\n", ":3: duplicate key 'zone' in [ddns:a.example] "
	    "(first set on line 2)");
}

static void
test_ddns_name_value_checked_as_in_ddns(void **state)
{
	assert_load_fails(state, "[ddns:a.example]\nprotocol = dyndns3\n",
	    ":2: protocol: 'dyndns3' is not one of dyndns2, rfc2136");
}

static void
test_ddns_name_that_is_the_device_name(void **state)
{
	assert_load_fails(state, "[device]\nhostname = box\n"
	    "domain = example.net\n[ddns:box.example.net]\n",
	    ":4: [ddns:box.example.net] is the device's own name "
	    "(hostname.domain): its provider belongs in [ddns]");
}

static void
test_set_ddns_key_goes_into_ddns_not_a_name_section(void **state)
{
	const char	*path;

	path = put_conf(state, "[ddns]\nenabled = yes\n\n"
	    "[ddns:a.example]\nserver = https://a.example\n");
	assert_int_equal(confedit_set(path, "ddns", "server",
	    "https://b.example"), 0);
	assert_file(path, "[ddns]\nenabled = yes\nserver = https://b.example\n"
	    "\n[ddns:a.example]\nserver = https://a.example\n");
}

/* What conf_each() gave, copied. */
#define SEEN_MAX	(CONF_NKEYS + 32)	/* room for two [ddns:FQDN] */
struct seen {
	size_t	n;
	char	section[SEEN_MAX][32];
	char	key[SEEN_MAX][32];
	char	value[SEEN_MAX][256];
	char	file[SEEN_MAX][PATH_MAX];
	int	line[SEEN_MAX];
	int	first[SEEN_MAX];
};

static int
see(const struct conf_setting *s, void *arg)
{
	struct seen	*w = arg;

	assert_true(w->n < SEEN_MAX);
	snprintf(w->section[w->n], sizeof(w->section[0]), "%s", s->section);
	snprintf(w->key[w->n], sizeof(w->key[0]), "%s", s->key);
	snprintf(w->value[w->n], sizeof(w->value[0]), "%s", s->value);
	snprintf(w->file[w->n], sizeof(w->file[0]), "%s",
	    s->file != NULL ? s->file : "(default)");
	w->line[w->n] = s->line;
	w->first[w->n] = s->first;
	w->n++;
	return 0;
}

/* The index of SECTION.KEY in W, failing the test when it is absent. */
static size_t
seen_at(const struct seen *w, const char *section, const char *key)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->section[i], section) == 0 &&
		    strcmp(w->key[i], key) == 0)
			return i;
	fail_msg("[%s] %s not seen", section, key);
	return 0;
}

static struct seen *
each_of(void **state, const char *text)
{
	struct ss_conf	*c;
	struct seen	*w;

	assert_non_null(w = calloc(1, sizeof(*w)));
	c = load_ok(state, text);
	assert_int_equal(conf_each(c, see, w), 0);
	conf_free(c);
	return w;
}

/*
 * Each [ddns:FQDN] follows the sections of the table, in the file's
 * order, its first key marked so that -T prints the section's header,
 * with the file and line of what it sets and the defaults of the rest.
 */
static void
test_each_gives_the_ddns_name_sections_after_the_table(void **state)
{
	struct seen	*w;
	size_t		 i, j;

	w = each_of(state, "[ddns:gw.example.net]\nserver = https://a.test\n"
	    "\n[ddns:b.example.net]\nttl = 300\n");
	assert_true(w->n > CONF_NKEYS);
	assert_int_equal((w->n - CONF_NKEYS) % 2, 0);
	i = seen_at(w, "ddns:gw.example.net", "server");
	assert_string_equal(w->value[i], "https://a.test");
	assert_int_equal(w->line[i], 2);
	assert_string_not_equal(w->file[i], "(default)");
	j = seen_at(w, "ddns:b.example.net", "ttl");
	assert_string_equal(w->value[j], "300");
	assert_int_equal(w->line[j], 5);
	assert_true(j > i);
	assert_string_equal(w->section[CONF_NKEYS], "ddns:gw.example.net");
	assert_true(w->first[CONF_NKEYS]);
	assert_false(w->first[CONF_NKEYS + 1]);
	i = seen_at(w, "ddns:b.example.net", "protocol");
	assert_string_equal(w->value[i], "dyndns2");
	assert_string_equal(w->file[i], "(default)");
	/* the table's own sections: one first key each */
	for (i = 0, j = 0; i < CONF_NKEYS; i++)
		j += w->first[i];
	assert_int_equal(j, 10);
	free(w);
}

static void
test_each_gives_every_key_in_table_order(void **state)
{
	struct seen	*w;

	w = each_of(state, "");
	assert_int_equal(w->n, CONF_NKEYS);
	assert_string_equal(w->section[0], "device");
	assert_string_equal(w->key[0], "hostname");
	assert_int_equal(seen_at(w, "certs", "renew_days"),
	    CONF_KEY(certs, renew_days));
	assert_string_equal(w->section[CONF_NKEYS - 1], "audit");
	free(w);
}

static void
test_each_gives_file_and_line_of_a_set_key(void **state)
{
	struct seen	*w;
	size_t		 i;

	w = each_of(state, "# comment\n[certs]\n\nrenew_days = 10\n");
	i = seen_at(w, "certs", "renew_days");
	assert_string_equal(w->value[i], "10");
	assert_string_equal(w->file[i], conf_of(state));
	assert_int_equal(w->line[i], 4);
	free(w);
}

static void
test_each_marks_a_default(void **state)
{
	struct seen	*w;
	size_t		 i;

	w = each_of(state, "[certs]\nrenew_days = 10\n");
	i = seen_at(w, "certs", "self_days");
	assert_string_equal(w->value[i], "3650");
	assert_string_equal(w->file[i], "(default)");
	assert_int_equal(w->line[i], 0);
	i = seen_at(w, "acme", "email");
	assert_string_equal(w->value[i], "");
	assert_string_equal(w->file[i], "(default)");
	free(w);
}

static void
test_each_gives_the_system_host_name_by_default(void **state)
{
	struct seen	*w;
	char		 host[256];
	size_t		 i;

	short_hostname(host, sizeof(host));
	w = each_of(state, "");
	i = seen_at(w, "device", "hostname");
	assert_string_equal(w->value[i], host);
	assert_string_equal(w->file[i], "(default)");
	free(w);
}

static void
test_each_gives_numbers_and_booleans_as_read(void **state)
{
	struct seen	*w;

	w = each_of(state, "[certs]\nrenew_days = 007\n[acme]\n"
	    "agree_tos = TRUE\n[button]\nactive_low = off\n");
	assert_string_equal(w->value[seen_at(w, "certs", "renew_days")],
	    "7");
	assert_string_equal(w->value[seen_at(w, "acme", "agree_tos")],
	    "yes");
	assert_string_equal(w->value[seen_at(w, "button", "active_low")],
	    "no");
	free(w);
}

static void
test_each_gives_strings_and_lists_as_written(void **state)
{
	struct seen	*w;

	w = each_of(state, "[acme]\ndeploy_hook = systemctl reload nginx, "
	    "mosquitto  ; why\n[ddns]\ncheckip = https://a.test ,, "
	    "https://b.test\n");
	assert_string_equal(w->value[seen_at(w, "acme", "deploy_hook")],
	    "systemctl reload nginx, mosquitto");
	assert_string_equal(w->value[seen_at(w, "ddns", "checkip")],
	    "https://a.test ,, https://b.test");
	free(w);
}

static int
stop_at_third(const struct conf_setting *s, void *arg)
{
	int	*n = arg;

	(void)s;
	return ++*n == 3 ? 42 : 0;
}

static void
test_each_stops_when_told(void **state)
{
	struct ss_conf	*c;
	int		 n = 0;

	c = load_ok(state, "");
	assert_int_equal(conf_each(c, stop_at_third, &n), 42);
	assert_int_equal(n, 3);
	conf_free(c);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults_when_keys_absent),
		T(test_empty_file_is_all_defaults),
		T(test_values_from_file),
		T(test_fqdn_joins_hostname_and_domain),
		T(test_list_items_trimmed_and_empty_dropped),
		T(test_indented_line_is_a_key_of_its_own),
		T(test_inline_comment_is_not_part_of_value),
		T(test_crlf_lines_are_read),
		T(test_line_of_198_characters_is_accepted),
		T(test_line_of_199_characters_is_too_long),
		T(test_unknown_section),
		T(test_misspelt_section_gets_a_suggestion),
		T(test_unknown_key),
		T(test_misspelt_key_gets_a_suggestion),
		T(test_key_in_wrong_section_names_its_section),
		T(test_key_of_several_sections_names_them_all),
		T(test_misspelt_key_of_another_section_names_it),
		T(test_key_of_this_section_is_suggested_first),
		T(test_not_a_number),
		T(test_bad_boolean),
		T(test_booleans_in_every_spelling),
		T(test_number_with_trailing_junk),
		T(test_hex_number_is_not_decimal),
		T(test_empty_number),
		T(test_number_out_of_range),
		T(test_negative_number_out_of_range),
		T(test_number_overflow_is_out_of_range),
		T(test_bad_enum_lists_allowed_values),
		T(test_relative_path),
		T(test_bad_ip_address),
		T(test_bad_hostname),
		T(test_hostname_with_dot),
		T(test_bad_dns_name),
		T(test_proxy_forms_are_accepted),
		T(test_proxy_default_is_empty),
		T(test_proxy_that_is_not_an_http_url_is_refused),
		T(test_proxy_credentials_are_refused_and_not_repeated),
		T(test_duplicate_key),
		T(test_duplicate_key_in_repeated_section),
		T(test_key_before_any_section),
		T(test_line_without_equals_is_syntax_error),
		T(test_section_without_bracket_is_syntax_error),
		T(test_nul_byte_is_refused),
		T(test_first_error_only_syntax_first),
		T(test_first_error_only_value_first),
		T(test_missing_file),
		T(test_example_path_is_the_installed_one),
		T(test_directory_as_file_is_not_missing),
		T(test_conf_path_option_wins),
		T(test_conf_path_environment_over_default),
		T(test_conf_path_empty_environment_is_default),
		T(test_ddns_name_sections_in_order_with_their_own_defaults),
		T(test_no_ddns_name_section_is_no_names),
		T(test_ddns_name_that_is_not_a_dns_name),
		T(test_ddns_name_of_one_label),
		T(test_ddns_name_section_twice),
		T(test_ddns_name_unknown_key),
		T(test_ddns_name_global_key_belongs_in_ddns),
		T(test_ddns_name_duplicate_key),
		T(test_ddns_name_value_checked_as_in_ddns),
		T(test_ddns_name_that_is_the_device_name),
		T(test_set_replaces_value_keeping_comments),
		T(test_set_replaces_value_without_blanks),
		T(test_set_fills_empty_value_before_comment),
		T(test_set_inserts_after_last_line_of_section),
		T(test_set_inserts_into_last_section_before_trailing_blank),
		T(test_set_inserts_after_section_without_final_newline),
		T(test_set_appends_missing_section),
		T(test_set_appends_to_file_without_final_newline),
		T(test_set_creates_missing_file),
		T(test_set_keeps_file_mode),
		T(test_set_same_value_does_not_rewrite),
		T(test_set_fixes_bad_value_of_same_key),
		T(test_set_unknown_key_leaves_file_identical),
		T(test_set_unknown_section_leaves_file_identical),
		T(test_set_bad_value_leaves_file_identical),
		T(test_set_value_with_newline_leaves_file_identical),
		T(test_set_value_that_reads_back_differently_is_refused),
		T(test_set_refuses_file_with_other_error),
		T(test_set_ddns_key_goes_into_ddns_not_a_name_section),
		T(test_set_leaves_only_file_and_lock),
		T(test_each_gives_every_key_in_table_order),
		T(test_each_gives_the_ddns_name_sections_after_the_table),
		T(test_each_gives_file_and_line_of_a_set_key),
		T(test_each_marks_a_default),
		T(test_each_gives_the_system_host_name_by_default),
		T(test_each_gives_numbers_and_booleans_as_read),
		T(test_each_gives_strings_and_lists_as_written),
		T(test_each_stops_when_told),
	};

	log_init("test_conf");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
