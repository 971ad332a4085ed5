#!/bin/bash
# ss-audit's dns and timers checks: a bind9 zone that agrees with the
# external address and one that does not, a provider that stopped the
# updates, no name at all; the timers where systemd does not run (the
# booted container of tests/system holds the rest).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acme_lib.sh"
. "$(dirname "$0")/ddns_lib.sh"

AUDIT=$B/ss-audit
SS_DDNS=$B/ss-ddns

ddns() {
	"$SS_DDNS" -c "$T/security.conf" "$@"
}

# audit CODE ARGS...: ss-audit with the system resolver answering what
# $T/hosts says (203.0.113.7 for the test names unless hosts_with).
audit() {
	want=$1
	shift
	[ -f "$T/hosts" ] || hosts_with 203.0.113.7
	run "$want" with_hosts "$T/hosts" "$AUDIT" -c "$T/security.conf" "$@"
}

hosts_with() {
	printf '127.0.0.1 localhost\n%s dev1.example.test gw.example.test\n' \
	    "$1" >"$T/hosts"
}

# nsupdate_a NAME ADDR: the zone says ADDR for NAME, behind the tools' back.
nsupdate_a() {
	printf 'server 127.0.0.1 %s\nupdate delete %s. A\nupdate add %s. 60 A %s\nsend\n' \
	    "$DNS_PORT" "$1" "$1" "$2" | nsupdate -k "$NS_KEY"
	[ "$(dig_a "$1")" = "$2" ]
}

# json_finding STATUS SEEN_PART FIX: --json's dns finding is the same.
json_finding() {
	$PY - "$T/out" "$@" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
status, seen, fix = sys.argv[2:5]
fs = [f for f in d["findings"] if f["id"] == "dns"]
assert any(f["status"] == status and seen in f["seen"] and
    f.get("fix", "") == fix for f in fs), fs
assert d["status"] == status, d
EOP
}

test_dns_without_a_name_is_ok() {
	mkconf
	sed -i 's/^domain = .*/domain =/' security.conf
	audit 0 --only dns
	[ "$(cat out)" = "OK       dns: no DNS name configured ([ddns] enabled = no, no [device] domain)" ]
}

test_dns_zone_that_agrees_is_ok() {
	named_start
	ddns_conf rfc2136
	run 0 ddns update
	audit 0 --only dns
	[ "$(cat out)" = "OK       dns: dev1.example.test resolves to 203.0.113.7, the external address, at the system resolver and at 1 authoritative server" ]
}

test_dns_zone_that_disagrees_is_critical_with_the_update_fix() {
	named_start
	ddns_conf rfc2136
	run 0 ddns update
	nsupdate_a dev1.example.test 192.0.2.99
	audit 2 --only dns
	has out "^CRITICAL dns: dev1\\.example\\.test: 127\\.0\\.0\\.1:$DNS_PORT answers 192\\.0\\.2\\.99; fix: ss-ddns update --force$"
	[ "$(wc -l <out)" = 1 ]
	# the fix it names puts the zone right
	run 0 ddns update --force
	audit 0 --only dns
	has out '^OK       dns: dev1\.example\.test resolves to 203\.0\.113\.7'
}

test_dns_zone_that_disagrees_in_json() {
	named_start
	ddns_conf rfc2136
	run 0 ddns update
	nsupdate_a dev1.example.test 192.0.2.99
	audit 2 --only dns --json
	json_finding CRITICAL "answers 192.0.2.99" "ss-ddns update --force"
}

test_dns_each_ddns_name_is_checked() {
	named_start
	ddns_conf rfc2136
	ddns_name gw.example.test rfc2136
	run 0 ddns update
	nsupdate_a gw.example.test 192.0.2.99
	audit 2 --only dns
	has out '^OK       dns: dev1\.example\.test resolves to 203\.0\.113\.7'
	has out '^CRITICAL dns: gw\.example\.test: .* answers 192\.0\.2\.99; fix: ss-ddns update --force$'
}

test_dns_resolver_that_lags_is_a_warning() {
	named_start
	ddns_conf rfc2136
	run 0 ddns update
	hosts_with 127.0.0.1
	audit 1 --only dns
	has out '^WARNING  dns: dev1\.example\.test: the system resolver still has 127\.0\.0\.1 \(caches lag\)$'
}

test_dns_provider_stop_is_critical_with_the_retry_fix() {
	provider_start
	ddns_conf dyndns2
	provider_code badauth
	run 69 ddns update
	grep -q '^provider=stopped$' state/ddns/state
	audit 2 --only dns
	has out '^CRITICAL dns: dev1\.example\.test: the DDNS provider stopped taking updates \(badauth.*\); fix: fix the account at the provider, then ss-ddns retry$'
	audit 2 --only dns --json
	json_finding CRITICAL "stopped taking updates (badauth" \
	    "fix the account at the provider, then ss-ddns retry"
	# lifted: no stop is reported any more
	run 0 ddns retry
	audit 3 --only dns
	lacks out 'stopped taking updates'
}

test_dns_without_an_answer_is_unknown() {
	named_start
	ddns_conf rfc2136
	run 0 ddns update
	kill "$(cat "$T/named.pid")"
	wait_for 10 sh -c "! kill -0 $(cat "$T/named.pid")"
	audit 3 --only dns
	has out "^UNKNOWN  dns: dev1\\.example\\.test: no authoritative server answers dev1\\.example\\.test A: no answer from 127\\.0\\.0\\.1:$DNS_PORT within 4 s$"
	lacks out 'fix:'
}

test_dns_without_the_external_address_is_unknown() {
	named_start
	ddns_conf rfc2136
	run 0 ddns update
	ddns_set checkip "cmd:false"
	audit 3 --only dns
	has out '^UNKNOWN  dns: dev1\.example\.test: the external IPv4 address cannot be found'
	has err 'no checkip source gave the IPv4 address'
}

# no_systemd CMD...: CMD with an empty /run (a private mount namespace),
# as on a device whose systemd does not run: nothing asks the host's.
no_systemd() {
	unshare -m --propagation private sh -c \
	    'mount -t tmpfs none /run || exit 125; exec "$@"' sh "$@"
}

test_timers_without_systemd_is_ok() {
	mkconf
	run 0 no_systemd "$AUDIT" -c "$T/security.conf" --only timers
	[ "$(cat out)" = "OK       timers: systemd is not running (no /run/systemd/system): the timers are not checked" ]
	run 0 no_systemd "$AUDIT" -c "$T/security.conf" --only timers --json
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
[f] = d["findings"]
assert f["status"] == "OK" and f["id"] == "timers" and f["fix"] is None, f
assert "systemd is not running" in f["seen"], f' out
}

run_tests
