#!/bin/bash
# -t checks the configuration and -T prints the effective settings with
# their origin, on every tool; a misspelt key or section gets a
# suggestion, a missing file the way to the manual and the example.
. "$(dirname "$0")/lib.sh"

TOOLS="ss-audit ss-btnwatch ss-cert ss-ddns ss-nginxconf ss-passwd"

# conf_keys: "section.key" of every key of lib/conf_keys.h, in its order,
# from the preprocessor.
conf_keys() {
	printf '%s\n' '#include "conf_keys.h"' \
	    '#define F(s, k, ...) FIELD s.k' \
	    '#define S(s, KEYS) KEYS(F)' 'CONF_SECTIONS(S)' |
	    ${CC:-cc} -E -P -I"$TOP/lib" - | tr ' ' '\n' |
	    awk 'f { print; f = 0 } $0 == "FIELD" { f = 1 }'
}

# shown_keys FILE: "section.key" of every setting of -T's output.
shown_keys() {
	awk '/^\[/ { s = substr($0, 2, length($0) - 2); next }
	    / = / { print s "." $1 }' "$1"
}

# uncommented FILE: -T's output without the origins.
uncommented() {
	sed 's/ ; [^;]*$//' "$1"
}

# snapshot: every file under $T (but run's out and err) with its size and
# mtime, and their contents.
snapshot() {
	(find "$T" -mindepth 1 ! -name out ! -name err \
	    -printf '%p %y %m %s %T@\n' | sort &&
	    find "$T" -type f ! -name out ! -name err -exec sha256sum {} + |
	    sort) | sha256sum
}

test_check_of_a_good_file_says_ok() {
	mkconf
	run 0 "$SS_CERT" -c "$T/security.conf" -t
	has err "^ss-cert: $T/security.conf: configuration OK$"
	[ ! -s out ]
}

test_check_of_a_bad_file_names_file_and_line() {
	mkconf
	echo "renew_days = soon" >>security.conf
	run 78 "$SS_CERT" -c "$T/security.conf" -t
	has err "^ss-cert: $T/security.conf:10: renew_days: 'soon' is not a \
number$"
	lacks err "configuration OK"
}

test_check_reads_ss_config() {
	mkconf
	SS_CONFIG=$T/security.conf run 0 "$SS_CERT" -t
	has err "$T/security.conf: configuration OK"
}

test_check_long_option() {
	mkconf
	run 0 "$SS_CERT" -c "$T/security.conf" --check-config
	has err "$T/security.conf: configuration OK"
}

test_quiet_check_says_nothing() {
	mkconf
	run 0 "$SS_CERT" -q -c "$T/security.conf" -t
	[ ! -s err ] && [ ! -s out ]
}

test_show_of_an_empty_file_gives_every_key_as_default() {
	: >security.conf
	run 0 "$SS_CERT" -c "$T/security.conf" -T
	conf_keys >keys
	[ "$(wc -l <keys)" -gt 70 ]
	shown_keys out >shown
	if ! diff keys shown >diff; then
		sed 's/^/# /' diff >&2
		return 1
	fi
	[ "$(grep -c ' = .* ; default$' out)" = "$(wc -l <keys)" ]
	[ ! -s err ]
}

test_show_gives_sections_as_headers() {
	: >security.conf
	run 0 "$SS_CERT" -c "$T/security.conf" -T
	[ "$(head -n 1 out)" = "[device]" ]
	grep '^\[' out >headers
	printf '[%s]\n' device certs acme ddns passwd smtp button nginx \
	    openhab audit | diff - headers
}

test_show_gives_each_ddns_name_as_a_section_of_its_own() {
	: >security.conf
	printf '[ddns:gw.example.net]\nusername = gw\n\n' >>security.conf
	printf '[ddns:b.example.net]\nttl = 300\n' >>security.conf
	run 0 "$B/ss-ddns" -c "$T/security.conf" -T
	grep '^\[ddns:' out >headers
	printf '[ddns:%s]\n' gw.example.net b.example.net | diff - headers
	sed -n '/^\[ddns:gw.example.net\]/,/^$/p' out >gw
	has gw "^username = gw ; $T/security.conf:2$"
	has gw "^protocol = dyndns2 ; default$"
	sed -n '/^\[ddns:b.example.net\]/,$p' out >b
	has b "^ttl = 300 ; $T/security.conf:5$"
	# read back as it is, the names come back with their settings
	cp out again.conf
	run 0 "$B/ss-ddns" -c "$T/again.conf" -T
	grep '^\[ddns:' out | diff - headers
}

test_show_gives_file_and_line_of_a_set_key() {
	mkconf
	printf 'renew_days = 10\n' >>security.conf
	run 0 "$SS_CERT" -c "$T/security.conf" -T
	has out "^renew_days = 10 ; $T/security.conf:10$"
	has out "^hostname = dev1 ; $T/security.conf:3$"
	has out "^self_days = 3650 ; default$"
}

test_show_prints_a_value_with_spaces_and_commas_as_read() {
	cat >security.conf <<-'EOC'
	[acme]
	deploy_hook =  systemctl reload nginx, mosquitto  ; why
	[ddns]
	checkip = https://a.test ,https://b.test
	EOC
	run 0 "$SS_CERT" -c "$T/security.conf" -T
	has out "^deploy_hook = systemctl reload nginx, mosquitto ; \
$T/security.conf:2$"
	has out "^checkip = https://a.test ,https://b.test ; \
$T/security.conf:4$"
}

test_show_prints_an_empty_value_as_empty() {
	printf '[acme]\nemail =\n' >security.conf
	run 0 "$SS_CERT" -c "$T/security.conf" -T
	has out "^email =  ; $T/security.conf:2$"
	has out "^eab_kid =  ; default$"
}

test_show_gives_numbers_and_booleans_as_the_tools_read_them() {
	printf '[certs]\nrenew_days = 007\n[acme]\nagree_tos = true\n' \
	    >security.conf
	run 0 "$SS_CERT" -c "$T/security.conf" -T
	has out "^renew_days = 7 ; "
	has out "^agree_tos = yes ; "
}

test_show_gives_secret_files_as_paths() {
	umask 077
	echo 's3cret-in-file' >pass
	printf '[ddns]\npassword_file = %s/pass\n' "$T" >security.conf
	run 0 "$SS_CERT" -c "$T/security.conf" -T
	has out "^password_file = $T/pass ; $T/security.conf:2$"
	lacks out 's3cret'
}

test_show_of_a_bad_file_prints_nothing() {
	mkconf
	echo "renew_days = 900" >>security.conf
	run 78 "$SS_CERT" -c "$T/security.conf" -T
	[ ! -s out ]
	has err "security.conf:10: renew_days: 900 is out of range"
}

test_show_output_read_back_gives_the_same_settings() {
	mkconf
	printf '[acme]\nemail = ops@example.test\ndeploy_hook = a, b ; c\n' \
	    >>security.conf
	run 0 "$SS_CERT" -c "$T/security.conf" -T
	cp out first
	# The origins are inline comments: the output loads as it is.
	cp first again.conf
	run 0 "$SS_CERT" -c "$T/again.conf" -T
	uncommented out >second
	uncommented first | diff - second
	# Every key of the second file was read from it.
	lacks out '; default$'
	[ "$(grep -c "; $T/again.conf:[0-9]*$" out)" = "$(conf_keys | wc -l)" ]
}

test_misspelt_key_gets_a_suggestion() {
	mkconf
	echo "renew_dayz = 10" >>security.conf
	run 78 "$SS_CERT" -c "$T/security.conf" -t
	has err "security.conf:10: unknown key 'renew_dayz' in \[certs\]; \
did you mean 'renew_days'\?$"
}

test_key_of_another_section_names_it() {
	mkconf
	echo "webroot = /var/www/acme" >>security.conf
	run 78 "$SS_CERT" -c "$T/security.conf" -t
	has err "security.conf:10: unknown key 'webroot' in \[certs\]; \
it belongs in \[acme\]$"
}

test_misspelt_section_gets_a_suggestion() {
	mkconf
	printf '[cert]\nrenew_days = 10\n' >>security.conf
	run 78 "$SS_CERT" -c "$T/security.conf" -t
	has err "security.conf:10: unknown section \[cert\]; \
did you mean \[certs\]\?$"
}

test_missing_file_points_to_the_manual_and_example() {
	run 78 "$SS_CERT" -c "$T/none.conf" -t
	has err "^ss-cert: $T/none.conf: no such file; see security.conf\(5\) \
and the example in /.*/share/ss-security/security.conf.example$"
	run 78 "$SS_CERT" -c "$T/none.conf" list
	has err "none.conf: no such file; see security.conf\(5\)"
}

test_every_tool_checks_and_shows() {
	mkconf
	"$SS_CERT" -c "$T/security.conf" -T >want
	for t in $TOOLS; do
		run 0 "$B/$t" -c "$T/security.conf" -t
		has err "^$t: $T/security.conf: configuration OK$"
		run 0 "$B/$t" -c "$T/security.conf" -T
		diff want out
		run 0 "$B/$t" -c "$T/security.conf" --show-config
		diff want out
		echo "renew_dayz = 1" >bad.conf
		sed -i '1i [certs]' bad.conf
		run 78 "$B/$t" -c "$T/bad.conf" -t
		has err "^$t: $T/bad.conf:2: unknown key 'renew_dayz'"
	done
}

test_check_and_show_run_no_command() {
	mkconf
	run 0 "$SS_CERT" -c "$T/security.conf" -t selfsigned
	run 0 "$SS_CERT" -c "$T/security.conf" -T selfsigned
	[ ! -e certs ]
	run 0 "$B/ss-btnwatch" -c "$T/security.conf" -t
	has err "configuration OK"
}

test_check_and_show_write_nothing() {
	mkconf
	mkdir -p state certs
	chmod 0700 state
	before=$(snapshot)
	for t in $TOOLS; do
		run 0 "$B/$t" -c "$T/security.conf" -t
		run 0 "$B/$t" -c "$T/security.conf" -T
	done
	[ "$before" = "$(snapshot)" ]
}

run_tests
