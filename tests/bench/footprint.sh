#!/bin/bash
# The tools' footprint: the stripped size of each tool in each build
# directory given (amd64 in build/, the cross builds in build/cross-ARCH/
# when they exist), and the peak RSS on this machine of each tool's most
# common one-shot run, beside a peer doing the same job:
#
#   ss-cert check     the certificate files nginx serves   openssl x509 -checkend
#   ss-cert list      the certificates on the device       (same peer)
#   ss-cert renew     nothing due; asks the CA's renewal window over HTTPS
#                     (pebble behind tests/integration/acme_stub.py)
#                                                          curl of that URL
#   ss-ddns update    the address unchanged: checkip only  curl of checkip
#   ss-passwd verify  one login's argon2id check, at the   the argon2 CLI,
#                     default parameters (64 MiB)          same parameters
#   ss-nginxconf certs  certs.conf already right: nothing  (none)
#   ss-btnwatch status  the button settings                (none)
#
# Goals: each tool under 200 KiB stripped; peak RSS 8 MiB for a run that
# does not go on the network, 12 MiB for one that does.  The argon2id
# check holds its memory cost by design, so ss-passwd verify is also
# measured with argon2_m_kib = 1024 to show what the tool itself costs.
#
# Peak RSS with GNU time, the median of five runs.
# Usage: tests/bench/footprint.sh [BUILD_DIR...]   (default: build and
#        build/cross-* that hold the tools)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
. "$HERE/lib.sh"
bench_install /usr/bin/time:time curl:curl argon2:argon2 pebble:pebble \
    named:bind9
bench_require footprint /usr/bin/time curl argon2 pebble named openssl

if [ $# -eq 0 ]; then
	set -- "$TOP/build"
	for d in "$TOP"/build/cross-*; do
		[ -x "$d/ss-cert" ] && set -- "$@" "$d"
	done
fi
TOOLS="ss-cert ss-ddns ss-passwd ss-nginxconf ss-btnwatch"

# Sizes: each tool stripped with the strip of its own architecture.
strip_for() {
	case $(file -b "$1") in
	*ARM\ aarch64*) echo aarch64-linux-gnu-strip ;;
	*ARM,*) echo arm-linux-gnueabihf-strip ;;
	*) echo strip ;;
	esac
}
arch_of() {
	case $(file -b "$1") in
	*ARM\ aarch64*) echo arm64 ;;
	*ARM,*) echo armhf ;;
	*x86-64*) echo amd64 ;;
	*) echo "?" ;;
	esac
}
S=$(mktemp -d /tmp/ss-footprint.XXXXXX)
printf '%-14s' "stripped KiB"
for d in "$@"; do
	printf ' %8s' "$(arch_of "$d/ss-cert")"
done
printf '\n'
for t in $TOOLS; do
	printf '%-14s' "$t"
	for d in "$@"; do
		if [ -x "$d/$t" ] && cp "$d/$t" "$S/$t" &&
		    "$(strip_for "$d/$t")" "$S/$t" 2>/dev/null; then
			printf ' %8.1f' "$(echo "$(stat -c %s "$S/$t") / 1024" |
			    bc -l)"
		else
			printf ' %8s' -
		fi
	done
	printf '\n'
done
rm -rf "$S"

B=$(cd "$1" && pwd) || exit 2
case $(arch_of "$B/ss-cert") in
amd64) ;;
*) echo "peak RSS: $B does not hold amd64 tools" >&2; exit 0 ;;
esac
SS_CERT=$B/ss-cert
T=$(mktemp -d /tmp/ss-footprint.XXXXXX)
export B T TOP
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/acme_lib.sh"
. "$TOP/tests/integration/ddns_lib.sh"
cleanup() {
	for p in "$T"/*.pid; do
		stop_pid "$p"
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1

# rss CMD...: the median peak RSS in KiB of five runs, - when CMD fails;
# standard input from $RSS_IN (/dev/null by default).
rss() {
	for _ in 1 2 3 4 5; do
		/usr/bin/time -f %M -o "$T/rss" "$@" <"${RSS_IN:-/dev/null}" \
		    >/dev/null 2>&1 && tail -n 1 "$T/rss"
	done | sort -n | awk '{ v[NR] = $1 } END { print NR == 5 ? v[3] : "-" }'
}

# The device: an ACME certificate from pebble (the stub's renewal window
# lies ahead, so renew has nothing to do), DDNS at the test provider, a
# CMS user, certs.conf already naming the certificate.
named_start >/dev/null && pebble_start >/dev/null &&
    stub_start proxy --renewal-window future >/dev/null &&
    provider_start >/dev/null || exit 69
acme_conf
sed -i "s|^directory = .*|directory = $STUB_DIR|" security.conf
webroot_serve "$T/webroot"
ddns_conf dyndns2
printf 'pw-for-the-bench-1\n' >factory
chmod 600 factory
cat >>security.conf <<EOC

[passwd]
users_file = $T/users
shadow_file = $T/shadow
factory_file = $T/factory

[nginx]
certs_conf = $T/certs.conf
test_command = true
reload_command = true
EOC
printf 'root:*:19700:0:99999:7:::\n' >shadow
"$SS_CERT" -c security.conf issue --agree-tos >issue.log 2>&1 || {
	cat issue.log >&2
	echo "footprint: ss-cert issue failed" >&2
	exit 69
}
"$B/ss-ddns" -c security.conf update >/dev/null 2>&1
printf 'bench-pass-1234\nbench-pass-1234\n' |
    "$B/ss-passwd" -c security.conf useradd bench --role owner \
    >/dev/null 2>&1
"$B/ss-nginxconf" -c security.conf certs --name dev1.example.test \
    >/dev/null 2>&1
CHAIN=$T/certs/dev1.example.test/fullchain.pem
pebble_root "$T/pebble-root.pem"
RENEW_URL=$(grep -o 'https://[^ ]*renewal-info' "$T/stub.requests" 2>/dev/null |
    head -n 1)

# "small": a user hashed at argon2_m_kib = 1024 (the parameters are
# stored with the hash, so verify uses them whatever the configuration).
sed 's/^\[passwd\]$/[passwd]\nargon2_m_kib = 1024/' security.conf >small.conf
printf 'bench-pass-1234\nbench-pass-1234\n' |
    "$B/ss-passwd" -c small.conf useradd small --role user >/dev/null 2>&1
printf 'bench-pass-1234\n' >pw.line
printf 'bench-pass-1234' >pw.raw

printf '\n%-26s %10s %-26s %10s %6s %6s\n' "run" "RSS KiB" "peer" \
    "RSS KiB" "ss/peer" "goal"
row() {
	printf '%-26s %10s %-26s %10s %6s %6s\n' "$1" "$2" "$3" "$4" \
	    "$(bench_ratio "$2" "$4" 2)" "$5"
}
peer_x509=$(rss openssl x509 -in "$CHAIN" -noout -checkend 0)
row "ss-cert check" "$(rss "$SS_CERT" -c security.conf check \
    --hostname dev1.example.test --ca "$T/pebble-root.pem")" \
    "openssl x509 -checkend" "$peer_x509" 8192
row "ss-cert list" "$(rss "$SS_CERT" -c security.conf list)" \
    "openssl x509 -checkend" "$peer_x509" 8192
row "ss-cert renew (none due)" "$(rss "$SS_CERT" -c security.conf renew)" \
    "curl (one HTTPS GET)" \
    "$(rss curl -fsS --cacert "$PEBBLE_CA" "${RENEW_URL:-$STUB_DIR}")" 12288
row "ss-ddns update (same)" "$(rss "$B/ss-ddns" -c security.conf update)" \
    "curl (checkip)" "$(rss curl -fsS "$PROV_URL/ip")" 12288
RSS_IN=pw.line
v64=$(rss "$B/ss-passwd" -c security.conf verify bench)
v1=$(rss "$B/ss-passwd" -c security.conf verify small)
RSS_IN=pw.raw
a64=$(rss argon2 0123456789abcdef -id -t 3 -k 65536 -p 1 -e)
a1=$(rss argon2 0123456789abcdef -id -t 3 -k 1024 -p 1 -e)
RSS_IN=
row "ss-passwd verify 64M" "$v64" "argon2 -k 65536" "$a64" 8192
row "ss-passwd verify 1M" "$v1" "argon2 -k 1024" "$a1" 8192
row "ss-nginxconf certs" "$(rss "$B/ss-nginxconf" -c security.conf certs \
    --name dev1.example.test)" "-" - 8192
row "ss-btnwatch status" "$(rss "$B/ss-btnwatch" -c security.conf status)" \
    "-" - 8192
row "/bin/true (scale)" "$(rss /bin/true)" "-" - -
