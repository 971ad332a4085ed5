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

# ans_env: the collection where ansible finds it, ansible's own files in
# $T/home, the built tools first in PATH.
ans_env() {
	command -v ansible >/dev/null ||
	    skip "ansible-core is not installed (make deps)"
	mkdir -p "$T/ac/ansible_collections/ss" "$T/home"
	ln -s "$TOP/ansible" "$T/ac/ansible_collections/ss/security"
	export ANSIBLE_COLLECTIONS_PATH=$T/ac ANSIBLE_HOME=$T/home \
	    ANSIBLE_REMOTE_TMP=$T/home/tmp ANSIBLE_LOCAL_TEMP=$T/home/ltmp \
	    ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=false \
	    ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
	export PATH=$B:$PATH
}

# ans CODE ARGS [OPTION...]: ansible runs ss.security.ss_ddns here with
# ARGS (key=value words) and the configuration of $T, the secrets
# {{ pw }} and {{ key }} from $T/vars.json, and exits CODE (0, or 2 when
# the task failed); its output in $T/out and $T/err, the task's result in
# $T/result.
ans() {
	_want=$1 _args=$2
	shift 2
	[ -f "$T/vars.json" ] || secrets "$PROV_PASSWORD"
	rm -rf "$T/tree"
	run "$_want" env LC_ALL=C.UTF-8 ansible localhost -c local \
	    -i localhost, -m ss.security.ss_ddns \
	    -a "config=$T/security.conf $_args" -e "@$T/vars.json" \
	    --tree "$T/tree" "$@"
	cp "$T/tree/localhost" "$T/result"
}

# secrets PASSWORD [KEYFILE]: $T/vars.json with pw and key, as a vault
# would hand them over: in no command line.
secrets() {
	/usr/bin/python3 -c '
import json, sys
key = open(sys.argv[3]).read() if sys.argv[3] else ""
json.dump(dict(pw=sys.argv[2], key=key), open(sys.argv[1], "w"))' \
	    "$T/vars.json" "$1" "${2:-}"
}

# result_is EXPR: the Python expression EXPR holds of r, the result.
result_is() {
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print("# not so: %s\n# result: %s" % (sys.argv[2], json.dumps(r)))
    sys.exit(1)' "$T/result" "$1" >&2
}

# spy: an ss-ddns first in PATH that appends its arguments to $T/argv,
# one call a line, and runs the built one.
spy() {
	mkdir -p "$T/spy"
	printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\nexec "%s" "$@"\n' \
	    "$T/argv" "$B/ss-ddns" >"$T/spy/ss-ddns"
	chmod 755 "$T/spy/ss-ddns"
	export PATH=$T/spy:$PATH
}

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
# yet (the module brings it).
dyndns2() {
	provider_start
	ddns_conf dyndns2
	rm "$T/ddns.password"
}

# the password option, from the variables of $T/vars.json
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
	spy
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
	secrets 'a wrong password'
	ans 2 "$PW"
	result_is 'r["rc"] == 69 and r["changed"] is True'
	result_is '"badauth (the username or password is wrong)" in r["msg"]'
	result_is 'not r["msg"].startswith("ss-ddns:")'
	result_is 'r["update"]["action"] == "stopped"'
	lacks_secret 'a wrong password' out err result
	# the password changed: the stop ends and the update goes through
	secrets "$PROV_PASSWORD"
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
	secrets unused "$NS_KEY"
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
	spy
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

test_every_option_is_documented() {
	ans_env
	LC_ALL=C.UTF-8 ansible-doc -j ss.security.ss_ddns >doc.json
	PYTHONPATH=$T/ac /usr/bin/python3 -c '
import json, sys
from ansible_collections.ss.security.plugins.modules.ss_ddns import ARGUMENT_SPEC as spec
doc = json.load(open(sys.argv[1]))["ss.security.ss_ddns"]["doc"]["options"]
assert set(doc) == set(spec), set(doc) ^ set(spec)
for k in spec:
    for f in ("type", "default", "choices", "elements"):
        assert doc[k].get(f) == spec[k].get(f), (k, f)
    assert bool(doc[k].get("required")) == bool(spec[k].get("required")), k
    assert doc[k]["description"], k' doc.json
}

run_tests
