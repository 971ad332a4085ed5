# ss-cert check on files and on live servers (openssl s_server), with the
# monitoring-plugin exit codes.
. "$(dirname "$0")/lib.sh"

setup() {
	mkconf
	mkca
	mkleaf good 90 "DNS:dev1.example.test,DNS:dev1"
}

# serve CERT KEY [CHAIN]: openssl s_server on a free port; sets $PORT.
serve() {
	PORT=$(free_port)
	extra=""
	[ -n "${3:-}" ] && extra="-cert_chain $3"
	# shellcheck disable=SC2086
	openssl s_server -accept "127.0.0.1:$PORT" -cert "$1" -key "$2" \
	    $extra -www -quiet >/dev/null 2>&1 &
	echo $! >"$T/s_server.pid"
	wait_port "$PORT"
}

test_check_file_reports_like_an_ssl_checker() {
	setup
	cat ca/good.pem ca/int.pem >full.pem
	run 0 "$SS_CERT" -c security.conf check full.pem --ca ca/root.pem
	head -n1 out >first
	has first '^CERT OK - dev1.example.test valid until [0-9-]+ \((89|90) days\)$'
	has out '^Common name: +dev1.example.test$'
	has out '^Issuer: +CN=Test Intermediate CA$'
	has out '^Days left: +(89|90)$'
	has out '^Key: +EC 256 bits \(prime256v1\)$'
	has out '^Signature: +ecdsa-with-SHA256$'
	has out '^Names: +DNS:dev1.example.test, DNS:dev1$'
	has out '^Hostname: +dev1.example.test matches$'
	has out '^Chain: +complete and trusted$'
	has out '^  2 subject: +CN=Test Root CA$'
	serial=$(openssl x509 -in ca/good.pem -noout -serial | cut -d= -f2)
	has out "^Serial: +$serial\$"
}

test_check_json_is_one_object() {
	setup
	cat ca/good.pem ca/int.pem >full.pem
	run 0 "$SS_CERT" -c security.conf check --json full.pem --ca ca/root.pem
	/usr/bin/python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "OK", d
assert d["cn"] == "dev1.example.test"
assert d["key_type"] == "EC" and d["key_bits"] == 256
assert d["sans"] == ["DNS:dev1.example.test", "DNS:dev1"]
assert d["hostname_match"] is True and d["chain_complete"] is True
assert len(d["chain"]) == 3 and d["chain"][2]["subject"] == "CN=Test Root CA"
assert d["days_left"] in (89, 90)
PY
}

test_check_json_times_are_rfc3339() {
	setup
	cat ca/good.pem ca/int.pem >full.pem
	run 0 "$SS_CERT" -c security.conf check --json full.pem --ca ca/root.pem
	nb=$(date -u +%Y-%m-%dT%H:%M:%SZ -d "$(openssl x509 -in ca/good.pem \
	    -noout -startdate | sed 's/^.*=//')")
	na=$(date -u +%Y-%m-%dT%H:%M:%SZ -d "$(openssl x509 -in ca/good.pem \
	    -noout -enddate | sed 's/^.*=//')")
	/usr/bin/python3 - "$T/out" "$nb" "$na" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["not_before"] == sys.argv[2] and d["not_after"] == sys.argv[3], d
for c in d["chain"]:
    for k in ("not_before", "not_after"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", c[k]), c
assert d["chain"][0]["not_after"] == sys.argv[3], d
PY
}

test_check_file_without_its_intermediate_suggests_chain() {
	setup
	run 2 "$SS_CERT" -c security.conf check ca/good.pem --ca ca/root.pem
	has out '^CERT CRITICAL - dev1.example.test: chain does not verify: .*unable to get local issuer certificate'
	has err 'the intermediate certificate \(CN=Test Intermediate CA\) is missing; give it with --chain FILE'
	run 0 "$SS_CERT" -c security.conf check ca/good.pem --ca ca/root.pem \
	    --chain ca/int.pem
	has out '^Chain: +complete and trusted$'
	run 3 "$SS_CERT" check --connect 127.0.0.1:443 --chain ca/int.pem
	has err '^ss-cert: usage: ss-cert check'
}

test_check_installed_without_its_intermediate_suggests_install() {
	setup
	# trusted through the intermediate itself, so installed without it
	cat ca/root.pem ca/int.pem >cas.pem
	run 0 "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key ca/good.key --ca cas.pem
	run 2 "$SS_CERT" -c security.conf check --ca ca/root.pem
	has err 'the intermediate certificate \(CN=Test Intermediate CA\) is missing; install the certificate again with it: ss-cert install --cert FILE --key FILE --chain FILE'
}

test_check_untrusted_root_suggests_ca() {
	setup
	cat ca/good.pem ca/int.pem >full.pem
	run 2 "$SS_CERT" -c security.conf check full.pem
	has err 'CN=Test Root CA is not a trusted CA; give its certificate with --ca FILE'
}

test_check_without_a_certificate_suggests_selfsigned() {
	mkconf
	run 3 "$SS_CERT" -c security.conf check
	has out "^CERT UNKNOWN - no certificate in $T/certs yet\$"
	has err "no certificate in $T/certs yet; make one with 'ss-cert selfsigned'"
}

test_check_warns_within_warn_days() {
	setup
	cat ca/good.pem ca/int.pem >full.pem
	run 1 "$SS_CERT" -c security.conf check full.pem --ca ca/root.pem \
	    --warn-days 100
	has out '^CERT WARNING - dev1.example.test: expires in (89|90) days$'
	run 2 "$SS_CERT" -c security.conf check full.pem --ca ca/root.pem \
	    --crit-days 95
	has out '^CERT CRITICAL'
}

test_check_self_signed_is_a_warning() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	run 1 "$SS_CERT" -c security.conf check
	has out '^CERT WARNING - dev1.example.test: self-signed, not trusted$'
	has out '^Chain: +self-signed$'
	run 0 "$SS_CERT" -c security.conf check --ca certs/self/server.crt
}

test_check_connect_valid_server() {
	setup
	serve ca/good.pem ca/good.key ca/int.pem
	run 0 "$SS_CERT" check --connect "127.0.0.1:$PORT" \
	    --hostname dev1.example.test --ca ca/root.pem
	has out '^CERT OK - dev1.example.test valid until'
	has out '^Chain: +complete and trusted$'
}

test_check_connect_expired_server() {
	setup
	mkleaf old -1 "DNS:dev1.example.test"
	serve ca/old.pem ca/old.key ca/int.pem
	run 2 "$SS_CERT" check --connect "127.0.0.1:$PORT" \
	    --hostname dev1.example.test --ca ca/root.pem
	has out '^CERT CRITICAL - dev1.example.test: expired'
}

test_check_connect_wrong_name() {
	setup
	serve ca/good.pem ca/good.key ca/int.pem
	run 2 "$SS_CERT" check --connect "127.0.0.1:$PORT" \
	    --hostname www.example.test --ca ca/root.pem
	has out '^CERT CRITICAL - dev1.example.test: not valid for www.example.test$'
	has out '^Hostname: +www.example.test DOES NOT MATCH$'
}

test_check_connect_missing_intermediate() {
	setup
	serve ca/good.pem ca/good.key
	run 2 "$SS_CERT" check --connect "127.0.0.1:$PORT" \
	    --hostname dev1.example.test --ca ca/root.pem
	has out '^CERT CRITICAL - dev1.example.test: chain does not verify: .*unable to get local issuer certificate'
	has out '^Chain: +does not verify: .*unable to get local issuer'
	has err 'the server does not send the intermediate certificate \(CN=Test Intermediate CA\); it must serve the full chain'
}

test_check_connect_sends_sni() {
	setup
	mkleaf other 90 "DNS:other.example.test"
	cat ca/root.pem ca/int.pem >cas.pem
	PORT=$(free_port)
	# the right certificate only for a client that asks for dev1 by SNI
	openssl s_server -accept "127.0.0.1:$PORT" -cert ca/other.pem \
	    -key ca/other.key -servername dev1.example.test -cert2 ca/good.pem \
	    -key2 ca/good.key -www -quiet >/dev/null 2>&1 &
	echo $! >"$T/s_server.pid"
	wait_port "$PORT"
	run 0 "$SS_CERT" check --connect "127.0.0.1:$PORT" \
	    --hostname dev1.example.test --ca cas.pem
	has out '^Common name: +dev1.example.test$'
	run 2 "$SS_CERT" check --connect "127.0.0.1:$PORT" --ca cas.pem
	has out '^Common name: +other.example.test$'
}

test_check_connection_refused_is_critical() {
	setup
	port=$(free_port)
	run 2 "$SS_CERT" check --connect "127.0.0.1:$port"
	has out "^CERT CRITICAL - 127.0.0.1:$port: .*refused"
}

test_check_garbage_file_is_unknown() {
	setup
	echo junk >junk.pem
	run 3 "$SS_CERT" -c security.conf check junk.pem
	has out '^CERT UNKNOWN'
	has err 'junk.pem: no PEM certificate'
}

test_check_missing_file_is_unknown() {
	setup
	run 3 "$SS_CERT" -c security.conf check nothere.pem
	has err 'nothere.pem: cannot read: No such file or directory'
}

test_check_bad_usage_is_unknown() {
	setup
	run 3 "$SS_CERT" check --connect nohostport
	has err "'nohostport' is not host:port"
	run 3 "$SS_CERT" check --connect 127.0.0.1:0
	has err "'127.0.0.1:0' is not host:port"
	run 3 "$SS_CERT" check --connect ::1:443
	has err "'::1:443' is not host:port"
	run 3 "$SS_CERT" check --warn-days many x.pem
}

run_tests
