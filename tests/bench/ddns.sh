#!/bin/bash
# One dynamic DNS update cycle: ss-ddns beside inadyn and ddclient, all
# against one loopback dyndns2 provider (tests/dyndns2_provider.py, plain
# HTTP on 127.0.0.1), which also answers checkip on /ip.  Each client keeps
# its cache in a temp dir and is configured for the same host name,
# credentials and checkip URL:
#
#   changed    the provider's /ip answers a new address before every run
#              (hyperfine --prepare): checkip, one update request, cache
#              written.  Each run must send exactly one request.
#   unchanged  the cache already holds the address: checkip only.  Requests
#              are counted from the provider's log; ss-ddns and inadyn
#              must send none.
#
# Goals: CPU time (user + system) at most twice inadyn's (ss-ddns loads
# libcurl for its HTTP, which is most of its cost); peak RSS at most
# ddclient's; zero requests when nothing changed.  Wall time and the
# ratios to each tool are printed too, and for scale the peak RSS of
# /bin/true and of `openssl version`.
#
# Wall time with hyperfine -N (RUNS, default 40; WARMUP, default 5; JSON
# kept in BENCH_OUT if set), peak RSS with GNU time (median of five
# runs).  Every client is tried once first: one that fails is reported
# with its output and left out, the rest go on.
#
# Usage: [RUNS=40] [WARMUP=5] [TOOLS="ss-ddns inadyn ddclient"]
#        [BENCH_OUT=DIR] tests/bench/ddns.sh [BUILD_DIR]
set -u
B=$(cd "${1:-build}" 2>/dev/null && pwd) || B=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-40}
WARMUP=${WARMUP:-5}

# The clients and the measuring tools, installed when missing (as root).
. "$HERE/lib.sh"
bench_install hyperfine:hyperfine /usr/bin/time:time $PY:python3 \
    inadyn:inadyn ddclient:ddclient
bench_require ddns hyperfine /usr/bin/time $PY

D=$(mktemp -d /tmp/ss-bench.XXXXXX)
# shellcheck disable=SC2034 # lib.sh and ddns_lib.sh work in $T
T=$D
. "$HERE/../integration/lib.sh"
. "$HERE/../integration/acme_lib.sh"
. "$HERE/../integration/ddns_lib.sh"
cleanup() {
	for p in "$D"/*.pid; do
		stop_pid "$p"
	done
	if [ -n "${BENCH_OUT:-}" ]; then
		mkdir -p "$BENCH_OUT" && cp "$D"/*.json "$BENCH_OUT"/ 2>/dev/null
	fi
	rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PROV_PASSWORD=benchpass
provider_start || exit 69
PORT=$PROV_PORT
FQDN=dev1.example.test
mkdir -p "$D/log"

# ss-ddns: the same settings the tests use, flap warnings out of the way
mkconf
ddns_conf dyndns2
ddns_set flap_threshold 100
mv "$D/security.conf" "$D/ss-ddns.conf"

cat >"$D/inadyn.conf" <<EOC
period = 300
custom bench {
	username = dev1user
	password = $PROV_PASSWORD
	ssl = false
	checkip-server = 127.0.0.1:$PORT
	checkip-path = /ip
	checkip-ssl = false
	ddns-server = 127.0.0.1:$PORT
	ddns-path = "/nic/update?hostname=%h&myip=%i"
	hostname = $FQDN
}
EOC
mkdir -p "$D/inadyn-cache"

(umask 077; cat >"$D/ddclient.conf" <<EOC
daemon=0
syslog=no
min-interval=0
ssl=no
use=web, web=http://127.0.0.1:$PORT/ip
protocol=dyndns2
server=127.0.0.1:$PORT
login=dev1user
password=$PROV_PASSWORD
$FQDN
EOC
)

# next-ip: the provider's checkip answers a new address (198.51.100.N).
cat >"$D/next-ip" <<EOS
#!/bin/sh
n=\$(cat $D/n 2>/dev/null || echo 0)
n=\$((n % 250 + 1))
echo \$n >$D/n
echo 198.51.100.\$n >$PROV_DIR/ip
EOS
chmod +x "$D/next-ip"

TOOLS=${TOOLS:-ss-ddns inadyn ddclient}

# cmd TOOL: one update cycle (no shell: hyperfine -N splits on blanks).
cmd() {
	case $1 in
	ss-ddns) echo "$B/ss-ddns -q -c $D/ss-ddns.conf update" ;;
	inadyn) echo "inadyn -1 -n -l err --no-pidfile -f $D/inadyn.conf --cache-dir $D/inadyn-cache" ;;
	ddclient) echo "ddclient -foreground -daemon=0 -quiet -file $D/ddclient.conf -cache $D/ddclient.cache" ;;
	esac
}

# available TOOL: whether it can run here at all (says why not).
available() {
	case $1 in
	ss-ddns) [ -x "$B/ss-ddns" ] || { echo "not built: $B/ss-ddns"; return 1; } ;;
	*) command -v "$1" >/dev/null 2>&1 || { echo "not installed"; return 1; } ;;
	esac
}

# attempt NAME CMD: runs CMD once; on failure says so with its output.
attempt() {
	# shellcheck disable=SC2086 # CMD is a command line without quoting
	$2 >"$D/log/$1" 2>&1
	rc=$?
	[ $rc -eq 0 ] && return 0
	echo "FAILED (exit $rc): $1: $2" >&2
	tail -n 8 "$D/log/$1" | sed 's/^/    | /' >&2
	return 1
}

# rss CMD: peak resident set size in KiB, the median of five runs (the
# provider's answers stay as they are: a changed address is sent once,
# then the runs after it find it unchanged, so call it for "changed" with
# a new address before each run: RSS_PREPARE).
rss() {
	for _ in 1 2 3 4 5; do
		[ -z "${RSS_PREPARE:-}" ] || $RSS_PREPARE
		# shellcheck disable=SC2086
		/usr/bin/time -f %M -o "$D/rss" $1 >/dev/null 2>&1 &&
		    tail -n 1 "$D/rss"
	done | sort -n | awk '{ v[NR] = $1 } END { print NR == 5 ? v[3] : "-" }'
}

# per_run N RUNS: requests per run to two decimals.
per_run() {
	$PY -c 'import sys; print("%.2f" % (int(sys.argv[1]) / int(sys.argv[2])))' "$1" "$2"
}

declare -A MEAN SD CPU RSS REQ
echo "DDNS bench: dyndns2 provider on 127.0.0.1:$PORT, $RUNS runs (+$WARMUP warm-up)" >&2
for t in $TOOLS; do
	if ! why=$(available "$t"); then
		echo "SKIPPED: $t: $why" >&2
		continue
	fi
	c=$(cmd "$t")
	# (a) changed: one request a run
	"$D/next-ip"
	r0=$(provider_requests)
	attempt "$t-changed" "$c" || continue
	if [ $(($(provider_requests) - r0)) -ne 1 ]; then
		echo "WARNING: $t: $(($(provider_requests) - r0)) requests for one changed address" >&2
	fi
	r0=$(provider_requests)
	if hyperfine -N --runs "$RUNS" --warmup "$WARMUP" --prepare "$D/next-ip" \
	    -n "$t" --export-json "$D/changed-$t.json" "$c" >&2; then
		read -r "MEAN[changed:$t]" "SD[changed:$t]" <<<"$(bench_mean "$D/changed-$t.json" 2)"
		CPU[changed:$t]=$(bench_cpu "$D/changed-$t.json" 2)
		REQ[changed:$t]=$(per_run $(($(provider_requests) - r0)) $((RUNS + WARMUP)))
	else
		echo "FAILED: $t: a timed run with a changed address failed: $c" >&2
	fi
	RSS[changed:$t]=$(RSS_PREPARE=$D/next-ip rss "$c")

	# (b) unchanged: the cache holds the address the provider answers
	r0=$(provider_requests)
	if hyperfine -N --runs "$RUNS" --warmup "$WARMUP" -n "$t" \
	    --export-json "$D/unchanged-$t.json" "$c" >&2; then
		read -r "MEAN[unchanged:$t]" "SD[unchanged:$t]" <<<"$(bench_mean "$D/unchanged-$t.json" 2)"
		CPU[unchanged:$t]=$(bench_cpu "$D/unchanged-$t.json" 2)
	else
		echo "FAILED: $t: a timed run with an unchanged address failed: $c" >&2
	fi
	RSS[unchanged:$t]=$(rss "$c")
	REQ[unchanged:$t]=$(per_run $(($(provider_requests) - r0)) $((RUNS + WARMUP + 5)))
done

# The ratios are ss-ddns over the tool of the row: below 1, ss-ddns
# needs less.
echo
printf '%-9s %-8s %8s %6s %7s %12s %7s %8s %8s %8s\n' case tool wall_ms sd_ms \
    cpu_ms peak_rss_kib req/run ss/wall ss/cpu ss/rss
for s in changed unchanged; do
	for t in $TOOLS; do
		m=${MEAN[$s:$t]:--} sd=${SD[$s:$t]:--} c=${CPU[$s:$t]:--}
		r=${RSS[$s:$t]:--}
		printf '%-9s %-8s %8s %6s %7s %12s %7s %8s %8s %8s\n' "$s" "$t" \
		    "$m" "$sd" "$c" "$r" "${REQ[$s:$t]:--}" \
		    "$(bench_ratio "${MEAN[$s:ss-ddns]:--}" "$m" 2)" \
		    "$(bench_ratio "${CPU[$s:ss-ddns]:--}" "$c" 2)" \
		    "$(bench_ratio "${RSS[$s:ss-ddns]:--}" "$r" 2)"
	done
done

# For scale: what a program costs that only loads libc, or only loads
# OpenSSL (ss-ddns needs it for TLS, ldns and TSIG).
echo
echo "for scale, peak RSS: /bin/true $(rss /bin/true) KiB; 'openssl version'" \
    "(libssl and libcrypto loaded, nothing done) $(rss 'openssl version') KiB"

# goal WHAT A OP B: one line saying whether "A OP B" holds (- is unknown).
goal() {
	case "$2:$4" in
	-:* | *:-) v=unknown ;;
	*) if $PY -c 'import sys; a, op, b = float(sys.argv[1]), sys.argv[2], float(sys.argv[3]); sys.exit(not (a <= b if op == "<=" else a == b))' "$2" "$3" "$4"; then v=met; else v=MISSED; fi ;;
	esac
	printf '%-58s %s\n' "$1" "$v"
}

twice() {
	case $1 in
	-) echo - ;;
	*) $PY -c 'import sys; print(2 * float(sys.argv[1]))' "$1" ;;
	esac
}

echo
for s in changed unchanged; do
	goal "$s: ss-ddns CPU time at most twice inadyn's" "${CPU[$s:ss-ddns]:--}" '<=' "$(twice "${CPU[$s:inadyn]:--}")"
	goal "$s: ss-ddns peak RSS at most ddclient's" "${RSS[$s:ss-ddns]:--}" '<=' "${RSS[$s:ddclient]:--}"
done
goal "changed: ss-ddns sends one request a run" "${REQ[changed:ss-ddns]:--}" '==' 1
goal "unchanged: ss-ddns sends no request" "${REQ[unchanged:ss-ddns]:--}" '==' 0
goal "unchanged: inadyn sends no request" "${REQ[unchanged:inadyn]:--}" '==' 0
