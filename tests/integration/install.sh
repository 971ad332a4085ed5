#!/bin/bash
# make install and make uninstall into a scratch DESTDIR, the generated
# security.conf, the package's maintainer scripts on a scratch root
# (DPKG_ROOT), and the Makefile's lists of Debian packages.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
CONFGEN=$B/ss-confgen
# The package's paths, as debian/rules passes them.
PKG_DIRS="PREFIX=/usr SYSCONFDIR=/etc UNITDIR=/lib/systemd/system"

# conf_keys: "section key type min max [choices] default" per key of
# lib/conf_keys.h, from the preprocessor; default NULL for the system's
# host name.
conf_keys() {
	printf '%s\n' '#include "conf_keys.h"' \
	    '#define F(s, k, t, lo, hi, ch, d) @K s k t lo hi @C ch @D d @E' \
	    '#define S(s, KEYS) KEYS(F)' 'CONF_SECTIONS(S)' |
	    ${CC:-cc} -E -P -I"$TOP/lib" - | $PY -c '
import re, sys, json
text = sys.stdin.read()
for m in re.finditer(r"@K (\w+) (\w+) (\w+) (\d+) (\d+) @C (.*?) @D "
    r"(NULL|\"(?:[^\"\\\\]|\\\\.)*\") @E", text, re.S):
    s, k, t, lo, hi, ch, d = m.groups()
    print(json.dumps([s, k, t, int(lo), int(hi),
        re.findall(r"\"([^\"]*)\"", ch), None if d == "NULL" else
        json.loads(d)]))'
}

# inst ARGS...: make install (or the target in ARGS) with the test's
# build directory, into $T/root.
inst() {
	make -s -C "$TOP" B="$B" DESTDIR="$T/root" "$@"
}

# makevar NAME: a variable of the Makefile.
makevar() {
	make -s -C "$TOP" --no-print-directory --eval \
	    'print-var: ; @echo $('"$1"')' print-var
}

test_security_conf_lists_every_key_with_its_default() {
	conf_keys >"$T/keys"
	[ "$(wc -l <"$T/keys")" -gt 70 ]
	run 0 "$CONFGEN"
	cmp "$T/out" "$B/security.conf"
	$PY - "$T/keys" "$T/out" <<'PY'
import json, re, sys
keys = [json.loads(l) for l in open(sys.argv[1])]
found, section, prev = {}, None, ""
for line in open(sys.argv[2]):
    line = line.rstrip("\n")
    m = re.match(r"^\[(\w+)\]$", line)
    if m:
        section = m.group(1)
    m = re.match(r"^#(\w+) =(?: (.*?))?(?: +; (.*))?$", line)
    if m:
        k = (section, m.group(1))
        assert k not in found, "twice: %s" % (k,)
        found[k] = (m.group(2) or "", m.group(3) or "", prev)
    prev = line
bad = []
for s, k, t, lo, hi, ch, d in keys:
    if (s, k) not in found:
        bad.append("[%s] %s missing" % (s, k))
        continue
    v, hint, before = found.pop((s, k))
    want = {"INT": "%d..%d" % (lo, hi), "BOOL": "yes or no",
        "ENUM": "one of " + ", ".join(ch)}.get(t, "")
    if t.endswith("LIST"):
        want = "comma-separated"
    if d is None:
        if v != "" or "the system's host name" not in before:
            bad.append("[%s] %s: no host name comment" % (s, k))
    elif v != d or hint != want:
        bad.append("[%s] %s = %r ; %r, wanted %r ; %r" %
            (s, k, v, hint, d, want))
bad += ["[%s] %s is not a key" % k for k in found]
if bad:
    sys.exit("# " + "\n# ".join(bad))
PY
}

test_security_conf_loads_and_its_values_are_the_defaults() {
	# Every key uncommented but the host name, which has no value.
	sed -E 's/^#([a-z_0-9]+ = )/\1/' "$B/security.conf" >"$T/all.conf"
	lacks "$T/all.conf" '^#[a-z_0-9]+ = '
	for c in "$B/security.conf" "$T/all.conf"; do
		run 0 "$B/ss-btnwatch" -c "$c" status --json
		mv "$T/out" "$T/button.$(basename "$c")"
		run 0 "$B/ss-nginxconf" -c "$c" ports --json
		mv "$T/out" "$T/ports.$(basename "$c")"
	done
	cmp "$T/button.security.conf" "$T/button.all.conf"
	cmp "$T/ports.security.conf" "$T/ports.all.conf"
	has "$T/button.all.conf" '"reset_command": "ss-passwd factory-reset --yes"'
}

test_a_default_that_would_not_read_back_is_refused() {
	cp -r "$TOP/lib" "$T/lib"
	sed -i 's|"systemctl reboot"|"systemctl reboot ; true"|' \
	    "$T/lib/conf_keys.h"
	${CC:-cc} -std=gnu11 -I"$T/lib" -DSS_VERSION='"t"' \
	    -o "$T/confgen" "$TOP/tools/confgen/confgen.c"
	run 70 "$T/confgen"
	has "$T/err" "^ss-confgen: \[button\] reboot_command: the default \
'systemctl reboot ; true' cannot be written as a value$"
}

test_install_directories_are_the_configuration_defaults() {
	has "$B/security.conf" "^#state_dir = $(makevar STATEDIR)\$"
	has "$B/security.conf" "^#dir = $(makevar CERTSDIR)\$"
	has "$B/security.conf" "^#webroot = $(makevar WEBROOT)\$"
	[ "$(makevar CONFDIR)/security.conf" = /etc/ss/security.conf ]
}

test_install_puts_pages_and_units_naming_its_paths() {
	# shellcheck disable=SC2086 # a list of assignments
	inst install $PKG_DIRS >"$T/log" 2>&1
	r=$T/root
	for t in ss-audit ss-btnwatch ss-cert ss-ddns ss-nginxconf ss-passwd; do
		[ "$(mode_of "$r/usr/sbin/$t")" = 755 ]
	done
	has "$r/lib/systemd/system/ss-cert-renew.service" \
	    '^ExecStart=/usr/sbin/ss-cert renew$'
	has "$r/lib/systemd/system/ss-ddns.service" \
	    '^ExecStart=/usr/sbin/ss-ddns update --if-enabled$'
	has "$r/lib/systemd/system/ss-btnwatch.service" \
	    '^ExecStart=/usr/sbin/ss-btnwatch run$'
	has "$r/usr/share/man/man8/ss-cert.8" \
	    '^\.It Pa /lib/systemd/system/ss-cert-renew\.timer$'
	has "$r/usr/share/man/man8/ss-cert.8" 'command_line  /usr/sbin/ss-cert'
	# an owner's own script in the example stays in /usr/local
	has "$r/usr/share/man/man8/ss-cert.8" '/usr/local/sbin/acme-dns-hook'
	for t in ss-audit ss-btnwatch ss-cert ss-ddns ss-nginxconf ss-passwd; do
		f=$r/usr/share/bash-completion/completions/$t
		[ "$(mode_of "$f")" = 644 ] && [ ! -L "$f" ]
		cmp "$f" "$TOP/completion/ss-security"
	done
	has "$r/usr/share/man/man8/ss-cert.8" \
	    '^\.It Pa /usr/share/bash-completion/completions/ss-cert$'
	cat "$r"/usr/share/man/man[58]/* "$r"/lib/systemd/system/* >"$T/all"
	lacks "$T/all" '/usr/local/(sbin/ss-|lib/systemd|share/bash-completion)'
	mandoc -Tlint -Wwarning "$r"/usr/share/man/man[58]/*
	cmp "$r/etc/ss/security.conf" "$B/security.conf"
	cmp "$r/usr/share/ss-security/security.conf.example" "$B/security.conf"
	[ "$(mode_of "$r/etc/ss/security.conf")" = 644 ]
	[ "$(mode_of "$r/var/lib/ss")" = 700 ]
	[ "$(mode_of "$r/var/apollo/data/certs")" = 755 ]
	[ "$(mode_of "$r/var/www/acme")" = 755 ]
	for d in pre deploy post; do
		[ "$(mode_of "$r/etc/ss/hooks/$d")" = 755 ]
		[ -z "$(ls -A "$r/etc/ss/hooks/$d")" ]
	done
}

test_install_with_the_default_prefix_names_usr_local() {
	inst install >"$T/log" 2>&1
	has "$T/root/usr/local/lib/systemd/system/ss-ddns.service" \
	    '^ExecStart=/usr/local/sbin/ss-ddns update --if-enabled$'
	has "$T/root/usr/local/share/man/man8/ss-ddns.8" \
	    '^\.It Pa /usr/local/lib/systemd/system/ss-ddns\.timer$'
	[ -f "$T/root/usr/local/share/bash-completion/completions/ss-ddns" ]
	# the configuration stays in /etc
	cmp "$T/root/etc/ss/security.conf" "$B/security.conf"
}

# etc_hash ROOT: tree_hash of ROOT/etc/ss but its hooks' directories,
# which install makes and uninstall removes when empty.
etc_hash() {
	rm -rf "$T/etc-copy"
	cp -a "$1/etc/ss" "$T/etc-copy"
	rm -rf "$T/etc-copy/hooks"
	tree_hash "$T/etc-copy"
}

test_install_never_overwrites_a_configuration() {
	mkdir -p "$T/root/etc/ss"
	printf '[certs]\nrenew_days = 20\n' >"$T/root/etc/ss/security.conf"
	chmod 600 "$T/root/etc/ss/security.conf"
	h=$(etc_hash "$T/root")
	# shellcheck disable=SC2086
	inst install $PKG_DIRS >"$T/out" 2>&1
	[ "$(etc_hash "$T/root")" = "$h" ]
	has "$T/out" 'etc/ss/security.conf: kept; this version.s defaults are in /usr/share/ss-security/security.conf.example'
	cmp "$T/root/usr/share/ss-security/security.conf.example" \
	    "$B/security.conf"
}

test_install_does_not_follow_a_link_as_the_configuration() {
	mkdir -p "$T/root/etc/ss"
	ln -s "$T/elsewhere" "$T/root/etc/ss/security.conf"
	# shellcheck disable=SC2086
	inst install $PKG_DIRS >"$T/out" 2>&1
	[ ! -e "$T/elsewhere" ]
	[ "$(readlink "$T/root/etc/ss/security.conf")" = "$T/elsewhere" ]
}

test_install_keeps_the_mode_of_existing_directories() {
	mkdir -p "$T/root/var/apollo/data/certs" "$T/root/etc/ss"
	chmod 750 "$T/root/var/apollo/data/certs" "$T/root/etc/ss"
	inst install >"$T/log" 2>&1
	[ "$(mode_of "$T/root/var/apollo/data/certs")" = 750 ]
	[ "$(mode_of "$T/root/etc/ss")" = 750 ]
}

test_uninstall_removes_what_install_put() {
	# shellcheck disable=SC2086
	inst install $PKG_DIRS >"$T/log" 2>&1
	# shellcheck disable=SC2086
	inst uninstall $PKG_DIRS >"$T/out" 2>&1
	(cd "$T/root" && find . \( -type f -o -type l \) -print) >"$T/left"
	if [ -s "$T/left" ]; then
		sed 's/^/# left: /' "$T/left" >&2
		return 1
	fi
	for d in etc/ss var/lib/ss var/www/acme usr/share/ss-security; do
		[ ! -e "$T/root/$d" ] || { echo "# $d left" >&2; return 1; }
	done
	# never the certificates directory
	[ -d "$T/root/var/apollo/data/certs" ]
}

test_uninstall_keeps_the_owners_configuration_and_state() {
	# shellcheck disable=SC2086
	inst install $PKG_DIRS >"$T/log" 2>&1
	r=$T/root
	echo 'renew_days = 20' >>"$r/etc/ss/security.conf"
	(umask 077 && echo secret >"$r/etc/ss/ddns.pass")
	mkdir -p "$r/var/lib/ss/acme/ca.example_443" \
	    "$r/var/apollo/data/certs/self"
	echo key >"$r/var/lib/ss/acme/ca.example_443/account.key"
	printf '#!/bin/sh\nsystemctl stop lighttpd\n' >"$r/etc/ss/hooks/pre/lighttpd"
	echo crt >"$r/var/apollo/data/certs/self/server.crt"
	h=$(etc_hash "$r")
	hs=$(cd "$r/var" && tree_hash lib; tree_hash apollo)
	# shellcheck disable=SC2086
	inst uninstall $PKG_DIRS >"$T/out" 2>&1
	has "$T/out" 'etc/ss/security.conf: kept: it is not the example configuration'
	[ "$(etc_hash "$r")" = "$h" ]
	# another package's hook stays; the empty directories go
	has "$T/out" 'etc/ss/hooks/pre: kept: not empty'
	[ -f "$r/etc/ss/hooks/pre/lighttpd" ]
	[ ! -e "$r/etc/ss/hooks/deploy" ] && [ ! -e "$r/etc/ss/hooks/post" ]
	[ "$(cd "$r/var" && tree_hash lib; tree_hash apollo)" = "$hs" ]
	[ ! -e "$r/usr/sbin/ss-cert" ]
	[ ! -e "$r/usr/share/ss-security/security.conf.example" ]
}

# A change of SYSCONFDIR or DATADIR rebuilds what names the configuration
# or its example, and the tools, pages and files agree on them.
test_sysconfdir_and_datadir_are_compiled_in_and_named_everywhere() {
	unset SS_CONFIG
	make -s -C "$TOP" B="$T/b" SYSCONFDIR=/srv/ss-t/etc \
	    DATADIR=/srv/ss-t/share DESTDIR="$T/root" install >"$T/log" 2>&1
	[ -f "$T/root/srv/ss-t/etc/ss/security.conf" ]
	[ -f "$T/root/srv/ss-t/share/security.conf.example" ]
	has "$T/root/usr/local/share/man/man5/security.conf.5" \
	    '^\.Pa /srv/ss-t/etc/ss/security\.conf$'
	has "$T/root/usr/local/share/man/man5/security.conf.5" \
	    '^\.It Pa /srv/ss-t/share/security\.conf\.example$'
	run 78 "$T/b/ss-btnwatch" status
	has "$T/err" '/srv/ss-t/etc/ss/security\.conf: no such file'
	has "$T/err" 'example in /srv/ss-t/share/security\.conf\.example$'
	make -s -C "$TOP" B="$T/b" SYSCONFDIR=/srv/ss-u/etc \
	    DATADIR=/srv/ss-u/share all >"$T/log" 2>&1
	run 78 "$T/b/ss-btnwatch" status
	has "$T/err" '/srv/ss-u/etc/ss/security\.conf'
	has "$T/err" 'example in /srv/ss-u/share/security\.conf\.example$'
}

# postinst configure on a scratch root: no systemd there, so only the
# directories it makes matter; deb-systemd-helper is stubbed.
maint() {
	mkdir -p "$T/bin" "$T/root"
	for c in deb-systemd-helper deb-systemd-invoke systemctl; do
		printf '#!/bin/sh\necho "%s $*" >>"%s"\n' "$c" "$T/calls" \
		    >"$T/bin/$c"
		chmod +x "$T/bin/$c"
	done
	DPKG_ROOT=$T/root PATH=$T/bin:$PATH sh "$@"
}

test_postinst_makes_the_certificates_directory_and_the_webroot() {
	mkdir -p "$T/root/var/www"
	maint "$TOP/debian/ss-security.postinst" configure
	[ "$(stat -c '%a %u %g' "$T/root/var/apollo/data/certs")" = '755 0 0' ]
	[ "$(stat -c '%a %u %g' "$T/root/var/www/acme")" = '755 0 0' ]
	chmod 750 "$T/root/var/apollo/data/certs"
	maint "$TOP/debian/ss-security.postinst" configure 0.1.0-1
	[ "$(mode_of "$T/root/var/apollo/data/certs")" = 750 ]
}

# What a device has after a while: state the tools make again, and what
# the owner made or cannot make again.
device_tree() {
	r=$T/root
	mkdir -p "$r/var/lib/ss/ddns" "$r/var/lib/ss/acme/certs" \
	    "$r/var/lib/ss/acme/acme-v02.api.letsencrypt.org" \
	    "$r/var/apollo/data/certs/self" "$r/etc/ss" \
	    "$r/var/www/acme/.well-known/acme-challenge"
	chmod 700 "$r/var/lib/ss"
	echo 'addr4=203.0.113.7' >"$r/var/lib/ss/ddns/state"
	: >"$r/var/lib/ss/ddns/.lock"
	echo '{}' >"$r/var/lib/ss/acme/certs/dev.example.json"
	echo key >"$r/var/lib/ss/acme/acme-v02.api.letsencrypt.org/account.key"
	echo url >"$r/var/lib/ss/acme/acme-v02.api.letsencrypt.org/account.url"
	: >"$r/var/lib/ss/nginxconf.lock"
	echo 'apollo:owner' >"$r/var/lib/ss/users"
	echo 'apollo:owner' >"$r/var/lib/ss/users-"
	echo crt >"$r/var/apollo/data/certs/self/server.crt"
	echo key >"$r/var/apollo/data/certs/self/server.key"
	: >"$r/etc/ss/.security.conf.lock"
	echo secret >"$r/etc/ss/ddns.pass"
	mkdir -p "$r/etc/ss/hooks/pre" "$r/etc/ss/hooks/post"
	printf '#!/bin/sh\nsystemctl stop lighttpd\n' >"$r/etc/ss/hooks/pre/lighttpd"
	echo token >"$r/var/www/acme/.well-known/acme-challenge/tok"
}

test_purge_removes_state_but_never_certificates_or_keys() {
	device_tree
	hc=$(tree_hash "$r/var/apollo")
	maint "$TOP/debian/ss-security.postrm" purge
	for gone in var/lib/ss/ddns var/lib/ss/acme/certs \
	    var/lib/ss/nginxconf.lock etc/ss/.security.conf.lock \
	    var/www/acme; do
		[ ! -e "$r/$gone" ] || { echo "# $gone left" >&2; return 1; }
	done
	[ "$(tree_hash "$r/var/apollo")" = "$hc" ]
	(cd "$r" && find var/lib/ss etc/ss -type f | sort) >"$T/kept"
	printf '%s\n' etc/ss/ddns.pass etc/ss/hooks/pre/lighttpd \
	    var/lib/ss/acme/acme-v02.api.letsencrypt.org/account.key \
	    var/lib/ss/acme/acme-v02.api.letsencrypt.org/account.url \
	    var/lib/ss/users var/lib/ss/users- | diff - "$T/kept"
}

test_purge_of_a_clean_device_leaves_no_directory_of_its_own() {
	mkdir -p "$T/root/var/lib/ss/ddns" "$T/root/etc/ss"
	: >"$T/root/var/lib/ss/ddns/state"
	maint "$TOP/debian/ss-security.postinst" configure
	maint "$TOP/debian/ss-security.postrm" purge
	for d in var/lib/ss etc/ss var/www/acme; do
		[ ! -e "$T/root/$d" ] || { echo "# $d left" >&2; return 1; }
	done
	[ -d "$T/root/var/apollo/data/certs" ]
}

test_purge_does_not_follow_links() {
	mkdir -p "$T/outside/ddns" "$T/outside/acme/certs" "$T/root/var/lib"
	echo keep >"$T/outside/ddns/state"
	echo keep >"$T/outside/acme/certs/x.json"
	: >"$T/outside/nginxconf.lock"
	ln -s "$T/outside" "$T/root/var/lib/ss"
	maint "$TOP/debian/ss-security.postrm" purge
	[ -f "$T/outside/ddns/state" ] && [ -f "$T/outside/acme/certs/x.json" ]
	[ -f "$T/outside/nginxconf.lock" ] && [ -L "$T/root/var/lib/ss" ]
	rm "$T/root/var/lib/ss"
	mkdir -m 700 "$T/root/var/lib/ss"
	ln -s "$T/outside/ddns" "$T/root/var/lib/ss/ddns"
	ln -s "$T/outside/acme" "$T/root/var/lib/ss/acme"
	maint "$TOP/debian/ss-security.postrm" purge
	[ -f "$T/outside/ddns/state" ] && [ -f "$T/outside/acme/certs/x.json" ]
}

test_remove_changes_nothing() {
	device_tree
	h=$(tree_hash "$r")
	maint "$TOP/debian/ss-security.postrm" remove
	[ "$(tree_hash "$r")" = "$h" ]
}

test_package_lists_do_not_overlap() {
	for l in BUILD RUN TEST DEMO; do
		makevar "DEBS_$l" | tr ' ' '\n' | sed '/^$/d' | sort >"$T/$l"
		[ -s "$T/$l" ]
		[ -z "$(uniq -d "$T/$l")" ]
	done
	[ -z "$(sort "$T/BUILD" "$T/RUN" "$T/TEST" | uniq -d)" ]
	sort -u "$T/BUILD" "$T/RUN" "$T/TEST" >"$T/all"
	[ -z "$(comm -23 "$T/DEMO" "$T/all")" ]
	# the servers the tests start are test dependencies
	for p in bind9 nginx pebble openjdk-17-jre-headless python3-aiosmtpd \
	    tinyproxy-bin debootstrap systemd-container; do
		grep -qx "$p" "$T/TEST"
	done
	grep -qx libcurl4 "$T/RUN"
	grep -qx lintian "$T/BUILD"
}

test_build_depends_are_the_build_list() {
	$PY - "$TOP/debian/control" <<'PY' | sort >"$T/bd"
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^Build-Depends:(.*?)^(?=\S)", text, re.M | re.S)
for dep in m.group(1).split(","):
    name = re.sub(r"\(.*?\)", "", dep).strip()
    print("debhelper" if name == "debhelper-compat" else name)
PY
	[ "$(wc -l <"$T/bd")" -ge 9 ]
	makevar DEBS_BUILD | tr ' ' '\n' | sort >"$T/build"
	[ -z "$(comm -23 "$T/bd" "$T/build")" ]
	# and what compiles the tools, apart from the build-essential ones
	makevar DEBS_CC | tr ' ' '\n' | sed '/^$/d' |
	    grep -vxE 'gcc|make|libc6-dev' | sort >"$T/cc"
	echo debhelper | sort -u - "$T/cc" | diff - "$T/bd"
}

run_tests
