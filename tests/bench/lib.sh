# shellcheck shell=bash
# Shared by the benchmarks (sourced): the tools they need, and the
# figures they print.  Not a benchmark itself.

PY=/usr/bin/python3

# bench_install CMD:PACKAGE...: installs, as root with apt-get, the
# packages of the commands that are not there; says why when it cannot.
bench_install() {
	missing=
	for c in "$@"; do
		command -v "${c%%:*}" >/dev/null 2>&1 ||
		    missing="$missing ${c#*:}"
	done
	[ -n "$missing" ] || return 0
	echo "installing:$missing" >&2
	if [ "$(id -u)" != 0 ]; then
		echo "not root: cannot install them" >&2
		return 0
	fi
	# shellcheck disable=SC2086 # a list of package names
	apt-get update -qq >&2 &&
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $missing >&2 ||
	    echo "apt-get install failed" >&2
}

# bench_require NAME CMD...: exits 69 naming the first command missing.
bench_require() {
	name=$1
	shift
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || {
			echo "$name bench: $c is missing" >&2
			exit 69
		}
	done
}

# bench_mean FILE DIGITS: mean and standard deviation in ms of the first
# result in a hyperfine JSON, to DIGITS decimals.
bench_mean() {
	$PY -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
d = int(sys.argv[2])
print("%.*f %.*f" % (d, r["mean"] * 1000, d, (r["stddev"] or 0) * 1000))' "$1" "$2"
}

# bench_cpu FILE DIGITS: mean CPU time (user + system) in ms of the first
# result in a hyperfine JSON, to DIGITS decimals.
bench_cpu() {
	$PY -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.*f" % (int(sys.argv[2]), (r["user"] + r["system"]) * 1000))' "$1" "$2"
}

# bench_ratio A B DIGITS: A/B to DIGITS decimals, or - when either is
# missing (-) or B is zero.
bench_ratio() {
	case "$1:$2" in
	-:* | *:-) echo - ;;
	*) $PY -c 'import sys
a, b, d = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print("-" if b == 0 else "%.*f" % (d, a / b))' "$1" "$2" "$3" ;;
	esac
}
