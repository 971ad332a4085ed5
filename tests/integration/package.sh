#!/bin/bash
# The Debian package: `make deb` from the tree, once for all the tests
# below, into a build directory of its own; what it holds, what its
# maintainer scripts do, and what lintian says.
. "$(dirname "$0")/lib.sh"

PKG=$(mktemp -d /tmp/ss-pkg.XXXXXX)
trap 'rm -rf "$PKG"' EXIT
# What make deb could leave outside its build directory: files in the
# tree, dpkg-buildpackage's in the parent directory, lintian's in /tmp.
status() {
	git -C "$TOP" status --porcelain --ignored 2>/dev/null
	for f in "$TOP"/../ss-security_* "$TOP"/../ss-security-*; do
		[ ! -e "$f" ] || echo "$f"
	done
	find /tmp -maxdepth 1 -name 'mldbm-*' -newer "$PKG/stamp"
}
: >"$PKG/stamp"
status >"$PKG/status.before"
make -C "$TOP" B="$PKG/build" deb >"$PKG/log" 2>&1
echo $? >"$PKG/rc"
status >"$PKG/status.after"
DEB=$(ls "$PKG"/build/deb/ss-security_*.deb 2>/dev/null | head -n 1)

# built: fails, with the log of make deb, unless the package was built.
built() {
	if [ -z "$DEB" ] || [ ! -f "$DEB" ]; then
		echo "# no package; make deb said:" >&2
		sed 's/^/#   /' "$PKG/log" >&2
		return 1
	fi
}

# makevar NAME: a variable of the Makefile.
makevar() {
	make -s -C "$TOP" --no-print-directory --eval \
	    'print-var: ; @echo $('"$1"')' print-var
}

test_make_deb_builds_and_lintian_is_quiet() {
	built
	if [ "$(cat "$PKG/rc")" != 0 ] || grep -E '^[EW]: ' "$PKG/log" >&2
	then
		sed 's/^/#   /' "$PKG/log" | tail -n 30 >&2
		return 1
	fi
	has "$PKG/log" '^TMPDIR=[^ ]* lintian --fail-on error,warning '
	v=$(makevar VERSION)
	[ "$(dpkg-deb -f "$DEB" Version)" = "$v-1" ]
	[ "$(basename "$DEB")" = \
	    "ss-security_$v-1_$(dpkg --print-architecture).deb" ]
}

test_make_deb_writes_nothing_outside_its_build_directory() {
	built
	diff "$PKG/status.before" "$PKG/status.after" >&2
	[ "$(ls -A "$PKG/build")" = deb ]
	(cd "$PKG/build/deb" && ls -A | sed 's/_[^_]*_[^_.]*\./_V_A./') \
	    >"$T/files"
	printf '%s\n' ss-security-dbgsym_V_A.deb ss-security_V_A.buildinfo \
	    ss-security_V_A.changes ss-security_V_A.deb | diff - "$T/files"
}

# The package holds what `make install PREFIX=/usr` puts, with the same
# modes and the same pages, units and configuration; only dpkg's own
# files differ (compressed pages, copyright, changelog, lintian
# overrides), and the directories that postinst makes.
test_package_holds_what_make_install_puts() {
	built
	dpkg-deb -c "$DEB" | awk '{ p = $6; sub(/^\.\//, "", p);
	    sub(/\/$/, "", p); sub(/\.gz$/, "", p); if (p != "") print $1, p }' |
	    grep -vE ' usr/share/(doc|lintian)(/|$)' | sort >"$T/deb"
	make -s -C "$TOP" B="$B" DESTDIR="$T/root" PREFIX=/usr \
	    SYSCONFDIR=/etc UNITDIR=/lib/systemd/system install >"$T/log" 2>&1
	(cd "$T/root" && find . -mindepth 1 -printf '%M %P\n') |
	    grep -vE ' var/(apollo|www)(/|$)' | sort >"$T/inst"
	if ! diff "$T/deb" "$T/inst" >&2; then
		return 1
	fi
	grep -q ' usr/sbin/ss-cert$' "$T/deb"
	grep -q '^drwx------ var/lib/ss$' "$T/deb"
	[ "$(wc -l <"$T/deb")" -gt 25 ]
	mkdir "$T/x"
	dpkg-deb -x "$DEB" "$T/x"
	gunzip "$T"/x/usr/share/man/man[58]/*.gz
	for f in etc/ss/security.conf \
	    usr/share/ss-security/security.conf.example \
	    lib/systemd/system/ss-cert-renew.service \
	    lib/systemd/system/ss-ddns.timer \
	    usr/share/man/man8/ss-cert.8 usr/share/man/man5/security.conf.5 \
	    usr/share/bash-completion/completions/ss-cert; do
		cmp "$T/x/$f" "$T/root/$f"
	done
	has "$T/x/lib/systemd/system/ss-cert-renew.service" \
	    '^ExecStart=/usr/sbin/ss-cert renew$'
}

test_package_depends_on_what_the_linker_cannot_see() {
	built
	dpkg-deb -f "$DEB" Depends >"$T/dep"
	has "$T/dep" '(^|, )libcurl4 \(>= 7\.85\)(,|$)'
	has "$T/dep" '(^|, )libssl3 '
	[ "$(dpkg-deb -f "$DEB" Recommends)" = nginx ]
	# every one is in the Makefile's run list
	tr ',' '\n' <"$T/dep" | sed 's/(.*//; s/|.*//; s/ //g' | sort -u \
	    >"$T/names"
	makevar DEBS_RUN | tr ' ' '\n' | sort >"$T/run"
	[ -z "$(comm -23 "$T/names" "$T/run")" ] || {
		comm -23 "$T/names" "$T/run" | sed 's/^/# not in DEBS_RUN: /' >&2
		return 1
	}
	dpkg-deb -e "$DEB" "$T/ctl"
	[ "$(cat "$T/ctl/conffiles")" = /etc/ss/security.conf ]
}

# postinst enables and starts the timers and the button daemon, never
# the services the timers run, and a start that fails does not fail it.
test_package_enables_the_timers_and_the_button_daemon() {
	built
	dpkg-deb -e "$DEB" "$T/ctl"
	want="ss-btnwatch.service ss-cert-renew.timer ss-ddns.timer"
	enabled=$(grep -Eo "deb-systemd-helper enable '[^']+'" \
	    "$T/ctl/postinst" | cut -d"'" -f2 | sort | tr '\n' ' ')
	[ "$enabled" = "$want " ] ||
	    { echo "# enabled: $enabled" >&2; return 1; }
	grep 'deb-systemd-invoke ' "$T/ctl/postinst" >"$T/start"
	[ "$(wc -l <"$T/start")" = 1 ]
	units="'ss-btnwatch.service' 'ss-cert-renew.timer' 'ss-ddns.timer'"
	has "$T/start" "\\\$_dh_action $units >/dev/null \|\| true$"
	grep -hv '^[[:space:]]*#' "$T/ctl/postinst" "$T/ctl/prerm" >"$T/code"
	lacks "$T/code" "ss-(cert-renew|ddns)\.service"
}

# The shipped maintainer scripts, on a scratch root with the systemd
# helpers stubbed: postinst makes the directories and enables the three
# units; purge keeps the certificates and the keys.
test_package_scripts_install_and_purge_on_a_scratch_root() {
	built
	dpkg-deb -e "$DEB" "$T/ctl"
	mkdir -p "$T/bin" "$T/root/var/lib/ss/acme/ca_443" "$T/root/etc/ss"
	for c in deb-systemd-helper deb-systemd-invoke systemctl; do
		printf '#!/bin/sh\necho "%s $*" >>"%s"\n' "$c" "$T/calls" \
		    >"$T/bin/$c"
		chmod +x "$T/bin/$c"
	done
	DPKG_ROOT=$T/root PATH=$T/bin:$PATH sh "$T/ctl/postinst" configure
	[ "$(stat -c %a "$T/root/var/apollo/data/certs")" = 755 ]
	[ -d "$T/root/var/www/acme" ]
	has "$T/calls" '^deb-systemd-helper enable ss-cert-renew\.timer$'
	lacks "$T/calls" 'enable ss-(cert-renew|ddns)\.service'
	echo crt >"$T/root/var/apollo/data/certs/cert.pem"
	echo key >"$T/root/var/lib/ss/acme/ca_443/account.key"
	mkdir "$T/root/var/lib/ss/ddns"
	: >"$T/root/var/lib/ss/ddns/state"
	DPKG_ROOT=$T/root PATH=$T/bin:$PATH sh "$T/ctl/postrm" purge
	[ -f "$T/root/var/apollo/data/certs/cert.pem" ]
	[ -f "$T/root/var/lib/ss/acme/ca_443/account.key" ]
	[ ! -e "$T/root/var/lib/ss/ddns" ]
	[ ! -e "$T/root/etc/ss" ] && [ ! -e "$T/root/var/www/acme" ]
}

run_tests
