# The booted container of the system tests, sourced by tests/system/run
# after tests/integration/lib.sh.
#
#   ct_cache            the debootstrapped Debian 12 root in $CACHE, made
#                       once per package list (bookworm-HASH)
#   ct_prepare          a copy of it in $T/root with the test's nginx sites
#   ct_boot             systemd-nspawn --boot of $T/root, until systemd is up
#   ct CMD...           CMD inside the container (all its namespaces), with
#                       a clean environment; its exit status
#   ct_stop             shuts the container down (SIGTERM to nspawn, which
#                       asks its systemd to power off), by PID
#   ct_wait SECONDS CMD...  until CMD succeeds inside, SECONDS at most
#   served PORT         SHA-256 fingerprint nginx serves on 127.0.0.1:PORT
#   file_fp FILE        SHA-256 fingerprint of the first certificate in FILE

# What the root holds besides minbase: systemd, nginx, and the libraries
# the package depends on, so that dpkg -i needs no network.
CT_PACKAGES="systemd systemd-sysv dbus nginx-light libcurl4 libssl3
libargon2-1 libjansson4 libinih1 libldns3 libgpiod2 openssl ca-certificates
procps iproute2 libpam-modules"

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
	# nginx's own default site listens on port 80 of the host's network.
	rm -f "$CT_CACHE.new/etc/nginx/sites-enabled/default"
	mv "$CT_CACHE.new" "$CT_CACHE"
}

ct_prepare() {
	cp -a "$CT_CACHE" "$T/root"
	mkdir -p "$T/root/var/cache/ss-test"
	cp "$DEB" "$T/root/var/cache/ss-test/"
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
	systemd-nspawn -D "$T/root" --boot -M "ss-system-$$" \
	    --register=no --keep-unit --console=passive --quiet \
	    >"$T/nspawn.log" 2>&1 &
	echo $! >"$T/nspawn.pid"
	_i=0
	while :; do
		CT_LEADER=$(pgrep -P "$(cat "$T/nspawn.pid")" 2>/dev/null |
		    head -n 1)
		# "degraded" is up too: a unit failed, which a test may check
		if [ -n "$CT_LEADER" ] && echo "$CT_LEADER" >"$T/ct.leader" &&
		    ct systemctl is-system-running --wait 2>/dev/null |
		    grep -Eq '^(running|degraded)$'; then
			break
		fi
		_i=$((_i + 1))
		if [ $_i -ge 120 ]; then
			echo "# the container did not boot; nspawn said:" >&2
			sed 's/^/#   /' "$T/nspawn.log" >&2
			ct systemctl --failed --no-pager 2>&1 |
			    sed 's/^/#   /' >&2
			return 1
		fi
		sleep 0.5
	done
}

ct() {
	nsenter -t "$(cat "$T/ct.leader")" -a \
	    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
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
	[ -f "$T/nspawn.pid" ] || return 0
	_pid=$(cat "$T/nspawn.pid")
	kill "$_pid" 2>/dev/null
	_i=0
	while kill -0 "$_pid" 2>/dev/null && [ $_i -lt 60 ]; do
		sleep 0.5
		_i=$((_i + 1))
	done
	kill -9 "$_pid" 2>/dev/null
	rm -f "$T/nspawn.pid" "$T/ct.leader"
}

served() {
	openssl s_client -connect "127.0.0.1:$1" -servername dev1.example.test \
	    </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256
}

file_fp() {
	openssl x509 -in "$1" -noout -fingerprint -sha256
}
