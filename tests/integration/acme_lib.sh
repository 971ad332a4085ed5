# ACME test servers, sourced after lib.sh: bind9 named for the test zone
# (A records and dns-01 TXT records by RFC 2136 with TSIG), pebble with a
# throwaway HTTPS certificate, a webroot for http-01, a stub ACME server,
# and an [acme] configuration that points at them.  Everything listens on
# 127.0.0.1 on free ports; each server leaves $T/NAME.pid for run_tests.
#
#   named_start            exports DNS_PORT, NS_KEY
#   pebble_start           exports PEBBLE_PORT, PEBBLE_MGMT, PEBBLE_DIR,
#                          PEBBLE_CA, HTTP01_PORT (and with PEBBLE_EAB=1:
#                          PEBBLE_EAB_KID, PEBBLE_EAB_KEY_FILE)
#   pebble_restart         pebble again on the same ports; it forgets
#                          every account and order
#   pebble_root FILE       pebble's issuing root (new on every start)
#   pebble_intermediate FILE
#   webroot_serve DIR      plain HTTP on 127.0.0.1:$HTTP01_PORT
#   stub_start MODE ...    acme_stub.py; exports STUB_PORT, STUB_DIR
#   acme_conf [CHALLENGE]  $T/security.conf with an [acme] section (pebble
#                          also as the staging CA, hooks_dir $T/hooks)

PY=/usr/bin/python3

# free_ports N: N distinct free TCP ports on 127.0.0.1, one a line (all
# bound at once, so they differ from each other).
free_ports() {
	$PY -c '
import socket, sys
ss = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    ss.append(s)
for s in ss:
    print(s.getsockname()[1])' "$1"
}

# server_failed NAME LOG: says NAME did not come up, with its log.
server_failed() {
	echo "# $1 did not start; its log:" >&2
	sed 's/^/#   /' "$2" >&2 || true
	return 1
}

_dns_ready() {
	[ "$(dig @127.0.0.1 -p "$DNS_PORT" +time=1 +tries=1 +short \
	    dev1.example.test A)" = 127.0.0.1 ]
}

# named_start: bind9 authoritative for example.test on 127.0.0.1:$DNS_PORT,
# dynamic updates signed with the TSIG key in $NS_KEY.
named_start() {
	_d=$T/named
	mkdir -p "$_d"
	DNS_PORT=$(free_port)
	NS_KEY=$_d/tsig.key
	export DNS_PORT NS_KEY
	tsig-keygen -a hmac-sha256 ss-test >"$NS_KEY"
	chmod 600 "$NS_KEY"
	cat >"$_d/example.test.zone" <<EOZ
\$TTL 60
@	IN SOA	ns.example.test. hostmaster.example.test. ( 1 3600 600 86400 60 )
	IN NS	ns.example.test.
ns	IN A	127.0.0.1
dev1	IN A	127.0.0.1
www	IN A	127.0.0.1
*	IN A	127.0.0.1
EOZ
	cat >"$_d/named.conf" <<EOC
options {
	directory "$_d";
	pid-file "$_d/named.pid";
	session-keyfile "$_d/session.key";
	managed-keys-directory "$_d";
	listen-on port $DNS_PORT { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	allow-query { any; };
	dnssec-validation no;
	notify no;
};
controls { };
include "$NS_KEY";
zone "example.test" {
	type primary;
	file "$_d/example.test.zone";
	journal "$_d/example.test.zone.jnl";
	update-policy { grant ss-test zonesub ANY; };
};
EOC
	named -4 -g -u root -c "$_d/named.conf" >"$_d/named.log" 2>&1 &
	echo $! >"$T/named.pid"
	wait_for 10 _dns_ready || server_failed named "$_d/named.log"
}

# pebble_start: pebble on 127.0.0.1 resolving names through named_start's
# server.  PEBBLE_VA_NOSLEEP=1; other PEBBLE_* variables the caller
# exported (PEBBLE_WFE_NONCEREJECT, PEBBLE_AUTHZREUSE, ...) reach it too.
# PEBBLE_EAB=1 makes external account binding required, with key id
# $PEBBLE_EAB_KID and the base64url HMAC key in $T/pebble/eab.key.
pebble_start() {
	: "${DNS_PORT:?pebble_start needs named_start first}"
	_d=$T/pebble
	mkdir -p "$_d"
	# shellcheck disable=SC2046 # four numbers
	set -- $(free_ports 4)
	PEBBLE_PORT=$1 PEBBLE_MGMT=$2 HTTP01_PORT=$3 _tls=$4
	(
	cd "$_d"
	printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' >cert.ext
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout ca.key -out ca.pem -days 30 -subj "/CN=ss-test pebble HTTPS CA" \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout key.pem -out cert.csr -subj /CN=localhost
	openssl x509 -req -in cert.csr -CA ca.pem -CAkey ca.key \
	    -set_serial "0x$(openssl rand -hex 8)" -days 30 -extfile cert.ext \
	    -out cert.pem
	) >"$_d/openssl.log" 2>&1 || server_failed "openssl for pebble" "$_d/openssl.log"
	_eab=false _keys=
	if [ "${PEBBLE_EAB:-0}" = 1 ]; then
		PEBBLE_EAB_KID=kid-1
		PEBBLE_EAB_KEY_FILE=$_d/eab.key
		export PEBBLE_EAB_KID PEBBLE_EAB_KEY_FILE
		# 48 bytes: base64url without padding either way
		(umask 077; openssl rand 48 | basenc --base64url -w0 >"$_d/eab.key")
		_eab=true
		_keys=",
    \"externalAccountMACKeys\": { \"$PEBBLE_EAB_KID\": \"$(cat "$_d/eab.key")\" }"
	fi
	cat >"$_d/pebble.json" <<EOC
{
  "pebble": {
    "listenAddress": "127.0.0.1:$PEBBLE_PORT",
    "managementListenAddress": "127.0.0.1:$PEBBLE_MGMT",
    "certificate": "$_d/cert.pem",
    "privateKey": "$_d/key.pem",
    "httpPort": $HTTP01_PORT,
    "tlsPort": $_tls,
    "ocspResponderURL": "",
    "externalAccountBindingRequired": $_eab$_keys
  }
}
EOC
	_pebble_run
	PEBBLE_CA=$_d/ca.pem
	PEBBLE_DIR=https://127.0.0.1:$PEBBLE_PORT/dir
	export PEBBLE_PORT PEBBLE_MGMT PEBBLE_CA PEBBLE_DIR HTTP01_PORT
	{ wait_port "$PEBBLE_PORT" && wait_port "$PEBBLE_MGMT"; } ||
	    server_failed pebble "$_d/pebble.log"
}

_pebble_run() {
	PEBBLE_VA_NOSLEEP=1 pebble -config "$T/pebble/pebble.json" \
	    -dnsserver "127.0.0.1:$DNS_PORT" >>"$T/pebble/pebble.log" 2>&1 &
	echo $! >"$T/pebble.pid"
}

# pebble_restart: pebble stopped and started again with the same
# configuration: it keeps its ports and forgets its accounts.
pebble_restart() {
	_pid=$(cat "$T/pebble.pid")
	stop_pid "$T/pebble.pid"
	while kill -0 "$_pid" 2>/dev/null; do
		sleep 0.1
	done
	_pebble_run
	{ wait_port "$PEBBLE_PORT" && wait_port "$PEBBLE_MGMT"; } ||
	    server_failed pebble "$T/pebble/pebble.log"
}

# pebble_root FILE: the root pebble issues under (a new one every start).
pebble_root() {
	curl -fsS --cacert "$PEBBLE_CA" -o "$1" \
	    "https://127.0.0.1:$PEBBLE_MGMT/roots/0"
}

# pebble_intermediate FILE: the intermediate that signs the leaves.
pebble_intermediate() {
	curl -fsS --cacert "$PEBBLE_CA" -o "$1" \
	    "https://127.0.0.1:$PEBBLE_MGMT/intermediates/0"
}

# webroot_serve DIR: DIR over plain HTTP on 127.0.0.1:$HTTP01_PORT, where
# pebble looks for http-01 answers (DIR/.well-known/acme-challenge/TOKEN).
webroot_serve() {
	: "${HTTP01_PORT:?webroot_serve needs pebble_start first}"
	mkdir -p "$1/.well-known/acme-challenge"
	$PY -m http.server --bind 127.0.0.1 --directory "$1" "$HTTP01_PORT" \
	    >"$T/webroot.log" 2>&1 &
	echo $! >"$T/webroot.pid"
	wait_port "$HTTP01_PORT" || server_failed webroot "$T/webroot.log"
}

# stub_start MODE [ARGS...]: tests/integration/acme_stub.py over HTTPS with
# pebble's listener certificate (so $PEBBLE_CA trusts it too); one line
# per request ("POST /path -> 201 application/json") in $T/stub.requests.
#   stub_start malformed             200, application/json, not JSON
#   stub_start proxy [--truncate-chain] [--renewal-url TEXT]
#                    [--window-file F]
#                    [--stall authz|order --retry-after VALUE] ...
#                                    pebble through the stub (URL filled in)
stub_start() {
	: "${PEBBLE_CA:?stub_start needs pebble_start first}"
	_mode=$1
	shift
	if [ "$_mode" = proxy ]; then
		case ${1:-} in
		https://*) ;;
		*) set -- "https://127.0.0.1:$PEBBLE_PORT" "$@" ;;
		esac
	fi
	STUB_PORT=$(free_port)
	STUB_DIR=https://127.0.0.1:$STUB_PORT/dir
	export STUB_PORT STUB_DIR
	$PY "$TOP/tests/integration/acme_stub.py" --port "$STUB_PORT" \
	    --cert "$T/pebble/cert.pem" --key "$T/pebble/key.pem" \
	    --ca "$PEBBLE_CA" --log "$T/stub.requests" "$_mode" "$@" \
	    >"$T/stub.log" 2>&1 &
	echo $! >"$T/stub.pid"
	wait_port "$STUB_PORT" || server_failed acme_stub "$T/stub.log"
}

# acme_conf [CHALLENGE]: mkconf's $T/security.conf plus [acme] for pebble
# (http-01 unless CHALLENGE says dns-01), the webroot $T/webroot and the
# dns-hook; with PEBBLE_EAB=1 also eab_kid and eab_hmac_file.
acme_conf() {
	mkconf
	cat >>"$T/security.conf" <<EOC

[acme]
directory = $PEBBLE_DIR
ca_file = $PEBBLE_CA
email = admin@example.test
challenge = ${1:-http-01}
webroot = $T/webroot
dns_hook = $TOP/tests/integration/dns-hook
dns_wait = 0
timeout = 60
staging_directory = $PEBBLE_DIR
hooks_dir = $T/hooks
EOC
	if [ "${PEBBLE_EAB:-0}" = 1 ]; then
		printf 'eab_kid = %s\neab_hmac_file = %s\n' "$PEBBLE_EAB_KID" \
		    "$PEBBLE_EAB_KEY_FILE" >>"$T/security.conf"
	fi
}
