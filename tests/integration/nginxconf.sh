# ss-nginxconf against a real nginx on 127.0.0.1: the certificate it
# serves (certs, reload), the reverse proxy in front of a loopback backend
# (proxy), openHAB's listen address (bind) and the router's port list
# (ports).  nginx is never left broken: what it refuses is rolled back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acme_lib.sh"
. "$(dirname "$0")/nginx_lib.sh"

NX=$SS_NGINXCONF

# custom NAME LEAF: a certificate for dev1.example.test from mkca's CA,
# installed with ss-cert under NAME.
custom() {
	[ -e ca/int.pem ] || mkca
	mkleaf "$2" 90 "DNS:dev1.example.test"
	run 0 "$SS_CERT" -c security.conf install --cert "ca/$2.pem" \
	    --key "ca/$2.key" --chain ca/int.pem --ca ca/root.pem --name "$1"
}

# serving FILE: nginx's plain TLS server serves the certificate in FILE.
serving() {
	[ "$(served_fingerprint "$NGINX_TLS_PORT")" = "$(file_fingerprint "$1")" ]
}

# nginx_asked: what ss-nginxconf ran, on one line ("test reload").
nginx_asked() {
	tr '\n' ' ' <nginx/commands.log | sed 's/ $//'
}

# snapshot FILE: a copy to compare against, and a fresh command log.
snapshot() {
	cp "$1" "$T/saved"
	: >nginx/commands.log
}

# json_has EXPR: the JSON document in $T/out makes the Python expression
# EXPR true, d standing for the document.
json_has() {
	$PY - "$T/out" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    sys.exit("not %s: %s" % (sys.argv[2], json.dumps(d, indent=1)))
PY
}

test_nginx_serves_the_self_signed_certificate() {
	nginx_start
	run 0 "$SS_CERT" check --connect "127.0.0.1:$NGINX_TLS_PORT" \
	    --hostname dev1.example.test --ca certs/self/server.crt
	has out '^CERT OK - dev1.example.test valid until'
	serving certs/self/server.crt
	has nginx/certs.conf "^ssl_certificate $T/certs/self/server.crt;\$"
	has nginx/certs.conf "^ssl_certificate_key $T/certs/self/server.key;\$"
}

test_certs_switches_to_a_custom_certificate_without_restart() {
	nginx_start
	master=$(nginx_master)
	custom dev1.example.test leaf
	run 0 "$NX" -c security.conf certs --name dev1.example.test
	[ "$(nginx_asked)" = "test reload" ]
	has nginx/certs.conf "^ssl_certificate $T/certs/dev1.example.test/fullchain.pem;\$"
	has nginx/certs.conf "^ssl_certificate_key $T/certs/dev1.example.test/privkey.pem;\$"
	serving ca/leaf.pem
	run 0 "$SS_CERT" check --connect "127.0.0.1:$NGINX_TLS_PORT" \
	    --hostname dev1.example.test --ca ca/root.pem
	has out '^CERT OK - dev1.example.test valid until'
	has out '^Chain: +complete and trusted$'
	[ "$(nginx_master)" = "$master" ]
	# and back
	run 0 "$NX" -c security.conf certs --self
	serving certs/self/server.crt
	[ "$(nginx_master)" = "$master" ]
}

test_certs_without_a_name_takes_the_fqdn_when_signed_else_self() {
	nginx_start
	run 0 "$NX" -c security.conf certs --dry-run
	has out "^ssl_certificate $T/certs/self/server.crt;\$"
	custom dev1.example.test leaf
	run 0 "$NX" -c security.conf certs
	has nginx/certs.conf "^ssl_certificate $T/certs/dev1.example.test/fullchain.pem;\$"
	serving ca/leaf.pem
}

test_certs_dry_run_prints_the_file_and_changes_nothing() {
	nginx_start
	custom dev1.example.test leaf
	snapshot nginx/certs.conf
	run 0 "$NX" -c security.conf certs --name dev1.example.test --dry-run
	has out "^ssl_certificate $T/certs/dev1.example.test/fullchain.pem;\$"
	has out "^ssl_certificate_key $T/certs/dev1.example.test/privkey.pem;\$"
	cp out dry.out
	run 0 "$NX" -c security.conf -n certs --name dev1.example.test
	cmp out dry.out
	cmp nginx/certs.conf saved
	[ ! -s nginx/commands.log ]
	serving certs/self/server.crt
}

test_certs_unchanged_does_nothing() {
	nginx_start
	snapshot nginx/certs.conf
	before=$(stat -c %i.%Y nginx/certs.conf)
	run 0 "$NX" -c security.conf certs --self
	has err 'certs.conf: unchanged'
	[ ! -s nginx/commands.log ]
	[ "$before" = "$(stat -c %i.%Y nginx/certs.conf)" ]
}

test_certs_names_dhparam_when_present() {
	nginx_start
	# RFC 7919's group: instant, unlike ss-cert dhparam
	openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 \
	    -out certs/dhparam.pem 2>/dev/null
	run 0 "$NX" -c security.conf certs --self
	has nginx/certs.conf "^ssl_dhparam $T/certs/dhparam.pem;\$"
	[ "$(nginx_asked)" = "test reload" ]
	serving certs/self/server.crt
}

test_certs_mismatched_key_is_refused_before_nginx_is_asked() {
	nginx_start
	custom bad a
	mkleaf b 90 "DNS:dev1.example.test"
	# a key from elsewhere, put in by hand
	cp ca/b.key certs/bad/privkey-1.pem
	snapshot nginx/certs.conf
	run 65 "$NX" -c security.conf certs --name bad
	has err "privkey.pem: key does not match the certificate in .*/bad/fullchain.pem"
	cmp nginx/certs.conf saved
	[ ! -s nginx/commands.log ]
	serving certs/self/server.crt
}

test_certs_nginx_refuses_puts_the_previous_file_back() {
	nginx_start
	master=$(nginx_master)
	# An RSA 1024 certificate: ss-nginxconf loads the pair and it
	# matches, but nginx's OpenSSL (security level 2) will not serve it.
	mkdir -p certs/weak
	openssl req -x509 -newkey rsa:1024 -nodes -keyout certs/weak/privkey.pem \
	    -out certs/weak/fullchain.pem -days 30 -subj /CN=dev1.example.test \
	    2>/dev/null
	snapshot nginx/certs.conf
	run 65 "$NX" -c security.conf certs --name weak
	has err 'nginx: \[emerg\] SSL_CTX_use_certificate.*ee key too small'
	has err "certs.conf: nginx refuses the configuration with it"
	has err "certs.conf: previous version put back"
	cmp nginx/certs.conf saved
	[ "$(nginx_asked)" = test ]
	serving certs/self/server.crt
	[ "$(nginx_master)" = "$master" ]
}

# The reload fails while nginx runs (systemd refusing it, say).
test_certs_failed_reload_puts_the_previous_file_back() {
	nginx_start
	custom dev1.example.test leaf
	printf '#!/bin/sh\necho reload >>%s\nexit 1\n' "$T/nginx/commands.log" \
	    >nginx/reload-refused
	chmod 755 nginx/reload-refused
	conf_set nginx reload_command "$T/nginx/reload-refused"
	snapshot nginx/certs.conf
	run 69 "$NX" -c security.conf certs --name dev1.example.test
	has err "nginx reload: '.*/reload-refused' exited 1"
	has err "certs.conf: previous version put back"
	cmp nginx/certs.conf saved
	[ "$(nginx_asked)" = "test reload" ]
	serving certs/self/server.crt
}

test_certs_prepared_while_nginx_is_stopped_is_served_when_it_starts() {
	nginx_prepare
	run 0 "$NX" -c security.conf certs --self
	has err "^ss-nginxconf: nginx is not running: $T/nginx/certs.conf written and tested, not reloaded; it takes effect when nginx starts\$"
	[ "$(nginx_asked)" = test ]
	has nginx/certs.conf "^ssl_certificate $T/certs/self/server.crt;\$"
	nginx_run
	serving certs/self/server.crt
}

test_certs_with_nginx_stopped_still_tests_and_rolls_back() {
	nginx_start
	nginx_stop
	mkdir -p certs/weak
	openssl req -x509 -newkey rsa:1024 -nodes -keyout certs/weak/privkey.pem \
	    -out certs/weak/fullchain.pem -days 30 -subj /CN=dev1.example.test \
	    2>/dev/null
	snapshot nginx/certs.conf
	run 65 "$NX" -c security.conf certs --name weak
	has err "certs.conf: nginx refuses the configuration with it"
	has err "certs.conf: previous version put back"
	cmp nginx/certs.conf saved
	[ "$(nginx_asked)" = test ]
}

test_certs_refused_first_write_removes_the_file() {
	nginx_prepare
	mkdir -p certs/weak
	openssl req -x509 -newkey rsa:1024 -nodes -keyout certs/weak/privkey.pem \
	    -out certs/weak/fullchain.pem -days 30 -subj /CN=dev1.example.test \
	    2>/dev/null
	run 65 "$NX" -c security.conf certs --name weak
	has err "certs.conf: nginx refuses the configuration with it"
	has err "^ss-nginxconf: removed $T/nginx/certs.conf; there was no previous version\$"
	lacks err 'previous version put back'
	[ ! -e nginx/certs.conf ]
}

test_certs_without_a_certificate_yet_suggests_ss_cert_selfsigned() {
	mkconf
	nginx_prepare
	rm -r certs/self
	run 66 "$NX" -c security.conf certs
	has err "^ss-nginxconf: $T/certs/self/server.crt: no certificate yet; run: ss-cert selfsigned\$"
	[ ! -e nginx/certs.conf ]
	[ ! -s nginx/commands.log ]
}

test_certs_named_certificate_missing_says_how_to_install_it() {
	nginx_prepare
	run 66 "$NX" -c security.conf certs --name home
	has err "^ss-nginxconf: $T/certs/home/fullchain.pem: no certificate home yet; install it with ss-cert install --name home"
	[ ! -e nginx/certs.conf ]
}

test_certs_second_identical_run_changes_nothing() {
	nginx_start
	custom dev1.example.test leaf
	run 0 "$NX" -c security.conf certs
	: >nginx/commands.log
	files_state nginx state >before
	run 0 "$NX" -c security.conf certs --json
	json_has 'd["changed"] is False and d["action"] == "unchanged" and \
	    d["paths"] == [] and d["reloaded"] is False and "diff" not in d'
	has err 'certs.conf: unchanged'
	files_state nginx state >after
	diff before after
	[ ! -s nginx/commands.log ]
}

test_certs_json_reports_the_file_written_and_the_reload() {
	nginx_start
	custom dev1.example.test leaf
	cp nginx/certs.conf old
	run 0 "$NX" -c security.conf certs --name dev1.example.test --json
	json_has 'd["changed"] is True and d["action"] == "written" and \
	    d["paths"] == [d["file"]] and d["file"].endswith("/nginx/certs.conf") \
	    and d["nginx"] == "running" and d["reloaded"] is True and \
	    d["certificate"] == "dev1.example.test" and "dry_run" not in d'
	json_has 'd["diff"]["before"] == open("old").read() and \
	    d["diff"]["after"] == open("nginx/certs.conf").read() and \
	    d["diff"]["before_header"] == d["file"]'
	[ "$(nginx_asked)" = "test reload" ]
}

test_certs_json_with_nginx_stopped_says_not_reloaded() {
	nginx_prepare
	run 0 "$NX" -c security.conf certs --json
	json_has 'd["changed"] is True and d["action"] == "written" and \
	    d["nginx"] == "stopped" and d["reloaded"] is False and \
	    d["diff"]["before"] == ""'
}

test_certs_dry_run_json_says_what_would_change_and_changes_nothing() {
	nginx_start
	custom dev1.example.test leaf
	: >nginx/commands.log
	files_state nginx certs >before
	run 0 "$NX" -c security.conf -n certs --name dev1.example.test --json
	json_has 'd["dry_run"] is True and d["changed"] is True and \
	    d["paths"] == [d["file"]] and d["reloaded"] is True and \
	    "/dev1.example.test/fullchain.pem" in d["diff"]["after"]'
	has err 'certs.conf: would be written, tested and nginx reloaded'
	files_state nginx certs >after
	[ ! -e state ]
	diff before after
	[ ! -s nginx/commands.log ]
	run 0 "$NX" -c security.conf certs --self --dry-run --json
	json_has 'd["dry_run"] is True and d["changed"] is False and \
	    d["action"] == "unchanged" and d["paths"] == []'
}

test_reload_tests_then_reloads() {
	nginx_start
	master=$(nginx_master)
	workers=$(nginx_workers)
	run 0 "$NX" -c security.conf reload
	[ "$(nginx_asked)" = "test reload" ]
	[ "$(nginx_master)" = "$master" ]
	[ "$(pgrep -P "$master")" != "$workers" ]
}

test_reload_with_nginx_stopped_tests_and_exits_0() {
	nginx_start
	nginx_stop
	: >nginx/commands.log
	run 0 "$NX" -c security.conf reload --json
	has err '^ss-nginxconf: nginx is not running: configuration tested, not reloaded; it takes effect when nginx starts$'
	[ "$(nginx_asked)" = test ]
	json_has 'd["changed"] is False and d["action"] == "tested" and \
	    d["paths"] == [] and d["nginx"] == "stopped" and \
	    d["reloaded"] is False'
}

test_reload_json_says_reloaded() {
	nginx_start
	run 0 "$NX" -c security.conf reload --json
	json_has 'd["changed"] is True and d["action"] == "reloaded" and \
	    d["paths"] == [] and d["nginx"] == "running" and \
	    d["reloaded"] is True'
	[ "$(nginx_asked)" = "test reload" ]
}

# A pid file left behind, its number now another program's.
test_reload_with_a_stale_pid_file_does_not_reload() {
	nginx_start
	nginx_stop
	sleep 30 &
	echo $! >nginx/nginx.pid
	echo $! >sleep.pid
	: >nginx/commands.log
	run 0 "$NX" -c security.conf reload
	has err 'nginx is not running: configuration tested, not reloaded'
	[ "$(nginx_asked)" = test ]
}

test_reload_with_nginx_stopped_still_fails_when_the_test_does() {
	nginx_start
	nginx_stop
	echo garbage >certs/self/server.key
	run 65 "$NX" -c security.conf reload
	has err 'nginx: \[emerg\] .*server.key'
	lacks err 'not running'
}

test_reload_does_not_reload_when_the_test_fails() {
	nginx_start
	master=$(nginx_master)
	workers=$(nginx_workers)
	# the files behind certs.conf replaced by something that is no key
	cp certs/self/server.key server.key.good
	echo garbage >certs/self/server.key
	run 65 "$NX" -c security.conf reload
	has err 'nginx: \[emerg\] .*server.key'
	[ "$(nginx_asked)" = test ]
	[ "$(pgrep -P "$master")" = "$workers" ]
	serving certs/self/server.crt
}

# get PATH [CURL ARGS...]: PATH from the proxy as https://dev1.example.test
# (trusting the self-signed certificate); prints the status, the body goes
# to $T/body.
get() {
	_p=$1
	shift
	curl -sS -o "$T/body" -w '%{http_code}\n' \
	    --cacert "$T/certs/self/server.crt" \
	    --resolve "dev1.example.test:$NGINX_HTTPS_PORT:127.0.0.1" "$@" \
	    "https://dev1.example.test:$NGINX_HTTPS_PORT$_p"
}

# proxy_started: the backend, nginx and ss-nginxconf's proxy site, with
# [nginx] changed first by conf_set for each KEY=VALUE given.
proxy_started() {
	backend_start
	nginx_start
	for kv in "$@"; do
		conf_set nginx "${kv%%=*}" "${kv#*=}"
	done
	run 0 "$NX" -c security.conf proxy
	[ "$(nginx_asked)" = "test reload" ]
}

# clientca DIR: a CA in DIR (ca.pem) and a client certificate it signed
# (client.pem, client.key).
clientca() {
	mkdir -p "$1"
	(
	cd "$1" || exit
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout ca.key -out ca.pem -days 30 -subj "/CN=Client CA $1" \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign
	printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >client.ext
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout client.key -out client.csr -subj /CN=owner
	openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key \
	    -set_serial "0x$(openssl rand -hex 8)" -days 30 -extfile client.ext \
	    -out client.pem
	) >/dev/null 2>&1
}

test_proxy_basic_auth_401_without_credentials_200_with() {
	proxy_started
	has nginx/site.conf "^	auth_basic_user_file $T/nginx/htpasswd;\$"
	[ "$(get /rest/items)" = 401 ]
	[ "$(get /rest/items -u "$NGINX_USER:wrong-pass")" = 401 ]
	[ ! -s backend.requests ]
	[ "$(get '/rest/items?q=1' -u "$NGINX_USER:$NGINX_PASSWORD")" = 200 ]
	has body '^path: /rest/items\?q=1$'
	has body '^host: dev1.example.test$'
	has body '^x-forwarded-proto: https$'
	has body '^x-real-ip: 127.0.0.1$'
	has body '^x-forwarded-for: 127.0.0.1$'
	[ "$(wc -l <backend.requests)" = 1 ]
}

# nginx's ssl_verify_client completes the handshake and answers 400
# itself; either way nothing reaches the backend.
test_proxy_client_certificate_required() {
	clientca clientca
	clientca other
	proxy_started auth=clientcert "client_ca_file=$T/clientca/ca.pem"
	has nginx/site.conf '^	ssl_verify_client on;$'
	lacks nginx/site.conf 'auth_basic'
	[ "$(get /rest)" = 400 ]
	has body 'No required SSL certificate was sent'
	[ "$(get /rest --cert other/client.pem --key other/client.key)" = 400 ]
	has body 'The SSL certificate error'
	[ ! -s backend.requests ]
	[ "$(get /rest --cert clientca/client.pem --key clientca/client.key)" = 200 ]
	has body '^path: /rest$'
}

test_proxy_allow_list_without_the_client_is_403() {
	proxy_started allow=10.0.0.0/8
	has nginx/site.conf '^	allow 10.0.0.0/8;$'
	has nginx/site.conf '^	deny all;$'
	[ "$(get /rest -u "$NGINX_USER:$NGINX_PASSWORD")" = 403 ]
	[ ! -s backend.requests ]
}

test_http_port_redirects_to_https_but_serves_acme_challenges() {
	proxy_started
	printf 'tok-42.thumbprint\n' >webroot/.well-known/acme-challenge/tok-42
	h=dev1.example.test:$NGINX_HTTP_PORT
	r=$(curl -sS -o body -w '%{http_code} %{redirect_url}' \
	    --resolve "$h:127.0.0.1" "http://$h/rest/items?q=1")
	[ "$r" = "301 https://dev1.example.test:$NGINX_HTTPS_PORT/rest/items?q=1" ]
	r=$(curl -sS -o body -w '%{http_code}' --resolve "$h:127.0.0.1" \
	    "http://$h/.well-known/acme-challenge/tok-42")
	[ "$r" = 200 ]
	cmp body webroot/.well-known/acme-challenge/tok-42
	r=$(curl -sS -o body -w '%{http_code}' --resolve "$h:127.0.0.1" \
	    "http://$h/.well-known/acme-challenge/no-such-token")
	[ "$r" = 404 ]
	[ ! -s backend.requests ]
}

test_websocket_upgrade_reaches_the_backend() {
	proxy_started
	ws_echo "$NGINX_HTTPS_PORT" "item Light_1 ON" \
	    "$NGINX_USER:$NGINX_PASSWORD" >ws.out
	[ "$(cat ws.out)" = "item Light_1 ON" ]
	has backend.requests '^websocket	GET	/ws	dev1.example.test	https	127.0.0.1	'
	# and not without the password
	if ws_echo "$NGINX_HTTPS_PORT" "item Light_1 OFF" 2>ws.err; then
		return 1
	fi
	has ws.err '^no upgrade: HTTP/1.1 401'
	[ "$(grep -c '^websocket' backend.requests)" = 1 ]
}

test_proxy_tls_has_no_old_protocols_or_weak_ciphers() {
	proxy_started
	sslscan --no-colour --sni-name=dev1.example.test \
	    --xml="$T/scan.xml" "127.0.0.1:$NGINX_HTTPS_PORT" >scan.out
	$PY - "$T/scan.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot().find("ssltest")
on = {(p.get("type"), p.get("version")): p.get("enabled")
      for p in r.iter("protocol")}
assert on[("ssl", "3")] == "0" and on[("tls", "1.0")] == "0" and \
    on[("tls", "1.1")] == "0", on
assert on[("tls", "1.2")] == "1" and on[("tls", "1.3")] == "1", on
ciphers = [c for c in r.iter("cipher")
           if c.get("status") in ("accepted", "preferred")]
assert ciphers, "no cipher accepted at all"
for c in ciphers:
    assert int(c.get("bits")) >= 128, c.attrib
    assert c.get("strength") not in ("null", "anonymous", "weak"), c.attrib
PY
	curl -sS -o /dev/null -D headers --cacert certs/self/server.crt \
	    --resolve "dev1.example.test:$NGINX_HTTPS_PORT:127.0.0.1" \
	    "https://dev1.example.test:$NGINX_HTTPS_PORT/"
	has headers '^strict-transport-security: max-age=[0-9]{8}'
}

test_proxy_prepared_while_nginx_is_stopped_serves_when_it_starts() {
	backend_start
	nginx_prepare
	run 0 "$NX" -c security.conf certs
	run 0 "$NX" -c security.conf proxy
	has err "nginx is not running: $T/nginx/site.conf written and tested, not reloaded; it takes effect when nginx starts"
	[ "$(nginx_asked)" = "test test" ]
	nginx_run
	[ "$(get /rest -u "$NGINX_USER:$NGINX_PASSWORD")" = 200 ]
}

test_proxy_redirect_uses_public_https_port() {
	proxy_started public_https_port=8443
	has nginx/site.conf '^		return 301 https://\$host:8443\$request_uri;$'
	h=dev1.example.test:$NGINX_HTTP_PORT
	curl -sS -I --resolve "$h:127.0.0.1" "http://$h/rest/items?q=1" >headers
	has headers '^HTTP/1.1 301'
	has headers '^Location: https://dev1.example.test:8443/rest/items\?q=1'
	run 0 "$NX" -c security.conf ports
	has out "^HTTPS	tcp	8443	$NGINX_HTTPS_PORT\$"
}

test_proxy_redirect_to_public_port_443_has_no_port() {
	proxy_started public_https_port=443
	h=dev1.example.test:$NGINX_HTTP_PORT
	curl -sS -I --resolve "$h:127.0.0.1" "http://$h/rest/items" >headers
	has headers '^Location: https://dev1.example.test/rest/items'
}

test_proxy_without_htpasswd_file_says_run_ss_passwd() {
	nginx_start
	rm nginx/htpasswd
	snapshot nginx/site.conf
	run 66 "$NX" -c security.conf proxy
	has err "^ss-nginxconf: $T/nginx/htpasswd: no such file .*; add a web user, run: ss-passwd htpasswd NAME\$"
	cmp nginx/site.conf saved
	[ ! -s nginx/commands.log ]
}

test_proxy_without_certs_conf_says_run_certs() {
	nginx_prepare
	run 66 "$NX" -c security.conf proxy
	has err "^ss-nginxconf: $T/nginx/certs.conf: no such file .*; run: ss-nginxconf certs\$"
	[ ! -s nginx/site.conf ]
	[ ! -s nginx/commands.log ]
}

test_proxy_second_identical_run_changes_nothing() {
	proxy_started
	: >nginx/commands.log
	files_state nginx state openhab.defaults >before
	run 0 "$NX" -c security.conf proxy --json
	json_has 'd["changed"] is False and d["action"] == "unchanged" and \
	    d["paths"] == [] and d["reloaded"] is False'
	has err 'site.conf: unchanged'
	files_state nginx state openhab.defaults >after
	diff before after
	[ ! -s nginx/commands.log ]
}

test_proxy_dry_run_json_changes_nothing() {
	backend_start
	nginx_start
	: >nginx/commands.log
	files_state nginx >before
	run 0 "$NX" -c security.conf proxy --dry-run --json
	json_has 'd["dry_run"] is True and d["changed"] is True and \
	    d["action"] == "written" and d["paths"] == [d["file"]] and \
	    "proxy_pass" in d["diff"]["after"] and d["diff"]["before"] == ""'
	files_state nginx >after
	[ ! -e state ]
	diff before after
	[ ! -s nginx/commands.log ]
}

test_proxy_auth_none_needs_allow_no_auth() {
	backend_start
	nginx_start
	conf_set nginx auth none
	snapshot nginx/site.conf
	run 78 "$NX" -c security.conf proxy
	has err 'auth = none lets anyone .* refused without --allow-no-auth'
	cmp nginx/site.conf saved
	[ ! -s nginx/commands.log ]
	run 0 "$NX" -c security.conf proxy --allow-no-auth
	lacks nginx/site.conf 'auth_basic|ssl_verify_client'
	[ "$(get /rest)" = 200 ]
}

test_proxy_refuses_a_backend_that_is_not_loopback() {
	nginx_start
	conf_set nginx backend http://192.0.2.1:8080
	snapshot nginx/site.conf
	run 78 "$NX" -c security.conf proxy
	has err 'backend: 192.0.2.1 is not a loopback address'
	cmp nginx/site.conf saved
	[ ! -s nginx/commands.log ]
	run 0 "$NX" -c security.conf proxy --allow-exposed --dry-run
	has out '^		proxy_pass http://192.0.2.1:8080;$'
	cmp nginx/site.conf saved
	[ ! -s nginx/commands.log ]
}

test_proxy_refuses_an_exposed_openhab_until_bind() {
	backend_start
	nginx_start
	snapshot nginx/site.conf
	printf 'OPENHAB_HTTP_PORT=8080\n' >openhab.defaults
	run 78 "$NX" -c security.conf proxy
	has err 'openhab.defaults: OPENHAB_HTTP_ADDRESS is not set'
	printf 'OPENHAB_HTTP_ADDRESS=0.0.0.0\nOPENHAB_HTTP_PORT=8080\n' \
	    >openhab.defaults
	run 78 "$NX" -c security.conf proxy
	has err 'openhab.defaults: OPENHAB_HTTP_ADDRESS=0.0.0.0 is not a loopback address'
	cmp nginx/site.conf saved
	[ ! -s nginx/commands.log ]
	run 0 "$NX" -c security.conf bind
	has openhab.defaults '^OPENHAB_HTTP_ADDRESS=127.0.0.1$'
	run 0 "$NX" -c security.conf proxy
	[ "$(get /rest -u "$NGINX_USER:$NGINX_PASSWORD")" = 200 ]
}

# openhab_defaults: security.conf and a defaults file the way the
# package and its owner leave it; a copy in $T/before.
openhab_defaults() {
	mkconf
	conf_set openhab defaults_file "$T/openhab.defaults"
	cat >openhab.defaults <<'EOD'
# openHAB defaults, read by the service and by openhab-cli
#OPENHAB_HTTP_ADDRESS=
OPENHAB_HTTP_ADDRESS=0.0.0.0
OPENHAB_HTTP_PORT=8080

	# memory for a small board
export EXTRA_JAVA_OPTS="-Xms192m -Xmx320m -XX:+ExitOnOutOfMemoryError"
OPENHAB_BACKUPS='/var/lib/openhab/backups'  # the owner's
EOD
	chmod 640 openhab.defaults
	cp openhab.defaults before
}

test_bind_changes_only_the_address_line() {
	openhab_defaults
	run 0 "$NX" -c security.conf bind
	diff before openhab.defaults >changes || true
	printf '%s\n' 3c3 '< OPENHAB_HTTP_ADDRESS=0.0.0.0' --- \
	    '> OPENHAB_HTTP_ADDRESS=127.0.0.1' >want
	diff want changes
	[ "$(mode_of openhab.defaults)" = 640 ]
	cp openhab.defaults once
	run 0 "$NX" -c security.conf bind
	has err 'nothing to change'
	cmp once openhab.defaults
}

test_bind_second_identical_run_changes_nothing() {
	openhab_defaults
	run 0 "$NX" -c security.conf bind --json
	json_has 'd["changed"] is True and d["action"] == "written" and \
	    d["paths"] == [d["file"]] and d["http_address"] == "127.0.0.1" \
	    and d["diff"]["before"] == open("before").read() and \
	    d["diff"]["after"] == open("openhab.defaults").read() and \
	    "nginx" not in d'
	files_state openhab.defaults >state1
	run 0 "$NX" -c security.conf bind --json
	json_has 'd["changed"] is False and d["action"] == "unchanged" and \
	    d["paths"] == [] and "diff" not in d'
	has err 'openhab.defaults: nothing to change'
	files_state openhab.defaults >state2
	diff state1 state2
}

test_bind_dry_run_json_changes_nothing() {
	openhab_defaults
	files_state openhab.defaults >state1
	run 0 "$NX" -c security.conf -n bind --json
	json_has 'd["dry_run"] is True and d["changed"] is True and \
	    d["paths"] == [d["file"]] and \
	    "OPENHAB_HTTP_ADDRESS=127.0.0.1" in d["diff"]["after"]'
	files_state openhab.defaults >state2
	diff state1 state2
}

test_bind_sets_the_ports_when_configured() {
	openhab_defaults
	conf_set openhab http_port 8081
	conf_set openhab https_port 8444
	run 0 "$NX" -c security.conf bind
	# the address and the HTTP port where they were, the HTTPS port added
	sed -e 's/^OPENHAB_HTTP_ADDRESS=.*/OPENHAB_HTTP_ADDRESS=127.0.0.1/' \
	    -e 's/^OPENHAB_HTTP_PORT=.*/OPENHAB_HTTP_PORT=8081/' before >want
	printf 'OPENHAB_HTTPS_PORT=8444\n' >>want
	diff want openhab.defaults
}

test_bind_dry_run_prints_the_file_and_changes_nothing() {
	openhab_defaults
	run 0 "$NX" -c security.conf bind --dry-run
	sed 's/^OPENHAB_HTTP_ADDRESS=.*/OPENHAB_HTTP_ADDRESS=127.0.0.1/' \
	    before >want
	diff want out
	cmp before openhab.defaults
}

test_bind_malformed_line_is_65_and_changes_nothing() {
	openhab_defaults
	sed -i '5i this line is no setting' openhab.defaults
	cp openhab.defaults before
	run 65 "$NX" -c security.conf bind
	has err "^ss-nginxconf: $T/openhab.defaults:5: not a NAME=value line\$"
	cmp before openhab.defaults
}

# ports_conf: SSH, MQTT and nginx on ports other than the router's.
ports_conf() {
	mkconf
	conf_set device ssh_port 2222
	conf_set device mqtt_port 8884
	conf_set nginx http_port 8080
	conf_set nginx https_port 8443
}

test_ports_table_lists_what_the_router_forwards() {
	ports_conf
	run 0 "$NX" -c security.conf ports
	printf 'SSH\ttcp\t22\t2222\nSFTP\ttcp\t22\t2222\nHTTP\ttcp\t80\t8080\nHTTPS\ttcp\t443\t8443\nMQTT\ttcp\t8883\t8884\n' >want
	diff want out
}

test_ports_without_http01_has_no_http_row() {
	ports_conf
	conf_set acme challenge dns-01
	conf_set device sftp no
	run 0 "$NX" -c security.conf ports
	printf 'SSH\ttcp\t22\t2222\nHTTPS\ttcp\t443\t8443\nMQTT\ttcp\t8883\t8884\n' >want
	diff want out
}

test_ports_lists_the_public_https_port() {
	ports_conf
	conf_set nginx public_https_port 8444
	run 0 "$NX" -c security.conf ports
	has out '^HTTPS	tcp	8444	8443$'
}

test_ports_json_is_one_array() {
	ports_conf
	run 0 "$NX" -c security.conf ports --json
	$PY - "$T/out" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
assert isinstance(rows, list), rows
got = [(r["service"], r["protocol"], r["external_port"], r["device_port"])
       for r in rows]
assert got == [("SSH", "tcp", 22, 2222), ("SFTP", "tcp", 22, 2222),
               ("HTTP", "tcp", 80, 8080), ("HTTPS", "tcp", 443, 8443),
               ("MQTT", "tcp", 8883, 8884)], got
PY
}

test_certs_state_dir_writable_by_others_is_refused() {
	nginx_start
	snapshot nginx/certs.conf
	mkdir -p state
	chmod 777 state
	run 78 "$NX" -c security.conf certs --name self
	has err "state: writable by group or others \(mode 0777\); chmod go-w $T/state"
	cmp "$T/saved" nginx/certs.conf
	[ "$(nginx_asked)" = "" ]
}

test_certs_name_planted_as_a_symlink_is_refused() {
	nginx_start
	custom real leaf
	ln -s "$T/certs/real" certs/planted
	snapshot nginx/certs.conf
	run 73 "$NX" -c security.conf certs --name planted
	has err "$T/certs/planted: is a symbolic link, not a directory"
	cmp "$T/saved" nginx/certs.conf
	[ "$(nginx_asked)" = "" ]
	serving certs/self/server.crt
}

test_certs_key_link_pointing_out_of_its_folder_is_refused() {
	nginx_start
	custom dev1.example.test leaf
	mkdir -m 700 elsewhere
	cp ca/leaf.key elsewhere/key.pem
	ln -sfn "$T/elsewhere/key.pem" certs/dev1.example.test/privkey.pem
	snapshot nginx/certs.conf
	run 65 "$NX" -c security.conf certs --name dev1.example.test
	has err "privkey.pem: points at $T/elsewhere/key.pem, not at a file of this folder; remove it"
	cmp "$T/saved" nginx/certs.conf
	[ "$(nginx_asked)" = "" ]
	serving certs/self/server.crt
}

test_bind_keeps_the_owner_and_mode_of_the_file() {
	openhab_defaults
	chown 65534:65534 openhab.defaults
	run 0 "$NX" -c security.conf bind
	[ "$(stat -c '%u:%g %a' openhab.defaults)" = "65534:65534 640" ]
}

run_tests
