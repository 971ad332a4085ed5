# The booted container of the system tests, sourced by tests/system/run
# after tests/integration/lib.sh (and by tests/fleet/run, which boots
# three of them).
#
#   ct_cache            the debootstrapped Debian 12 root in $CT_CACHE (under
#                       $CACHE), made once per package list (bookworm-HASH)
#   ct_copy DIR         a copy of it in DIR, with $DEB in its /var/cache/ss-test
#   ct_prepare          that copy in $T/root with the test's nginx sites
#   ct_boot             systemd-nspawn --boot of $T/root, until systemd is up
#   ct CMD...           CMD inside the container (all its namespaces), with
#                       a clean environment; its exit status
#   ct_stop             shuts the container down (SIGTERM to nspawn, which
#                       asks its systemd to power off), by PID
#   ct_wait SECONDS CMD...  until CMD succeeds inside, SECONDS at most
#   served PORT         SHA-256 fingerprint nginx serves on 127.0.0.1:PORT
#   file_fp FILE        SHA-256 fingerprint of the first certificate in FILE
#
# The same for several containers at once, each under a NAME (the system
# tests' one is "ct"); nspawn's PID, its init's and its output are in
# $T/NAME.nspawn.pid, $T/NAME.leader and $T/NAME.nspawn.log:
#
#   ct_start NAME DIR MACHINE  systemd-nspawn --boot of DIR as MACHINE, in
#                       the background
#   ct_up NAME          until that container's systemd is up
#   ct_in NAME CMD...   CMD inside it, as ct does
#   ct_halt NAME...     shuts them down together, by PID, as ct_stop does

# What the root holds besides minbase: systemd, nginx, and the libraries
# the package depends on, so that dpkg -i needs no network; python3,
# python3-apt and sshd for Ansible (tests/fleet).
CT_PACKAGES="systemd systemd-sysv dbus nginx-light libcurl4 libssl3
libargon2-1 libjansson4 libinih1 libldns3 libgpiod2 openssl ca-certificates
procps iproute2 libpam-modules python3 python3-apt openssh-server"

ct_cache() {
	_key=$(printf '%s\n' bookworm "$MIRROR" $CT_PACKAGES | sha256sum |
	    cut -c1-12)
	CT_CACHE=$CACHE/bookworm-$_key
	[ -x "$CT_CACHE/usr/lib/systemd/systemd" ] && return 0
	mkdir -p "$CACHE"
	rm -rf "$CT_CACHE.new"
	echo "# debootstrap of Debian 12 into $CT_CACHE (once)" >&2
	debootstrap --variant=minbase \
	    --include="$(echo $CT_PACKAGES | tr ' ' ,)" \
	    bookworm "$CT_CACHE.new" "$MIRROR" >"$T/debootstrap.log" 2>&1 || {
		echo "# debootstrap failed:" >&2
		tail -n 20 "$T/debootstrap.log" | sed 's/^/#   /' >&2
		return 1
	}
	# nginx's own default site listens on port 80 of the host's network,
	# and so would sshd on port 22: tests/fleet starts it in its copies,
	# on ports of their own, each with host keys of its own.
	rm -f "$CT_CACHE.new/etc/nginx/sites-enabled/default"
	systemctl --root="$CT_CACHE.new" --quiet disable ssh.service \
	    ssh.socket || return 1
	rm -f "$CT_CACHE.new"/etc/ssh/ssh_host_*
	# the packages debootstrap fetched: every copy would carry them
	rm -f "$CT_CACHE.new"/var/cache/apt/archives/*.deb
	mv "$CT_CACHE.new" "$CT_CACHE"
}

ct_copy() {
	cp -a --reflink=auto "$CT_CACHE" "$1" &&
	    mkdir -p "$1/var/cache/ss-test" &&
	    cp "$DEB" "$1/var/cache/ss-test/"
}

ct_prepare() {
	ct_copy "$T/root" || return 1
	cat >"$T/root/etc/nginx/sites-enabled/acme.conf" <<EOC
# http-01 answers from [acme] webroot, where pebble asks for them
server {
	listen 127.0.0.1:$HTTP01_PORT;
	location /.well-known/acme-challenge/ {
		root /var/www/acme;
	}
}
EOC
}

ct_boot() {
	ct_start ct "$T/root" "ss-system-$$" && ct_up ct
}

ct() {
	ct_in ct "$@"
}

ct_wait() {
	_n=$(($1 * 2))
	shift
	while ! ct "$@" >/dev/null 2>&1; do
		_n=$((_n - 1))
		[ $_n -gt 0 ] || return 1
		sleep 0.5
	done
}

ct_stop() {
	ct_halt ct
}

ct_start() {
	systemd-nspawn -D "$2" --boot -M "$3" \
	    --register=no --keep-unit --console=passive --quiet \
	    >"$T/$1.nspawn.log" 2>&1 &
	echo $! >"$T/$1.nspawn.pid"
}

ct_up() {
	_i=0
	while :; do
		_leader=$(pgrep -P "$(cat "$T/$1.nspawn.pid")" 2>/dev/null |
		    head -n 1)
		# "degraded" is up too: a unit failed, which a test may check
		if [ -n "$_leader" ] && echo "$_leader" >"$T/$1.leader" &&
		    ct_in "$1" systemctl is-system-running --wait 2>/dev/null |
		    grep -Eq '^(running|degraded)$'; then
			break
		fi
		_i=$((_i + 1))
		if [ $_i -ge 120 ]; then
			echo "# container $1 did not boot; nspawn said:" >&2
			sed 's/^/#   /' "$T/$1.nspawn.log" >&2
			ct_in "$1" systemctl --failed --no-pager 2>&1 |
			    sed 's/^/#   /' >&2
			return 1
		fi
		sleep 0.5
	done
}

ct_in() {
	_name=$1
	shift
	nsenter -t "$(cat "$T/$_name.leader")" -a \
	    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}

# SIGTERM to every nspawn first, so that they power off in parallel.  A
# container still there after 30 s (its init may have lost the signal,
# early in its boot) has its init killed, which ends its PID namespace
# and then nspawn, which cleans up after it; nspawn itself is killed last.
ct_halt() {
	_pids=
	for _name; do
		[ -f "$T/$_name.nspawn.pid" ] &&
		    _pids="$_pids $(cat "$T/$_name.nspawn.pid")"
	done
	for _pid in $_pids; do
		kill "$_pid" 2>/dev/null
	done
	_i=0
	while [ $_i -lt 60 ]; do
		_alive=
		for _pid in $_pids; do
			kill -0 "$_pid" 2>/dev/null && _alive=1
		done
		[ -n "$_alive" ] || break
		sleep 0.5
		_i=$((_i + 1))
	done
	for _name; do
		_pid=$(cat "$T/$_name.nspawn.pid" 2>/dev/null)
		if [ -n "$_pid" ] && kill -0 "$_pid" 2>/dev/null; then
			_leader=$(pgrep -P "$_pid" | head -n 1)
			[ -z "$_leader" ] || kill -9 "$_leader"
			_i=0
			while kill -0 "$_pid" 2>/dev/null && [ $_i -lt 10 ]; do
				sleep 0.5
				_i=$((_i + 1))
			done
			kill -9 "$_pid" 2>/dev/null
		fi
		rm -f "$T/$_name.nspawn.pid" "$T/$_name.leader"
	done
	return 0
}

served() {
	openssl s_client -connect "127.0.0.1:$1" -servername dev1.example.test \
	    </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256
}

file_fp() {
	openssl x509 -in "$1" -noout -fingerprint -sha256
}
