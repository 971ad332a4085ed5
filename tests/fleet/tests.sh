# The fleet tests, in the order they run, on the three hosts of
# tests/fleet/lib.sh.  Sourced by tests/fleet/run, which calls fleet_setup
# first.

# ansible devices ARGS...: an ad-hoc command on the three, one line a
# host ("dev1 | CHANGED | rc=0 | (stdout) ..."), in $T/out and $T/err.
adhoc() {
	run 0 ansible devices -o "$@"
}

test_ssh_reaches_each_host() {
	adhoc -m ansible.builtin.command -a hostname
	for h in $FLEET_HOSTS; do
		has out "^$h \| CHANGED \| rc=0 \| \(stdout\) $h\$"
		# through sshd, as root with the key
		on "$h" journalctl --no-pager -o cat -u ssh.service >journal
		has journal '^Accepted publickey for root from 127\.0\.0\.1 '
	done
	[ "$(grep -c '| CHANGED |' out)" = 3 ]
	adhoc -m ansible.builtin.command -a 'ss-cert --version'
	for h in $FLEET_HOSTS; do
		has out "^$h \| CHANGED \| rc=0 \| \(stdout\) ss-cert [0-9.]+\$"
	done
}

# The scenarios below run in this order on the one fleet: each starts
# from where the one before left the devices.

SYS_PW='Fleet-System-Pw-1'
OWNER_PW='Fleet-Owner-Pw-2'
ADMIN_PW='Fleet-Admin-Pw-3'
VIEWER_PW='Fleet-Viewer-Pw-4'

# converge [ANSIBLE-OPTIONS...]: site.yml with the secrets of a vault of
# the test's own, and the package from the .deb left on each device.
converge() {
	if [ ! -e "$T/vault.yml" ]; then
		printf '%s\n' 'fleet-vault-passphrase' >"$T/vault-pass"
		cat >"$T/vault.yml" <<EOV
vault_system_password: $SYS_PW
vault_owner_password: $OWNER_PW
vault_admin_password: $ADMIN_PW
EOV
		ansible-vault encrypt --vault-password-file "$T/vault-pass" \
		    "$T/vault.yml" >/dev/null
	fi
	play "$TOP/tests/fleet/site.yml" -e @"$T/vault.yml" \
	    --vault-password-file "$T/vault-pass" \
	    -e ss_package_deb="/var/cache/ss-test/$(basename "$DEB")" "$@"
	_rc=$?
	cat "$T/play.out" >>"$T/plays.out"
	return $_rc
}

# timed WHAT CMD...: CMD, and a "# WHAT: N.N s" line for the report
timed() {
	_what=$1
	shift
	_t0=$(date +%s%N)
	"$@"
	_rc=$?
	echo "# $_what: $(elapsed "$_t0") s"
	return $_rc
}

hashes_all() {
	for h in $FLEET_HOSTS; do
		host_hashes "$h"
	done
}

recap_is() {
	_got=$(recap "$1" "$2")
	if [ "$_got" != "$3" ]; then
		echo "# $1: $2=$_got, wanted $3" >&2
		sed 's/^/#   /' "$T/play.out" | tail -n 60 >&2
		return 1
	fi
}

test_first_run_converges_every_host() {
	timed "converge of 3 hosts (first run)" converge || {
		sed 's/^/#   /' "$T/play.out" | tail -n 60 >&2
		return 1
	}
	for h in $FLEET_HOSTS; do
		recap_is "$h" failed 0
		[ "$(recap "$h" changed)" -gt 0 ]
		# nginx serves the device's own certificate, through the proxy
		openssl s_client -connect "127.0.0.1:$(hostvar "$h" ss_https_port)" \
		    -servername "$h.example.test" </dev/null 2>/dev/null |
		    openssl x509 -noout -subject | grep -q "CN *= *$h.example.test"
	done
	# the system password is the vault's on dev1 and dev2, not on dev3
	on dev1 ss-audit --only factory-password >/dev/null
	on dev2 ss-audit --only factory-password >/dev/null
	set +e
	on dev3 ss-audit --only factory-password >/dev/null
	rc=$?
	set -e
	[ $rc -eq 2 ]
}

test_second_run_changes_nothing() {
	hashes_all >"$T/before"
	timed "second run of 3 hosts (idempotent)" converge
	for h in $FLEET_HOSTS; do
		recap_is "$h" changed 0
		recap_is "$h" failed 0
	done
	hashes_all >"$T/after"
	diff "$T/before" "$T/after"
}

test_check_mode_reports_the_change_and_alters_nothing() {
	hashes_all >"$T/before"
	converge --check --diff -e '{"ss_allow": ["127.0.0.0/8", "192.168.0.0/16"],
	    "ss_htpasswd_users": [{"name": "admin", "password": "{{ vault_admin_password }}"},
	    {"name": "viewer", "password": "'"$VIEWER_PW"'"}]}'
	for h in $FLEET_HOSTS; do
		recap_is "$h" failed 0
		[ "$(recap "$h" changed)" -ge 2 ]
	done
	grep -q '^+allow = 127.0.0.0/8, 192.168.0.0/16$' "$T/play.out"
	grep -q '^-allow = 127.0.0.0/8, 10.0.0.0/8$' "$T/play.out"
	grep -Eq '^changed: \[dev1\] => \(item=viewer\)' "$T/play.out"
	hashes_all >"$T/after"
	diff "$T/before" "$T/after"
}

test_broken_nginx_fails_its_host_and_the_others_converge() {
	on dev2 sh -c 'echo "this is not nginx;" >/etc/nginx/conf.d/broken.conf'
	host_hashes dev2 >"$T/before"
	if converge -e '{"ss_allow": ["127.0.0.0/8", "172.16.0.0/12"]}'; then
		echo "# the play passed with a broken nginx on dev2" >&2
		return 1
	fi
	recap_is dev2 failed 1
	grep -q '^fatal: \[dev2\]: FAILED! => .*nginx refuses the configuration' \
	    "$T/play.out"
	grep -q '^fatal: \[dev2\]: FAILED! => .*ss-proxy.conf: previous version put back' \
	    "$T/play.out"
	for h in dev1 dev3; do
		recap_is "$h" failed 0
		[ "$(recap "$h" changed)" -gt 0 ]
		on "$h" grep -q '^allow = 127.0.0.0/8, 172.16.0.0/12$' \
		    /etc/ss/security.conf
		on "$h" grep -q 'allow 172.16.0.0/12;' \
		    /etc/nginx/sites-enabled/ss-proxy.conf
	done
	# dev2's proxy is the one nginx last accepted
	if on dev2 grep -q 'allow 172.16.0.0/12;' \
	    /etc/nginx/sites-enabled/ss-proxy.conf; then
		echo "# dev2 kept a proxy nginx refused" >&2
		return 1
	fi
	# mended, dev2 converges; then the fleet goes back to its settings
	on dev2 rm /etc/nginx/conf.d/broken.conf
	converge -e '{"ss_allow": ["127.0.0.0/8", "172.16.0.0/12"]}'
	recap_is dev2 failed 0
	[ "$(recap dev2 changed)" -gt 0 ]
	converge
	for h in $FLEET_HOSTS; do
		recap_is "$h" failed 0
	done
}

test_audit_facts_fail_the_host_left_with_its_factory_password() {
	mkdir -p "$T/audit"
	if play "$TOP/tests/fleet/audit.yml" -e audit_dir="$T/audit"; then
		echo "# the audit passed every host" >&2
		return 1
	fi
	cat "$T/play.out" >>"$T/plays.out"
	recap_is dev3 failed 1
	recap_is dev1 failed 0
	recap_is dev2 failed 0
	grep -q '^fatal: \[dev3\]: FAILED! => .*"msg": "CRITICAL: factory-password"' \
	    "$T/play.out"
	for h in $FLEET_HOSTS; do
		/usr/bin/python3 - "$T/audit/$h.json" "$h" <<'PY'
import json, sys
a, h = json.load(open(sys.argv[1])), sys.argv[2]
ids = sorted(set(f['id'] for f in a['findings']))
want = sorted(['openhab', 'factory-password', 'certificate', 'tls',
               'proxy', 'dns', 'timers', 'files', 'ssh', 'button'])
assert ids == want, ids
crit = ['factory-password'] if h == 'dev3' else []
assert a['critical'] == crit, a['critical']
assert (a['status'] == 'CRITICAL') == (h == 'dev3'), a['status']
PY
		echo "# $h: $(/usr/bin/python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print(a["status"], "critical", a["critical"], "warning", a["warning"], "unknown", a["unknown"])' "$T/audit/$h.json")"
	done
}

test_secrets_stay_out_of_output_and_logs() {
	converge -vvv
	for h in $FLEET_HOSTS; do
		recap_is "$h" changed 0
	done
	for s in "$SYS_PW" "$OWNER_PW" "$ADMIN_PW" "$VIEWER_PW" \
	    $(cat "$T"/factory-dev?); do
		if grep -F -n -- "$s" "$T/plays.out" >&2; then
			echo "# a secret in ansible's output" >&2
			return 1
		fi
		for h in $FLEET_HOSTS; do
			if on "$h" journalctl --no-pager -o cat |
			    grep -F -- "$s" >&2; then
				echo "# a secret in $h's journal" >&2
				return 1
			fi
		done
	done
	# the journals searched do hold the modules' invocations, with the
	# passwords masked
	on dev1 journalctl --no-pager -o cat >"$T/journal"
	has "$T/journal" 'Invoked with .*kind=system.*password=NOT_LOGGING_PARAMETER'
}

# One host gets its certificate from an ACME CA through the role: pebble
# on the host, resolving the names through bind9, and answering http-01
# on dev1's HTTP port, where the proxy serves [acme] webroot.
test_acme_certificate_through_the_role_then_nothing_changes() {
	named_start
	pebble_start
	mkdir -p dev1/root/usr/local/share/ss-test
	cp "$PEBBLE_CA" dev1/root/usr/local/share/ss-test/pebble-ca.pem
	cat >acme.json <<EOJ
{"ss_certificate": "acme", "ss_http_port": $HTTP01_PORT,
 "ss_acme": {"directory": "$PEBBLE_DIR",
  "ca_file": "/usr/local/share/ss-test/pebble-ca.pem",
  "email": "admin@example.test", "agree_tos": true}}
EOJ
	timed "converge of dev1 with an ACME certificate" \
	    converge --limit dev1 -e @acme.json || {
		sed 's/^/#   /' "$T/play.out" | tail -n 60 >&2
		return 1
	}
	recap_is dev1 failed 0
	grep -q '^changed: \[dev1\]' "$T/play.out"
	port=$(hostvar dev1 ss_https_port)
	openssl s_client -connect "127.0.0.1:$port" \
	    -servername dev1.example.test </dev/null 2>/dev/null |
	    openssl x509 -noout -issuer >issuer
	has issuer 'Pebble Intermediate'
	on dev1 test -L /var/apollo/data/certs/dev1.example.test/fullchain.pem
	hashes_all >"$T/before"
	converge --limit dev1 -e @acme.json
	recap_is dev1 changed 0
	recap_is dev1 failed 0
	hashes_all >"$T/after"
	diff "$T/before" "$T/after"
}

test_ansible_lint_finds_no_violation() {
	cd "$TOP/ansible"
	ANSIBLE_HOME="$T/lint-home" ansible-lint --offline --nocolor \
	    >"$T/lint.out" 2>&1 || {
		sed 's/^/#   /' "$T/lint.out" >&2
		return 1
	}
}
