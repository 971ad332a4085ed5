# An HTTP proxy for the tests, sourced after lib.sh and acme_lib.sh:
# Debian's tinyproxy on 127.0.0.1 with a configuration of its own in
# $T/proxy, run in the foreground and stopped by PID like every server.
#
#   proxy_start [MODE]     exports PROXY_PORT, PROXY_URL; MODE is
#                          open (the default: anyone on 127.0.0.1, any port),
#                          deny (no client allowed: every request gets 403)
#                          or port443 (CONNECT only to port 443, as company
#                          proxies have it: every test server gets 403)
#   proxy_connects HOST:PORT
#                          CONNECT requests to HOST:PORT it received
#   proxy_requests         requests of any kind it received
#   device_proxy URL       sets [device] proxy in $T/security.conf

proxy_start() {
	_d=$T/proxy
	mkdir -p "$_d"
	PROXY_PORT=$(free_port)
	PROXY_URL=http://127.0.0.1:$PROXY_PORT
	export PROXY_PORT PROXY_URL
	case ${1:-open} in
	open) _rules='Allow 127.0.0.1' ;;
	deny) _rules='Allow 192.0.2.1' ;;
	port443) _rules=$(printf 'Allow 127.0.0.1\nConnectPort 443') ;;
	*) echo "proxy_start: unknown mode '$1'" >&2; return 1 ;;
	esac
	cat >"$_d/tinyproxy.conf" <<EOC
Port $PROXY_PORT
Listen 127.0.0.1
Timeout 30
MaxClients 20
LogFile "$_d/tinyproxy.log"
LogLevel Connect
PidFile "$_d/tinyproxy.pid"
DisableViaHeader Yes
$_rules
EOC
	: >"$_d/tinyproxy.log"
	tinyproxy -d -c "$_d/tinyproxy.conf" >"$_d/out.log" 2>&1 &
	echo $! >"$T/proxy.pid"
	wait_port "$PROXY_PORT" || server_failed tinyproxy "$_d/out.log"
}

proxy_connects() {
	grep -c "Request (file descriptor [0-9]*): CONNECT $1 " \
	    "$T/proxy/tinyproxy.log" || true
}

proxy_requests() {
	grep -c 'Request (file descriptor [0-9]*): ' "$T/proxy/tinyproxy.log" ||
	    true
}

device_proxy() {
	sed -i "/^\[device\]/a proxy = $1" "$T/security.conf"
	grep -q "^proxy = $1\$" "$T/security.conf"
}
