# Shared by the integration tests: a temp dir per test, a config in it, and
# small assertions.  A test is a shell function named test_*; it runs in a
# subshell with `set -e`, so the first failing command fails it.
#
# Each test script ends with `run_tests`.  Output is TAP ("ok N - name");
# a test that cannot run here calls `skip REASON` and is reported as
# "ok N - name # SKIP REASON" (tests/run decides whether that may pass).

: "${B:?B must name the build directory}"
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
SS_CERT=$B/ss-cert
export LC_ALL=C

# LD_PRELOAD for the fault-injection shim; a tool built with ASan needs
# its runtime first in the list.
FAULTINJ=$B/tests/faultinj.so
asan_rt=$(ldd "$SS_CERT" 2>/dev/null | awk '/libasan/ { print $3 }')
[ -z "$asan_rt" ] || FAULTINJ="$asan_rt $FAULTINJ"

# clock_moved OFFSET CMD...: runs CMD with its clock moved by OFFSET
# ("-3s"), through libfaketime (after the ASan runtime, as above); the
# target's under make check-cross (SS_CROSS, tests/run).  The package is
# named with its architecture: make deps-cross installs another one.
clock_moved() {
	_ft=libfaketime:${SS_CROSS:-$(dpkg --print-architecture)}
	_ft=$(dpkg -L "$_ft" | grep '/libfaketime\.so\.1$') || {
		echo "# libfaketime is not installed (make deps)" >&2
		return 1
	}
	_off=$1
	shift
	FAKETIME=$_off LD_PRELOAD="${asan_rt:+$asan_rt }$_ft" "$@"
}

# Writes $T/security.conf for host dev1 in example.test, certs in $T/certs.
mkconf() {
	cat >"$T/security.conf" <<EOC
# test configuration
[device]
hostname = dev1
domain = example.test
state_dir = $T/state
addresses = 127.0.0.1, ::1

[certs]
dir = $T/certs
EOC
}

# wait_for SECONDS CMD...: until CMD succeeds, SECONDS at most.
wait_for() {
	_n=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		_n=$((_n - 1))
		[ $_n -gt 0 ] || return 1
		sleep 0.1
	done
}

# run CODE CMD...: runs CMD, stdout to $T/out, stderr to $T/err, and fails
# unless it exits with CODE.
run() {
	want=$1
	shift
	set +e
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "# '$*' exited $got, wanted $want" >&2
		sed 's/^/# out: /' "$T/out" >&2
		sed 's/^/# err: /' "$T/err" >&2
		return 1
	fi
}

# has FILE PATTERN: FILE contains the extended regular expression.
has() {
	if ! grep -Eq -- "$2" "$1"; then
		echo "# $1 lacks /$2/:" >&2
		sed 's/^/#   /' "$1" >&2
		return 1
	fi
}

# lacks FILE PATTERN
lacks() {
	if grep -Eq -- "$2" "$1"; then
		echo "# $1 has /$2/ but must not" >&2
		return 1
	fi
}

# tree_hash DIR: names, types, modes, link targets and contents of DIR.
tree_hash() {
	(cd "$1" && find . -printf '%p %y %m %l\n' | sort &&
	    find . -type f -exec sha256sum {} + | sort) | sha256sum
}

# tree_stamp DIR: tree_hash plus every name's size and mtime, to show that
# a run with nothing to do touched nothing (not even an mtime).
tree_stamp() {
	(cd "$1" && find . -printf '%p %s %T@\n' | sort) | sha256sum
	tree_hash "$1"
}

# mode_of FILE
mode_of() {
	stat -c %a "$1"
}

# free_port: a TCP port on 127.0.0.1 nobody listens on now.
free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port PORT: until something accepts on 127.0.0.1:PORT (10 s at most).
wait_port() {
	i=0
	while ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}

# stop_pid PIDFILE: stops a server we started.
stop_pid() {
	[ -f "$1" ] || return 0
	kill "$(cat "$1")" 2>/dev/null || true
	rm -f "$1"
}

# skip REASON...: ends the running test as skipped.  REASON says why it
# cannot run on this machine; a skip without one counts as a failure.
skip() {
	printf '%s\n' "$*" >"$T.skip"
	exit 77
}

# run_tests: every test_* of the script, or those whose names match the
# shell pattern $ONLY (ONLY='*dns01*' bash tests/integration/cert_acme.sh).
run_tests() {
	n=0
	for t in $(grep -Eo '^test_[a-z0-9_]+' "$0"); do
		# shellcheck disable=SC2254 # ONLY is a pattern
		case $t in ${ONLY:-*}) ;; *) continue ;; esac
		n=$((n + 1))
		T=$(mktemp -d /tmp/ss-test.XXXXXX)
		(set -e; cd "$T"; $t) >"$T.log" 2>&1
		rc=$?
		if [ -f "$T.skip" ]; then
			why=$(tr '\n' ' ' <"$T.skip" | sed 's/ *$//')
			echo "ok $n - $t # SKIP${why:+ $why}"
			sed 's/^/# /' "$T.log"
		elif [ $rc -eq 0 ]; then
			echo "ok $n - $t"
		else
			echo "not ok $n - $t"
			sed 's/^/# /' "$T.log"
		fi
		for p in "$T"/*.pid; do
			stop_pid "$p"
		done
		rm -rf "$T" "$T.log" "$T.skip"
	done
	echo "1..$n"
}

# mkca [DAYS]: a throwaway root and intermediate CA in $T/ca, made with
# openssl, each valid for DAYS (3650).
mkca() {
	mkdir -p "$T/ca"
	(
	cd "$T/ca"
	printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >int.ext
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout root.key -out root.pem -days "${1:-3650}" \
	    -subj "/CN=Test Root CA" \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout int.key -out int.csr -subj "/CN=Test Intermediate CA"
	openssl x509 -req -in int.csr -CA root.pem -CAkey root.key \
	    -set_serial 2 -days "${1:-3650}" -extfile int.ext -out int.pem
	) >/dev/null 2>&1
}

# mkleaf NAME DAYS SAN: $T/ca/NAME.pem and NAME.key, signed by the
# intermediate; SAN as openssl writes it ("DNS:a,IP:1.2.3.4"); DAYS may be
# -1 for a certificate that has already expired.  CN is the first name.
mkleaf() {
	cn=${3#*:}
	cn=${cn%%,*}
	(
	cd "$T/ca"
	printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$3" >"$1.ext"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$1.key" -out "$1.csr" -subj "/CN=$cn"
	openssl x509 -req -in "$1.csr" -CA int.pem -CAkey int.key \
	    -set_serial "0x$(openssl rand -hex 8)" -days "$2" -extfile "$1.ext" \
	    -out "$1.pem"
	) >/dev/null 2>&1
}

# mkleaf_until NAME END SAN: as mkleaf, valid until END exactly
# (GeneralizedTime, "21000301000000Z"), through `openssl ca`.
mkleaf_until() {
	cn=${3#*:}
	cn=${cn%%,*}
	(
	cd "$T/ca"
	printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$3" >"$1.ext"
	printf '[ca]\ndefault_ca = leaf\n[leaf]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n' >ca.cnf
	: >>index.txt
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$1.key" -out "$1.csr" -subj "/CN=$cn"
	openssl ca -batch -config ca.cnf -cert int.pem -keyfile int.key \
	    -in "$1.csr" -out "$1.pem" -enddate "$2" -extfile "$1.ext" \
	    -notext -rand_serial
	) >/dev/null 2>&1
}
