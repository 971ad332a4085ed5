#!/bin/bash
# The device's posture in one command: ss-audit beside the tools an owner
# would pick instead, Lynis (`lynis audit system --quick`, a general
# host auditor) and testssl.sh (one TLS port), on one test device state
# that holds each of ss-audit's eleven risks:
#
#   listeners         a socket on 0.0.0.0 on a port not in allow_ports
#                     (in the bench's own network namespace)
#   openhab           the automation server's defaults bind 0.0.0.0
#   factory-password  the system account still has the factory password
#   certificate       nginx on 127.0.0.1 serves the self-signed
#                     certificate while a DDNS name is configured
#   tls               that nginx also accepts TLS 1.0 and 1.1
#   proxy             [nginx] auth = none
#   dns               the bind9 zone answers another address than the
#                     external one
#   timers            (the host's; without systemd: not checked)
#   files             the certificate's private key readable by all
#   ssh               port 22 open on 0.0.0.0 (in the bench's namespace)
#                     with PermitRootLogin yes in its sshd_config
#   button            password recovery by the button disabled
#
# Wall time with hyperfine (RUNS of ss-audit, default 20; SLOW_RUNS of
# Lynis and testssl.sh, default 3), ss-audit's CPU time (user + system;
# goal: under 1 s), the ratios, and a table of which risks each tool
# reports, made from what each one printed on that state.  The outputs,
# the hyperfine JSON and the table are kept in BENCH_OUT (default
# BUILD_DIR/bench/audit).
#
# Usage: [RUNS=20] [SLOW_RUNS=3] [BENCH_OUT=DIR] tests/bench/audit.sh
#        [BUILD_DIR]
set -u
# The state holds a socket on 0.0.0.0, a listener the audit must find: the
# bench runs in a network namespace of its own, with loopback only, so
# that nothing it opens is reachable from elsewhere.
if [ -z "${SS_BENCH_NETNS:-}" ]; then
	exec unshare -n env SS_BENCH_NETNS=1 bash -c \
	    'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
fi
B=$(cd "${1:-build}" 2>/dev/null && pwd) || B=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-20}
SLOW_RUNS=${SLOW_RUNS:-3}
OUT=${BENCH_OUT:-$B/bench/audit}

. "$HERE/lib.sh"
bench_install hyperfine:hyperfine lynis:lynis testssl:testssl.sh \
    named:bind9 nsupdate:bind9-dnsutils nginx:nginx mkpasswd:whois
bench_require audit hyperfine lynis testssl named nsupdate nginx mkpasswd
[ -x "$B/ss-audit" ] || { echo "audit bench: not built: $B/ss-audit" >&2; exit 69; }

D=$(mktemp -d /tmp/ss-bench.XXXXXX)
# shellcheck disable=SC2034 # the integration libraries work in $T
T=$D
. "$HERE/../integration/lib.sh"
. "$HERE/../integration/acme_lib.sh"
. "$HERE/../integration/ddns_lib.sh"
. "$HERE/../integration/nginx_lib.sh"
cleanup() {
	for p in "$D"/*.pid; do
		stop_pid "$p"
	done
	rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$OUT"

## The device state

FACTORY_PW='Label-Pass-7Kq'
mkconf
named_start || exit 69
ddns_conf rfc2136
nginx_prepare
"$SS_NGINXCONF" -c "$T/security.conf" certs --self --dry-run \
    >"$T/nginx/certs.conf" 2>"$T/nginx/start.log" ||
    server_failed "ss-nginxconf certs --self" "$T/nginx/start.log" || exit 69
# TLS 1.0 and 1.1 accepted, as an old configuration would
sed -i "s|^\t\tinclude $T/nginx/certs.conf;|&\n\t\tssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;\n\t\tssl_ciphers DEFAULT:@SECLEVEL=0;|" \
    "$T/nginx/nginx.conf"
nginx_run || exit 69
TLS_PORT=$NGINX_TLS_PORT
# the zone says another address than the external one
"$B/ss-ddns" -q -c "$T/security.conf" update || exit 69
printf 'server 127.0.0.1 %s\nupdate delete dev1.example.test. A\nupdate add dev1.example.test. 60 A 192.0.2.99\nsend\n' \
    "$DNS_PORT" | nsupdate -k "$NS_KEY" || exit 69
printf 'OPENHAB_HTTP_ADDRESS=0.0.0.0\n' >"$T/openhab.defaults"
printf '%s\n' "$FACTORY_PW" >"$T/factory"
chmod 600 "$T/factory"
printf 'root:*:19700:0:99999:7:::\napollo:%s:19700:0:99999:7:::\n' \
    "$(printf '%s\n' "$FACTORY_PW" | mkpasswd -m yescrypt -s)" >"$T/shadow"
chmod 640 "$T/shadow"
chmod 644 "$T/certs/self/server.key"
LISTEN_PORT=$(free_port)
$PY -c 'import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen()
time.sleep(3600)' "$LISTEN_PORT" &
echo $! >"$T/listener.pid"
wait_port "$LISTEN_PORT"
# An SSH port open beyond loopback, whose sshd lets root in by password
$PY -c 'import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 22))
s.listen()
time.sleep(3600)' &
echo $! >"$T/ssh.pid"
wait_port 22
printf 'PermitRootLogin yes\nPasswordAuthentication yes\n' >"$T/sshd_config"
cat >>"$T/security.conf" <<EOC

[passwd]
shadow_file = $T/shadow
factory_file = $T/factory
users_file = $T/state/users

[button]
reset_enabled = no

[audit]
sshd_command =
sshd_config = $T/sshd_config
EOC
conf_set nginx auth none
conf_set nginx https_port "$TLS_PORT"
cp "$T/security.conf" "$OUT/security.conf"

## What each tool says, once

AUDIT="$B/ss-audit -c $T/security.conf"
LYNIS="lynis audit system --quick --no-colors --logfile $T/lynis.log --report-file $T/lynis-report.dat"
TESTSSL="testssl --quiet --color 0 --warnings off --jsonfile-pretty $T/testssl.json 127.0.0.1:$TLS_PORT"

$AUDIT >"$OUT/ss-audit.txt" 2>"$OUT/ss-audit.err"
$AUDIT --json >"$OUT/ss-audit.json" 2>/dev/null
$LYNIS >"$OUT/lynis.txt" 2>&1
cp "$T/lynis-report.dat" "$OUT/lynis-report.dat"
rm -f "$T/testssl.json"
$TESTSSL >"$OUT/testssl.txt" 2>&1
cp "$T/testssl.json" "$OUT/testssl.json"

## Time

# time_it NAME RUNS CMD WARMUP: hyperfine's JSON for CMD in
# $OUT/hyperfine-NAME.json.
time_it() {
	hyperfine -N -w "$4" -r "$2" -i --export-json "$OUT/hyperfine-$1.json" \
	    --output null "$3" >/dev/null 2>&1 ||
	    echo "audit bench: hyperfine failed for $1" >&2
}
rm -f "$T/testssl.json"
time_it ss-audit "$RUNS" "$AUDIT" 2
# each of these takes a minute or more: no warm-up run
time_it lynis "$SLOW_RUNS" "$LYNIS" 0
time_it testssl "$SLOW_RUNS" "sh -c 'rm -f $T/testssl.json; exec $TESTSSL'" 0

read -r a_ms a_sd <<<"$(bench_mean "$OUT/hyperfine-ss-audit.json" 1)"
read -r l_ms l_sd <<<"$(bench_mean "$OUT/hyperfine-lynis.json" 0)"
read -r t_ms t_sd <<<"$(bench_mean "$OUT/hyperfine-testssl.json" 0)"
a_cpu=$(bench_cpu "$OUT/hyperfine-ss-audit.json" 1)
{
	printf '%-28s %12s %10s %12s\n' tool 'wall ms' '+-' 'x ss-audit'
	printf '%-28s %12s %10s %12s\n' ss-audit "$a_ms" "$a_sd" 1
	printf '%-28s %12s %10s %12s\n' 'lynis audit system --quick' \
	    "$l_ms" "$l_sd" "$(bench_ratio "$l_ms" "$a_ms" 0)"
	printf '%-28s %12s %10s %12s\n' testssl.sh "$t_ms" "$t_sd" \
	    "$(bench_ratio "$t_ms" "$a_ms" 0)"
	printf '\nss-audit CPU (user + system): %s ms (goal: under 1000)\n\n' \
	    "$a_cpu"
} | tee "$OUT/times.txt"

## Which risk each tool reports

$PY - "$OUT" <<'EOP' | tee "$OUT/table.txt"
import json, re, sys
out = sys.argv[1]
audit = json.load(open(out + "/ss-audit.json"))
lynis = open(out + "/lynis.txt", errors="replace").read()
lynis += open(out + "/lynis-report.dat", errors="replace").read()
tssl = json.load(open(out + "/testssl.json"))
tssl = tssl.get("scanResult", [{}])[0] if isinstance(tssl, dict) else {}
findings = [f for k, v in tssl.items() if isinstance(v, list) for f in v]

def tls(ids, bad):
    # a testssl.sh finding of one of IDS whose severity says a problem
    hits = [f["id"] + ": " + f["finding"] for f in findings
            if any(re.fullmatch(i, f["id"]) for i in ids) and
            f.get("severity") in bad]
    return hits[0] if hits else None

def ly(pattern):
    m = re.search(pattern, lynis, re.M)
    return m.group(0).strip() if m else None

# A Lynis test reports a risk when a warning or suggestion of its report
# (or its screen output, for the files it names) is about that risk.
W = r"^(?:warning|suggestion)\[\]="
# risk: (its ss-audit id, what Lynis says of it, what testssl.sh says)
risks = [
    ("listeners", ly(W + r"NETW-\d+\|[^|]*listen.*$"), None),
    ("openhab", ly(W + r"[^|]*\|[^|]*(?i:openhab).*$"), None),
    ("factory-password", ly(W + r"[^|]*\|[^|]*(?i:default|factory) password.*$"),
     None),
    ("certificate", ly(W + r"CRYP-79\d\d\|.*$"),
     tls([r"cert_chain_of_trust", r"cert_trust", r"cert_expirationStatus",
          r"cert_commonName"], ("MEDIUM", "HIGH", "CRITICAL"))),
    ("tls", ly(W + r"(?:HTTP|CRYP)-\d+\|[^|]*(?:TLS ?1\.[01]|SSLv|weak (?:protocol|cipher)).*$"),
     tls([r"TLS1", r"TLS1_1", r"SSLv3", r"SSLv2"], ("LOW", "MEDIUM", "HIGH",
          "CRITICAL"))),
    ("proxy", ly(W + r"HTTP-\d+\|[^|]*(?i:authenticat|HSTS|Strict-Transport).*$"),
     tls([r"HSTS"], ("LOW", "MEDIUM", "HIGH", "CRITICAL"))),
    ("dns", ly(W + r"NAME-\d+\|[^|]*(?i:record|external address).*$"), None),
    ("timers", ly(r"^.*(?:ss-cert-renew|ss-ddns)\.timer.*$"), None),
    ("files", ly(r"^.*(?:server\.key|privkey|/shadow\b.*(?i:permission)).*$"),
     None),
    ("ssh", ly(W + r"SSH-7408\|[^|]*PermitRootLogin.*$"), None),
    ("button", ly(r"^.*(?i:connect button|factory reset).*$"), None),
]

def said(fs, check):
    mine = [f for f in fs if f["id"] == check]
    if not mine:
        return "-", "no such check in this build"
    bad = [f for f in mine if f["status"] != "OK"]
    if not bad and "systemd is not running" in mine[0]["seen"]:
        return "n/a", mine[0]["seen"]
    if bad:
        return "yes", bad[0]["status"] + " " + bad[0]["seen"]
    return "no", mine[0]["seen"]

rows, notes = [], []
for check, l, t in risks:
    a, why = said(audit["findings"], check)
    rows.append((check, a, "yes" if l else "no", "yes" if t else "no"))
    notes.append("%-17s ss-audit: %s" % (check, why[:110]))
    if l:
        notes.append("%-17s lynis: %s" % ("", l[:110]))
    if t:
        notes.append("%-17s testssl.sh: %s" % ("", t[:110]))
print("%-18s %-9s %-7s %s" % ("risk", "ss-audit", "lynis", "testssl.sh"))
for r in rows:
    print("%-18s %-9s %-7s %s" % r)
print("%-18s %-9s %-7s %s" % ("reported", *[
    "%d/11" % sum(r[i] == "yes" for r in rows) for i in (1, 2, 3)]))
print()
print("\n".join(notes))
EOP
echo "outputs: $OUT"
