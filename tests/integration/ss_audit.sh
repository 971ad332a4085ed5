#!/bin/bash
# ss-audit: one line per finding with its severity, id and fix, the
# worst finding as the monitoring exit status, --json with the same, and
# --only, --skip and [audit] skip choosing the checks.
. "$(dirname "$0")/lib.sh"

AUDIT=$B/ss-audit

# audit CODE [ARGS...]: ss-audit with the test configuration.
audit() {
	want=$1
	shift
	run "$want" "$AUDIT" -c "$T/security.conf" "$@"
}

test_button_enabled_is_ok() {
	mkconf
	audit 0 --only button
	[ "$(cat out)" = "OK       button: the Connect button restores the factory password when held 20 s" ]
}

test_button_disabled_is_a_warning_with_its_fix() {
	mkconf
	printf '[button]\nreset_enabled = no\n' >>security.conf
	audit 1 --only button
	has out "^WARNING  button: password recovery by the Connect button is disabled: a lost password then means replacing the device; fix: ss-btnwatch enable$"
}

test_check_is_the_default_command() {
	mkconf
	printf '[button]\nreset_enabled = no\n' >>security.conf
	run 1 "$AUDIT" -c "$T/security.conf" --only button
	has out '^WARNING  button:'
	run 1 "$AUDIT" -c "$T/security.conf" check --only button
	has out '^WARNING  button:'
}

test_json_carries_the_same_findings() {
	mkconf
	printf '[button]\nreset_enabled = no\n' >>security.conf
	audit 1 --only button --json
	python3 - "$T/out" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "WARNING", d
assert d["not_shown"] == 0, d
[f] = d["findings"]
assert f["id"] == "button" and f["status"] == "WARNING", f
assert f["fix"] == "ss-btnwatch enable", f
assert "replacing the device" in f["seen"], f
EOP
}

test_skip_leaves_a_check_out() {
	mkconf
	printf '[button]\nreset_enabled = no\n' >>security.conf
	audit 0 --only button --skip button
	[ ! -s out ]
}

test_skip_in_the_configuration_leaves_a_check_out() {
	mkconf
	printf '[button]\nreset_enabled = no\n[audit]\nskip = button\n' \
	    >>security.conf
	audit 0 --only button
	[ ! -s out ]
}

test_unknown_check_is_unknown_with_a_suggestion() {
	mkconf
	audit 3 --only buton
	has err "--only: no check 'buton'; did you mean 'button'\\?"
	[ ! -s out ]
	printf '[audit]\nskip = frobnicate\n' >>security.conf
	audit 3
	has err "security.conf: \\[audit\\] skip: no check 'frobnicate'"
}

test_bad_port_in_allow_ports_names_the_line() {
	mkconf
	printf '[audit]\nallow_ports = 22, 0x50\n' >>security.conf
	audit 3
	has err "security.conf:[0-9]+: .*allow_ports: '0x50' is not a port \\(1 to 65535\\)"
}

test_bad_option_is_unknown() {
	mkconf
	audit 3 --frobnicate
	has err 'usage:'
}

run_tests
