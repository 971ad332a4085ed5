# The system tests, in the order they run: each builds on the state the
# ones before left in the one booted container.  Sourced by
# tests/system/run, which calls system_setup first.

UNITS="ss-cert-renew.service ss-cert-renew.timer ss-ddns.service
ss-ddns.timer ss-btnwatch.service ss-nginxconf-reload.service"
CERTS=/var/apollo/data/certs
FQDN=dev1.example.test

# The servers on the host, then the container booted.
system_setup() {
	named_start && pebble_start && provider_start || return 1
	# pebble behind the stub, whose renewal window says "renew now"
	stub_start proxy --renewal-window past || return 1
	TLS_PORT=$(free_port)
	export TLS_PORT
	ct_cache && ct_prepare || return 1
	mkdir -p "$T/root/usr/local/share/ss-test"
	cp "$PEBBLE_CA" "$T/root/usr/local/share/ss-test/pebble-ca.pem"
	ct_boot
}

# device_conf: the owner's /etc/ss/security.conf for this device.
device_conf() {
	(umask 077; printf '%s\n' "$PROV_PASSWORD" >"$T/root/etc/ss/ddns.password")
	cat >"$T/root/etc/ss/security.conf" <<EOC
# the device of the system tests
[device]
hostname = dev1
domain = example.test

[acme]
directory = $STUB_DIR
ca_file = /usr/local/share/ss-test/pebble-ca.pem
email = admin@example.test
agree_tos = yes
deploy_hook = systemctl start ss-nginxconf-reload.service
timeout = 60

[ddns]
enabled = yes
protocol = dyndns2
server = $PROV_URL
username = dev1user
password_file = /etc/ss/ddns.password
checkip = $PROV_URL/ip
ip_version = 4
EOC
}

# stub_restart ARGS...: the ACME stub again on the same port (a
# certificate is renewed at the CA that issued it), with ARGS.
stub_restart() {
	stop_pid "$T/stub.pid"
	$PY "$TOP/tests/integration/acme_stub.py" --port "$STUB_PORT" \
	    --cert "$T/pebble/cert.pem" --key "$T/pebble/key.pem" \
	    --ca "$PEBBLE_CA" --log "$T/stub.requests" proxy \
	    "https://127.0.0.1:$PEBBLE_PORT" "$@" >>"$T/stub.log" 2>&1 &
	echo $! >"$T/stub.pid"
	wait_port "$STUB_PORT" || server_failed acme_stub "$T/stub.log"
}

# unit_prop UNIT PROPERTY
unit_prop() {
	ct systemctl show -P "$2" "$1"
}

# serves FINGERPRINT: nginx in the container serves that certificate.
serves() {
	[ "$(served "$TLS_PORT")" = "$1" ]
}

# journal_count PATTERN UNIT: lines of UNIT's journal matching PATTERN.
journal_count() {
	ct journalctl --no-pager -o cat -u "$2" | grep -Ec -- "$1"
}

# at_least N CMD...: CMD prints a number of at least N.
at_least() {
	_want=$1
	shift
	[ "$("$@")" -ge "$_want" ]
}

test_package_installs_and_enables_its_units() {
	run 0 ct dpkg -i "/var/cache/ss-test/$(basename "$DEB")"
	for u in ss-cert-renew.timer ss-ddns.timer ss-btnwatch.service; do
		[ "$(ct systemctl is-enabled "$u")" = enabled ]
	done
	for u in ss-cert-renew.timer ss-ddns.timer; do
		[ "$(ct systemctl is-active "$u")" = active ]
	done
	for u in ss-cert-renew.service ss-ddns.service \
	    ss-nginxconf-reload.service; do
		[ "$(ct systemctl is-enabled "$u")" = static ]
	done
	ct test -x /usr/sbin/ss-cert
	ct test -f /etc/ss/security.conf
	ct dpkg-query -W -f='${Conffiles}\n' ss-security >conffiles
	has conffiles '^ /etc/ss/security.conf [0-9a-f]{32}$'
	[ "$(ct stat -c '%U %a' /var/lib/ss)" = "root 700" ]
	ct grep -q '^ExecStart=/usr/sbin/ss-cert renew$' \
	    /lib/systemd/system/ss-cert-renew.service
}

test_every_service_is_sandboxed_to_an_exposure_of_2_or_less() {
	for u in $UNITS; do
		case $u in *.service) ;; *) continue ;; esac
		ct systemd-analyze security --no-pager "$u" >analyze
		level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' \
		    analyze)
		echo "# $u: $level"
		[ -n "$level" ]
		awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'
	done
}

test_renewal_by_the_timer_unit_deploys_to_nginx() {
	device_conf
	run 0 ct ss-cert issue
	run 0 ct ss-nginxconf certs --name "$FQDN"
	cat >"$T/root/etc/nginx/sites-enabled/tls.conf" <<EOC
server {
	listen 127.0.0.1:$TLS_PORT ssl;
	return 200 "ok\n";
}
EOC
	run 0 ct systemctl reload nginx
	old=$(file_fp "$T/root$CERTS/$FQDN/fullchain.pem")
	wait_for 10 serves "$old"
	run 0 ct systemctl start ss-cert-renew.service
	new=$(file_fp "$T/root$CERTS/$FQDN/fullchain.pem")
	[ "$new" != "$old" ]
	# the deploy hook reloaded nginx, which serves the new certificate
	wait_for 10 serves "$new" || {
		echo "# nginx serves $(served "$TLS_PORT"), not $new" >&2
		ct journalctl --no-pager -u ss-cert-renew -u ss-nginxconf-reload \
		    | tail -n 20 | sed 's/^/# /' >&2
		return 1
	}
	ct journalctl --no-pager -o cat -u ss-cert-renew.service >journal
	has journal "^$FQDN: renewed"
}

test_failed_renewal_keeps_the_old_certificate_and_logs_an_error() {
	before=$(file_fp "$T/root$CERTS/$FQDN/fullchain.pem")
	served_before=$(served "$TLS_PORT")
	# the CA says renew now, then refuses the order
	stub_restart --renewal-window past --reject-order
	run 1 ct systemctl start ss-cert-renew.service || {
		ct journalctl --no-pager -o cat -u ss-cert-renew.service |
		    tail -n 15 | sed 's/^/# /' >&2
		return 1
	}
	[ "$(unit_prop ss-cert-renew.service Result)" = exit-code ]
	# 65: the CA's refusal, a problem document
	[ "$(unit_prop ss-cert-renew.service ExecMainStatus)" = 65 ]
	[ "$(file_fp "$T/root$CERTS/$FQDN/fullchain.pem")" = "$before" ]
	[ "$(served "$TLS_PORT")" = "$served_before" ]
	# what ss-cert itself said at priority err, not systemd's own line
	ct journalctl --no-pager -o cat -p err -u ss-cert-renew.service \
	    SYSLOG_IDENTIFIER=ss-cert >errors
	cat errors
	has errors "$FQDN"
	stub_restart --renewal-window past
}

test_audit_reports_a_failed_renewal_and_a_disabled_timer() {
	# the renewal just failed: CRITICAL, with where to read why
	run 2 ct ss-audit --only timers
	has out '^CRITICAL timers: the last run of ss-cert-renew\.service failed \(result exit-code, exit status 65\); fix: journalctl -u ss-cert-renew\.service$'
	has out '^OK       timers: ss-ddns\.timer is enabled and active; ss-ddns\.service has no failed run$'
	run 0 ct systemctl start ss-cert-renew.service
	run 0 ct ss-audit --only timers
	has out '^OK       timers: ss-cert-renew\.timer is enabled and active; ss-cert-renew\.service has no failed run$'
	# [ddns] enabled = yes, its timer disabled: a WARNING
	run 0 ct systemctl disable ss-ddns.timer
	run 1 ct ss-audit --only timers --json
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "WARNING", d
[f] = [f for f in d["findings"] if f["status"] != "OK"]
assert f["id"] == "timers", f
assert f["seen"] == "ss-ddns.timer is not enabled (disabled)", f
assert f["fix"] == "systemctl enable --now ss-ddns.timer", f' out
	run 0 ct systemctl enable ss-ddns.timer
}

test_ddns_timer_updates_once_then_not_while_unchanged() {
	: >"$PROV_DIR/updates.log"
	mkdir -p "$T/root/etc/systemd/system/ss-ddns.timer.d"
	cat >"$T/root/etc/systemd/system/ss-ddns.timer.d/test.conf" <<EOC
[Timer]
OnBootSec=
OnUnitActiveSec=
RandomizedDelaySec=0
OnActiveSec=1s
OnUnitActiveSec=2s
AccuracySec=100ms
EOC
	ct systemctl daemon-reload
	ct systemctl restart ss-ddns.timer
	wait_for 30 at_least 1 provider_requests
	# three more runs, each finding the address unchanged
	wait_for 60 at_least 3 journal_count ': unchanged' ss-ddns.service
	[ "$(provider_requests)" = 1 ]
	has "$PROV_DIR/updates.log" 'hostname=dev1\.example\.test'
	rm -r "$T/root/etc/systemd/system/ss-ddns.timer.d"
	ct systemctl daemon-reload
	ct systemctl restart ss-ddns.timer
}

test_audit_lines_reach_the_journal_as_authpriv() {
	ct journalctl --no-pager -o cat SYSLOG_FACILITY=10 >authpriv
	has authpriv "^certificate issued: name=$FQDN serial=[0-9A-F]+ not_after=[0-9T:-]+Z by=root login=[a-z]+ from=script\$"
	has authpriv "^certificate renewed: name=$FQDN .* from=unit:ss-cert-renew\\.service\$"
	has authpriv "^nginx configuration written: file=/etc/nginx/sites-enabled/certs\\.conf .*from=script\$"
	# no secret anywhere in the journal
	ct journalctl --no-pager -o cat >all
	lacks all "$PROV_PASSWORD"
}

test_button_daemon_without_a_chip_fails_once_and_stays_down() {
	# the container has no /dev/gpiochip*: after [button] chip_wait (30 s)
	wait_for 60 ct systemctl is-failed --quiet ss-btnwatch.service
	[ "$(unit_prop ss-btnwatch.service ExecMainStatus)" = 69 ]
	sleep 7	# longer than RestartSec
	[ "$(unit_prop ss-btnwatch.service NRestarts)" = 0 ]
	[ "$(ct systemctl is-failed ss-btnwatch.service)" = failed ]
	ct journalctl --no-pager -o cat -u ss-btnwatch.service >journal
	has journal "GPIO chip 'gpiochip0': no such chip"
}

test_remove_keeps_configuration_and_certificates() {
	run 0 ct dpkg -r ss-security
	run 1 ct test -e /usr/sbin/ss-cert
	run 1 ct test -e /lib/systemd/system/ss-cert-renew.service
	ct test -f /etc/ss/security.conf
	ct test -f "$CERTS/$FQDN/fullchain.pem"
	ct test -f "$CERTS/$FQDN/privkey.pem"
	ct test -d /var/lib/ss
}

test_purge_removes_configuration_and_state_but_never_certificates() {
	keys=$(cd "$T/root$CERTS" && find . -name '*.pem' -o -name '*.key' |
	    sort | xargs sha256sum)
	account=$(cd "$T/root" && find var/lib/ss/acme -name 'account*' \
	    -type f | sort | xargs sha256sum)
	[ -n "$account" ]
	ct test -d /var/lib/ss/acme/certs
	run 0 ct dpkg -P ss-security
	run 1 ct test -e /etc/ss/security.conf
	run 1 ct test -e /var/lib/ss/ddns
	run 1 ct test -e /var/lib/ss/acme/certs
	# the ACME account key stays: a new install goes on with the account
	[ "$(cd "$T/root" && find var/lib/ss/acme -name 'account*' -type f |
	    sort | xargs sha256sum)" = "$account" ]
	# the certificates and their keys, byte for byte
	[ "$(cd "$T/root$CERTS" && find . -name '*.pem' -o -name '*.key' |
	    sort | xargs sha256sum)" = "$keys" ]
	# the owner's files in /etc/ss stay
	ct test -f /etc/ss/ddns.password
}
