#!/bin/bash
# ss-passwd verify beside the argon2 CLI (the reference implementation's
# own tool), both on the same PHC string made by that CLI.
#
#   hash     argon2id t=3, m=65536 KiB, p=4 (RFC 9106's second
#            recommendation, ss-passwd's default): `ss-passwd verify` vs
#            `argon2 SALT -id -t 3 -k 65536 -p 4 -e` computing the same hash
#            (-e: one hash; without it the CLI verifies its hash again).
#            Goal: ss-passwd within 5% of the CLI.
#   startup  the same verify against a hash with t=1, m=8 KiB, p=1: what
#            remains is the fixed cost (config, users file, lock).  Goal:
#            under 5 ms.  `ss-passwd -V`, the CLI at those parameters and
#            /bin/true (what starting any program costs on this machine)
#            are there for reference; the fixed cost is also shown over
#            /bin/true.
#
# Wall time with hyperfine: RUNS (default 20) per command, split into
# ROUNDS (default 4) blocks that take turns so that a change of load on the
# machine falls on every command alike; WARMUP (default 3) before each
# block; JSON kept in BENCH_OUT if set.  Both programs read the password
# on stdin: with a hyperfine that has --input they run with -N (no shell);
# an older one (Debian 12 has 1.15) runs them through sh with `< FILE` and
# subtracts the shell's start-up as it measured it, alike for every command.
#
# Usage: [RUNS=20] [ROUNDS=4] [WARMUP=3] [BENCH_OUT=DIR]
#        tests/bench/passwd.sh [BUILD_DIR]
set -u
B=$(cd "${1:-build}" 2>/dev/null && pwd) || B=${1:-build}
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
ROUNDS=${ROUNDS:-4}
SS=$B/ss-passwd

. "$(dirname "$0")/lib.sh"
bench_install hyperfine:hyperfine argon2:argon2
bench_require passwd hyperfine argon2
[ -x "$SS" ] || {
	echo "passwd bench: not built: $SS (make $SS)" >&2
	exit 66
}

D=$(mktemp -d /tmp/ss-bench.XXXXXX)
cleanup() {
	if [ -n "${BENCH_OUT:-}" ]; then
		mkdir -p "$BENCH_OUT" && cp "$D"/*.json "$BENCH_OUT"/ 2>/dev/null
	fi
	rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PW='Bench-Pass-2024'
SALT=benchsaltbench16
printf '%s\n' "$PW" >"$D/pw.line"		# ss-passwd: one line
printf '%s' "$PW" >"$D/pw.raw"			# argon2 CLI: all of stdin
big=$(argon2 "$SALT" -id -t 3 -k 65536 -p 4 -e <"$D/pw.raw")
tiny=$(argon2 "$SALT" -id -t 1 -k 8 -p 1 -e <"$D/pw.raw")
printf 'big:user::off:%s:0:0:0\ntiny:user::off:%s:0:0:0\n' "$big" "$tiny" \
    >"$D/users"
chmod 600 "$D/users"
: >"$D/shadow"
cat >"$D/security.conf" <<EOC
[device]
hostname = dev1
domain = example.test
state_dir = $D/state
[passwd]
shadow_file = $D/shadow
users_file = $D/users
factory_file = $D/factory
htpasswd_file = $D/htpasswd
EOC

# Every command once first: a wrong answer is no benchmark.
for u in big tiny; do
	if ! "$SS" -c "$D/security.conf" verify "$u" <"$D/pw.line" >"$D/log" 2>&1; then
		echo "passwd bench: ss-passwd verify $u failed:" >&2
		sed 's/^/    | /' "$D/log" >&2
		exit 70
	fi
done

# The commands run in ROUNDS blocks, one block of each after the other,
# so that a change of load on the machine falls on all of them alike.
PER=$(((RUNS + ROUNDS - 1) / ROUNDS))
[ "$PER" -ge 2 ] || PER=2
if hyperfine --help 2>/dev/null | grep -q -- '--input'; then
	MODE=-N
	# hf NAME CMD STDIN-FILE ROUND
	hf() {
		hyperfine -N --warmup "$WARMUP" --runs "$PER" --input "$3" \
		    --export-json "$D/$1.$4.json" -n "$1" "$2" >&2
	}
else
	MODE="sh, shell start-up subtracted"
	hf() {
		hyperfine --warmup "$WARMUP" --runs "$PER" \
		    --export-json "$D/$1.$4.json" -n "$1" "$2 <$3" >&2
	}
fi

NAMES=(ss-verify-t3-64M argon2-t3-64M ss-verify-t1-8K argon2-t1-8K ss-passwd-V bin-true)
V="$SS -c $D/security.conf verify"
declare -A CMD=(
	[ss-verify-t3-64M]="$V big"
	[argon2-t3-64M]="argon2 $SALT -id -t 3 -k 65536 -p 4 -e"
	[ss-verify-t1-8K]="$V tiny"
	[argon2-t1-8K]="argon2 $SALT -id -t 1 -k 8 -p 1 -e"
	[ss-passwd-V]="$SS -V"
	[bin-true]=/bin/true
)
declare -A IN=(
	[ss-verify-t3-64M]=$D/pw.line [argon2-t3-64M]=$D/pw.raw
	[ss-verify-t1-8K]=$D/pw.line [argon2-t1-8K]=$D/pw.raw
	[ss-passwd-V]=/dev/null [bin-true]=/dev/null
)
declare -A MEAN SD MIN FAILED

# stats NAME: mean, standard deviation and minimum in ms over all rounds.
stats() {
	/usr/bin/python3 -c 'import glob, json, statistics, sys
t = []
for f in sorted(glob.glob(sys.argv[1] + ".*.json")):
    t += json.load(open(f))["results"][0]["times"]
t = [x * 1000 for x in t]
print("%.2f %.2f %.2f" % (statistics.mean(t),
    statistics.stdev(t) if len(t) > 1 else 0, min(t)))' "$D/$1"
}

echo "passwd bench: $ROUNDS rounds of $PER runs, $WARMUP warm-up each," \
    "hyperfine $MODE, $(nproc) CPUs" >&2
for r in $(seq 1 "$ROUNDS"); do
	for n in "${NAMES[@]}"; do
		[ -z "${FAILED[$n]:-}" ] || continue
		hf "$n" "${CMD[$n]}" "${IN[$n]}" "$r" || {
			echo "FAILED: $n: ${CMD[$n]}" >&2
			FAILED[$n]=1
		}
	done
done
for n in "${NAMES[@]}"; do
	[ -z "${FAILED[$n]:-}" ] || continue
	read -r "MEAN[$n]" "SD[$n]" "MIN[$n]" <<<"$(stats "$n")"
done

# minus A B: A-B to two decimals, or -.
minus() {
	case "$1:$2" in
	-:* | *:-) echo - ;;
	*) /usr/bin/python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) - float(sys.argv[2])))' "$1" "$2" ;;
	esac
}
# verdict VALUE LIMIT: "yes" when VALUE <= LIMIT, "NO", or "-"
verdict() {
	case $1 in
	-) echo - ;;
	*) /usr/bin/python3 -c 'import sys; print("yes" if float(sys.argv[1]) <= float(sys.argv[2]) else "NO")' "$1" "$2" ;;
	esac
}

echo
printf '%-18s %9s %8s %8s %13s  %s\n' command mean_ms sd_ms min_ms mean-true_ms note
for n in "${NAMES[@]}"; do
	case $n in
	ss-verify-t3-64M) note="ss/argon2: mean $(bench_ratio "${MEAN[$n]:--}" "${MEAN[argon2-t3-64M]:--}" 3), min $(bench_ratio "${MIN[$n]:--}" "${MIN[argon2-t3-64M]:--}" 3)" ;;
	ss-verify-t1-8K) note="fixed cost" ;;
	bin-true) note="starting any program here" ;;
	*) note= ;;
	esac
	printf '%-18s %9s %8s %8s %13s  %s\n' "$n" "${MEAN[$n]:--}" "${SD[$n]:--}" \
	    "${MIN[$n]:--}" "$(minus "${MEAN[$n]:--}" "${MEAN[bin-true]:--}")" "$note"
done
r=$(bench_ratio "${MEAN[ss-verify-t3-64M]:--}" "${MEAN[argon2-t3-64M]:--}" 3)
f=${MEAN[ss-verify-t1-8K]:--}
o=$(minus "$f" "${MEAN[bin-true]:--}")
echo
echo "hash at t=3 m=64MiB p=4: ss-passwd/argon2 = $r (goal <= 1.05: $(verdict "$r" 1.05))"
echo "start-up, verify at t=1 m=8KiB: $f ms (goal < 5 ms: $(verdict "$f" 5));" \
    "over /bin/true: $o ms (goal < 5 ms: $(verdict "$o" 5))"
