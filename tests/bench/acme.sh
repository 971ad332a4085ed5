#!/bin/bash
# ACME with http-01 for dev1.example.test: ss-cert beside uacme, certbot
# and lego, all against one pebble (PEBBLE_VA_NOSLEEP=1) that resolves
# through a local named, with one webroot served on pebble's http-01 port.
#
#   issue  a first certificate with a new account (fresh state every run)
#   renew  a forced renewal with the account and certificate already there
#
# Wall time with hyperfine (RUNS, default 5; JSON kept in BENCH_OUT if set),
# peak RSS with GNU time (one run each).  Every command is tried once first:
# one that fails is reported with its output and left out, the rest go on.
# Pebble runs with PEBBLE_WFE_NONCEREJECT=0 and PEBBLE_AUTHZREUSE=0 unless
# set otherwise, so that each run does the same work: one challenge each.
# Key types: EC P-256 certificate keys for all (certbot's account key is RSA).
#
# uacme has no option for a CA file and uses the system bundle, so as root
# the script runs itself in a private mount namespace (unshare -m) with the
# system bundle plus pebble's HTTPS CA bound over ca-certificates.crt.
# certbot trusts REQUESTS_CA_BUNDLE, lego LEGO_CA_CERTIFICATES.
#
# Usage: [RUNS=5] [TOOLS="ss-cert uacme certbot lego"] [BENCH_OUT=DIR]
#        tests/bench/acme.sh [BUILD_DIR]
set -u
B=$(cd "${1:-build}" 2>/dev/null && pwd) || B=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-5}

if [ "${SS_BENCH_NS:-}" != 1 ] && [ "$(id -u)" = 0 ] &&
    unshare -m --propagation private true 2>/dev/null; then
	SS_BENCH_NS=1 exec unshare -m --propagation private \
	    bash "$HERE/acme.sh" "$@"
fi

# The servers and the clients, installed when missing (as root).
. "$HERE/lib.sh"
bench_install named:bind9 dig:bind9-dnsutils nsupdate:bind9-dnsutils \
    pebble:pebble hyperfine:hyperfine /usr/bin/time:time curl:curl \
    uacme:uacme certbot:certbot lego:lego
bench_require acme named dig nsupdate pebble hyperfine /usr/bin/time curl

D=$(mktemp -d /tmp/ss-bench.XXXXXX)
# shellcheck disable=SC2034 # the servers of acme_lib.sh live in $T
T=$D
. "$HERE/../integration/lib.sh"
. "$HERE/../integration/acme_lib.sh"
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

export PEBBLE_WFE_NONCEREJECT=${PEBBLE_WFE_NONCEREJECT:-0}
export PEBBLE_AUTHZREUSE=${PEBBLE_AUTHZREUSE:-0}
named_start && pebble_start && webroot_serve "$D/webroot" &&
    pebble_root "$D/root.pem" || exit 69
export REQUESTS_CA_BUNDLE=$PEBBLE_CA LEGO_CA_CERTIFICATES=$PEBBLE_CA
mkdir -p "$D/log" "$D/a" "$D/b"

# Trust for uacme: only inside our own mount namespace.
UACME_OK=
if [ "${SS_BENCH_NS:-}" = 1 ] && command -v uacme >/dev/null 2>&1; then
	cat /etc/ssl/certs/ca-certificates.crt "$PEBBLE_CA" >"$D/bundle.pem"
	mount --bind "$D/bundle.pem" /etc/ssl/certs/ca-certificates.crt &&
	    UACME_OK=1
fi

for x in a b; do
	cat >"$D/ss-$x.conf" <<EOC
[device]
hostname = dev1
domain = example.test
state_dir = $D/$x/ss/state
[certs]
dir = $D/$x/ss/certs
key_type = ec256
[acme]
directory = $PEBBLE_DIR
ca_file = $PEBBLE_CA
email = admin@example.test
challenge = http-01
webroot = $D/webroot
EOC
done
cat >"$D/uacme-hook" <<EOH
#!/bin/sh
# METHOD TYPE IDENT TOKEN AUTH: http-01 only, into the served webroot
[ "\$2" = http-01 ] || exit 1
f=$D/webroot/.well-known/acme-challenge/\$4
case \$1 in
begin) printf %s "\$5" >"\$f" ;;
*) rm -f "\$f" ;;
esac
EOH
chmod +x "$D/uacme-hook"

TOOLS=${TOOLS:-ss-cert uacme certbot lego}

# cmd TOOL prep|issue|rprep|renew|cert LETTER: the shell command for a
# step in $D/LETTER (prep resets the state for an issuance, rprep readies a
# renewal), or where the chain lands.
cmd() {
	dd=$D/$3
	case $1:$2 in
	ss-cert:rprep | certbot:rprep | lego:rprep) echo true ;;
	ss-cert:prep) echo "rm -rf $dd/ss && mkdir -p $dd/ss/state $dd/ss/certs" ;;
	ss-cert:issue) echo "$B/ss-cert -q -c $D/ss-$3.conf issue --agree-tos" ;;
	ss-cert:renew) echo "$B/ss-cert -q -c $D/ss-$3.conf renew --force" ;;
	ss-cert:cert) echo "$dd/ss/certs/dev1.example.test/fullchain.pem" ;;
	uacme:prep) echo "rm -rf $dd/uacme" ;;
	uacme:issue) echo "uacme -c $dd/uacme -a $PEBBLE_DIR -t EC -h $D/uacme-hook -y new && uacme -c $dd/uacme -a $PEBBLE_DIR -t EC -h $D/uacme-hook issue dev1.example.test" ;;
	uacme:rprep) echo "rm -f $dd/uacme/dev1.example.test/cert-*.pem" ;;
	uacme:renew) echo "uacme -c $dd/uacme -a $PEBBLE_DIR -t EC -h $D/uacme-hook -f issue dev1.example.test" ;;
	uacme:cert) echo "$dd/uacme/dev1.example.test/cert.pem" ;;
	certbot:prep) echo "rm -rf $dd/certbot" ;;
	certbot:issue) echo "certbot certonly -n -q --webroot -w $D/webroot -d dev1.example.test --server $PEBBLE_DIR --config-dir $dd/certbot/config --work-dir $dd/certbot/work --logs-dir $dd/certbot/logs --register-unsafely-without-email --agree-tos --key-type ecdsa" ;;
	certbot:renew) echo "certbot renew -n -q --force-renewal --no-random-sleep-on-renew --config-dir $dd/certbot/config --work-dir $dd/certbot/work --logs-dir $dd/certbot/logs" ;;
	certbot:cert) echo "$dd/certbot/config/live/dev1.example.test/fullchain.pem" ;;
	lego:prep) echo "rm -rf $dd/lego" ;;
	lego:issue) echo "lego --accept-tos --email admin@example.test --server $PEBBLE_DIR --path $dd/lego --key-type ec256 --domains dev1.example.test --http --http.webroot $D/webroot run" ;;
	lego:renew) echo "lego --accept-tos --email admin@example.test --server $PEBBLE_DIR --path $dd/lego --key-type ec256 --domains dev1.example.test --http --http.webroot $D/webroot renew --days 36500 --no-random-sleep" ;;
	lego:cert) echo "$dd/lego/certificates/dev1.example.test.crt" ;;
	esac
}

# available TOOL: whether it can run here at all (says why not).
available() {
	case $1 in
	ss-cert) [ -x "$B/ss-cert" ] || { echo "not built: $B/ss-cert"; return 1; } ;;
	uacme)
		command -v uacme >/dev/null 2>&1 || { echo "not installed"; return 1; }
		[ -n "$UACME_OK" ] || { echo "cannot trust pebble: uacme reads only the system CA bundle (needs root and unshare -m)"; return 1; }
		;;
	*) command -v "$1" >/dev/null 2>&1 || { echo "not installed"; return 1; } ;;
	esac
}

# attempt NAME CMD: runs CMD once; on failure says so with its output.
attempt() {
	sh -c "$2" >"$D/log/$1" 2>&1
	rc=$?
	[ $rc -eq 0 ] && return 0
	echo "FAILED (exit $rc): $1: $2" >&2
	tail -n 8 "$D/log/$1" | sed 's/^/    | /' >&2
	return 1
}

# chain_ok TOOL LETTER: the certificate it saved verifies up to pebble's root.
chain_ok() {
	f=$(cmd "$1" cert "$2")
	if [ ! -s "$f" ]; then
		echo "WARNING: $1: no certificate at $f" >&2
		return 1
	fi
	openssl x509 -in "$f" -out "$D/leaf.pem" 2>/dev/null &&
	    openssl verify -CAfile "$D/root.pem" -untrusted "$f" "$D/leaf.pem" \
	    >"$D/log/verify" 2>&1 && return 0
	echo "WARNING: $1: $f does not verify against pebble's root:" >&2
	sed 's/^/    | /' "$D/log/verify" >&2
	return 1
}

# rss CMD: peak resident set size of one run, in KiB.
rss() {
	/usr/bin/time -f %M -o "$D/rss" sh -c "$1" >/dev/null 2>&1 &&
	    tail -n 1 "$D/rss" || echo -
}

declare -A MEAN SD RSS
echo "ACME bench: pebble $PEBBLE_DIR, http-01 webroot on :$HTTP01_PORT, $RUNS runs" >&2
for t in $TOOLS; do
	if ! why=$(available "$t"); then
		echo "SKIPPED: $t: $why" >&2
		continue
	fi
	# (a) issuance with a new account, fresh state each run
	p=$(cmd "$t" prep a)
	c=$(cmd "$t" issue a)
	if sh -c "$p" && attempt "$t-issue" "$c"; then
		chain_ok "$t" a
		if hyperfine --runs "$RUNS" --prepare "$p" -n "$t" \
		    --export-json "$D/issue-$t.json" "$c" >&2; then
			read -r "MEAN[issue:$t]" "SD[issue:$t]" <<<"$(bench_mean "$D/issue-$t.json" 1)"
		else
			echo "FAILED: $t: a timed issuance run failed: $c" >&2
		fi
		sh -c "$p"
		RSS[issue:$t]=$(rss "$c")
	fi
	# (b) forced renewal: account and certificate from one issuance first
	# (uacme backs the old certificate up as cert-SECONDS.pem and fails
	# when two renewals fall in one second: rprep removes the backups.)
	p=$(cmd "$t" rprep b)
	c=$(cmd "$t" renew b)
	if sh -c "$(cmd "$t" prep b)" && attempt "$t-setup" "$(cmd "$t" issue b)" &&
	    attempt "$t-renew" "$c"; then
		chain_ok "$t" b
		if hyperfine --runs "$RUNS" --prepare "$p" -n "$t" \
		    --export-json "$D/renew-$t.json" "$c" >&2; then
			read -r "MEAN[renew:$t]" "SD[renew:$t]" <<<"$(bench_mean "$D/renew-$t.json" 1)"
		else
			echo "FAILED: $t: a timed renewal run failed: $c" >&2
		fi
		sh -c "$p"
		RSS[renew:$t]=$(rss "$c")
	fi
done

echo
printf '%-6s %-8s %10s %8s %13s %9s %9s\n' step tool mean_ms sd_ms peak_rss_kib time/ss rss/ss
for s in issue renew; do
	for t in $TOOLS; do
		m=${MEAN[$s:$t]:--} sd=${SD[$s:$t]:--} r=${RSS[$s:$t]:--}
		printf '%-6s %-8s %10s %8s %13s %9s %9s\n' "$s" "$t" "$m" "$sd" "$r" \
		    "$(bench_ratio "$m" "${MEAN[$s:ss-cert]:--}" 2)" \
		    "$(bench_ratio "$r" "${RSS[$s:ss-cert]:--}" 2)"
	done
done
