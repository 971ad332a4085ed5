# ss-btnwatch: the hold through `run --simulate` on a pipe, with reset and
# reboot commands that really run (scripts that leave marks), and the
# enable / disable / status switch.
. "$(dirname "$0")/lib.sh"

BTN=$B/ss-btnwatch

# cmd NAME STATUS: the script $T/NAME, which appends NAME to $T/marks,
# prints a line on its stdout and exits STATUS.
cmd() {
	printf '#!/bin/sh\necho %s >>"%s/marks"\necho "%s says hello"\nexit %s\n' \
	    "$1" "$T" "$1" "$2" >"$T/$1"
	chmod 0755 "$T/$1"
}

# mkbtnconf [RESET_STATUS [REBOOT_STATUS]]: the test configuration with a
# [button] section whose commands are $T/reset and $T/reboot.
mkbtnconf() {
	mkconf
	cmd reset "${1:-0}"
	cmd reboot "${2:-0}"
	cat >>"$T/security.conf" <<EOC

# the Connect button
[button]
hold_seconds = 20
reset_command = $T/reset
reboot_command = $T/reboot

[acme]
email = admin@example.test
EOC
}

# simulate CODE [OPTION]: the events on stdin through run --simulate.
simulate() {
	run "$1" "$BTN" -c security.conf $2 run --simulate
}

# want_out: $T/out is exactly stdin.
want_out() {
	cat >"$T/want"
	if ! diff -u "$T/want" "$T/out" >"$T/diff"; then
		sed 's/^/# /' "$T/diff" >&2
		return 1
	fi
}

# want_marks MARK...: the commands that ran, in order.
want_marks() {
	printf '%s\n' "$@" >"$T/want-marks"
	if ! cmp -s "$T/want-marks" "$T/marks"; then
		echo "# ran: $(cat "$T/marks" 2>/dev/null | tr '\n' ' ')" >&2
		return 1
	fi
}

test_hold_20s_restores_then_reboots() {
	mkbtnconf
	printf '0.000 press\n20.000 release\n' | simulate 0
	want_out <<EOF
20.000 led red blink-fast
20.000 run $T/reset
20.000 led blue on
20.000 run $T/reboot
EOF
	want_marks reset reboot
	has err '^ss-btnwatch: button held 20 s: restoring the factory password$'
	has err '^ss-btnwatch: factory password restored: rebooting$'
	# What the commands print is a diagnostic, not data.
	has err '^reset says hello$'
	has err '^reboot says hello$'
}

test_hold_19_9s_does_nothing() {
	mkbtnconf
	printf '0.000 press\n19.900 release\n' | simulate 0
	[ ! -s out ]
	[ ! -e marks ]
	lacks err 'held'
}

test_press_without_release_fires_at_the_deadline() {
	mkbtnconf
	printf '# the button stays down when the input ends\n\n5.25 press\n' |
	    simulate 0
	want_out <<EOF
25.250 led red blink-fast
25.250 run $T/reset
25.250 led blue on
25.250 run $T/reboot
EOF
	want_marks reset reboot
}

test_disabled_hold_is_ignored() {
	mkbtnconf
	run 0 "$BTN" -c security.conf disable --yes
	printf '0.000 press\n20.000 release\n0020.5 press\n45 release\n' |
	    simulate 0
	[ ! -s out ]
	[ ! -e marks ]
	has err '^ss-btnwatch: button held 20 s: ignored, the factory reset is disabled \(\[button\] reset_enabled\)$'
	[ "$(grep -c 'ignored' err)" = 2 ]
	lacks err 'restoring'
}

test_failing_reset_shows_the_error_and_does_not_reboot() {
	mkbtnconf 3
	printf '0.000 press\n21.000 release\n' | simulate 0
	want_out <<EOF
20.000 led red blink-fast
20.000 run $T/reset
20.000 led red blink-slow
EOF
	want_marks reset
	has err "^ss-btnwatch: reset_command: '$T/reset' exited 3$"
	has err '^ss-btnwatch: factory reset failed: not rebooting$'
	lacks err 'restored: rebooting'
}

test_failing_reboot_is_logged() {
	mkbtnconf 0 1
	printf '0 press\n' | simulate 0
	want_out <<EOF
20.000 led red blink-fast
20.000 run $T/reset
20.000 led blue on
20.000 run $T/reboot
EOF
	want_marks reset reboot
	has err "^ss-btnwatch: reboot_command: '$T/reboot' exited 1$"
	has err '^ss-btnwatch: reboot failed: the factory password is in place, reboot the device by hand$'
}

test_several_presses_fire_once_per_hold() {
	mkbtnconf
	cat >events <<EOF
0.000 press
3.000 release
10.000 press
30.500 release
40.000 press
59.999 release
70.000 press
90.000 release
EOF
	simulate 0 <events
	want_out <<EOF
30.000 led red blink-fast
30.000 run $T/reset
30.000 led blue on
30.000 run $T/reboot
40.000 led off off
90.000 led red blink-fast
90.000 run $T/reset
90.000 led blue on
90.000 run $T/reboot
EOF
	want_marks reset reboot reset reboot
}

test_bounces_inside_the_debounce_window_do_not_end_a_hold() {
	mkbtnconf
	# debounce_ms is 50 by default: releases followed by a press within
	# 50 ms are contact bounce, and the hold runs on from 0.
	cat >events <<EOF
0.000 press
0.010 release
0.020 press
0.030 release
0.040 press
12.000 release
12.049 press
20.000 release
20.010 press
20.020 release
EOF
	simulate 0 <events
	want_out <<EOF
20.000 led red blink-fast
20.000 run $T/reset
20.000 led blue on
20.000 run $T/reboot
EOF
	want_marks reset reboot
}

test_a_release_longer_than_the_debounce_window_ends_the_hold() {
	mkbtnconf
	printf '0.000 press\n10.000 release\n10.100 press\n29.900 release\n' |
	    simulate 0
	[ ! -s out ]
	[ ! -e marks ]
}

test_dry_run_prints_the_actions_and_runs_nothing() {
	mkbtnconf
	printf '0.000 press\n20.000 release\n' | simulate 0 -n
	want_out <<EOF
20.000 led red blink-fast
20.000 run $T/reset
20.000 led blue on
20.000 run $T/reboot
EOF
	[ ! -e marks ]
}

test_bad_event_lines_are_refused() {
	mkbtnconf
	printf '0.000 press\nsoon release\n' | simulate 65
	has err "^ss-btnwatch: stdin:2: 'soon release' is not 'SECONDS press' or 'SECONDS release'$"
	printf '5 press\n4 release\n' | simulate 65
	has err '^ss-btnwatch: stdin:2: time goes back$'
	printf '0 push\n' | simulate 65
	has err "stdin:1: '0 push' is not"
	[ ! -e marks ]
}

# enable / disable / status: confedit_set changes the one line.
test_disable_and_enable_change_only_reset_enabled() {
	mkbtnconf
	cp security.conf before
	run 0 "$BTN" -c security.conf disable --yes
	has err 'warning: with the factory reset by the button disabled, a lost system password cannot be restored on the device: it has to be replaced'
	has err '^ss-btnwatch: the factory reset by the button is disabled$'
	diff before security.conf >d || true
	printf '15a16\n> reset_enabled = no\n' | cmp - d
	run 0 "$BTN" -c security.conf status
	has out '^disabled$'
	has out '^reset_enabled: no$'
	has out '^hold_seconds: 20$'
	has out "^reset_command: $T/reset$"
	run 0 "$BTN" -c security.conf enable
	has err '^ss-btnwatch: the factory reset by the button is enabled$'
	diff before security.conf >d || true
	printf '15a16\n> reset_enabled = yes\n' | cmp - d
	run 0 "$BTN" -c security.conf status
	has out '^enabled$'
}

test_disable_twice_and_dry_run_leave_the_file_alone() {
	mkbtnconf
	run 0 "$BTN" -c security.conf -n disable --yes
	has err '^ss-btnwatch: would disable the factory reset by the button$'
	run 0 "$BTN" -c security.conf enable
	has err 'is already enabled$'
	cp security.conf before
	cmp before security.conf
	run 0 "$BTN" -c security.conf disable --yes
	cp security.conf once
	run 0 "$BTN" -c security.conf disable --yes
	has err '^ss-btnwatch: the factory reset by the button is already disabled$'
	cmp once security.conf
}

# stamp: names, sizes, mtimes and contents of the files in $T, for a
# check that a run changed no byte and no mtime.
stamp() {
	(cd "$T" && find . -type f ! -name out ! -name err -printf '%p %s %T@\n' |
	    sort && find . -type f ! -name out ! -name err -exec sha256sum {} + |
	    sort)
}

# json_is KEY=VALUE...: the --json document in $T/out has these values
# (Python literals: True, False, [...]).
json_is() {
	/usr/bin/python3 - "$T/out" "$@" <<'EOP'
import json, sys
o = json.load(open(sys.argv[1]))
for kv in sys.argv[2:]:
    k, v = kv.split("=", 1)
    if o.get(k) != eval(v):
        sys.exit("# %s is %r, not %s: %r" % (k, o.get(k), v, o))
EOP
}

test_disable_json_changed_then_unchanged_without_touching_the_file() {
	mkbtnconf
	run 0 "$BTN" -c "$T/security.conf" disable --yes --json
	json_is changed=True action="'disabled'" \
	    paths="['$T/security.conf']" reset_enabled=False
	has err 'warning: with the factory reset by the button disabled'
	lacks out warning
	before=$(stamp)
	sleep 0.01
	run 0 "$BTN" -c "$T/security.conf" disable --yes --json
	json_is changed=False action="'unchanged'" paths=[] \
	    reset_enabled=False
	has err 'is already disabled$'
	[ "$(stamp)" = "$before" ]
}

test_enable_json_changed_then_unchanged_without_touching_the_file() {
	mkbtnconf
	run 0 "$BTN" -c "$T/security.conf" disable --yes
	run 0 "$BTN" -c "$T/security.conf" enable --json
	json_is changed=True action="'enabled'" \
	    paths="['$T/security.conf']" reset_enabled=True
	before=$(stamp)
	sleep 0.01
	run 0 "$BTN" -c "$T/security.conf" enable --json
	json_is changed=False action="'unchanged'" paths=[] reset_enabled=True
	[ "$(stamp)" = "$before" ]
}

test_dry_run_json_says_what_would_change_and_writes_nothing() {
	mkbtnconf
	before=$(stamp)
	run 0 "$BTN" -c "$T/security.conf" -n disable --yes --json
	json_is changed=True dry_run=True action="'disabled'" \
	    paths="['$T/security.conf']"
	[ "$(stamp)" = "$before" ]
	run 0 "$BTN" -c "$T/security.conf" -n enable --json
	json_is changed=False dry_run=True paths=[]
	[ "$(stamp)" = "$before" ]
}

test_disable_without_yes_off_a_terminal_is_refused() {
	mkbtnconf
	cp security.conf before
	run 64 "$BTN" -c security.conf disable </dev/null
	has err '^ss-btnwatch: warning: with the factory reset by the button disabled, a lost system password cannot be restored on the device: it has to be replaced$'
	has err '^ss-btnwatch: --yes is needed when not on a terminal$'
	cmp before security.conf
	run 0 "$BTN" -c security.conf status
	has out '^enabled$'
}

test_status_json() {
	mkbtnconf
	run 0 "$BTN" -c security.conf disable --yes
	run 0 "$BTN" -c security.conf status --json
	/usr/bin/python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["reset_enabled"] is False, o
assert o["hold_seconds"] == 20 and o["debounce_ms"] == 50, o
assert o["chip"] == "gpiochip0" and o["line"] == 0, o
assert o["active_low"] is True and o["led_red"] == "", o
assert o["reset_command"] == sys.argv[2] + "/reset", o
assert o["reboot_command"] == sys.argv[2] + "/reboot", o' "$T/out" "$T"
}

test_bad_config_is_refused_before_anything_runs() {
	mkbtnconf
	sed -i 's/^hold_seconds = 20$/hold_seconds = 0/' security.conf
	printf '0 press\n' | simulate 78
	has err 'security.conf:13: hold_seconds: 0 is out of range \(1-600\)'
	[ ! -s out ]
	[ ! -e marks ]
}

test_run_without_the_chip_exits_69() {
	mkbtnconf
	sed -i 's/^hold_seconds = 20$/chip = gpiochip99\nchip_wait = 0/' \
	    security.conf
	run 69 "$BTN" -c security.conf run
	has err "^ss-btnwatch: \[button\] chip, line: GPIO chip 'gpiochip99': no such chip$"
	# Without a command, as systemd starts it, the daemon runs too.
	run 69 "$BTN" -c security.conf
	has err "GPIO chip 'gpiochip99': no such chip"
	[ ! -e marks ]
}

# systemctl stop while the daemon waits for its GPIO driver: it stops at
# once, not when chip_wait runs out.
test_stop_while_waiting_for_the_chip_is_immediate() {
	mkbtnconf
	sed -i 's/^hold_seconds = 20$/chip = gpiochip99\nchip_wait = 60/' \
	    security.conf
	"$BTN" -c security.conf run >out 2>err &
	pid=$!
	wait_for 10 grep -q "GPIO chip 'gpiochip99' not there yet" err
	t0=$(date +%s%N)
	kill -TERM $pid
	rc=0
	wait $pid || rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	echo "# stopped ${ms} ms after SIGTERM, rc $rc" >&2
	[ $rc -eq 0 ]
	[ $ms -lt 3000 ]
	has err 'stopping on signal 15'
	[ ! -e marks ]
}

test_usage() {
	run 64 "$BTN" run --frobnicate
	has err 'usage: ss-btnwatch run \[--simulate\]'
	run 64 "$BTN" disable now
	has err 'usage: ss-btnwatch disable \[--yes\]'
	run 0 "$BTN" --version
}

run_tests
