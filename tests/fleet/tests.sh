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
