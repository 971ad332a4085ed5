# The audit trail and the journal: each change writes one line to syslog's
# authpriv facility, caught by tests/integration/syslog_sink.py on a socket
# that a private mount namespace shows the tool as /dev/log; no secret is
# in what the sink got.  Under the journal (JOURNAL_STREAM), diagnostics
# carry their sd-daemon priority, and a quiet timer run has no error or
# warning.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acme_lib.sh"
. "$(dirname "$0")/passwd_lib.sh"
. "$(dirname "$0")/nginx_lib.sh"
. "$(dirname "$0")/ddns_lib.sh"

SS_DDNS=$B/ss-ddns
SYS1='Apollo-Pass-01'
SYS2='Apollo-Pass-02'
BOB='Bob-Secret-321'
NOTICE=85	# authpriv (10) * 8 + notice (5)
WARNING=84	# authpriv (10) * 8 + warning (4)

# who: "by=EUSER login=LOGIN" as the tools write it, worked out apart.
who() {
	_l=$(cat /proc/self/loginuid)
	if [ "$_l" = 4294967295 ]; then
		_l=unset
	else
		_l=$(id -nu "$_l" 2>/dev/null || echo "$_l")
	fi
	echo "by=$(id -nu) login=$_l"
}

# syslog_start: the sink on $T/dev/log, in $T/dev: the /dev that
# with_syslog shows a command, with the host's device nodes and terminals.
syslog_start() {
	mkdir -p "$T/dev/pts"
	for _n in null zero full random urandom tty; do
		: >"$T/dev/$_n"
	done
	ln -s pts/ptmx "$T/dev/ptmx"
	ln -s /proc/self/fd "$T/dev/fd"
	: >"$T/syslog"
	$PY "$TOP/tests/integration/syslog_sink.py" "$T/dev/log" \
	    "$T/syslog" >"$T/syslog.log" 2>&1 &
	echo $! >"$T/syslog.pid"
	wait_for 10 test -S "$T/dev/log" ||
	    server_failed syslog_sink.py "$T/syslog.log"
}

# with_syslog CMD...: CMD with $T/dev as its /dev, so that its syslog(3)
# reaches the sink.  125 when the namespace or a mount is refused.
with_syslog() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare -m --propagation private sh -c '
	d=$0
	for n in null zero full random urandom tty; do
		mount --bind "/dev/$n" "$d/$n" || exit 125
	done
	mount --rbind /dev/pts "$d/pts" && mount --rbind "$d" /dev || exit 125
	exec "$@"' "$T/dev" "$@"
}

# syslogged: $T/syslog.got, what the sink got until now.  A mark sent
# after the tool has exited comes after all the tool sent: the socket
# keeps datagrams in order.
syslogged() {
	_m="mark-$(date +%s%N)"
	logger -d -u "$T/dev/log" -t ss-test-mark -- "$_m"
	if ! wait_for 10 grep -q -- "$_m" "$T/syslog"; then
		echo "# the sink did not get the mark" >&2
		return 1
	fi
	grep -v 'ss-test-mark' "$T/syslog" >"$T/syslog.got" || true
}

# audited PRI PROG REGEX: one line, and one only, of the sink is
# "<PRI>TIMESTAMP PROG[PID]: LINE", LINE matching the extended REGEX whole.
audited() {
	syslogged || return 1
	_n=$(sed -E 's/^<([0-9]+)>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} /<\1>/' \
	    "$T/syslog.got" | grep -Ecx -- "<$1>$2\[[0-9]+\]: $3") || true
	if [ "$_n" != 1 ]; then
		echo "# $_n times, wanted once: <$1>$2[PID]: $3" >&2
		sed 's/^/#   /' "$T/syslog.got" >&2
		return 1
	fi
}

# syslog_count N: the sink got N lines from the tools.
syslog_count() {
	syslogged || return 1
	[ "$(wc -l <"$T/syslog.got")" = "$1" ] || {
		echo "# wanted $1 lines:" >&2
		sed 's/^/#   /' "$T/syslog.got" >&2
		return 1
	}
}

# no_secret STRING...: none of them, nor any hash or key, reached syslog.
no_secret() {
	for _s in "$@" '$y$' '$argon2' '$6$' 'PRIVATE KEY'; do
		if grep -qF -- "$_s" "$T/syslog"; then
			echo "# syslog got a secret: $_s" >&2
			return 1
		fi
	done
}

# re STRING: STRING as an extended regular expression that matches it.
re() {
	printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

# ssp ARGS...: ss-passwd with the test configuration, logging to the sink.
ssp() {
	with_syslog "$SS_PASSWD" -c security.conf "$@"
}

feed() {
	printf '%s\n' "$@"
}

# device: [passwd] and [smtp] in $T, apollo's system and CMS password SYS1.
device() {
	syslog_start
	passwd_conf
	mkshadow "$SYS1"
	mkuser apollo owner apollo@example.test on "$SYS1"
}

test_system_password_change_is_one_line_per_password() {
	device
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp system
	audited $NOTICE ss-passwd "password changed: account=apollo \
kind=system $(who) from=script"
	# the CMS user apollo had the same password: it followed
	audited $NOTICE ss-passwd "password changed: account=apollo \
kind=cms $(who) from=script"
	syslog_count 2
	no_secret "$SYS1" "$SYS2"
}

test_a_terminal_is_named_as_the_origin() {
	device
	feed "$SYS1" "$SYS2" "$SYS2" >in
	run 0 with_syslog script -qec \
	    "$SS_PASSWD -c $T/security.conf system --password-fd 3 3<$T/in" \
	    /dev/null
	audited $NOTICE ss-passwd "password changed: account=apollo \
kind=system $(who) from=tty:pts/[0-9]+"
	no_secret "$SYS1" "$SYS2"
}

test_reset_by_an_owner_says_who_and_keeps_the_mailed_password_out() {
	device
	smtp_start
	mkuser bob user bob@example.test on "$BOB"
	feed "$SYS1" | run 0 ssp reset bob --as apollo
	pw=$(mail_password_for bob@example.test)
	audited $NOTICE ss-passwd "password reset: account=bob kind=cms \
owner=apollo $(who) from=script"
	syslog_count 1
	no_secret "$SYS1" "$BOB" "$pw" bob@example.test
}

test_forgot_mails_a_password_at_the_users_request() {
	device
	smtp_start
	mkuser bob user bob@example.test on "$BOB"
	run 0 ssp forgot bob
	pw=$(mail_password_for bob@example.test)
	audited $NOTICE ss-passwd "password mailed: account=bob kind=cms \
request=forgot $(who) from=script"
	no_secret "$BOB" "$pw" bob@example.test
}

test_factory_reset_by_the_button() {
	device
	SS_ORIGIN=button run 0 ssp factory-reset --yes
	audited $NOTICE ss-passwd "factory password restored: \
account=apollo kind=system $(who) from=button"
	no_secret "$SYS1" "$FACTORY_PW"
}

test_an_origin_other_than_the_button_is_not_taken() {
	device
	SS_ORIGIN=tty:pts/9 run 0 ssp factory-reset --yes
	audited $NOTICE ss-passwd "factory password restored: \
account=apollo kind=system $(who) from=script"
}

test_users_added_changed_removed_and_locked() {
	device
	feed "$BOB" "$BOB" | run 0 ssp useradd bob --role user
	run 0 ssp usermod bob --role admin \
	    --email bob@example.test
	for _ in 1 2 3; do
		feed wrong-password-1 | run 1 ssp verify bob
	done
	run 0 ssp userdel bob
	audited $NOTICE ss-passwd "user added: account=bob role=user \
mailed=no $(who) from=script"
	audited $NOTICE ss-passwd "user modified: account=bob \
changed=role,email role=admin email=set recovery=off $(who) from=script"
	audited $WARNING ss-passwd "account locked: account=bob kind=cms \
failures=3 minutes=15 $(who) from=script"
	audited $NOTICE ss-passwd "user removed: account=bob $(who) \
from=script"
	syslog_count 4
	no_secret "$BOB" wrong-password-1 bob@example.test
}

test_unlock_is_one_line_and_a_run_that_changes_nothing_none() {
	device
	mkuser bob user '' off "$BOB" 0 $(($(date +%s) + 600)) 0
	run 0 ssp unlock bob
	run 0 ssp unlock bob
	feed "$SYS1" "$SYS1" "$SYS1" | run 0 ssp system
	audited $NOTICE ss-passwd "account unlocked: account=bob kind=cms \
locked=yes $(who) from=script"
	syslog_count 1
}

test_a_dry_run_or_a_refusal_writes_nothing() {
	device
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp -n system
	feed wrong-password-1 "$SYS2" "$SYS2" | run 65 ssp system
	syslog_count 0
}

# serial_of FILE / not_after_of FILE: as the audit line writes them.
serial_of() {
	openssl x509 -in "$1" -noout -serial | sed 's/^serial=//'
}
not_after_of() {
	date -u -d "$(openssl x509 -in "$1" -noout -enddate |
	    sed 's/^notAfter=//')" +%Y-%m-%dT%H:%M:%SZ
}

test_certificates_created_and_installed() {
	syslog_start
	mkconf
	run 0 with_syslog "$SS_CERT" -c security.conf selfsigned
	c=certs/self/server.crt
	audited $NOTICE ss-cert "self-signed certificate created: name=self \
serial=$(serial_of $c) not_after=$(not_after_of $c) $(who) from=script"
	mkca
	mkleaf leaf 90 DNS:dev1.example.test
	run 0 with_syslog "$SS_CERT" -c security.conf install \
	    --cert ca/leaf.pem --key ca/leaf.key --chain ca/int.pem \
	    --ca ca/root.pem
	audited $NOTICE ss-cert "certificate installed: \
name=dev1\.example\.test serial=$(serial_of ca/leaf.pem) \
not_after=$(not_after_of ca/leaf.pem) $(who) from=script"
	syslog_count 2
	no_secret "$(sed -n 2p ca/leaf.key)" \
	    "$(sed -n 2p certs/self/server.key)"
}

test_acme_issue_quiet_renew_revoke_renew() {
	syslog_start
	named_start
	pebble_start
	mkdir -p "$T/webroot"
	webroot_serve "$T/webroot"
	acme_conf http-01
	run 0 with_syslog "$SS_CERT" -c security.conf issue --agree-tos
	c=certs/dev1.example.test/cert.pem
	audited $NOTICE ss-cert "certificate issued: name=dev1\.example\.test \
serial=$(serial_of $c) not_after=$(not_after_of $c) $(who) from=script"
	# the timer's run with nothing due, under the journal: no error, no
	# warning, and nothing for the audit trail
	: >err
	JOURNAL_STREAM=$(stat -c %d:%i err) with_syslog "$SS_CERT" \
	    -c security.conf renew >out 2>>err
	has out 'not due'
	lacks err '^<[0-4]>'
	lacks err '^[^<]'
	syslog_count 1
	serial=$(serial_of $c)
	run 0 with_syslog "$SS_CERT" -c security.conf revoke \
	    dev1.example.test --reason keyCompromise
	audited $NOTICE ss-cert "certificate revoked: name=dev1\.example\.test \
serial=$serial not_after=[0-9TZ:-]+ reason=keyCompromise $(who) from=script"
	run 0 with_syslog "$SS_CERT" -c security.conf renew
	audited $NOTICE ss-cert "certificate renewed: name=dev1\.example\.test \
serial=$(serial_of $c) not_after=$(not_after_of $c) $(who) from=script"
	[ "$(serial_of $c)" != "$serial" ]
	syslog_count 3
	no_secret "$(sed -n 2p certs/dev1.example.test/privkey.pem)"
}

test_nginx_configuration_written_then_rolled_back() {
	syslog_start
	nginx_start
	mkca
	mkleaf leaf 90 DNS:dev1.example.test
	run 0 "$SS_CERT" -c security.conf install --cert ca/leaf.pem \
	    --key ca/leaf.key --chain ca/int.pem --ca ca/root.pem
	run 0 with_syslog "$SS_NGINXCONF" -c security.conf certs
	f=$(re "$T/nginx/certs.conf")
	audited $NOTICE ss-nginxconf "nginx configuration written: file=$f \
$(who) from=script"
	# a pair nginx will not serve (RSA 1024): the test fails, the file
	# comes back
	mkdir -p certs/weak
	openssl req -x509 -newkey rsa:1024 -nodes \
	    -keyout certs/weak/privkey.pem -out certs/weak/fullchain.pem \
	    -days 30 -subj /CN=dev1.example.test 2>/dev/null
	run 65 with_syslog "$SS_NGINXCONF" -c security.conf certs --name weak
	audited $WARNING ss-nginxconf "nginx configuration rolled back: \
file=$f reason=test-failed $(who) from=script"
	syslog_count 2
}

test_a_provider_that_refuses_is_a_warning() {
	syslog_start
	provider_start
	ddns_conf dyndns2
	provider_code badauth
	run 69 with_syslog "$SS_DDNS" -c security.conf update
	audited $WARNING ss-ddns "ddns provider stopped: \
host=dev1\.example\.test protocol=dyndns2 server=$(re "$PROV_URL") \
reason=\"badauth \(the username or password is wrong\)\" $(who) from=script"
	# stopped, the next runs refuse without a new line
	run 69 with_syslog "$SS_DDNS" -c security.conf update
	syslog_count 1
	no_secret "$PROV_PASSWORD"
}

test_ddns_retry_is_audited() {
	syslog_start
	provider_start
	ddns_conf dyndns2
	provider_code badauth
	run 69 with_syslog "$SS_DDNS" -c security.conf update
	run 0 with_syslog "$SS_DDNS" -c security.conf retry
	audited $NOTICE ss-ddns "ddns stop lifted: host=dev1\.example\.test \
reason=\"badauth \(the username or password is wrong\)\" $(who) from=script"
	# nothing left to lift: no line
	run 0 with_syslog "$SS_DDNS" -c security.conf retry
	syslog_count 2
}

test_journal_priorities_and_a_quiet_ddns_run() {
	provider_start
	ddns_conf dyndns2
	run 0 "$SS_DDNS" -c security.conf update
	# the timer's run with the address unchanged, under the journal
	: >err
	JOURNAL_STREAM=$(stat -c %d:%i err) "$SS_DDNS" -c security.conf \
	    update 2>>err
	has err \
	    '^<6>ss-ddns: dev1\.example\.test: unchanged \(203\.0\.113\.7\)$'
	lacks err '^<[0-4]>'
	lacks err '^[^<]'
	# a failure shows at error priority
	provider_code badauth
	: >err
	JOURNAL_STREAM=$(stat -c %d:%i err) "$SS_DDNS" -c security.conf \
	    update --force 2>>err && false
	has err '^<3>ss-ddns: dev1\.example\.test: the provider refused'
	# the same run to a file is as it always was
	run 69 "$SS_DDNS" -c security.conf update
	has err '^ss-ddns: dev1\.example\.test: updates stopped'
	lacks err '<[0-9]>'
}

run_tests
