#!/bin/sh
# ss-cert selfsigned (EC P-256) beside what users would run instead:
# the openssl CLI and keytool (how openHAB makes its first certificate).
# Time with hyperfine in one run; peak RSS with GNU time.
# Usage: tests/bench/selfsigned.sh [BUILD_DIR]
set -eu
B=$(cd "${1:-build}" && pwd)
D=$(mktemp -d /tmp/ss-bench.XXXXXX)
trap 'rm -rf "$D"' EXIT INT TERM
cd "$D"
printf '[device]\nhostname = bench\ndomain = example.test\n[certs]\ndir = %s/certs\n' \
    "$D" >security.conf

SS="$B/ss-cert -q -c $D/security.conf selfsigned --force"
OSSL="openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $D/o.key -out $D/o.crt -days 3650 -subj /CN=bench.example.test -addext subjectAltName=DNS:bench.example.test,DNS:bench,DNS:bench.local"
KT="keytool -genkeypair -keyalg EC -groupname secp256r1 -alias bench -dname CN=bench.example.test -ext SAN=dns:bench.example.test,dns:bench,dns:bench.local -validity 3650 -keystore $D/k.p12 -storetype PKCS12 -storepass benchpass -keypass benchpass"

hyperfine -N --warmup 3 --runs "${RUNS:-30}" --export-json times.json \
    --prepare "rm -f $D/k.p12" \
    -n ss-cert "$SS" -n openssl "$OSSL" -n keytool "$KT"

rss() {
	rm -f "$D/k.p12"
	/usr/bin/time -f %M sh -c "exec $1 >/dev/null 2>&1" 2>&1 | tail -n1
}
# figure NAME FIELD: mean wall ('mean') or CPU ('cpu') ms of one command.
figure() {
	/usr/bin/python3 -c 'import json, sys
r = [x for x in json.load(open("times.json"))["results"]
     if x["command"] == sys.argv[1]][0]
v = r["mean"] if sys.argv[2] == "mean" else r["user"] + r["system"]
print("%.2f" % (v * 1000))' "$1" "$2"
}

# ss/cpu: ss-cert's CPU time over the tool's (goal: at most 1 for openssl).
echo
printf '%-8s %10s %8s %12s %8s\n' tool wall_ms cpu_ms peak_rss_kib ss/cpu
ss_cpu=$(figure ss-cert cpu)
for t in ss-cert openssl keytool; do
	case $t in
	ss-cert) cmd=$SS ;;
	openssl) cmd=$OSSL ;;
	keytool) cmd=$KT ;;
	esac
	cpu=$(figure "$t" cpu)
	printf '%-8s %10s %8s %12s %8s\n' "$t" "$(figure "$t" mean)" "$cpu" \
	    "$(rss "$cmd")" \
	    "$(/usr/bin/python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$ss_cpu" "$cpu")"
done
