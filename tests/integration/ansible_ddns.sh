#!/bin/bash
# The Ansible module ss.security.ss_ddns run by ansible on this machine
# (connection local) against the built ss-ddns, the dyndns2 provider of
# tests/dyndns2_provider.py and bind9: the password and the TSIG key that
# security.conf points at written 0600 and only when they differ, then
# the update.  changed is the secret's and the tool's; a second run
# touches nothing and sends nothing; check mode writes and sends nothing;
# the diff says that a secret file changes, never what it holds; no
# secret in a command line or in -vvv output.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acme_lib.sh"
. "$(dirname "$0")/ddns_lib.sh"
. "$(dirname "$0")/ansible_lib.sh"

MODULE=ss_ddns

# stamp FILE...: names, sizes, mtimes and contents of the state and of
# each FILE.
stamp() {
	mkdir -p "$T/state"
	tree_stamp "$T/state"
	for _f; do
		stat -c '%n %s %Y %a %u' "$_f"
		sha256sum "$_f"
	done
}

# dyndns2: the provider and [ddns] for it, the password file not there
# yet (the module brings it), its password the variable pw.
dyndns2() {
	provider_start
	ddns_conf dyndns2
	rm "$T/ddns.password"
	ans_vars pw="$PROV_PASSWORD"
}

# the password option, from the variables of ans_vars
PW='password="{{ pw }}"'

# lacks_secret SECRET FILE...: SECRET is in none of the FILEs.
lacks_secret() {
	_s=$1
	shift
	for _f; do
		if grep -qF -- "$_s" "$_f"; then
			echo "# the secret is in $_f" >&2
			return 1
		fi
	done
}

test_password_written_then_update_then_nothing_changes() {
	dyndns2
	ans_env
	ans 0 "$PW"
	result_is 'r["changed"] is True and r["action"] == "updated"'
	result_is 'r["name"] == "dev1.example.test"'
	result_is "r[\"paths\"] == [\"$T/ddns.password\", \"$T/state/ddns/state\"]"
	result_is 'r["update"]["names"][0]["answer"] == "good (updated)"'
	result_is 'r["status"]["names"][0]["result"] == "good"'
	result_is 'r["status"]["names"][0]["fqdn"] == "dev1.example.test"'
	[ "$(cat ddns.password)" = "$PROV_PASSWORD" ]
	[ "$(stat -c '%a %u' ddns.password)" = "600 $(id -u)" ]
	[ "$(provider_requests)" = 1 ]
	s1=$(stamp ddns.password)
	sleep 1
	ans 0 "$PW"
	result_is 'r["changed"] is False and r["action"] == "unchanged"'
	result_is 'r["paths"] == []'
	[ "$s1" = "$(stamp ddns.password)" ]
	[ "$(provider_requests)" = 1 ]
	[ -z "$(find "$T" -maxdepth 1 -name '.ddns.password.*')" ]
}

test_check_mode_writes_no_secret_and_sends_nothing() {
	dyndns2
	ans_env
	s0=$(stamp)
	ans 0 "$PW" --check
	result_is 'r["changed"] is True and r["dry_run"] is True'
	result_is 'r["update"]["dry_run"] is True'
	[ ! -e ddns.password ]
	[ "$(provider_requests)" = 0 ]
	[ "$s0" = "$(stamp)" ]
	# a password that is right but with the wrong mode, in check mode
	printf '%s\n' "$PROV_PASSWORD" >ddns.password
	chmod 644 ddns.password
	s1=$(stamp ddns.password)
	ans 0 "$PW update=false" --check
	result_is 'r["changed"] is True and r["paths"] == ["'"$T"'/ddns.password"]'
	[ "$s1" = "$(stamp ddns.password)" ]
}

test_secret_in_no_argv_output_or_diff() {
	dyndns2
	ans_env
	spy ss-ddns
	printf '%s\n' 'the-old-password' >ddns.password
	chmod 600 ddns.password
	ans 0 "$PW" --diff -vvv
	has out "^--- before: $T/ddns.password\$"
	has out '^-\(secret, mode 0600, uid [0-9]+\)$'
	has out '^\+\(secret, new content, mode 0600\)$'
	lacks_secret "$PROV_PASSWORD" out err argv result
	lacks_secret the-old-password out err argv result
	has argv "^-c $T/security.conf update --name dev1.example.test --json\$"
	[ "$(cat ddns.password)" = "$PROV_PASSWORD" ]
	# nothing to change, nothing in the diff
	ans 0 "$PW" --diff
	lacks out 'secret'
	result_is '"diff" not in r'
}

test_refused_password_fails_with_the_tool_message_then_the_right_one_works() {
	dyndns2
	ans_env
	ans_vars pw='a wrong password'
	ans 2 "$PW"
	result_is 'r["rc"] == 69 and r["changed"] is True'
	result_is '"badauth (the username or password is wrong)" in r["msg"]'
	result_is 'not r["msg"].startswith("ss-ddns:")'
	result_is 'r["update"]["action"] == "stopped"'
	lacks_secret 'a wrong password' out err result
	# the password changed: the stop ends and the update goes through
	ans_vars pw="$PROV_PASSWORD"
	ans 0 "$PW"
	result_is 'r["changed"] is True and r["action"] == "updated"'
	result_is 'r["status"]["names"][0]["provider"] == "ok"'
}

test_further_name_gets_its_tsig_key_and_bind9_the_update() {
	named_start
	provider_start
	ddns_conf dyndns2
	ddns_name alias.example.test rfc2136
	rm alias.example.test.tsig.key
	ans_vars key="@$NS_KEY"
	ans_env
	ans 0 'name=alias.example.test tsig_key="{{ key }}"'
	result_is 'r["changed"] is True and r["name"] == "alias.example.test"'
	result_is 'r["update"]["names"][0]["protocol"] == "rfc2136"'
	cmp alias.example.test.tsig.key "$NS_KEY"
	[ "$(mode_of alias.example.test.tsig.key)" = 600 ]
	[ "$(dig_a alias.example.test)" = 203.0.113.7 ]
	# the device's own name was not touched
	[ "$(provider_requests)" = 0 ]
	s1=$(stamp alias.example.test.tsig.key)
	sleep 1
	ans 0 'name=alias.example.test tsig_key="{{ key }}"' --diff -vvv
	result_is 'r["changed"] is False'
	lacks out 'secret'
	[ "$s1" = "$(stamp alias.example.test.tsig.key)" ]
	lacks_secret "$(sed -n 's/.*secret "\(.*\)".*/\1/p' "$NS_KEY")" out err result
}

test_update_false_writes_the_secret_only() {
	dyndns2
	ans_env
	ans 0 "$PW update=false"
	result_is 'r["changed"] is True and "update" not in r and "action" not in r'
	result_is 'r["status"]["names"][0]["last_update"] is None'
	[ "$(cat ddns.password)" = "$PROV_PASSWORD" ]
	[ "$(provider_requests)" = 0 ]
}

test_if_enabled_passes_when_ddns_is_off() {
	dyndns2
	ddns_set enabled no
	ans_env
	ans 2 "$PW"
	result_is 'r["rc"] == 78 and "dynamic DNS is disabled" in r["msg"]'
	# the secret was written before the update refused
	result_is 'r["changed"] is True'
	ans 0 "$PW if_enabled=true"
	result_is 'r["changed"] is False and r["update"]["names"] == []'
	[ "$(provider_requests)" = 0 ]
}

test_force_sends_the_same_address_again() {
	dyndns2
	ans_env
	spy ss-ddns
	ans 0 "$PW"
	ans 0 "$PW force=true"
	result_is 'r["changed"] is True'
	has argv "^-c $T/security.conf update --name dev1.example.test --force --json\$"
	[ "$(provider_requests)" = 2 ]
}

test_bad_options_name_them_and_change_nothing() {
	named_start
	provider_start
	ddns_conf dyndns2
	ddns_name alias.example.test rfc2136
	ans_vars pw="$PROV_PASSWORD"
	ans_env
	s0=$(stamp ddns.password alias.example.test.tsig.key)
	ans 2 'name=nope.example.test'
	result_is "r[\"msg\"] == \"name: no such name in security.conf: 'nope.example.test'; the names are: dev1.example.test, alias.example.test\""
	ans 2 'name=alias.example.test password="{{ pw }}"'
	result_is 'r["msg"] == "password: alias.example.test has no password_file in security.conf; set it there first"'
	ans 2 'update=false force=true'
	result_is 'r["msg"] == "force and if_enabled need update=true"'
	[ "$s0" = "$(stamp ddns.password alias.example.test.tsig.key)" ]
	[ "$(provider_requests)" = 0 ]
}

test_symbolic_link_as_the_secret_file_is_refused() {
	dyndns2
	ans_env
	echo precious >victim
	ln -s "$T/victim" ddns.password
	ans 2 "$PW"
	result_is "r[\"msg\"] == \"password: $T/ddns.password is a symbolic link, not replacing it\""
	[ "$(cat victim)" = precious ] && [ -L ddns.password ]
	[ "$(provider_requests)" = 0 ]
}

run_tests
