#!/bin/bash
# ss-audit's certificate, tls and proxy checks against a real nginx on
# 127.0.0.1: the certificate it serves (self-signed, expiring, signed,
# for another name, without its intermediate, not reloaded), the TLS
# versions and ciphers it accepts, and the proxy's authentication, allow
# list and HSTS.  The test CA's root is the trust store (SSL_CERT_FILE).
. "$(dirname "$0")/lib.sh"

AUDIT=$B/ss-audit

# audit CODE [ARGS...]: ss-audit with the test configuration, trusting
# the test CA.
audit() {
	want=$1
	shift
	SSL_CERT_FILE=$T/ca/root.pem run "$want" "$AUDIT" \
	    -c "$T/security.conf" "$@"
}

# setup: the configuration, the test CA and a port for nginx's HTTPS.
setup() {
	mkconf
	mkca
	HTTPS_PORT=$(free_port)
	mkdir -p "$T/ngx/tmp"
	cat >>"$T/security.conf" <<EOC

[nginx]
certs_conf = $T/ngx/certs.conf
listen = 127.0.0.1
https_port = $HTTPS_PORT
EOC
}

# install NAME [CHAIN]: ss-cert installs $T/ca/NAME.pem for the device,
# with CHAIN (the intermediate unless "none"); certs.conf names it.
install() {
	if [ "${2:-}" = none ]; then
		cat ca/root.pem ca/int.pem >ca/both.pem
		set -- "$1" --ca ca/both.pem
	else
		set -- "$1" --chain "${2:-ca/int.pem}" --ca ca/root.pem
	fi
	"$SS_CERT" -c security.conf install --cert "ca/$1.pem" \
	    --key "ca/$1.key" --name dev1.example.test "${@:2}" 2>>install.log
	printf 'ssl_certificate %s;\nssl_certificate_key %s;\n' \
	    "$T/certs/dev1.example.test/fullchain.pem" \
	    "$T/certs/dev1.example.test/privkey.pem" >ngx/certs.conf
}

# selfsigned: the device's self-signed certificate, named in certs.conf.
selfsigned() {
	"$SS_CERT" -c security.conf selfsigned 2>>install.log
	printf 'ssl_certificate %s;\nssl_certificate_key %s;\n' \
	    "$T/certs/self/server.crt" "$T/certs/self/server.key" \
	    >ngx/certs.conf
}

# serve [DIRECTIVE...]: nginx on 127.0.0.1:$HTTPS_PORT with certs.conf
# and each DIRECTIVE in its server block.
serve() {
	{
		printf 'user root;\ndaemon on;\nworker_processes 1;\n'
		printf 'pid %s/ngx/nginx.pid;\n' "$T"
		printf 'events { worker_connections 64; }\nhttp {\n'
		printf 'access_log off;\nclient_body_temp_path %s/ngx/tmp;\n' \
		    "$T"
		printf 'server {\nlisten 127.0.0.1:%s ssl;\n' "$HTTPS_PORT"
		printf 'server_name dev1.example.test;\n'
		printf 'include %s/ngx/certs.conf;\n' "$T"
		printf '%s\n' "$@"
		printf 'location / { return 200 "ok\\n"; }\n}\n}\n'
	} >ngx/nginx.conf
	nginx -e "$T/ngx/error.log" -p "$T/ngx/" -c "$T/ngx/nginx.conf" \
	    >ngx/start.log 2>&1 || server_failed nginx ngx/start.log
	wait_for 10 test -s ngx/nginx.pid
	cp ngx/nginx.pid nginx.pid
	wait_port "$HTTPS_PORT"
}

server_failed() {
	echo "# $1 did not start:" >&2
	sed 's/^/#   /' "$2" >&2
	return 1
}

HSTS='add_header Strict-Transport-Security "max-age=63072000" always;'

test_certificate_self_signed_while_a_dns_name_is_set_is_a_warning() {
	setup
	selfsigned
	serve
	audit 1 --only certificate
	has out '^WARNING  certificate: dev1.example.test is self-signed although the device has the DNS name dev1.example.test: browsers warn on every visit; fix: ss-cert issue$'
	[ "$(wc -l <out)" -eq 1 ]
}

test_certificate_self_signed_without_a_dns_name_is_ok() {
	setup
	sed -i '/^domain = /d' security.conf
	selfsigned
	serve
	audit 0 --only certificate
	has out "^OK       certificate: dev1 \\(served on 127.0.0.1:$HTTPS_PORT\\): self-signed, valid until [0-9-]+ \\([0-9]+ days\\), EC 256 bits\$"
}

test_certificate_signed_with_its_chain_is_ok() {
	setup
	mkleaf good 90 "DNS:dev1.example.test"
	install good
	serve
	audit 0 --only certificate
	has out "^OK       certificate: dev1.example.test \\(served on 127.0.0.1:$HTTPS_PORT\\): issued by Test Intermediate CA, valid until [0-9-]+ \\((89|90) days\\), EC 256 bits\$"
}

test_certificate_expiring_within_renew_days_is_a_warning() {
	setup
	mkleaf soon 20 "DNS:dev1.example.test"
	install soon
	serve
	audit 1 --only certificate
	has out '^WARNING  certificate: dev1.example.test expires in (19|20) days, on [0-9-]+ \(renewal is due 30 days before\); fix: ss-cert renew$'
}

test_certificate_expiring_within_7_days_is_critical() {
	setup
	mkleaf soon 5 "DNS:dev1.example.test"
	install soon
	serve
	audit 2 --only certificate
	has out '^CRITICAL certificate: dev1.example.test expires in (4|5) days, on [0-9-]+ .*; fix: ss-cert renew$'
}

test_certificate_name_mismatch_is_critical() {
	setup
	mkleaf other 90 "DNS:other.example.test"
	install other
	serve
	audit 2 --only certificate
	has out '^CRITICAL certificate: other.example.test is not valid for dev1.example.test \(it names DNS:other.example.test\); fix: ss-cert issue$'
}

test_certificate_without_its_intermediate_is_critical() {
	setup
	mkleaf good 90 "DNS:dev1.example.test"
	install good none
	serve
	audit 2 --only certificate
	has out '^CRITICAL certificate: the chain of dev1.example.test is incomplete: the intermediate certificate \(CN=Test Intermediate CA\) is not served; install it with the chain, or renew; fix: ss-cert install --cert FILE --key FILE --chain FILE$'
	[ "$(wc -l <out)" -eq 1 ]
}

test_certificate_weak_key_is_a_warning() {
	setup
	(
	cd ca
	printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:dev1.example.test\n' \
	    >weak.ext
	openssl req -new -newkey rsa:1536 -nodes -keyout weak.key \
	    -out weak.csr -subj /CN=dev1.example.test
	openssl x509 -req -in weak.csr -CA int.pem -CAkey int.key \
	    -set_serial 77 -days 90 -extfile weak.ext -out weak.pem
	) >/dev/null 2>&1
	install weak
	serve 'ssl_ciphers "DEFAULT:@SECLEVEL=0";'
	audit 1 --only certificate
	has out '^WARNING  certificate: dev1.example.test has a weak RSA key of 1536 bits \(at least 2048-bit RSA or 256-bit EC\); fix: ss-cert issue$'
}

test_certificate_not_reloaded_is_a_warning() {
	setup
	mkleaf good 90 "DNS:dev1.example.test"
	mkleaf new 90 "DNS:dev1.example.test"
	install good
	serve
	install new
	audit 1 --only certificate
	has out "^WARNING  certificate: nginx serves another certificate than $T/certs/dev1.example.test/fullchain.pem: it was not reloaded since that was installed; fix: ss-nginxconf reload\$"
}

test_certificate_nginx_down_is_a_warning_and_the_file_is_judged() {
	setup
	mkleaf soon 5 "DNS:dev1.example.test"
	install soon
	audit 2 --only certificate
	has out "^WARNING  certificate: no certificate served: 127.0.0.1:$HTTPS_PORT: Connection refused \\(is nginx running\\?\\); fix: systemctl start nginx\$"
	has out '^CRITICAL certificate: dev1.example.test expires in'
}

test_tls_1_0_accepted_is_critical() {
	setup
	selfsigned
	serve 'ssl_protocols TLSv1 TLSv1.2;' 'ssl_ciphers "DEFAULT:@SECLEVEL=0";'
	audit 2 --only tls
	has out "^CRITICAL tls: 127.0.0.1:$HTTPS_PORT accepts TLSv1 \\([A-Z0-9-]+, [0-9]+ bits\\): nginx needs \"ssl_protocols TLSv1.2 TLSv1.3;\"; fix: ss-nginxconf proxy\$"
	[ "$(wc -l <out)" -eq 1 ]
}

test_tls_null_cipher_accepted_is_critical() {
	setup
	selfsigned
	serve 'ssl_protocols TLSv1.2;' 'ssl_ciphers "ALL:eNULL:@SECLEVEL=0";'
	audit 2 --only tls
	has out "^CRITICAL tls: 127.0.0.1:$HTTPS_PORT accepts the weak cipher \\([A-Z0-9-]*NULL[A-Z0-9-]*, 0 bits\\): .*; fix: ss-nginxconf proxy\$"
}

test_tls_1_2_and_1_3_only_is_ok() {
	setup
	selfsigned
	serve 'ssl_protocols TLSv1.2 TLSv1.3;'
	audit 0 --only tls
	has out "^OK       tls: 127.0.0.1:$HTTPS_PORT accepts TLSv1.2, TLSv1.3 only, with ciphers of 128 bits or more\$"
}

test_tls_and_hsts_with_nginx_down_are_warnings() {
	setup
	audit 1 --only tls,proxy
	has out "^WARNING  tls: the TLS profile could not be probed: 127.0.0.1:$HTTPS_PORT: Connection refused \\(is nginx running\\?\\); fix: systemctl start nginx\$"
	has out "^WARNING  proxy: HSTS could not be probed: 127.0.0.1:$HTTPS_PORT: Connection refused \\(is nginx running\\?\\); fix: systemctl start nginx\$"
	[ "$(wc -l <out)" -eq 2 ]
}

test_proxy_auth_none_is_critical() {
	setup
	printf 'auth = none\n' >>security.conf
	selfsigned
	serve "$HSTS"
	audit 2 --only proxy
	has out '^CRITICAL proxy: \[nginx\] auth = none: the automation server is reachable through the proxy without authentication; fix: \[nginx\] auth = basic, then ss-nginxconf proxy$'
	[ "$(wc -l <out)" -eq 1 ]
}

test_proxy_basic_auth_on_loopback_with_hsts_is_ok() {
	setup
	selfsigned
	serve "$HSTS"
	audit 0 --only proxy
	has out "^OK       proxy: auth = basic, HTTPS on loopback only, 127.0.0.1:$HTTPS_PORT sends Strict-Transport-Security: max-age=63072000\$"
}

test_proxy_no_allow_list_on_every_address_is_a_warning() {
	setup
	sed -i '/^listen = /d' security.conf
	selfsigned
	serve "$HSTS"
	audit 1 --only proxy
	has out "^WARNING  proxy: the HTTPS port $HTTPS_PORT listens on every address and \\[nginx\\] allow lets every host in; fix: \\[nginx\\] allow = NETWORK,\\.\\.\\., then ss-nginxconf proxy\$"
	printf 'allow = 192.0.2.0/24\n' >>security.conf
	audit 0 --only proxy
	has out '^OK       proxy: auth = basic, an allow list, '
}

test_proxy_hsts_missing_is_a_warning() {
	setup
	selfsigned
	serve
	audit 1 --only proxy
	has out "^WARNING  proxy: 127.0.0.1:$HTTPS_PORT sends no Strict-Transport-Security header: a browser may be led to plain HTTP; fix: ss-nginxconf proxy\$"
}

test_json_carries_the_same_findings() {
	setup
	printf 'auth = none\n' >>security.conf
	mkleaf soon 5 "DNS:dev1.example.test"
	install soon
	serve 'ssl_protocols TLSv1 TLSv1.2;' 'ssl_ciphers "DEFAULT:@SECLEVEL=0";'
	audit 2 --only certificate,tls,proxy --json
	/usr/bin/python3 - "$T/out" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "CRITICAL", d
by = {}
for f in d["findings"]:
    by.setdefault(f["id"], []).append(f)
assert [f["status"] for f in by["certificate"]] == ["CRITICAL"], by
assert by["certificate"][0]["fix"] == "ss-cert renew", by
assert "expires in" in by["certificate"][0]["seen"], by
[tls] = by["tls"]
assert tls["status"] == "CRITICAL" and tls["fix"] == "ss-nginxconf proxy", tls
assert " accepts TLSv1 (" in tls["seen"] and " bits)" in tls["seen"], tls
st = sorted((f["status"], f["fix"]) for f in by["proxy"])
assert st == [("CRITICAL", "[nginx] auth = basic, then ss-nginxconf proxy"),
              ("WARNING", "ss-nginxconf proxy")], st
EOP
}

run_tests
