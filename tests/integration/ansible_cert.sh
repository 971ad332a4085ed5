#!/bin/bash
# The Ansible module ss.security.ss_cert run by ansible on this machine
# (connection local) against the built ss-cert: self-signed, installed from
# files and from PEM text, issued by pebble, and query.  changed is the
# tool's; a second run touches nothing; check mode writes nothing; diff
# mode shows the certificate's summary; a private key given as text is in
# no command line, no -vvv output and no file left behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acme_lib.sh"
. "$(dirname "$0")/ansible_lib.sh"

MODULE=ss_cert

# key_spy: spy ss-cert, which also appends the mode of the file after
# --key and of its directory to $T/keystat.
key_spy() {
	spy ss-cert "$(cat <<EOS
prev=
for a; do
	if [ "\$prev" = --key ] && [ -e "\$a" ]; then
		stat -c '%a %n' "\$a" "\$(dirname "\$a")" >>"$T/keystat"
	fi
	prev=\$a
done
EOS
)"
}

# stamp: names, sizes, mtimes and contents of the certificates and state.
stamp() {
	mkdir -p "$T/certs" "$T/state"
	tree_stamp "$T/certs"
	tree_stamp "$T/state"
}

# custom: mkca's CA and a leaf for the device's name, as files.
custom() {
	mkconf
	mkca
	mkleaf good 90 "DNS:dev1.example.test,DNS:dev1"
}

# content_vars: the leaf, its key, the intermediate and the root as the
# variables cert, key, chain and ca.
content_vars() {
	ans_vars cert="@$T/ca/good.pem" key="@$T/ca/good.key" \
	    chain="@$T/ca/int.pem" ca="@$T/ca/root.pem"
}

CONTENT_ARGS='state=installed cert_content="{{ cert }}" key_content="{{ key }}" chain_content="{{ chain }}" ca_content="{{ ca }}"'

# key_lines: the base64 lines of the leaf's key, each long enough to be
# found only where the key went.
key_lines() {
	grep -v -- '-----' "$T/ca/good.key" | awk 'length($0) >= 20'
}

test_selfsigned_changed_first_then_unchanged_touching_nothing() {
	mkconf
	ans_env
	ans 0 state=selfsigned
	result_is 'r["changed"] is True and r["action"] == "created"'
	result_is 'r["name"] == "self" and r["certificate"]["kind"] == "self-signed"'
	result_is 'r["certificate"]["active"] is True and r["certificate"]["status"] == "ok"'
	result_is 'r["paths"] == [r["certificate"]["path"], r["certificate"]["key_path"]]'
	openssl x509 -in certs/self/server.crt -noout -fingerprint -sha256 >fp
	has fp "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["certificate"]["fingerprint_sha256"])' "$T/result")"
	s1=$(stamp)
	sleep 1
	ans 0 state=selfsigned
	result_is 'r["changed"] is False and r["action"] == "unchanged"'
	result_is 'r["reason"] == "names match and renewal is not due"'
	[ "$s1" = "$(stamp)" ]
}

test_selfsigned_check_mode_reports_the_change_and_writes_nothing() {
	mkconf
	ans_env
	s0=$(stamp)
	ans 0 state=selfsigned --check
	result_is 'r["changed"] is True and r["dry_run"] is True'
	result_is 'r["action"] == "created" and r["certificate"] is None'
	[ ! -e certs/self/server.crt ]
	[ "$s0" = "$(stamp)" ]
	ans 0 state=selfsigned
	s1=$(stamp)
	ans 0 'state=selfsigned force=true' --check
	result_is 'r["changed"] is True and r["action"] == "replaced"'
	[ "$s1" = "$(stamp)" ]
}

test_selfsigned_diff_shows_the_certificate_before_and_after() {
	mkconf
	ans_env
	ans 0 state=selfsigned
	old=$(openssl x509 -in certs/self/server.crt -noout -fingerprint -sha256 | cut -d= -f2)
	ans 0 'state=selfsigned force=true' --diff --check
	has out '^\+\(dry run: would be replaced: --force\)$'
	has out "^-fingerprint_sha256: $old\$"
	ans 0 'state=selfsigned force=true' --diff
	new=$(openssl x509 -in certs/self/server.crt -noout -fingerprint -sha256 | cut -d= -f2)
	[ "$old" != "$new" ]
	has out "^-fingerprint_sha256: $old\$"
	has out "^\+fingerprint_sha256: $new\$"
	has out '^ sans: DNS:dev1.example.test, DNS:dev1, DNS:dev1.local, IP:127.0.0.1, IP:::1$'
	lacks out 'PRIVATE KEY'
	# no change, no diff
	ans 0 state=selfsigned --diff
	lacks out 'fingerprint_sha256:'
	result_is '"diff" not in r or not r["diff"]'
}

test_selfsigned_passes_key_type_and_days() {
	mkconf
	ans_env
	spy ss-cert
	ans 0 'state=selfsigned key_type=rsa2048 days=30'
	has argv "^-c $T/security.conf selfsigned --key-type rsa2048 --days 30 --json\$"
	openssl x509 -in certs/self/server.crt -noout -text >text
	has text 'Public-Key: \(2048 bit\)'
	result_is 'r["certificate"]["days_left"] in (29, 30)'
}

test_installed_from_files_then_unchanged() {
	custom
	ans_env
	args="state=installed cert_path=$T/ca/good.pem key_path=$T/ca/good.key chain_path=$T/ca/int.pem ca_path=$T/ca/root.pem"
	ans 0 "$args"
	result_is 'r["changed"] is True and r["action"] == "installed"'
	result_is 'r["name"] == "dev1.example.test" and r["version"] == 1'
	result_is 'r["certificate"]["kind"] == "custom" and r["certificate"]["active"] is True'
	result_is 'r["certificate"]["issuer"] == "CN=Test Intermediate CA"'
	[ "$(readlink certs/dev1.example.test/fullchain.pem)" = fullchain-1.pem ]
	s1=$(stamp)
	sleep 1
	ans 0 "$args"
	result_is 'r["changed"] is False and r["action"] == "unchanged"'
	[ "$s1" = "$(stamp)" ]
	# into another directory with name
	ans 0 "$args name=mqtt"
	result_is 'r["name"] == "mqtt" and r["certificate"]["name"] == "mqtt"'
	result_is 'r["certificate"]["active"] is False'
}

test_installed_from_content_keeps_the_key_out_of_argv_log_and_disk() {
	custom
	content_vars
	ans_env
	key_spy
	ans 0 "$CONTENT_ARGS" -vvv
	result_is 'r["changed"] is True and r["action"] == "installed"'
	result_is 'r["certificate"]["kind"] == "custom"'
	[ "$(openssl pkey -in certs/dev1.example.test/privkey.pem -pubout)" = \
	    "$(openssl pkey -in ca/good.key -pubout)" ]
	[ "$(key_lines | wc -l)" -ge 2 ]
	key_lines >keylines
	for f in out err argv result; do
		if grep -qFf keylines "$f"; then
			echo "# the private key is in $f" >&2
			return 1
		fi
	done
	# the module gave ss-cert a file of mode 0600 in a directory of 0700
	kf=$(sed -n 's/.* --key \([^ ]*\) .*/\1/p' argv)
	[ -n "$kf" ]
	has keystat "^600 $kf\$"
	has keystat "^700 $(dirname "$kf")\$"
	# and removed both
	[ ! -e "$kf" ] && [ ! -e "$(dirname "$kf")" ]
	[ -z "$(find "$T/ansible" -name 'ss-cert-*')" ]
	s1=$(stamp)
	sleep 1
	ans 0 "$CONTENT_ARGS"
	result_is 'r["changed"] is False and r["action"] == "unchanged"'
	[ "$s1" = "$(stamp)" ]
}

test_installed_check_mode_writes_nothing() {
	custom
	content_vars
	ans_env
	s0=$(stamp)
	ans 0 "$CONTENT_ARGS" --check --diff
	result_is 'r["changed"] is True and r["dry_run"] is True'
	has out '^\+name: dev1.example.test$'
	has out '^\+\(dry run: would be installed\)$'
	[ "$s0" = "$(stamp)" ]
	[ ! -e certs/dev1.example.test ]
}

test_installed_failure_gives_the_tool_message_and_leaves_no_key() {
	custom
	mkleaf other 90 "DNS:dev1.example.test"
	cp ca/other.key ca/good.key
	content_vars
	ans_env
	spy ss-cert
	ans 2 "$CONTENT_ARGS"
	result_is 'r["rc"] == 65 and r["changed"] is False'
	result_is 'r["msg"].endswith("key_content.pem: key does not match the certificate in " + r["msg"].split(": ")[0].rsplit("/", 1)[0] + "/cert_content.pem")'
	result_is '"does not match" in r["msg"] and not r["msg"].startswith("ss-cert:")'
	kf=$(sed -n 's/.* --key \([^ ]*\) .*/\1/p' argv)
	[ -n "$kf" ] && [ ! -e "$(dirname "$kf")" ]
	[ ! -e certs/dev1.example.test ]
}

test_bad_option_combinations_name_the_options() {
	custom
	ans_env
	ans 2 'state=selfsigned domains=a.example.test'
	result_is 'r["msg"] == "domains is for state=issued only, not state=selfsigned"'
	ans 2 "state=installed cert_path=$T/ca/good.pem cert_content=x key_path=$T/ca/good.key"
	result_is '"mutually exclusive" in r["msg"] and "cert_path|cert_content" in r["msg"]'
	ans 2 "state=installed cert_path=$T/ca/good.pem"
	result_is '"key_path" in r["msg"] and "key_content" in r["msg"]'
	ans 2 'state=query force=true'
	result_is 'r["msg"] == "force is for state=selfsigned and state=issued only, not state=query"'
	[ ! -e certs/self ]
}

# servers: named, pebble and the webroot, as cert_acme.sh has them.
servers() {
	named_start
	pebble_start
	mkdir -p "$T/webroot"
	webroot_serve "$T/webroot"
	acme_conf http-01
}

test_issued_by_pebble_then_kept_touching_nothing() {
	servers
	ans_env
	ans 0 'state=issued agree_tos=true domains=dev1.example.test,www.example.test'
	result_is 'r["changed"] is True and r["action"] == "issued"'
	result_is 'r["name"] == "dev1.example.test" and r["version"] == 1'
	result_is 'r["certificate"]["kind"] == "signed" and r["certificate"]["active"] is True'
	result_is 'r["certificate"]["sans"] == ["DNS:dev1.example.test", "DNS:www.example.test"]'
	pebble_root root.pem
	openssl verify -CAfile root.pem -untrusted certs/dev1.example.test/chain.pem \
	    certs/dev1.example.test/cert.pem
	s1=$(stamp)
	sleep 1
	ans 0 'state=issued agree_tos=true domains=dev1.example.test,www.example.test' --diff
	result_is 'r["changed"] is False and r["action"] == "unchanged"'
	lacks out 'fingerprint_sha256:'
	[ "$s1" = "$(stamp)" ]
}

test_issued_check_mode_orders_at_staging_and_keeps_nothing() {
	servers
	ans_env
	ans 0 'state=issued agree_tos=true' --check --diff
	result_is 'r["changed"] is True and r["dry_run"] is True'
	result_is 'r["action"] == "would-issue" and r["certificate"] is None'
	has out '^\+name: dev1.example.test$'
	has out '^\+\(dry run: would issue\)$'
	lacks out '^\+kind:'
	[ ! -e certs/dev1.example.test ]
	[ -z "$(ls state/acme/certs 2>/dev/null)" ]
}

test_issued_failure_gives_the_ca_message() {
	servers
	ans_env
	# the CA cannot reach a name that DNS does not know
	ans 2 'state=issued agree_tos=true domains=nowhere.invalid.test'
	result_is 'r["rc"] in (65, 69) and "nowhere.invalid.test" in r["msg"]'
	[ ! -e certs/nowhere.invalid.test/fullchain.pem ]
}

test_query_describes_one_certificate_and_changes_nothing() {
	custom
	ans_env
	ans 0 state=selfsigned
	ans 0 "state=installed name=mqtt cert_path=$T/ca/good.pem key_path=$T/ca/good.key chain_path=$T/ca/int.pem ca_path=$T/ca/root.pem"
	"$B/ss-cert" -c security.conf list --json >list.json
	s1=$(stamp)
	ans 0 'state=query name=mqtt' --check
	result_is 'r["changed"] is False and r["name"] == "mqtt"'
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
l = [c for c in json.load(open(sys.argv[2])) if c["name"] == "mqtt"]
assert r["certificate"] == l[0], (r, l)' "$T/result" list.json
	# without a name, the active one
	ans 0 state=query
	result_is 'r["certificate"]["name"] == "self" and r["certificate"]["active"] is True'
	ans 2 'state=query name=nope'
	result_is "r[\"msg\"] == \"no certificate 'nope'; certificates there: mqtt, self\""
	ans 0 'state=query name=nope missing_ok=true'
	result_is 'r["certificate"] is None and r["changed"] is False'
	[ "$s1" = "$(stamp)" ]
}

run_tests
