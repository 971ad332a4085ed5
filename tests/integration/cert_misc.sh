# ss-cert dhparam, export, configuration errors and usage.
. "$(dirname "$0")/lib.sh"

test_dhparam_writes_parameters_nginx_reads() {
	mkconf
	run 0 "$SS_CERT" -c security.conf dhparam --json
	has certs/dhparam.pem 'BEGIN DH PARAMETERS'
	openssl dhparam -in certs/dhparam.pem -noout -text | head -n1 >bits
	has bits '2048 bit'
	[ "$(mode_of certs/dhparam.pem)" = 644 ]
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1] + "/out"))
assert r["changed"] is True and r["action"] == "created", r
assert r["paths"] == [sys.argv[1] + "/certs/dhparam.pem"], r
assert r["bits"] == 2048, r' "$T"
	h1=$(tree_stamp certs)
	sleep 1
	run 0 "$SS_CERT" -c security.conf dhparam --json
	has err 'kept .*dhparam.pem: already 2048 bits; nothing changed'
	[ "$h1" = "$(tree_stamp certs)" ]
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["changed"] is False and r["action"] == "unchanged", r
assert r["paths"] == [], r' "$T/out"
}

test_dhparam_dry_run_json_says_what_would_change() {
	mkconf
	run 0 "$SS_CERT" -c security.conf -n dhparam --json
	[ ! -e certs/dhparam.pem ]
	has err 'would write .*dhparam.pem \(2048 bits\)'
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1] + "/out"))
assert r["dry_run"] is True and r["changed"] is True, r
assert r["paths"] == [sys.argv[1] + "/certs/dhparam.pem"], r' "$T"
}

test_dhparam_rejects_small_bits() {
	mkconf
	run 64 "$SS_CERT" -c security.conf dhparam --bits 1024
	has err "--bits: '1024' is not a number from 2048 to 8192"
}

test_export_pkcs12_has_the_alias_for_keytool() {
	mkconf
	mkca
	mkleaf good 90 "DNS:dev1.example.test"
	run 0 "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key ca/good.key --chain ca/int.pem --ca ca/root.pem
	run 0 "$SS_CERT" -c security.conf export --pkcs12 keystore.p12 \
	    --alias mykey --password-fd 3 3<<<"openhab1"
	[ "$(mode_of keystore.p12)" = 600 ]
	keytool -list -v -keystore keystore.p12 -storetype PKCS12 \
	    -storepass openhab1 >list 2>&1
	has list '^Alias name: mykey$'
	has list 'Entry type: PrivateKeyEntry'
	has list 'Certificate chain length: 2'
	has list 'Owner: CN=dev1.example.test'
	keytool -importkeystore -srckeystore keystore.p12 -srcstoretype PKCS12 \
	    -srcstorepass openhab1 -destkeystore jetty.jks -deststoretype JKS \
	    -deststorepass openhab1 -noprompt >/dev/null 2>&1
	keytool -list -keystore jetty.jks -storepass openhab1 >jks 2>&1
	has jks '^mykey,'
}

test_export_defaults_to_self_signed_and_reads_password_from_stdin() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	printf 'secret12\nsecret12\n' | run 0 "$SS_CERT" -c security.conf \
	    export --pkcs12 ks.p12 --alias openhab
	keytool -list -keystore ks.p12 -storetype PKCS12 -storepass secret12 \
	    >list 2>&1
	has list '^openhab,'
}

test_export_again_with_the_same_password_changes_nothing() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	mkdir ks
	run 0 "$SS_CERT" -c security.conf export --pkcs12 ks/ks.p12 \
	    --alias a --json --password-fd 3 3<<<"openhab1"
	has out '"action": "exported"'
	h1=$(tree_stamp ks)
	sleep 1
	run 0 "$SS_CERT" -c security.conf export --pkcs12 ks/ks.p12 \
	    --alias a --json --password-fd 3 3<<<"openhab1"
	[ "$h1" = "$(tree_stamp ks)" ]
	has err "ks.p12 holds .*server.crt with alias 'a' already; nothing changed"
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["changed"] is False and r["action"] == "unchanged", r
assert r["paths"] == [] and r["alias"] == "a", r' "$T/out"
}

test_export_with_another_alias_or_password_writes_it_again() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	run 0 "$SS_CERT" -c security.conf export --pkcs12 ks.p12 --alias a \
	    --password-fd 3 3<<<"openhab1"
	run 0 "$SS_CERT" -c security.conf export --pkcs12 ks.p12 --alias b \
	    --json --password-fd 3 3<<<"openhab1"
	has out '"changed": true'
	keytool -list -keystore ks.p12 -storetype PKCS12 -storepass openhab1 \
	    >list 2>&1
	has list '^b,'
	run 0 "$SS_CERT" -c security.conf export --pkcs12 ks.p12 --alias b \
	    --json --password-fd 3 3<<<"openhab2"
	has out '"changed": true'
	keytool -list -keystore ks.p12 -storetype PKCS12 -storepass openhab2 \
	    >list 2>&1
	has list '^b,'
}

test_export_dry_run_json_writes_nothing() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	run 0 "$SS_CERT" -c security.conf -n export --pkcs12 ks.p12 --alias a \
	    --json </dev/null
	[ ! -e ks.p12 ]
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["dry_run"] is True and r["changed"] is True, r
assert r["paths"] == ["ks.p12"], r' "$T/out"
}

test_export_without_a_certificate_suggests_selfsigned() {
	mkconf
	run 66 "$SS_CERT" -c security.conf export --pkcs12 ks.p12 --alias a \
	    --password-fd 3 3<<<"openhab1"
	has err "no certificate in $T/certs yet; make one with 'ss-cert selfsigned'"
	[ ! -e ks.p12 ]
}

test_export_mismatched_passwords_write_nothing() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	printf 'secret12\nsecret13\n' | run 65 "$SS_CERT" -c security.conf \
	    export --pkcs12 ks.p12 --alias openhab
	has err 'do not match'
	[ ! -e ks.p12 ]
}

# Configuration errors: FILE:LINE, exit 78, nothing written.
bad_conf() {
	msg=$1
	mkdir -p certs
	h1=$(tree_hash certs)
	run 78 "$SS_CERT" -c security.conf selfsigned
	has err "$msg"
	[ "$h1" = "$(tree_hash certs)" ]
}

test_config_unknown_key_names_file_and_line() {
	mkconf
	echo "renew_dayz = 10" >>security.conf
	bad_conf "security.conf:10: unknown key 'renew_dayz' in \[certs\]"
}

test_config_bad_number() {
	mkconf
	echo "renew_days = soon" >>security.conf
	bad_conf "security.conf:10: renew_days: 'soon' is not a number"
}

test_config_line_without_equals() {
	mkconf
	echo "this is not ini" >>security.conf
	bad_conf "security.conf:10: syntax error"
}

test_config_missing_file() {
	T2=$T
	run 78 "$SS_CERT" -c "$T2/none.conf" selfsigned
	has err "none.conf: no such file; see security.conf\(5\)"
}

test_config_from_environment() {
	mkconf
	SS_CONFIG=$T/security.conf run 0 "$SS_CERT" selfsigned
	[ -f certs/self/server.crt ]
}

test_usage_and_version() {
	run 64 "$SS_CERT"
	has err '^ss-cert: usage: ss-cert'
	run 64 "$SS_CERT" frobnicate
	has err "unknown command 'frobnicate'"
	run 0 "$SS_CERT" --version
	has out '^ss-cert [0-9]+\.[0-9]+\.[0-9]+$'
	run 0 "$SS_CERT" -h
	has out '^usage: ss-cert'
	mkconf
	run 64 "$SS_CERT" -c security.conf install --cert x.pem
	has err '^ss-cert: usage: ss-cert install'
}

run_tests
