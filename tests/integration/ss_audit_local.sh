#!/bin/bash
# ss-audit's checks of the device itself: the listeners beyond loopback,
# the automation server's binding, the modes of keys and secrets, and
# root's SSH login.  Sockets are held by python3 in a network namespace
# of the test's own (unshare -n), so nothing else on the machine listens
# there.
. "$(dirname "$0")/lib.sh"

AUDIT=$B/ss-audit
HOLD=$TOP/tests/integration/hold_sockets.py

# audit CODE [ARGS...]: ss-audit with the test configuration.
audit() {
	want=$1
	shift
	run "$want" "$AUDIT" -c "$T/security.conf" "$@"
}

# audit_holding CODE SOCKET... -- [ARGS...]: audit in a network namespace
# where python3 holds SOCKETs (ADDR:PORT, [ADDR6]:PORT, ADDR:PORT/udp).
audit_holding() {
	want=$1
	shift
	socks=()
	while [ "$1" != "--" ]; do
		socks+=("$1")
		shift
	done
	shift
	run "$want" unshare -n /usr/bin/python3 "$HOLD" "${socks[@]}" -- \
	    "$AUDIT" -c "$T/security.conf" "$@"
}

# mkconf_local: the test configuration, its files under $T.
mkconf_local() {
	mkconf
	mkdir -p "$T/state" "$T/certs"
	chmod 700 "$T/state"
	cat >>"$T/security.conf" <<EOC

[passwd]
shadow_file = $T/shadow
users_file = $T/state/users
factory_file = $T/factory_password

[openhab]
defaults_file = $T/openhab

[audit]
sshd_command =
sshd_config = $T/sshd_config
EOC
}

# set_key SECTION KEY VALUE: one more line in that section (appended).
set_key() {
	sed -i "/^\\[$1\\]\$/a $2 = $3" "$T/security.conf"
}

PY='python3[.0-9]*'

test_listener_beyond_loopback_not_allowed_is_a_warning() {
	mkconf_local
	audit_holding 1 0.0.0.0:5000 127.0.0.1:5001 -- --only listeners
	has out "^WARNING  listeners: tcp port 5000 listens on 0\\.0\\.0\\.0 \\($PY pid [0-9]+\\), not in \\[audit\\] allow_ports; fix: stop $PY or bind it to 127\\.0\\.0\\.1; or add 5000 to \\[audit\\] allow_ports$"
	lacks out 5001
	[ "$(wc -l <out)" -eq 1 ]
}

test_bound_udp_socket_not_allowed_is_a_warning() {
	mkconf_local
	audit_holding 1 0.0.0.0:5353/udp -- --only listeners
	has out "^WARNING  listeners: udp port 5353 listens on 0\\.0\\.0\\.0 \\($PY pid [0-9]+\\), not in \\[audit\\] allow_ports; fix: stop $PY or bind it to 127\\.0\\.0\\.1; or add 5353 to \\[audit\\] allow_ports$"
}

test_only_allowed_ports_beyond_loopback_is_ok() {
	mkconf_local
	audit_holding 0 0.0.0.0:443 '[::]:22' 127.0.0.1:5001 '[::1]:5002' \
	    -- --only listeners
	[ "$(cat out)" = "OK       listeners: only allowed ports listen beyond loopback (22, 443)" ]
}

test_allow_ports_takes_a_port_in() {
	mkconf_local
	set_key audit allow_ports "22, 5000"
	audit_holding 0 0.0.0.0:5000 -- --only listeners
	[ "$(cat out)" = "OK       listeners: only allowed ports listen beyond loopback (5000)" ]
}

test_nothing_beyond_loopback_is_ok() {
	mkconf_local
	audit_holding 0 127.0.0.1:8080 -- --only listeners
	[ "$(cat out)" = "OK       listeners: nothing listens beyond loopback" ]
}

test_automation_server_port_beyond_loopback_is_critical() {
	mkconf_local
	printf 'OPENHAB_HTTP_PORT=8090\n' >openhab
	set_key audit allow_ports "22, 8090"
	audit_holding 2 '[::]:8090' -- --only listeners
	has out "^CRITICAL listeners: tcp port 8090 of the automation server listens on :: \\($PY pid [0-9]+\\), reachable without the proxy; fix: ss-nginxconf bind$"
}

test_automation_server_port_on_loopback_is_ok() {
	mkconf_local
	printf 'OPENHAB_HTTP_PORT=8090\n' >openhab
	audit_holding 0 127.0.0.1:8090 -- --only listeners
	has out '^OK       listeners: nothing listens beyond loopback$'
}

test_backend_port_beyond_loopback_is_critical() {
	mkconf_local
	printf '[nginx]\nbackend = http://127.0.0.1:9001/\n' >>security.conf
	audit_holding 2 0.0.0.0:9001 -- --only listeners
	has out "^CRITICAL listeners: tcp port 9001 of the automation server listens on 0\\.0\\.0\\.0 .*; fix: ss-nginxconf bind$"
}

test_listeners_json_carries_the_same_findings() {
	mkconf_local
	audit_holding 2 0.0.0.0:8080 0.0.0.0:5000 -- --only listeners --json
	python3 - "$T/out" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "CRITICAL", d
warn, crit = d["findings"]
assert crit["id"] == "listeners" and crit["status"] == "CRITICAL", crit
assert crit["fix"] == "ss-nginxconf bind", crit
assert "tcp port 8080 of the automation server" in crit["seen"], crit
assert warn["status"] == "WARNING", warn
assert warn["fix"].endswith("or add 5000 to [audit] allow_ports"), warn
EOP
}

test_openhab_without_an_address_is_critical() {
	mkconf_local
	printf '# openHAB\nOPENHAB_HTTP_PORT=8080\n' >openhab
	audit 2 --only openhab
	[ "$(cat out)" = "CRITICAL openhab: $T/openhab does not set OPENHAB_HTTP_ADDRESS: the automation server listens on every address, reachable without the proxy; fix: ss-nginxconf bind" ]
}

test_openhab_bound_to_every_address_is_critical() {
	mkconf_local
	printf 'OPENHAB_HTTP_ADDRESS="0.0.0.0"\n' >openhab
	audit 2 --only openhab
	[ "$(cat out)" = "CRITICAL openhab: $T/openhab binds the automation server to 0.0.0.0, reachable without the proxy; fix: ss-nginxconf bind" ]
}

test_openhab_after_ss_nginxconf_bind_is_ok() {
	mkconf_local
	printf 'OPENHAB_HTTP_ADDRESS="0.0.0.0"\n' >openhab
	run 0 "$B/ss-nginxconf" -c security.conf bind
	audit 0 --only openhab
	[ "$(cat out)" = "OK       openhab: $T/openhab binds the automation server to 127.0.0.1" ]
}

test_openhab_without_its_defaults_file_is_ok() {
	mkconf_local
	audit 0 --only openhab
	[ "$(cat out)" = "OK       openhab: no automation server defaults file ($T/openhab)" ]
}

test_openhab_defaults_file_that_does_not_parse_is_unknown() {
	mkconf_local
	printf 'A=1\nOPENHAB_HTTP_ADDRESS=$(hostname -i)\n' >openhab
	audit 3 --only openhab
	has out "^UNKNOWN  openhab: $T/openhab:2: not a NAME=value line"
	has err "$T/openhab:2: not a NAME=value line"
}

test_openhab_json_carries_the_same_finding() {
	mkconf_local
	printf 'OPENHAB_HTTP_ADDRESS=192.0.2.7\n' >openhab
	audit 2 --only openhab --json
	python3 - "$T/out" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
[f] = d["findings"]
assert f["id"] == "openhab" and f["status"] == "CRITICAL", f
assert f["fix"] == "ss-nginxconf bind", f
assert "to 192.0.2.7" in f["seen"], f
EOP
}

# mkfiles MODE_KEY MODE_SECRET MODE_SHADOW MODE_STATE: a self-signed key,
# a signed one, the factory password, users and shadow files.
mkfiles() {
	mkdir -p certs/self certs/dev1.example.test
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out certs/self/server.key 2>/dev/null
	cp certs/self/server.key certs/dev1.example.test/privkey-1.pem
	ln -s privkey-1.pem certs/dev1.example.test/privkey.pem
	printf 'factory\n' >factory_password
	printf 'admin:x\n' >state/users
	printf 'apollo:*:19000:0:99999:7:::\n' >shadow
	chmod "$1" certs/self/server.key certs/dev1.example.test/privkey-1.pem
	chmod "$2" factory_password state/users
	chmod "$3" shadow
	chmod "$4" state
}

test_files_with_the_modes_the_tools_require_are_ok() {
	mkconf_local
	mkfiles 600 600 640 700
	audit 0 --only files
	[ "$(cat out)" = "OK       files: the keys, secrets, shadow file and state directory are closed to others (6 checked)" ]
}

test_world_readable_key_is_critical() {
	mkconf_local
	mkfiles 600 600 640 700
	chmod 644 certs/dev1.example.test/privkey-1.pem
	audit 2 --only files
	[ "$(cat out)" = "CRITICAL files: the private key $T/certs/dev1.example.test/privkey-1.pem is open to every user (mode 0644, wanted 600 or stricter); fix: chmod 600 $T/certs/dev1.example.test/privkey-1.pem" ]
}

test_group_readable_secret_is_a_warning() {
	mkconf_local
	mkfiles 600 600 640 700
	chmod 640 factory_password
	audit 1 --only files
	[ "$(cat out)" = "WARNING  files: [passwd] factory_file $T/factory_password is open to its group (mode 0640, wanted 600 or stricter); fix: chmod 600 $T/factory_password" ]
}

test_world_readable_shadow_and_open_state_dir_are_reported() {
	mkconf_local
	mkfiles 600 600 644 755
	audit 2 --only files
	has out "^CRITICAL files: \\[passwd\\] shadow_file $T/shadow is open to every user \\(mode 0644, wanted 640 or stricter\\); fix: chmod 640 $T/shadow$"
	has out "^WARNING  files: \\[device\\] state_dir $T/state is open to every user \\(mode 0755, wanted 700 or stricter\\); fix: chmod 700 $T/state$"
	[ "$(wc -l <out)" -eq 2 ]
}

test_secret_of_another_user_is_critical() {
	mkconf_local
	mkfiles 600 600 640 700
	chown 65534 state/users
	audit 2 --only files
	[ "$(cat out)" = "CRITICAL files: [passwd] users_file $T/state/users belongs to uid 65534, who can read and change it; fix: chown root $T/state/users" ]
}

test_files_json_carries_the_same_findings() {
	mkconf_local
	mkfiles 640 600 640 700
	audit 1 --only files --json
	python3 - "$T/out" "$T" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
t = sys.argv[2]
assert d["status"] == "WARNING", d
fixes = sorted(f["fix"] for f in d["findings"])
assert fixes == ["chmod 600 %s/certs/dev1.example.test/privkey-1.pem" % t,
                 "chmod 600 %s/certs/self/server.key" % t], fixes
assert all(f["id"] == "files" for f in d["findings"]), d
EOP
}

SSH_FIX='set PermitRootLogin prohibit-password in'

test_ssh_root_password_login_on_every_address_is_a_warning() {
	mkconf_local
	printf 'Port 22\nPermitRootLogin yes\n' >sshd_config
	audit_holding 1 0.0.0.0:22 -- --only ssh
	[ "$(cat out)" = "WARNING  ssh: root may log in with a password (PermitRootLogin yes, PasswordAuthentication yes, from $T/sshd_config) while port 22 listens on 0.0.0.0; fix: $SSH_FIX $T/sshd_config" ]
}

test_ssh_root_password_login_on_loopback_only_is_ok() {
	mkconf_local
	printf 'PermitRootLogin yes\n' >sshd_config
	audit_holding 0 127.0.0.1:22 -- --only ssh
	[ "$(cat out)" = "OK       ssh: port 22 does not listen beyond loopback" ]
}

test_ssh_default_prohibit_password_is_ok() {
	mkconf_local
	printf '# PermitRootLogin prohibit-password\nPasswordAuthentication yes\n' \
	    >sshd_config
	audit_holding 0 '[::]:22' -- --only ssh
	[ "$(cat out)" = "OK       ssh: root may not log in with a password (PermitRootLogin prohibit-password, PasswordAuthentication yes, from $T/sshd_config)" ]
}

test_ssh_first_value_wins_and_includes_are_followed() {
	mkconf_local
	mkdir sshd_config.d
	printf 'PermitRootLogin=yes\n' >sshd_config.d/10-root.conf
	printf 'Include sshd_config.d/*.conf\nPermitRootLogin no\n' >sshd_config
	audit_holding 1 0.0.0.0:22 -- --only ssh
	has out "^WARNING  ssh: root may log in with a password \\(PermitRootLogin yes,"
}

test_ssh_match_block_is_left_out() {
	mkconf_local
	printf 'PasswordAuthentication no\nMatch Address 10.0.0.0/8\n  PermitRootLogin yes\n' \
	    >sshd_config
	audit_holding 0 0.0.0.0:22 -- --only ssh
	[ "$(cat out)" = "OK       ssh: root may not log in with a password (PermitRootLogin prohibit-password, PasswordAuthentication no, from $T/sshd_config)" ]
}

test_ssh_port_is_taken_from_the_configuration() {
	mkconf_local
	printf 'PermitRootLogin yes\n' >sshd_config
	set_key device ssh_port 2222
	audit_holding 1 0.0.0.0:22 0.0.0.0:2222 -- --only ssh
	has out "^WARNING  ssh: .* while port 2222 listens on 0\\.0\\.0\\.0;"
}

# sshd -T prints the whole configuration sshd resolved, in lower case.
test_ssh_reads_sshd_test_output_first() {
	mkconf_local
	printf 'PermitRootLogin no\n' >sshd_config
	printf 'port 22\npermitrootlogin yes\npasswordauthentication yes\n' \
	    >sshd-T
	sed -i "s|^sshd_command =.*|sshd_command = cat $T/sshd-T|" \
	    security.conf
	audit_holding 1 0.0.0.0:22 -- --only ssh --json
	python3 - "$T/out" "$T" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
t = sys.argv[2]
[f] = d["findings"]
assert f["id"] == "ssh" and f["status"] == "WARNING", f
assert "from cat %s/sshd-T" % t in f["seen"], f
assert f["fix"] == ("set PermitRootLogin prohibit-password in "
                    "%s/sshd_config" % t), f
EOP
}

test_ssh_falls_back_to_sshd_config_when_sshd_test_fails() {
	mkconf_local
	printf 'PermitRootLogin no\n' >sshd_config
	sed -i "s|^sshd_command =.*|sshd_command = exit 1|" security.conf
	audit_holding 0 0.0.0.0:22 -- --only ssh
	[ "$(cat out)" = "OK       ssh: root may not log in with a password (PermitRootLogin no, PasswordAuthentication yes, from $T/sshd_config)" ]
}

test_ssh_without_any_configuration_is_unknown() {
	mkconf_local
	audit_holding 3 0.0.0.0:22 -- --only ssh
	has out "^UNKNOWN  ssh: port 22 listens on 0\\.0\\.0\\.0, and neither \\[audit\\] sshd_command nor $T/sshd_config says"
}

run_tests
