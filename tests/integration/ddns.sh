# ss-ddns ip/update/status/check/txt against real servers on 127.0.0.1:
# bind9 (RFC 2136 with TSIG; dig is the judge), the dyndns2 provider of
# tests/dyndns2_provider.py (which counts requests and serves checkip),
# tinyproxy between the device and the provider, and pebble for a dns-01
# certificate through `ss-ddns txt`.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acme_lib.sh"
. "$(dirname "$0")/ddns_lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
SS_DDNS=$B/ss-ddns

ddns() {
	"$SS_DDNS" -c "$T/security.conf" "$@"
}

dyndns2() {
	provider_start
	ddns_conf dyndns2
}

rfc2136() {
	named_start
	ddns_conf rfc2136
}

# state_shift KEY SECONDS: moves the time KEY=EPOCH of the state file
# SECONDS into the past (the clock of the tests).
state_shift() {
	f=$T/state/ddns/state
	v=$(sed -n "s/^$1=//p" "$f")
	[ -n "$v" ]
	sed -i "s/^$1=.*/$1=$((v - $2))/" "$f"
}

# history_shift SECONDS: every change in the history SECONDS earlier.
history_shift() {
	f=$T/state/ddns/state
	awk -v s="$1" '/^change=/ { sub(/^change=/, ""); $1 -= s;
	    print "change=" $0; next } { print }' "$f" >"$f.new"
	cat "$f.new" >"$f"
	rm "$f.new"
}

## RFC 2136 with bind9

test_rfc2136_update_is_seen_by_dig() {
	rfc2136
	[ "$(dig_a dev1.example.test)" = 127.0.0.1 ]
	run 0 ddns update
	[ "$(dig_a dev1.example.test)" = 203.0.113.7 ]
	dig @127.0.0.1 -p "$DNS_PORT" +noall +answer dev1.example.test A >answer
	has answer '^dev1\.example\.test\.[[:space:]]+60[[:space:]]+IN[[:space:]]+A[[:space:]]+203\.0\.113\.7$'
	[ "$(wc -l <answer)" = 1 ]
	# the other names of the zone stay as they were
	[ "$(dig_a www.example.test)" = 127.0.0.1 ]
}

test_rfc2136_changed_address_replaces_the_record() {
	rfc2136
	run 0 ddns update
	ddns_ip 198.51.100.23
	run 0 ddns update
	[ "$(dig_a dev1.example.test)" = 198.51.100.23 ]
}

test_rfc2136_ttl_from_config() {
	rfc2136
	ddns_set ttl 300
	run 0 ddns update
	dig @127.0.0.1 -p "$DNS_PORT" +noall +answer dev1.example.test A >answer
	has answer '[[:space:]]300[[:space:]]+IN[[:space:]]+A[[:space:]]+203\.0\.113\.7$'
}

test_rfc2136_wrong_tsig_key_is_a_clear_error_and_changes_nothing() {
	rfc2136
	# same key name, another secret
	(umask 077; tsig-keygen -a hmac-sha256 ss-test >"$T/tsig.key")
	run 69 ddns update
	has err 'TSIG key ss-test \((BADSIG|BADKEY)'
	[ "$(dig_a dev1.example.test)" = 127.0.0.1 ]
	# and the next run tries again: nothing was cached
	cp "$NS_KEY" "$T/tsig.key"
	run 0 ddns update
	[ "$(dig_a dev1.example.test)" = 203.0.113.7 ]
}

test_rfc2136_tsig_key_file_readable_by_others_is_refused() {
	rfc2136
	chmod 644 "$T/tsig.key"
	run 78 ddns update
	has err "$T/tsig.key"
	has err '0?644|mode|permission'
	[ "$(dig_a dev1.example.test)" = 127.0.0.1 ]
}

test_rfc2136_tsig_key_file_of_another_user_is_refused() {
	rfc2136
	chown 65534:65534 "$T/tsig.key"
	run 78 ddns update
	has err "tsig_key_file $T/tsig\.key: owned by uid 65534, not by the user reading it \(uid 0\); chown 0 $T/tsig\.key"
	[ "$(dig_a dev1.example.test)" = 127.0.0.1 ]
	[ ! -e state/ddns/state ]
}

test_rfc2136_server_not_host_port_is_a_config_error() {
	rfc2136
	sed -i 's/^server = 127\.0\.0\.1:.*/server = [::1]:domain/' \
	    "$T/security.conf"
	run 78 ddns update
	has err "security.conf: \[ddns\] server '\[::1\]:domain' is not HOST\[:PORT\]"
	[ "$(dig_a dev1.example.test)" = 127.0.0.1 ]
}

test_rfc2136_unchanged_address_sends_nothing() {
	rfc2136
	run 0 ddns update
	# change the record behind the tool's back: an unchanged address must
	# not be sent again, so the record stays as the test left it
	printf 'server 127.0.0.1 %s\nupdate delete dev1.example.test. A\nupdate add dev1.example.test. 60 A 192.0.2.99\nsend\n' \
	    "$DNS_PORT" | nsupdate -k "$NS_KEY"
	run 0 ddns update
	[ "$(dig_a dev1.example.test)" = 192.0.2.99 ]
	run 0 ddns update --force
	[ "$(dig_a dev1.example.test)" = 203.0.113.7 ]
}

## dyndns2

test_dyndns2_first_update_sends_one_request_with_basic_auth() {
	dyndns2
	run 0 ddns update
	[ "$(provider_requests)" = 1 ]
	has "$PROV_DIR/updates.log" '^dev1user hostname=dev1\.example\.test myip=203\.0\.113\.7 -> good 203\.0\.113\.7$'
}

test_dyndns2_password_is_not_logged_even_at_debug_level() {
	dyndns2
	run 0 ddns -vv update
	has err 'debug: -> GET .*/nic/update\?hostname=dev1\.example\.test&myip=203\.0\.113\.7'
	has err 'debug: <- 200 '
	lacks err 's3cret'
	lacks err "$(printf 'dev1user:%s' "$PROV_PASSWORD" | base64 -w0)"
	lacks err 'Authorization'
	[ "$(provider_requests)" = 1 ]
}

test_dyndns2_unchanged_address_sends_zero_requests() {
	dyndns2
	run 0 ddns update
	[ "$(provider_requests)" = 1 ]
	run 0 ddns update
	run 0 ddns update
	run 0 ddns update
	[ "$(provider_requests)" = 1 ]
}

test_dyndns2_changed_address_sends_exactly_one_request() {
	dyndns2
	run 0 ddns update
	provider_ip 198.51.100.23
	run 0 ddns update
	[ "$(provider_requests)" = 2 ]
	has "$PROV_DIR/updates.log" 'myip=198\.51\.100\.23 -> good'
	run 0 ddns update
	[ "$(provider_requests)" = 2 ]
}

test_dyndns2_nochg_is_accepted_and_cached() {
	dyndns2
	provider_code nochg
	run 0 ddns update
	run 0 ddns update
	[ "$(provider_requests)" = 1 ]
}

test_dyndns2_force_sends_one_request() {
	dyndns2
	run 0 ddns update
	run 0 ddns update --force
	[ "$(provider_requests)" = 2 ]
}

test_dyndns2_update_after_force_days_even_if_unchanged() {
	dyndns2
	run 0 ddns update
	state_shift updated $((27 * 86400))
	run 0 ddns update
	[ "$(provider_requests)" = 1 ]
	state_shift updated $((2 * 86400))
	run 0 ddns update
	[ "$(provider_requests)" = 2 ]
}

test_dyndns2_badauth_stops_requests_until_the_config_changes() {
	dyndns2
	provider_code badauth
	run 69 ddns update
	has err 'badauth'
	[ "$(provider_requests)" = 1 ]
	provider_code good
	provider_ip 198.51.100.23
	for _ in 1 2 3; do
		run 69 ddns update
		has err 'badauth'
		has err 'config|settings'
	done
	run 69 ddns update --force
	[ "$(provider_requests)" = 1 ]
	run 0 ddns status
	has out 'stopped.*badauth'
	# the owner fixes the credentials: a changed [ddns] setting lifts the stop
	(umask 077; printf '%s\n' "$PROV_PASSWORD" >ddns-new.password)
	ddns_set password_file "$T/ddns-new.password"
	run 0 ddns update
	[ "$(provider_requests)" = 2 ]
	has "$PROV_DIR/updates.log" 'myip=198\.51\.100\.23 -> good'
	run 0 ddns status
	lacks out 'stopped'
}

test_dyndns2_wrong_password_is_badauth() {
	dyndns2
	printf 'wrong\n' >ddns.password
	run 69 ddns update
	has err 'badauth'
	[ "$(provider_requests)" = 1 ]
	run 69 ddns update
	[ "$(provider_requests)" = 1 ]
}

test_dyndns2_every_fatal_code_stops_requests() {
	dyndns2
	for code in notfqdn nohost numhost abuse badagent; do
		rm -rf state
		provider_code "$code"
		: >"$PROV_DIR/updates.log"
		run 69 ddns update
		has err "$code"
		run 69 ddns update
		[ "$(provider_requests)" = 1 ] || { echo "# $code: $(provider_requests) requests" >&2; false; }
		run 0 ddns status
		has out "stopped.*$code"
	done
}

test_dyndns2_911_backs_off_for_30_minutes() {
	dyndns2
	provider_code 911
	run 75 ddns update
	has err '911'
	[ "$(provider_requests)" = 1 ]
	provider_code good
	run 75 ddns update
	has err 'back(ing)? off|until'
	[ "$(provider_requests)" = 1 ]
	run 0 ddns status
	has out 'backing off until'
	# 29 minutes later: still backing off
	state_shift backoff_until $((29 * 60))
	run 75 ddns update
	[ "$(provider_requests)" = 1 ]
	# 31 minutes later: one request
	state_shift backoff_until $((2 * 60))
	run 0 ddns update
	[ "$(provider_requests)" = 2 ]
	run 0 ddns update
	[ "$(provider_requests)" = 2 ]
}

test_dyndns2_dnserr_backs_off() {
	dyndns2
	provider_code dnserr
	run 75 ddns update
	has err 'dnserr'
	provider_code good
	run 75 ddns update
	[ "$(provider_requests)" = 1 ]
}

test_dyndns2_unreachable_provider_is_75_and_state_unchanged() {
	dyndns2
	run 0 ddns update
	h=$(tree_hash state)
	provider_ip 198.51.100.23
	port=$(free_port)
	ddns_set server "http://127.0.0.1:$port"
	run 75 ddns update
	has err "127\.0\.0\.1:$port"
	[ "$h" = "$(tree_hash state)" ]
	[ "$(provider_requests)" = 1 ]
}

# The password goes out in clear over http://: only to this machine.
test_dyndns2_plain_http_elsewhere_is_78_and_nothing_sent() {
	dyndns2
	run 0 ddns update
	h=$(tree_hash state)
	provider_ip 198.51.100.23
	for s in http://192.0.2.1 "http://127.0.0.1.example.net:$PROV_PORT" \
	    "http://user@127.0.0.1:$PROV_PORT" http://::1 \
	    "ftp://127.0.0.1:$PROV_PORT" https://; do
		ddns_set server "$s"
		run 78 ddns update
		has err "\[ddns\] server in .*: '.*' is not an https:// URL \(http:// only to a loopback address\)"
	done
	[ "$h" = "$(tree_hash state)" ]
	[ "$(provider_requests)" = 1 ]
	ddns_set server "http://localhost:$PROV_PORT"
	run 0 ddns update
	[ "$(provider_requests)" = 2 ]
}

test_dyndns2_server_error_is_75_and_state_unchanged() {
	dyndns2
	run 0 ddns update
	h=$(tree_hash state)
	provider_ip 198.51.100.23
	provider_code 'http 503'
	run 75 ddns update
	has err '503'
	[ "$h" = "$(tree_hash state)" ]
	# the next run tries again
	provider_code good
	run 0 ddns update
	[ "$(provider_requests)" = 3 ]
}

test_dyndns2_password_file_readable_by_others_is_refused() {
	dyndns2
	chmod 644 ddns.password
	run 78 ddns update
	has err "$T/ddns.password"
	[ "$(provider_requests)" = 0 ]
}

test_dyndns2_password_file_of_another_user_is_refused() {
	dyndns2
	chown 65534:65534 ddns.password
	run 78 ddns update
	has err "password_file $T/ddns\.password: owned by uid 65534, not by the user reading it \(uid 0\); chown 0 it"
	[ "$(provider_requests)" = 0 ]
	[ ! -e state/ddns/state ]
}

test_flapping_address_warns_after_flap_threshold_changes_in_an_hour() {
	dyndns2
	# flap_threshold = 3: the first address and two changes, then a third
	for a in 198.51.100.1 198.51.100.2 198.51.100.3; do
		provider_ip $a
		run 0 ddns update
		lacks err 'no fixed address'
	done
	provider_ip 198.51.100.4
	run 0 ddns update
	has err 'changed 4 times in the last hour'
	has err 'no fixed address'
	has err 'DNS cannot keep up'
	[ "$(provider_requests)" = 4 ]
	# an hour later the old changes no longer count
	history_shift 3700
	provider_ip 198.51.100.5
	run 0 ddns update
	lacks err 'no fixed address'
}

test_cache_and_history_are_one_file_replaced_at_once() {
	dyndns2
	run 0 ddns update
	provider_ip 198.51.100.2
	run 0 ddns update
	[ "$(ls -A state/ddns)" = "$(printf '.lock\nstate')" ]
	grep -q '^last4=198\.51\.100\.2$' state/ddns/state
	[ "$(grep -c '^change=[0-9]* 4 ' state/ddns/state)" = 2 ]
	grep '^change=' state/ddns/state | tail -n 1 | grep -q ' 198\.51\.100\.2$'
}

test_history_keeps_the_newest_1000_changes() {
	dyndns2
	run 0 ddns update
	for i in $(seq 1 1200); do
		echo "change=$((1700000000 + i)) 4 198.51.100.$((i % 250 + 1))"
	done >>state/ddns/state
	provider_ip 203.0.113.99
	run 0 ddns update
	[ "$(grep -c '^change=' state/ddns/state)" = 1000 ]
	grep '^change=' state/ddns/state | tail -n 1 | grep -q ' 203\.0\.113\.99$'
	# 1202 changes (the first update's, 1200 by hand, the new one): the
	# oldest 202 dropped, so the oldest kept is the 202nd added by hand
	grep '^change=' state/ddns/state | head -n 1 | grep -q '^change=1700000202 '
}

test_malformed_history_line_is_a_clear_error_and_sends_nothing() {
	dyndns2
	run 0 ddns update
	echo 'change=yesterday 4 198.51.100.1' >>state/ddns/state
	h=$(tree_hash state)
	provider_ip 198.51.100.23
	run 65 ddns update
	has err "state/ddns/state:[0-9]+: not 'change=EPOCH FAMILY ADDRESS'"
	[ "$(provider_requests)" = 1 ]
	[ "$h" = "$(tree_hash state)" ]
}

test_disabled_ddns_sends_nothing() {
	dyndns2
	ddns_set enabled no
	run 78 ddns update
	has err 'disabled \(\[ddns\] enabled = no'
	[ "$(provider_requests)" = 0 ]
}

test_disabled_ddns_with_if_enabled_exits_0_and_sends_nothing() {
	dyndns2
	ddns_set enabled no
	run 0 ddns update --if-enabled
	has err 'dynamic DNS is disabled .*: nothing to do'
	[ "$(provider_requests)" = 0 ]
	[ ! -e state/ddns ]
	# enabled, it updates as without the option
	ddns_set enabled yes
	run 0 ddns update --if-enabled
	[ "$(provider_requests)" = 1 ]
}

## checkip

test_ip_from_url() {
	dyndns2
	run 0 ddns ip
	[ "$(cat out)" = 203.0.113.7 ]
	provider_ip 198.51.100.23
	run 0 ddns ip -4
	[ "$(cat out)" = 198.51.100.23 ]
	[ ! -s err ]
}

test_ip_from_command() {
	mkconf
	printf '[ddns]\ncheckip = cmd:echo 203.0.113.7\n' >>security.conf
	run 0 ddns ip
	[ "$(cat out)" = 203.0.113.7 ]
}

test_ip_from_interface() {
	mkconf
	printf '[ddns]\ncheckip = iface:ssv0\n' >>security.conf
	run 0 unshare -n sh -c '
	    ip link add ssv0 type veth peer name ssv1 &&
	    ip addr add 198.51.100.4/24 dev ssv0 &&
	    ip link set ssv0 up && exec "$@"' sh \
	    "$SS_DDNS" -c security.conf ip -4
	[ "$(cat out)" = 198.51.100.4 ]
}

test_ip6_from_url() {
	dyndns2
	ddns_set checkip "$PROV_URL/ip6"
	run 0 ddns ip -6
	[ "$(cat out)" = 2001:db8::7 ]
}

test_ip_sources_are_tried_in_order() {
	dyndns2
	port=$(free_port)
	ddns_set checkip "http://127.0.0.1:$port/ip, $PROV_URL/ip-html, $PROV_URL/ip"
	run 0 ddns ip
	[ "$(cat out)" = 203.0.113.7 ]
	has err "127\.0\.0\.1:$port/ip"
	has err "$PROV_URL/ip-html"
}

# refused PATH PATTERN: checkip = the provider's PATH alone is refused
# with a message that names it and says why; update sends nothing and
# leaves the state of an earlier update as it was.
refused() {
	dyndns2
	run 0 ddns update
	h=$(tree_hash state)
	ddns_set checkip "$PROV_URL$1"
	run 75 ddns ip
	[ ! -s out ]
	has err "$PROV_URL$1"
	has err "$2"
	provider_ip 198.51.100.23
	run 75 ddns update
	has err "$PROV_URL$1"
	[ "$(provider_requests)" = 1 ]
	[ "$h" = "$(tree_hash state)" ]
}

test_checkip_html_page_is_refused() {
	refused /ip-html 'not one IPv4 address: <!DOCTYPE html>'
}

test_checkip_two_addresses_are_refused() {
	refused /ip-two 'not one IPv4 address: 203\.0\.113\.7 198\.51\.100\.77'
}

test_checkip_empty_body_is_refused() {
	refused /ip-empty 'not one IPv4 address: \(empty\)'
}

test_checkip_10mb_body_is_refused() {
	refused /ip-big 'larger than 1048576 bytes|larger than 1 MiB'
}

test_checkip_timeout_is_refused() {
	start=$(date +%s)
	refused /ip-slow 'no answer within [0-9]+ s'
	# two runs, each within the client's timeout, not the server's 30 s
	[ $(($(date +%s) - start)) -lt 45 ]
}

test_checkip_not_found_is_refused() {
	refused /nothing-here 'HTTP status 404'
}

test_checkip_private_address_is_accepted_with_a_warning() {
	dyndns2
	ddns_set checkip "$PROV_URL/ip-private"
	run 0 ddns ip
	[ "$(cat out)" = 192.168.1.20 ]
	has err 'private'
	has err 'port forwarding'
}

test_checkip_cgnat_address_is_accepted_with_a_warning() {
	dyndns2
	ddns_set checkip "$PROV_URL/ip-cgnat"
	run 0 ddns ip
	[ "$(cat out)" = 100.64.12.34 ]
	has err 'CGNAT|100\.64\.0\.0/10'
}

test_checkip_command_failure_names_the_command() {
	mkconf
	printf '[ddns]\ncheckip = cmd:false\n' >>security.conf
	run 75 ddns ip
	has err "^ss-ddns: cmd:false: 'false' exited 1$"
}

test_checkip_command_that_hangs_is_stopped_after_10_s() {
	dyndns2
	printf 'sleep 600 & echo $! >%s/child; wait\n' "$T" >hang.sh
	ddns_set checkip "cmd:sh $T/hang.sh"
	start=$(date +%s)
	run 75 timeout 60 "$SS_DDNS" -c security.conf update
	[ $(($(date +%s) - start)) -lt 20 ]
	has err "did not finish within 10 s: stopped"
	has err 'no checkip source gave the IPv4 address'
	! kill -0 "$(cat child)" 2>/dev/null
	[ "$(provider_requests)" = 0 ]
}

test_checkip_command_saying_too_much_is_refused() {
	mkconf
	printf '[ddns]\ncheckip = cmd:yes\n' >>security.conf
	run 75 timeout 60 "$SS_DDNS" -c security.conf ip
	has err "^ss-ddns: cmd:yes: 'yes' said more than 4096 bytes\$"
}

test_checkip_chunked_answer_is_read() {
	dyndns2
	ddns_set checkip "$PROV_URL/ip-chunked"
	run 0 ddns ip
	[ "$(cat out)" = 203.0.113.7 ]
}

test_checkip_redirect_is_not_followed() {
	refused /ip-moved 'HTTP status 302'
}

## The device's name when [device] hostname is not set

# kernel_named NAME CMD...: CMD with NAME as the kernel's host name (a
# private UTS namespace) and [device] hostname removed.
kernel_named() {
	sed -i '/^hostname = /d' "$T/security.conf"
	_n=$1
	shift
	# hostname(1) refuses what is not a host name; the kernel takes it.
	unshare -u sh -c 'printf %s "$1" >/proc/sys/kernel/hostname &&
	    shift && exec "$@"' sh "$_n" "$@"
}

test_kernel_host_name_is_the_default_label() {
	dyndns2
	run 0 kernel_named dev7.lan "$SS_DDNS" -c security.conf update
	has "$PROV_DIR/updates.log" '^dev1user hostname=dev7\.example\.test myip=203\.0\.113\.7 -> good'
}

test_kernel_host_name_that_is_not_a_label_is_78_and_sends_nothing() {
	dyndns2
	run 78 kernel_named 'a&myip=6.6.6.6' "$SS_DDNS" -c security.conf \
	    update
	has err "^ss-ddns: \[device\] hostname: the system host name 'a&myip=6\.6\.6\.6' is not a DNS label; set hostname in security\.conf\$"
	[ "$(provider_requests)" = 0 ]
	[ ! -e state/ddns/state ]
}

## HTTPS: the provider's certificate is verified before anything is sent

# https_provider: the provider over HTTPS only, trusted through
# [ddns] ca_file; checkip stays on the provider too.
https_provider() {
	PROV_TLS=1 provider_start
	ddns_conf dyndns2
	sed -i "/^\[ddns\]/a ca_file = $PROV_CA" "$T/security.conf"
}

# other_ca: a root CA in $T/other.pem that signed nothing the tests serve.
other_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/other.key" -out "$T/other.pem" -days 30 \
	    -subj "/CN=Other Root CA" >/dev/null 2>&1
}

test_https_checkip_and_update_with_a_trusted_provider() {
	https_provider
	run 0 ddns ip
	[ "$(cat out)" = 203.0.113.7 ]
	run 0 ddns update
	[ "$(provider_requests)" = 1 ]
	grep -q '^dev1user hostname=dev1.example.test myip=203.0.113.7 -> good' \
	    "$PROV_DIR/updates.log"
}

test_https_provider_with_an_untrusted_certificate_gets_no_password() {
	https_provider
	ddns_ip 203.0.113.7
	ddns_set checkip "cmd:cat $T/external-ip"
	other_ca
	ddns_set ca_file "$T/other.pem"
	run 75 ddns update
	has err "$PROV_URL/nic/update"
	has err 'unable to get local issuer certificate'
	[ "$(provider_requests)" = 0 ]
	[ ! -e state/ddns/state ]
}

test_https_checkip_with_an_untrusted_certificate_is_refused() {
	https_provider
	other_ca
	ddns_set ca_file "$T/other.pem"
	run 75 ddns ip
	[ ! -s out ]
	has err "$PROV_URL/ip: .*unable to get local issuer certificate"
}

test_https_missing_ca_file_is_78_and_sends_nothing() {
	https_provider
	ddns_set ca_file "$T/absent.pem"
	run 78 ddns ip
	[ ! -s out ]
	has err "\[ddns\] ca_file in $T/security\.conf: '$T/absent\.pem' cannot be used"
	run 78 ddns update
	has err "\[ddns\] ca_file in $T/security\.conf: '$T/absent\.pem' cannot be used"
	ddns_ip 203.0.113.7
	ddns_set checkip "cmd:cat $T/external-ip"
	run 78 ddns update
	has err "$PROV_URL/nic/update\?.*: .*$T/absent\.pem"
	has err "\[ddns\] ca_file in $T/security\.conf: '$T/absent\.pem' cannot be used"
	[ "$(provider_requests)" = 0 ]
	[ ! -e state/ddns/state ]
}

test_https_provider_whose_certificate_lacks_the_name_is_refused() {
	PROV_SAN=IP:127.0.0.1 https_provider
	ddns_ip 203.0.113.7
	ddns_set checkip "cmd:cat $T/external-ip"
	ddns_set server "https://localhost:$PROV_PORT"
	run 75 ddns update
	has err "https://localhost:$PROV_PORT/nic/update.*: .*certificate subject name matches target host name 'localhost'"
	[ "$(provider_requests)" = 0 ]
}

## Proxies: [device] proxy, else the environment; the provider over HTTPS

test_update_through_device_proxy() {
	https_provider
	proxy_start
	device_proxy "$PROXY_URL"
	run 0 ddns update
	[ "$(provider_requests)" = 1 ]
	# checkip and the update, each through a tunnel of the proxy
	[ "$(proxy_connects "127.0.0.1:$PROV_PORT")" = 2 ]
	grep -q '^dev1user hostname=dev1.example.test myip=203.0.113.7 -> good' \
	    "$PROV_DIR/updates.log"
	run 0 ddns update
	[ "$(proxy_connects "127.0.0.1:$PROV_PORT")" = 3 ]
	[ "$(provider_requests)" = 1 ]
}

test_update_through_https_proxy_of_the_environment() {
	https_provider
	proxy_start
	run 0 env https_proxy="$PROXY_URL" "$SS_DDNS" -c security.conf update
	[ "$(provider_requests)" = 1 ]
	[ "$(proxy_connects "127.0.0.1:$PROV_PORT")" = 2 ]
	provider_ip 198.51.100.23
	run 0 env HTTPS_PROXY="$PROXY_URL" "$SS_DDNS" -c security.conf update
	[ "$(provider_requests)" = 2 ]
	[ "$(proxy_connects "127.0.0.1:$PROV_PORT")" = 4 ]
}

test_no_proxy_hosts_are_reached_directly() {
	https_provider
	proxy_start
	run 0 env https_proxy="$PROXY_URL" no_proxy=localhost,127.0.0.1 \
	    "$SS_DDNS" -c security.conf update
	[ "$(provider_requests)" = 1 ]
	[ "$(proxy_requests)" = 0 ]
	# also past [device] proxy
	device_proxy "$PROXY_URL"
	run 0 env NO_PROXY=127.0.0.1 "$SS_DDNS" -c security.conf update --force
	[ "$(provider_requests)" = 2 ]
	[ "$(proxy_requests)" = 0 ]
}

# updated_directly: a first update, without a proxy; its state's hash in $h.
updated_directly() {
	run 0 ddns update
	h=$(tree_hash state)
}

# proxy_refuses PATTERN CMD...: after updated_directly, with a new address,
# CMD (ddns update with a proxy) exits 69 with PATTERN in the message, asks
# the provider nothing and changes no state.
proxy_refuses() {
	_want=$1
	shift
	provider_ip 198.51.100.23
	run 69 "$@"
	has err "$_want"
	[ "$(provider_requests)" = 1 ]
	[ "$h" = "$(tree_hash state)" ]
	# checkip answered directly: the update alone meets the proxy
	ddns_ip 198.51.100.23
	ddns_set checkip "cmd:cat $T/external-ip"
	run 69 "$@"
	has err "$PROV_URL/nic/update.*: $_want"
	[ "$(provider_requests)" = 1 ]
	[ "$h" = "$(tree_hash state)" ]
}

test_proxy_that_denies_the_device_is_69_and_changes_nothing() {
	https_provider
	updated_directly
	proxy_start deny
	device_proxy "$PROXY_URL"
	proxy_refuses "proxy $PROXY_URL refused the tunnel \(CONNECT answered 403\)" \
	    ddns update
}

test_proxy_that_allows_port_443_only_is_69_and_changes_nothing() {
	https_provider
	updated_directly
	proxy_start port443
	proxy_refuses "proxy $PROXY_URL \(from https_proxy\) refused the tunnel \(CONNECT answered 403\)" \
	    env https_proxy="$PROXY_URL" "$SS_DDNS" -c security.conf update
}

test_proxy_where_nothing_listens_is_69_and_changes_nothing() {
	https_provider
	updated_directly
	port=$(free_port)
	device_proxy "http://127.0.0.1:$port"
	proxy_refuses "proxy http://127.0.0.1:$port: Failed to connect to 127\.0\.0\.1 port $port" \
	    ddns update
}

test_proxy_of_the_environment_is_named_without_its_password() {
	https_provider
	port=$(free_port)
	run 69 env https_proxy="http://proxyuser:Pr0xy-Pass@127.0.0.1:$port" \
	    "$SS_DDNS" -c security.conf ip
	[ ! -s out ]
	has err "$PROV_URL/ip: proxy http://127\.0\.0\.1:$port \(from https_proxy\): Failed to connect"
	has err "$PROV_URL/ip: the proxy .* failed"
	lacks err 'Pr0xy-Pass'
	lacks err 'proxyuser'
}

test_untrusted_provider_behind_a_working_proxy_is_not_the_proxys_fault() {
	https_provider
	proxy_start
	device_proxy "$PROXY_URL"
	ddns_ip 203.0.113.7
	ddns_set checkip "cmd:cat $T/external-ip"
	other_ca
	ddns_set ca_file "$T/other.pem"
	run 75 ddns update
	has err "$PROV_URL/nic/update.*: .*unable to get local issuer certificate"
	lacks err 'proxy'
	[ "$(proxy_connects "127.0.0.1:$PROV_PORT")" = 1 ]
	[ "$(provider_requests)" = 0 ]
}

test_device_proxy_with_a_password_is_refused_and_not_shown() {
	https_provider
	device_proxy 'http://proxyuser:Pr0xy-Pass@127.0.0.1:3128'
	run 78 ddns update
	has err 'security.conf:[0-9]+: proxy: a user name or password does not belong in this file'
	lacks err 'Pr0xy-Pass'
	[ "$(provider_requests)" = 0 ]
}

## More than one name: [ddns:FQDN]

# dev1.example.test on the dyndns2 provider and gw.example.test, a second
# account there.
two_accounts() {
	dyndns2
	provider_account gwuser gw-pass
	ddns_name gw.example.test dyndns2 gwuser gw-pass
}

# snapshot DIR: every file's path, size and mtime, and its content.
snapshot() {
	(cd "$1" && find . -printf '%p %s %T@\n' | sort &&
	    find . -type f -exec sha256sum {} + | sort)
}

test_two_names_on_two_accounts_get_one_request_each() {
	two_accounts
	run 0 ddns update
	[ "$(provider_requests_for dev1.example.test)" = 1 ]
	[ "$(provider_requests_for gw.example.test)" = 1 ]
	has "$PROV_DIR/updates.log" '^dev1user hostname=dev1\.example\.test myip=203\.0\.113\.7 -> good'
	has "$PROV_DIR/updates.log" '^gwuser hostname=gw\.example\.test myip=203\.0\.113\.7 -> good'
}

test_two_names_on_two_providers_dyndns2_and_rfc2136() {
	named_start
	dyndns2
	ddns_name gw.example.test rfc2136
	run 0 ddns update
	[ "$(provider_requests)" = 1 ]
	has "$PROV_DIR/updates.log" 'hostname=dev1\.example\.test myip=203\.0\.113\.7'
	[ "$(dig_a gw.example.test)" = 203.0.113.7 ]
	dig @127.0.0.1 -p "$DNS_PORT" +noall +answer gw.example.test A >answer
	has answer '[[:space:]]120[[:space:]]+IN[[:space:]]+A[[:space:]]+203\.0\.113\.7$'
	# the bind9 name is not the dyndns2 provider's business
	[ "$(provider_requests_for gw.example.test)" = 0 ]
}

test_each_name_has_its_own_state_file() {
	two_accounts
	run 0 ddns update
	grep -q '^last4=203\.0\.113\.7$' state/ddns/state
	grep -q '^last4=203\.0\.113\.7$' state/ddns/gw.example.test.state
	[ "$(mode_of state/ddns/gw.example.test.state)" = 600 ]
}

test_the_device_name_keeps_its_state_file_when_names_are_added() {
	dyndns2
	run 0 ddns update
	h=$(tree_hash state)
	provider_account gwuser gw-pass
	ddns_name gw.example.test dyndns2 gwuser gw-pass
	run 0 ddns update
	# the device's name was sent before: no request, its file untouched
	[ "$(provider_requests_for dev1.example.test)" = 1 ]
	[ "$(provider_requests_for gw.example.test)" = 1 ]
	has err 'dev1\.example\.test: unchanged'
	rm state/ddns/gw.example.test.state
	[ "$h" = "$(tree_hash state)" ]
}

test_changed_address_sends_one_request_per_name() {
	two_accounts
	run 0 ddns update
	provider_ip 198.51.100.23
	run 0 ddns update
	[ "$(provider_requests_for dev1.example.test)" = 2 ]
	[ "$(provider_requests_for gw.example.test)" = 2 ]
	# the external address was asked for once per run, not once per name
	[ "$(grep -c 'GET /ip ' "$PROV_DIR/provider.log")" = 2 ]
}

test_second_update_changes_no_byte_or_mtime_of_the_state_dir() {
	two_accounts
	run 0 ddns update
	snapshot state >before
	run 0 ddns update --json
	snapshot state >after
	cmp before after
	[ "$(provider_requests)" = 2 ]
	has err 'dev1\.example\.test: unchanged'
	has err 'gw\.example\.test: unchanged'
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["changed"] is False and d["action"] == "unchanged", d
assert d["paths"] == [], d
assert [n["action"] for n in d["names"]] == ["unchanged"] * 2, d' out
}

test_stop_of_one_name_leaves_the_other_updating() {
	two_accounts
	printf 'wrong\n' >gw.example.test.password
	run 69 ddns update
	has err 'gw\.example\.test: the provider refused the update: badauth'
	has err '\[ddns:gw\.example\.test\] settings'
	[ "$(provider_requests_for dev1.example.test)" = 1 ]
	provider_ip 198.51.100.23
	run 69 ddns update
	has err 'gw\.example\.test: updates stopped: badauth'
	has err 'ss-ddns retry --name gw\.example\.test'
	[ "$(provider_requests_for dev1.example.test)" = 2 ]
	[ "$(provider_requests_for gw.example.test)" = 1 ]
	grep -q '^provider=ok$' state/ddns/state
	grep -q '^provider=stopped$' state/ddns/gw.example.test.state
}

test_update_json_reports_each_name() {
	two_accounts
	printf 'wrong\n' >gw.example.test.password
	run 69 ddns update --json
	$PY -c 'import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["changed"] is True and d["action"] == "updated", d
assert d["paths"] == [sys.argv[2] + "/state/ddns/state",
    sys.argv[2] + "/state/ddns/gw.example.test.state"], d
dev, gw = d["names"]
assert dev["fqdn"] == "dev1.example.test" and dev["action"] == "updated", d
assert dev["addresses"] == ["203.0.113.7"], d
assert dev["answer"].startswith("good"), d
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", dev["last_update"]), d
assert gw["action"] == "stopped" and gw["answer"].startswith("badauth"), d
assert gw["last_update"] is None, d' out "$T"
}

test_update_dry_run_json_says_what_would_change_and_touches_nothing() {
	two_accounts
	mkdir -m 700 state
	snapshot state >before
	run 0 "$SS_DDNS" -n -c security.conf update --json
	snapshot state >after
	cmp before after
	[ "$(provider_requests)" = 0 ]
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["dry_run"] is True and d["changed"] is True, d
assert d["action"] == "updated", d
assert len(d["paths"]) == 2, d' out
}

test_name_option_updates_one_name_only() {
	two_accounts
	run 0 ddns update --name gw.example.test
	[ "$(provider_requests_for dev1.example.test)" = 0 ]
	[ "$(provider_requests_for gw.example.test)" = 1 ]
	[ ! -e state/ddns/state ]
}

test_unknown_name_is_an_error_that_lists_the_names() {
	two_accounts
	run 64 ddns update --name gw.example.tset
	has err "--name gw\.example\.tset: no such name in $T/security\.conf; the names are: dev1\.example\.test, gw\.example\.test"
	[ "$(provider_requests)" = 0 ]
	run 64 ddns status --name nope.example.test
	has err 'the names are: dev1\.example\.test, gw\.example\.test'
	run 64 ddns retry --name nope.example.test
	run 3 ddns check --name nope.example.test
}

test_credentials_are_not_taken_from_ddns() {
	dyndns2
	# server only: the user name and password of [ddns] are not inherited
	printf '\n[ddns:gw.example.test]\nserver = %s\n' "$PROV_URL" >>security.conf
	run 78 ddns update
	has err "\[ddns:gw\.example\.test\] username in $T/security\.conf: not set"
	[ "$(provider_requests_for dev1.example.test)" = 1 ]
	[ "$(provider_requests_for gw.example.test)" = 0 ]
}

test_name_without_server_is_a_config_error_for_that_name() {
	dyndns2
	printf '\n[ddns:gw.example.test]\nusername = gwuser\n' >>security.conf
	run 78 ddns update
	has err "\[ddns:gw\.example\.test\] server is not set in $T/security\.conf"
	[ "$(provider_requests_for dev1.example.test)" = 1 ]
}

# ddns_conf_error N LINES... PATTERN: the lines appended to the
# configuration make the error PATTERN on the Nth of them (from 0).
ddns_conf_error() {
	dyndns2
	line=$(($(wc -l <security.conf) + 2 + $1))
	shift
	printf '\n' >>security.conf
	while [ $# -gt 1 ]; do
		printf '%s\n' "$1" >>security.conf
		shift
	done
	run 78 ddns update
	has err "security\.conf:$line: $1"
	[ "$(provider_requests)" = 0 ]
	[ ! -e state ]
}

test_name_section_that_is_not_a_dns_name_is_a_config_error() {
	ddns_conf_error 0 '[ddns:gw_1.example.test]' \
	    "\[ddns:gw_1\.example\.test\]: 'gw_1\.example\.test' is not a fully qualified DNS name"
}

test_name_section_with_one_label_is_a_config_error() {
	ddns_conf_error 0 '[ddns:gw]' \
	    "\[ddns:gw\]: 'gw' is not a fully qualified DNS name"
}

test_duplicate_name_section_is_a_config_error() {
	ddns_conf_error 2 '[ddns:gw.example.test]' 'server = http://a.example' \
	    '[ddns:GW.example.test]' \
	    "duplicate section \[ddns:GW\.example\.test\] \(first on line [0-9]+\)"
}

test_unknown_key_in_name_section_names_its_line() {
	ddns_conf_error 1 '[ddns:gw.example.test]' 'passwd_file = /x' \
	    "unknown key 'passwd_file' in \[ddns:gw\.example\.test\]"
}

test_global_key_in_name_section_says_it_belongs_in_ddns() {
	ddns_conf_error 1 '[ddns:gw.example.test]' 'checkip = http://a.example' \
	    "'checkip' in \[ddns:gw\.example\.test\]: it is set in \[ddns\], once for every name"
}

test_duplicate_key_in_name_section_is_a_config_error() {
	ddns_conf_error 2 '[ddns:gw.example.test]' 'ttl = 60' 'ttl = 90' \
	    "duplicate key 'ttl' in \[ddns:gw\.example\.test\]"
}

test_bad_value_in_name_section_is_checked_as_in_ddns() {
	ddns_conf_error 1 '[ddns:gw.example.test]' 'ttl = 5' \
	    'ttl: 5 is out of range \(30-86400\)'
}

test_device_name_as_name_section_is_a_config_error() {
	ddns_conf_error 0 '[ddns:dev1.example.test]' 'server = http://a.example' \
	    "\[ddns:dev1\.example\.test\] is the device's own name"
}

## retry

test_retry_lifts_a_badauth_stop_and_the_next_update_sends() {
	dyndns2
	run 0 ddns update
	provider_code badauth
	run 69 ddns update --force
	[ "$(provider_requests)" = 2 ]
	provider_code good
	# fixed at the provider: the settings stay as they were
	run 69 ddns update
	has err 'updates stopped: badauth'
	has err 'ss-ddns retry'
	[ "$(provider_requests)" = 2 ]
	run 0 ddns retry
	has err 'dev1\.example\.test: lifted the stop \(badauth'
	grep -q '^provider=retry$' state/ddns/state
	# the address the provider had before, sent because the stop was lifted
	run 0 ddns update
	[ "$(provider_requests)" = 3 ]
	has "$PROV_DIR/updates.log" 'myip=203\.0\.113\.7 -> good 203'
	grep -q '^provider=ok$' state/ddns/state
	run 0 ddns update
	[ "$(provider_requests)" = 3 ]
}

test_retry_while_still_refused_stops_again() {
	dyndns2
	provider_code badauth
	run 69 ddns update
	run 0 ddns retry
	run 69 ddns update
	has err 'refused the update: badauth'
	[ "$(provider_requests)" = 2 ]
	run 69 ddns update
	[ "$(provider_requests)" = 2 ]
}

test_retry_with_nothing_to_lift_says_so_and_changes_nothing() {
	dyndns2
	run 0 ddns update
	snapshot state >before
	run 0 ddns retry --json
	has err 'nothing to lift'
	snapshot state >after
	cmp before after
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["changed"] is False and d["action"] == "unchanged", d
assert d["paths"] == [], d' out
}

test_retry_does_not_cut_a_back_off_short() {
	dyndns2
	provider_code 911
	run 75 ddns update
	h=$(tree_hash state)
	run 0 ddns retry
	has err 'backing off'
	[ "$h" = "$(tree_hash state)" ]
}

test_retry_name_lifts_that_name_only() {
	two_accounts
	provider_code badauth
	run 69 ddns update
	[ "$(provider_requests)" = 2 ]
	provider_code good
	run 0 ddns retry --name gw.example.test --json
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["changed"] is True and d["action"] == "lifted", d
assert d["paths"] == [sys.argv[2] + "/state/ddns/gw.example.test.state"], d
assert [n["fqdn"] for n in d["names"]] == ["gw.example.test"], d
assert d["names"][0]["stop_reason"].startswith("badauth"), d' out "$T"
	run 69 ddns update
	[ "$(provider_requests_for dev1.example.test)" = 1 ]
	[ "$(provider_requests_for gw.example.test)" = 2 ]
}

test_retry_dry_run_changes_nothing() {
	dyndns2
	provider_code badauth
	run 69 ddns update
	h=$(tree_hash state)
	run 0 "$SS_DDNS" -n -c security.conf retry --json
	[ "$h" = "$(tree_hash state)" ]
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["dry_run"] is True and d["changed"] is True, d' out
}

test_status_lists_every_name() {
	two_accounts
	printf 'wrong\n' >gw.example.test.password
	run 69 ddns update
	run 0 ddns status
	has out '^name: +dev1\.example\.test$'
	has out '^name: +gw\.example\.test$'
	has out '^provider: +stopped: badauth'
	run 0 ddns status --json
	$PY -c 'import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["external"] == {"ipv4": "203.0.113.7"}, d
dev, gw = d["names"]
assert dev["fqdn"] == "dev1.example.test" and dev["provider"] == "ok", d
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", dev["last_update"]), d
assert gw["provider"] == "stopped", d
assert gw["state_file"].endswith("/state/ddns/gw.example.test.state"), d' out
	run 0 ddns status --name gw.example.test
	lacks out 'dev1'
}

test_check_lists_every_name() {
	named_start
	ddns_conf rfc2136
	ddns_name gw.example.test rfc2136
	run 0 ddns update
	printf '127.0.0.1 localhost\n203.0.113.7 dev1.example.test gw.example.test\n' >"$T/hosts"
	run 0 with_hosts "$T/hosts" "$SS_DDNS" -c security.conf check
	has out '^DNS OK - 2 names: dev1\.example\.test OK, gw\.example\.test OK$'
	printf 'server 127.0.0.1 %s\nupdate delete gw.example.test. A\nupdate add gw.example.test. 60 A 192.0.2.99\nsend\n' \
	    "$DNS_PORT" | nsupdate -k "$NS_KEY"
	run 2 with_hosts "$T/hosts" "$SS_DDNS" -c security.conf check --json
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "CRITICAL", d
assert [n["status"] for n in d["names"]] == ["OK", "CRITICAL"], d
assert any("gw.example.test" in p and "192.0.2.99" in p
    for p in d["problems"]), d' out
	run 0 with_hosts "$T/hosts" "$SS_DDNS" -c security.conf check --name dev1.example.test
	has out '^DNS OK - dev1\.example\.test'
}

## status

test_status_json_parses() {
	dyndns2
	run 0 ddns update
	run 0 ddns status --json
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, dict), d
assert "203.0.113.7" in json.dumps(d), d' out
}

test_status_says_last_update_and_result() {
	dyndns2
	run 0 ddns update
	run 0 ddns status
	has out '203\.0\.113\.7'
	has out 'good'
	has out '[0-9]{4}-[0-9]{2}-[0-9]{2}'
}

test_status_before_any_update() {
	dyndns2
	run 0 ddns status --json
	$PY -c 'import json, sys; json.load(open(sys.argv[1]))' out
}

## check

hosts_with() {
	printf '127.0.0.1 localhost\n%s dev1.example.test\n' "$1" >"$T/hosts"
}

test_check_ok_after_rfc2136_update() {
	rfc2136
	run 0 ddns update
	hosts_with 203.0.113.7
	run 0 with_hosts "$T/hosts" "$SS_DDNS" -c security.conf check
	has out '^([A-Z]+ )?OK'
}

test_check_critical_when_the_authoritative_record_is_wrong() {
	rfc2136
	run 0 ddns update
	printf 'server 127.0.0.1 %s\nupdate delete dev1.example.test. A\nupdate add dev1.example.test. 60 A 192.0.2.99\nsend\n' \
	    "$DNS_PORT" | nsupdate -k "$NS_KEY"
	[ "$(dig_a dev1.example.test)" = 192.0.2.99 ]
	hosts_with 203.0.113.7
	run 2 with_hosts "$T/hosts" "$SS_DDNS" -c security.conf check
	has out '^([A-Z]+ )?CRITICAL'
	has out '192\.0\.2\.99'
}

test_check_warning_while_only_caches_lag() {
	rfc2136
	run 0 ddns update
	hosts_with 127.0.0.1
	run 1 with_hosts "$T/hosts" "$SS_DDNS" -c security.conf check
	has out '^([A-Z]+ )?WARNING'
}

## txt: the dns_hook of ss-cert

test_txt_set_and_clear() {
	rfc2136
	run 0 ddns txt set _acme-challenge.dev1.example.test tok-123
	[ "$(dig @127.0.0.1 -p "$DNS_PORT" +short TXT _acme-challenge.dev1.example.test)" = '"tok-123"' ]
	run 0 ddns txt clear _acme-challenge.dev1.example.test tok-123
	[ -z "$(dig @127.0.0.1 -p "$DNS_PORT" +short TXT _acme-challenge.dev1.example.test)" ]
}

test_cert_dns01_with_ss_ddns_txt_as_hook() {
	named_start
	pebble_start
	acme_conf dns-01
	ddns_conf rfc2136
	sed -i "s|^dns_hook = .*|dns_hook = $SS_DDNS -c $T/security.conf txt|" security.conf
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	pebble_root root.pem
	openssl verify -CAfile root.pem -untrusted certs/dev1.example.test/chain.pem \
	    certs/dev1.example.test/cert.pem
	[ -z "$(dig @127.0.0.1 -p "$DNS_PORT" +short TXT _acme-challenge.dev1.example.test)" ]
}

# The state directory: a planted symlink is refused and what it points at
# stays as it was; a directory others may write or own is refused.
test_state_ddns_directory_that_is_a_symlink_is_refused() {
	dyndns2
	mkdir -p decoy state
	echo precious >decoy/state
	hd=$(tree_hash decoy)
	ln -s "$T/decoy" state/ddns
	run 73 ddns update
	has err "state/ddns: is a symbolic link, not a directory; remove it"
	[ "$hd" = "$(tree_hash decoy)" ]
	[ "$(provider_requests)" = 0 ]
}

test_state_file_that_is_a_symlink_is_refused() {
	dyndns2
	run 0 ddns update
	mkdir -p decoy
	echo 'last4=192.0.2.1' >decoy/state
	hd=$(tree_hash decoy)
	ln -sf "$T/decoy/state" state/ddns/state
	provider_ip 198.51.100.23
	run 65 ddns update
	has err "state/ddns/state: is a symbolic link, not reading it"
	[ "$hd" = "$(tree_hash decoy)" ]
	[ "$(provider_requests)" = 1 ]
}

test_state_dir_writable_by_group_is_refused() {
	dyndns2
	mkdir -p state
	chmod 770 state
	run 78 ddns update
	has err "state: writable by group or others \(mode 0770\); chmod go-w $T/state"
	[ "$(provider_requests)" = 0 ]
}

test_state_dir_of_another_user_is_refused() {
	dyndns2
	mkdir -p state
	chown 65534 state
	run 77 ddns update
	has err "state: owned by uid 65534, not by uid $(id -u) who runs this; chown $(id -u) $T/state"
	[ "$(provider_requests)" = 0 ]
}

## Times past 2038-01-19, where a 32-bit time_t ends

# A back-off until 2100-01-01 (4102444800) is honoured and shown; the
# state file is read and written back with it unchanged.
test_state_times_past_2038_are_honoured_and_kept() {
	dyndns2
	run 0 ddns update
	sed -i 's/^provider=.*/provider=backoff/; s/^backoff_until=.*/backoff_until=4102444800/' \
	    state/ddns/state
	echo 'change=4102444800 4 198.51.100.9' >>state/ddns/state
	h=$(tree_hash state)
	provider_ip 198.51.100.23
	run 75 ddns update
	has err 'no update until 2100-01-01 00:00:00 UTC'
	[ "$(provider_requests)" = 1 ]
	[ "$h" = "$(tree_hash state)" ]
	run 0 ddns status
	has out '^provider: +backing off until 2100-01-01 00:00:00 UTC$'
	# a change dated 2100 counts as within the last 24 hours
	has out '^changes in 24 h: 2$'
	run 0 ddns status --json
	/usr/bin/python3 -c '
import json, sys
n = json.load(open(sys.argv[1]))["names"][0]
assert n["backoff_until"] == "2100-01-01T00:00:00Z", n
assert n["changes_24h"] == 2, n' "$T/out"
	# once the provider is asked again, the 2100 change stays in the history
	sed -i 's/^backoff_until=.*/backoff_until=0/' state/ddns/state
	run 0 ddns update
	[ "$(provider_requests)" = 2 ]
	grep -q '^change=4102444800 4 198\.51\.100\.9$' state/ddns/state
	grep -q '^backoff_until=0$' state/ddns/state
}

# A last update in 2100 keeps the address from being sent again before
# force_days, and is printed as it is.
test_last_update_in_2100_is_read_and_printed() {
	dyndns2
	run 0 ddns update
	sed -i 's/^updated=.*/updated=4102444800/' state/ddns/state
	run 0 ddns update
	has err 'unchanged'
	[ "$(provider_requests)" = 1 ]
	run 0 ddns status
	has out '^last update: +2100-01-01 00:00:00 UTC'
	grep -q '^updated=4102444800$' state/ddns/state
}

# Times outside 1970..9999 are refused with the file, the line and the
# key; nothing is sent and the state stays as it was.
test_state_time_out_of_range_is_a_clear_error() {
	dyndns2
	run 0 ddns update
	for v in 253402300800 -1 99999999999999999999; do
		sed -i "s/^updated=.*/updated=$v/" state/ddns/state
		h=$(tree_hash state)
		provider_ip 198.51.100.23
		run 65 ddns update
		has err "state/ddns/state:[0-9]+: updated: not a time in seconds since 1970, up to 9999-12-31"
		[ "$(provider_requests)" = 1 ]
		[ "$h" = "$(tree_hash state)" ]
	done
	sed -i 's/^updated=.*/updated=0/' state/ddns/state
	echo 'change=253402300800 4 198.51.100.1' >>state/ddns/state
	run 65 ddns update
	has err "state/ddns/state:[0-9]+: not 'change=EPOCH FAMILY ADDRESS' \(EPOCH in seconds, up to 9999-12-31\)"
	[ "$(provider_requests)" = 1 ]
}

run_tests
