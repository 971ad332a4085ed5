# ss-passwd against real judges: the argon2 CLI, mkpasswd (crypt yescrypt),
# pamtester through real PAM, and Debian's aiosmtpd receiving the mails.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/passwd_lib.sh"

SYS1='Apollo-Pass-01'
SYS2='Apollo-Pass-02'
CMS1='Cms-Only-Pass-9'
BOB='Bob-Secret-321'
CAROL='Carol-Secret-654'

ssp() {
	"$SS_PASSWD" -c "$T/security.conf" "$@"
}

# feed LINE...: the answers to the prompts, one a line.
feed() {
	printf '%s\n' "$@"
}

# device SYSTEM_PW [CMS_PW]: config, shadow, and the CMS owner apollo
# (with an email address and recovery on) unless CMS_PW is "-".
device() {
	passwd_conf
	mkshadow "$1"
	if [ "${2:-$1}" != - ]; then
		mkuser apollo owner apollo@example.test on "${2:-$1}"
	fi
}

# shadow_is PASSWORD: apollo's shadow hash, recomputed by mkpasswd from
# its own salt, is the hash of PASSWORD.
shadow_is() {
	_h=$(field "$T/shadow" apollo 2)
	case $_h in
	'$y$'*) ;;
	*) echo "# apollo's shadow hash is no yescrypt hash: $_h" >&2; return 1 ;;
	esac
	_m=$(printf '%s\n' "$1" | mkpasswd -m yescrypt -s -S "${_h%\$*}")
	if [ "$_m" != "$_h" ]; then
		echo "# shadow hash $_h is not mkpasswd's $_m" >&2
		return 1
	fi
}

# verifies NAME PASSWORD / rejects NAME PASSWORD: ss-passwd verify.
verifies() {
	feed "$2" | run 0 ssp verify "$1"
}
rejects() {
	feed "$2" | run 1 ssp verify "$1"
}

# users_well_formed: every line of the users file has its eight fields.
users_well_formed() {
	[ -z "$(tail -c 1 "$T/users")" ] || {
		echo "# users file does not end in a newline" >&2
		return 1
	}
	awk -F: '
	NF != 8 || $1 !~ /^[a-z_][a-z0-9_.-]*$/ || $2 !~ /^(owner|admin|user)$/ ||
	    $4 !~ /^(on|off)$/ || $6 !~ /^[0-9]+$/ || $7 !~ /^[0-9]+$/ ||
	    $8 !~ /^[0-9]+$/ ||
	    ($5 != "!" && $5 !~ /^\$argon2id\$v=19\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+\/]+\$[A-Za-z0-9+\/]+$/) {
		print "# " FILENAME ":" NR ": malformed: " $0; bad = 1
	}
	END { exit bad }' "$T/users" >&2
}

# port_closed PORT: nothing accepts there any more (5 s at most).
port_closed() {
	_i=0
	while (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 50 ] || return 1
		sleep 0.1
	done
}

now() {
	date +%s
}

# pad B64: PHC strings leave out base64's '=' padding; base64 -d wants it.
pad() {
	_x=$1
	while [ $((${#_x} % 4)) -ne 0 ]; do
		_x="$_x="
	done
	printf %s "$_x"
}

# --- independent judges --------------------------------------------------

test_argon2_cli_recomputes_the_hash_ss_passwd_wrote() {
	device "$SYS1"
	feed "$BOB" "$BOB" | run 0 ssp useradd bob --role user
	pw=$BOB
	# The CLI takes the salt as an argument: a salt with a NUL byte in it
	# cannot be passed, so change the password until one without comes.
	for i in 1 2 3 4 5 6; do
		phc=$(field users bob 5)
		[[ $phc =~ ^\$argon2id\$v=19\$m=([0-9]+),t=([0-9]+),p=([0-9]+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$ ]] || {
			echo "# not an argon2id PHC string: $phc" >&2
			return 1
		}
		m=${BASH_REMATCH[1]} t=${BASH_REMATCH[2]} p=${BASH_REMATCH[3]}
		s64=${BASH_REMATCH[4]} h64=${BASH_REMATCH[5]}
		if ! pad "$s64" | base64 -d | od -An -tx1 | grep -q ' 00'; then
			break
		fi
		new="Bob-Secret-$i$i$i"
		feed "$pw" "$new" "$new" | run 0 ssp user bob
		pw=$new
	done
	# the configured parameters, in the string
	[ "$m,$t,$p" = 1024,1,1 ]
	salt=$(pad "$s64" | base64 -d; printf x)
	salt=${salt%x}
	len=$(pad "$h64" | base64 -d | wc -c)
	cli=$(printf %s "$pw" | argon2 "$salt" -id -t "$t" -k "$m" -p "$p" -l "$len" -e)
	if [ "$cli" != "$phc" ]; then
		echo "# argon2 CLI: $cli" >&2
		echo "# ss-passwd:  $phc" >&2
		return 1
	fi
}

test_ss_passwd_verifies_a_hash_the_argon2_cli_wrote() {
	device "$SYS1"
	# other parameters than the config's: they travel in the PHC string
	printf 'bob:user::off:%s:0:0:0\n' "$(argon2_phc "$BOB" 2 2048 2)" >>users
	verifies bob "$BOB"
	[ ! -s out ]
	rejects bob "$BOB-x"
}

test_mkpasswd_recomputes_the_shadow_hash_ss_passwd_wrote() {
	device "$SYS1"
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp system
	shadow_is "$SYS2"
	# last change: today, in days since the epoch
	[ "$(field shadow apollo 3)" = $(($(now) / 86400)) ]
	# the other entries and fields as they were
	diff <(grep -v '^apollo:' shadow) <(grep -v '^apollo:' shadow-)
	[ "$(grep '^apollo:' shadow | cut -d: -f4-)" = \
	    "$(grep '^apollo:' shadow- | cut -d: -f4-)" ]
}

test_pamtester_logs_apollo_in_with_the_password_ss_passwd_set() {
	device "$SYS1"
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp system
	# PAM reads /etc/shadow only: the test shadow is bound over it in a
	# private mount namespace, which needs root.
	if ! why=$(unshare -m true 2>&1); then
		echo "# unshare -m refused, PAM cannot be shown the test shadow: $why" >&2
		return 1
	fi
	cp /etc/passwd passwd
	getent passwd apollo >/dev/null ||
	    echo 'apollo:x:1500:1500:apollo:/nonexistent:/usr/sbin/nologin' >>passwd
	pam() {
		unshare -m sh -c 'mount --bind "$1/shadow" /etc/shadow &&
		    mount --bind "$1/passwd" /etc/passwd &&
		    printf "%s\n" "$2" | pamtester login apollo authenticate' \
		    sh "$T" "$1"
	}
	run 0 pam "$SYS2"
	cat out err >pam.log
	has pam.log 'successfully authenticated'
	run 1 pam "$SYS1"
	cat out err >pam.log
	has pam.log 'Authentication failure'
}

# --- the sync rule --------------------------------------------------------

test_system_change_changes_cms_apollo_too_when_it_had_the_same_password() {
	device "$SYS1"
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp system
	has err 'system password changed'
	has err 'CMS user apollo changed too \(it had the same password\)'
	shadow_is "$SYS2"
	verifies apollo "$SYS2"
	rejects apollo "$SYS1"
}

test_system_change_keeps_cms_apollo_when_its_password_differs() {
	device "$SYS1" "$CMS1"
	u=$(sha256sum <users)
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp system
	has err 'system password changed'
	has err 'CMS user apollo unchanged \(its password differs\)'
	shadow_is "$SYS2"
	[ "$(sha256sum <users)" = "$u" ]
	verifies apollo "$CMS1"
}

test_system_change_without_a_cms_apollo_says_so() {
	device "$SYS1" -
	mkuser bob admin '' off "$BOB"
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp system
	has err 'no CMS user apollo'
	shadow_is "$SYS2"
}

test_user_change_leaves_the_system_password_untouched() {
	device "$SYS1"
	s=$(sha256sum <shadow)
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp user apollo
	[ "$(sha256sum <shadow)" = "$s" ]
	[ ! -e shadow- ]
	verifies apollo "$SYS2"
	shadow_is "$SYS1"
}

test_user_also_system_changes_shadow_after_yes() {
	device "$SYS1"
	feed "$SYS1" "$SYS2" "$SYS2" y | run 0 ssp user apollo --also-system
	shadow_is "$SYS2"
	verifies apollo "$SYS2"
}

test_user_also_system_answered_no_leaves_shadow() {
	device "$SYS1"
	s=$(sha256sum <shadow)
	feed "$SYS1" "$SYS2" "$SYS2" n | run 0 ssp user apollo --also-system
	[ "$(sha256sum <shadow)" = "$s" ]
	verifies apollo "$SYS2"
}

test_user_also_system_for_another_user_is_a_usage_error() {
	device "$SYS1"
	mkuser bob admin '' off "$BOB"
	h=$(state_hash)
	feed "$BOB" "$BOB-new" "$BOB-new" y | run 64 ssp user bob --also-system
	[ "$(state_hash)" = "$h" ]
}

# --- mails: reset and forgot ----------------------------------------------

test_reset_mails_a_new_password_that_then_verifies() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_start
	feed "$SYS1" | run 0 ssp reset carol --as apollo
	[ "$(mail_count)" = 1 ]
	pw=$(mail_password_for carol@example.test)
	has mail.last '^Subject: Your new password for dev1\.example\.test$'
	has mail.last '^From: .*device@example\.test'
	has mail.last '^To: .*carol@example\.test'
	has mail.last '^Hello carol,$'
	[ ${#pw} -ge 16 ]
	[[ ! $pw =~ [0O1lI] ]] || { echo "# look-alike characters in $pw" >&2; false; }
	lacks out "$pw"
	lacks err "$pw"
	verifies carol "$pw"
	rejects carol "$CAROL"
}

test_reset_clears_the_failures_and_the_lock() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL" 2 $(($(now) + 600)) 0
	smtp_start
	feed "$SYS1" | run 0 ssp reset carol --as apollo
	[ "$(field users carol 6)" = 0 ]
	[ "$(field users carol 7)" -le "$(now)" ]
	verifies carol "$(mail_password_for carol@example.test)"
}

test_reset_with_the_smtp_server_down_changes_nothing_and_exits_69() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_start
	stop_pid "$T/smtp.pid"
	port_closed "$SMTP_PORT"
	h=$(state_hash)
	feed "$SYS1" | run 69 ssp reset carol --as apollo
	has err '[Cc]onnect|[Rr]efused|unreachable'
	[ "$(state_hash)" = "$h" ]
	verifies carol "$CAROL"
}

# Mail goes straight to the server: neither [device] proxy nor a proxy of
# the environment (both would fail here: nothing listens on their port).
test_reset_mail_never_goes_through_a_proxy() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_start
	port=$(free_port)
	sed -i "/^\[device\]/a proxy = http://127.0.0.1:$port" security.conf
	feed "$SYS1" | run 0 env all_proxy="http://127.0.0.1:$port" \
	    ALL_PROXY="http://127.0.0.1:$port" \
	    smtp_proxy="http://127.0.0.1:$port" \
	    "$SS_PASSWD" -c "$T/security.conf" reset carol --as apollo
	[ "$(mail_count)" = 1 ]
	verifies carol "$(mail_password_for carol@example.test)"
}

test_reset_by_a_non_owner_is_refused_with_77() {
	device "$SYS1"
	mkuser bob admin bob@example.test on "$BOB"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_start
	h=$(state_hash)
	feed "$BOB" | run 77 ssp reset carol --as bob
	has err "only an owner may reset another user's password"
	[ "$(state_hash)" = "$h" ]
	[ "$(mail_count)" = 0 ]
}

test_reset_with_a_wrong_owner_password_is_refused_and_counted() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_start
	c=$(grep '^carol:' users)
	feed "$SYS1-x" | run 65 ssp reset carol --as apollo
	[ "$(field users apollo 6)" = 1 ]
	[ "$(grep '^carol:' users)" = "$c" ]
	[ "$(mail_count)" = 0 ]
}

test_reset_of_a_user_without_email_is_refused() {
	device "$SYS1"
	mkuser carol user '' off "$CAROL"
	smtp_start
	h=$(state_hash)
	feed "$SYS1" | run 65 ssp reset carol --as apollo
	has err 'carol has no email address'
	[ "$(state_hash)" = "$h" ]
}

test_reset_without_smtp_config_exits_78() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_unset
	h=$(state_hash)
	feed "$SYS1" | run 78 ssp reset carol --as apollo
	has err "\[smtp\] url is not set in $T/security.conf"
	[ "$(state_hash)" = "$h" ]
}

test_forgot_mails_a_new_password_that_then_verifies() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_start
	t0=$(now)
	run 0 ssp forgot carol </dev/null
	[ "$(mail_count)" = 1 ]
	pw=$(mail_password_for carol@example.test)
	has mail.last '^Subject: Your new password for dev1\.example\.test$'
	[ ${#pw} -ge 16 ]
	lacks out "$pw"
	lacks err "$pw"
	last=$(field users carol 8)
	[ "$last" -ge "$t0" ] && [ "$last" -le "$(now)" ]
	verifies carol "$pw"
	rejects carol "$CAROL"
}

test_forgot_refuses_when_recovery_is_off() {
	device "$SYS1"
	mkuser carol user carol@example.test off "$CAROL"
	smtp_start
	h=$(state_hash)
	run 65 ssp forgot carol </dev/null
	has err 'recovery is off for carol'
	[ "$(state_hash)" = "$h" ]
	[ "$(mail_count)" = 0 ]
}

test_forgot_refuses_without_an_email_address() {
	device "$SYS1"
	mkuser carol user '' on "$CAROL"
	smtp_start
	h=$(state_hash)
	run 65 ssp forgot carol </dev/null
	has err 'carol has no email address'
	[ "$(state_hash)" = "$h" ]
	[ "$(mail_count)" = 0 ]
}

test_forgot_refuses_without_smtp_config() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_unset
	h=$(state_hash)
	run 78 ssp forgot carol </dev/null
	has err "\[smtp\] url is not set in $T/security.conf"
	[ "$(state_hash)" = "$h" ]
}

test_forgot_sends_one_mail_per_user_per_15_minutes() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_start
	run 0 ssp forgot carol </dev/null
	h=$(state_hash)
	run 75 ssp forgot carol </dev/null
	has err 'forgot: one mail per user per 15 minutes; try again in 1[45] minutes'
	[ "$(state_hash)" = "$h" ]
	[ "$(mail_count)" = 1 ]
}

test_forgot_after_a_mail_10_minutes_ago_says_how_long_to_wait() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL" 0 0 $(($(now) - 600))
	smtp_start
	h=$(state_hash)
	run 75 ssp forgot carol </dev/null
	has err 'try again in [456] minutes'
	[ "$(state_hash)" = "$h" ]
	[ "$(mail_count)" = 0 ]
}

test_forgot_with_the_smtp_server_down_changes_nothing() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_start
	stop_pid "$T/smtp.pid"
	port_closed "$SMTP_PORT"
	h=$(state_hash)
	run 69 ssp forgot carol </dev/null
	has err '[Cc]onnect|[Rr]efused|unreachable'
	[ "$(state_hash)" = "$h" ]
}

# --- verify ---------------------------------------------------------------

test_verify_exits_0_on_match_and_1_on_mismatch() {
	device "$SYS1"
	verifies apollo "$SYS1"
	[ ! -s out ]
	rejects apollo "$SYS2"
	[ ! -s out ]
}

test_verify_counts_failures_and_locks_after_max_failures() {
	device "$SYS1"
	rejects apollo wrong-password-1
	rejects apollo wrong-password-2
	[ "$(field users apollo 6)" = 2 ]
	[ "$(field users apollo 7)" = 0 ]
	t0=$(now)
	rejects apollo wrong-password-3
	until=$(field users apollo 7)
	[ "$until" -ge $((t0 + 900)) ] && [ "$until" -le $(($(now) + 900)) ]
	[ "$(field users apollo 6)" = 0 ]
	# locked: even the right password is refused, with the reason
	rejects apollo "$SYS1"
	has err 'apollo is locked for 1[45] more minutes'
}

test_verify_of_a_locked_user_changes_nothing() {
	passwd_conf
	mkshadow "$SYS1"
	mkuser apollo owner '' off "$SYS1" 0 $(($(now) + 300)) 0
	h=$(state_hash)
	rejects apollo "$SYS1"
	has err 'apollo is locked for [45] more minutes'
	[ "$(state_hash)" = "$h" ]
}

test_verify_match_resets_the_failures() {
	passwd_conf
	mkshadow "$SYS1"
	mkuser apollo owner '' off "$SYS1" 2 0 0
	verifies apollo "$SYS1"
	[ "$(field users apollo 6)" = 0 ]
}

test_verify_never_locks_when_max_failures_is_0() {
	device "$SYS1"
	conf_set max_failures 0
	for i in 1 2 3 4 5; do
		rejects apollo "wrong-password-$i"
	done
	[ "$(field users apollo 7)" = 0 ]
	verifies apollo "$SYS1"
}

# --- user management ------------------------------------------------------

test_useradd_stores_an_argon2id_hash_with_the_configured_parameters() {
	device "$SYS1"
	feed "$BOB" "$BOB" | run 0 ssp useradd bob --role admin --email bob@example.test
	[[ $(field users bob 5) =~ ^\$argon2id\$v=19\$m=1024,t=1,p=1\$ ]]
	[ "$(field users bob 2)" = admin ]
	[ "$(field users bob 3)" = bob@example.test ]
	[ "$(field users bob 4)" = on ]
	[ "$(mode_of users)" = 600 ]
	verifies bob "$BOB"
	users_well_formed
}

test_useradd_without_email_has_recovery_off() {
	device "$SYS1"
	feed "$BOB" "$BOB" | run 0 ssp useradd bob --role user
	[ "$(field users bob 4)" = off ]
}

test_useradd_creates_the_users_file_0600() {
	device "$SYS1" -
	feed "$BOB" "$BOB" | run 0 ssp useradd bob --role owner
	[ "$(mode_of users)" = 600 ]
	verifies bob "$BOB"
}

# users_file inside state_dir, as the default configuration has it.
users_in_state() {
	conf_set users_file "$T/state/$1"
}

test_users_file_in_state_dir_is_made_by_descriptor_0700_and_0600() {
	device "$SYS1" -
	users_in_state cms/users
	feed "$BOB" "$BOB" | run 0 ssp useradd bob --role owner
	[ "$(mode_of state)" = 700 ]
	[ "$(mode_of state/cms)" = 700 ]
	[ "$(mode_of state/cms/users)" = 600 ]
	feed "$BOB" | run 0 ssp verify bob
	feed "$CAROL" "$CAROL" | run 0 ssp useradd carol --role user
	[ -f state/cms/users- ]
	grep -q '^bob:owner:' state/cms/users-
	! grep -q '^carol:' state/cms/users-
}

test_users_file_planted_as_a_symlink_in_state_dir_is_refused() {
	device "$SYS1" -
	users_in_state users
	mkdir -m 700 state elsewhere
	mkuser apollo owner apollo@example.test on "$SYS1"
	mv users elsewhere/users
	ln -s "$T/elsewhere/users" state/users
	h=$(sha256sum elsewhere/users)
	feed "$BOB" "$BOB" | run 65 ssp useradd bob --role user
	has err "$T/state/users: is a symbolic link"
	[ -L state/users ]
	[ "$(sha256sum elsewhere/users)" = "$h" ]
	[ "$(ls -A elsewhere)" = users ]
}

test_users_directory_planted_as_a_symlink_in_state_dir_is_refused() {
	device "$SYS1" -
	users_in_state cms/users
	mkdir -m 700 state elsewhere
	ln -s "$T/elsewhere" state/cms
	feed "$BOB" "$BOB" | run 73 ssp useradd bob --role owner
	has err "$T/state/cms: is a symbolic link"
	[ -z "$(ls -A elsewhere)" ]
}

test_users_file_in_a_group_writable_state_dir_is_refused() {
	device "$SYS1" -
	users_in_state users
	mkdir -m 770 state
	chmod 770 state
	feed "$BOB" "$BOB" | run 78 ssp useradd bob --role owner
	has err "$T/state"
	has err 'chmod'
	[ -z "$(ls -A state)" ]
}

test_useradd_of_an_existing_name_is_refused() {
	device "$SYS1"
	h=$(state_hash)
	feed "$BOB" "$BOB" | run 65 ssp useradd apollo --role user
	has err 'user apollo exists'
	[ "$(state_hash)" = "$h" ]
}

test_useradd_random_mails_the_password() {
	device "$SYS1"
	smtp_start
	run 0 ssp useradd dave --role user --email dave@example.test --random </dev/null
	pw=$(mail_password_for dave@example.test)
	[ ${#pw} -ge 16 ]
	lacks out "$pw"
	lacks err "$pw"
	verifies dave "$pw"
}

test_concurrent_useradd_random_of_one_name_mails_once() {
	device "$SYS1"
	smtp_start
	pids=
	for i in 1 2 3 4; do
		ssp useradd dave --role user --email dave@example.test --random \
		    </dev/null >/dev/null 2>"$T/err.$i" &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086 # a list of PIDs
	wait $pids || true
	[ "$(grep -l 'user dave exists' "$T"/err.* | wc -l)" = 3 ]
	[ "$(mail_count)" = 1 ]
	[ "$(grep -c '^dave:' "$T/users")" = 1 ]
	verifies dave "$(mail_password_for dave@example.test)"
}

test_useradd_random_with_the_smtp_server_down_adds_nobody() {
	device "$SYS1"
	smtp_start
	stop_pid "$T/smtp.pid"
	port_closed "$SMTP_PORT"
	h=$(state_hash)
	run 69 ssp useradd dave --role user --email dave@example.test --random </dev/null
	[ "$(state_hash)" = "$h" ]
}

test_usermod_changes_role_email_and_recovery() {
	device "$SYS1"
	mkuser bob user '' off "$BOB"
	run 0 ssp usermod bob --role admin --email bob@example.test --recovery on
	[ "$(field users bob 2)" = admin ]
	[ "$(field users bob 3)" = bob@example.test ]
	[ "$(field users bob 4)" = on ]
	run 0 ssp usermod bob --recovery off
	[ "$(field users bob 4)" = off ]
	[ "$(field users bob 3)" = bob@example.test ]
	verifies bob "$BOB"
}

test_usermod_recovery_on_without_email_is_refused() {
	device "$SYS1"
	mkuser bob user '' off "$BOB"
	h=$(state_hash)
	run 65 ssp usermod bob --recovery on
	[ "$(state_hash)" = "$h" ]
}

test_usermod_rejects_a_malformed_email() {
	device "$SYS1"
	mkuser bob user '' off "$BOB"
	h=$(state_hash)
	run 65 ssp usermod bob --email 'bob:x@example.test'
	run 65 ssp usermod bob --email 'bob@x@example.test'
	[ "$(state_hash)" = "$h" ]
}

test_last_owner_cannot_be_demoted() {
	device "$SYS1"
	mkuser bob admin '' off "$BOB"
	h=$(state_hash)
	run 65 ssp usermod apollo --role admin
	has err 'apollo is the last owner'
	[ "$(state_hash)" = "$h" ]
	# with a second owner it can
	run 0 ssp usermod bob --role owner
	run 0 ssp usermod apollo --role admin
	[ "$(field users apollo 2)" = admin ]
}

test_last_owner_cannot_be_deleted() {
	device "$SYS1"
	mkuser bob admin '' off "$BOB"
	h=$(state_hash)
	run 65 ssp userdel apollo
	has err 'apollo is the last owner'
	[ "$(state_hash)" = "$h" ]
}

test_userdel_removes_the_user_and_keeps_the_others() {
	device "$SYS1"
	mkuser bob admin '' off "$BOB"
	mkuser carol user carol@example.test on "$CAROL"
	a=$(grep -v '^bob:' users)
	run 0 ssp userdel bob
	[ "$(cat users)" = "$a" ]
	feed "$BOB" | run 67 ssp verify bob
}

test_list_prints_one_tab_separated_line_per_user() {
	device "$SYS1"
	mkuser bob admin '' off "$BOB"
	mkuser carol user carol@example.test on "$CAROL" 0 $(($(now) + 600)) 0
	printf 'dave:user::off:!:0:0:0\n' >>users
	run 0 ssp list </dev/null
	printf 'apollo\towner\tapollo@example.test\ton\tok\nbob\tadmin\t\toff\tok\ncarol\tuser\tcarol@example.test\ton\tlocked\ndave\tuser\t\toff\tno-password\n' >want
	# an empty email may show as "-"
	sed "s/\t-\t/\t\t/" out | diff want -
}

test_list_json_is_an_array_of_users() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL" 0 $(($(now) + 600)) 0
	printf 'dave:user::off:!:0:0:0\n' >>users
	run 0 ssp list --json </dev/null
	$PY - out <<'EOP'
import json, sys
got = json.load(open(sys.argv[1]))
for u in got:
    if u.get("name") == "carol" and u.get("locked_until"):
        u["locked_until"] = "set"
want = [
    {"name": "apollo", "role": "owner", "email": "apollo@example.test",
     "recovery": True, "locked": False, "has_password": True,
     "failures": 0, "locked_until": None, "last_mail": None},
    {"name": "carol", "role": "user", "email": "carol@example.test",
     "recovery": True, "locked": True, "has_password": True,
     "failures": 0, "locked_until": "set", "last_mail": None},
    {"name": "dave", "role": "user", "email": "",
     "recovery": False, "locked": False, "has_password": False,
     "failures": 0, "locked_until": None, "last_mail": None},
]
for u in got:
    if isinstance(u, dict) and u.get("email") is None:
        u["email"] = ""
if got != want:
    sys.exit("# got %r" % got)
EOP
}

# --- htpasswd -------------------------------------------------------------

test_htpasswd_entry_verifies_with_crypt_and_keeps_other_lines() {
	device "$SYS1"
	alice=$(mkpasswd -m yescrypt Alice-pass-1)
	printf 'alice:%s\ncarol:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=\n' "$alice" >htpasswd
	chmod 640 htpasswd
	feed "$BOB" "$BOB" | run 0 ssp htpasswd bob
	[ "$(sed -n 1p htpasswd)" = "alice:$alice" ]
	[ "$(sed -n 2p htpasswd)" = 'carol:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=' ]
	[ "$(wc -l <htpasswd)" = 3 ]
	h=$(sed -n 's/^bob://p' htpasswd)
	[ "$(printf '%s\n' "$BOB" | mkpasswd -m yescrypt -s -S "${h%\$*}")" = "$h" ]
	[ "$(mode_of htpasswd)" = 640 ]
}

test_htpasswd_replaces_an_existing_entry() {
	device "$SYS1"
	printf 'alice:%s\nbob:%s\n' "$(mkpasswd -m yescrypt Alice-pass-1)" \
	    "$(mkpasswd -m yescrypt Old-bob-pass-1)" >htpasswd
	a=$(sed -n 1p htpasswd)
	feed "$BOB" "$BOB" | run 0 ssp htpasswd bob
	[ "$(grep -c '^bob:' htpasswd)" = 1 ]
	[ "$(sed -n 1p htpasswd)" = "$a" ]
	h=$(sed -n 's/^bob://p' htpasswd)
	[ "$(printf '%s\n' "$BOB" | mkpasswd -m yescrypt -s -S "${h%\$*}")" = "$h" ]
}

test_htpasswd_creates_the_file_0640() {
	device "$SYS1"
	feed "$BOB" "$BOB" | run 0 ssp htpasswd bob
	[ "$(mode_of htpasswd)" = 640 ]
	grep -q '^bob:\$y\$' htpasswd
}

# --- factory password -----------------------------------------------------

test_factory_reset_yes_restores_the_factory_password() {
	device "$SYS1"
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp system
	u=$(sha256sum <users)
	r=$(grep -v '^apollo:' shadow)
	run 0 ssp factory-reset --yes </dev/null
	shadow_is "$FACTORY_PW"
	[ "$(grep -v '^apollo:' shadow)" = "$r" ]
	[ "$(sha256sum <users)" = "$u" ]
}

test_factory_reset_without_yes_off_a_terminal_refuses() {
	device "$SYS1"
	h=$(state_hash)
	run 64 ssp factory-reset </dev/null
	has err -- '--yes is needed when not on a terminal'
	[ "$(state_hash)" = "$h" ]
}

test_factory_reset_without_the_factory_file_exits_66() {
	device "$SYS1"
	rm factory
	h=$(state_hash)
	run 66 ssp factory-reset --yes </dev/null
	has err "$T/factory"
	[ "$(state_hash)" = "$h" ]
}

test_factory_reset_with_a_factory_file_of_another_user_exits_78() {
	device "$SYS1"
	chmod 600 factory
	chown 65534:65534 factory
	h=$(state_hash)
	run 78 ssp factory-reset --yes </dev/null
	has err "\[passwd\] factory_file $T/factory: owned by uid 65534, not by the user reading it \(uid 0\); chown 0 it"
	[ "$(state_hash)" = "$h" ]
}

# --- policy ---------------------------------------------------------------

test_policy_refuses_a_short_password() {
	device "$SYS1"
	h=$(state_hash)
	feed "$SYS1" Short-12 Short-12 | run 65 ssp system
	has err 'new password refused: .*(10|short|length)'
	[ "$(state_hash)" = "$h" ]
}


test_policy_refuses_the_user_name() {
	device "$SYS1"
	mkuser maintenance admin '' off "$BOB"
	h=$(state_hash)
	feed "$BOB" maintenance maintenance | run 65 ssp user maintenance
	has err 'new password refused: .*name'
	[ "$(state_hash)" = "$h" ]
}

test_policy_refuses_the_factory_password() {
	device "$SYS1"
	h=$(state_hash)
	feed "$SYS1" "$FACTORY_PW" "$FACTORY_PW" | run 65 ssp system
	has err 'new password refused: .*factory'
	[ "$(state_hash)" = "$h" ]
}

test_policy_refuses_a_confirmation_that_does_not_match() {
	device "$SYS1"
	h=$(state_hash)
	feed "$SYS1" "$SYS2" "$SYS2-typo" | run 65 ssp system
	has err 'new password refused: passwords do not match'
	[ "$(state_hash)" = "$h" ]
}

# --- files: lock, atomic replacement, backups -----------------------------

test_changes_keep_mode_and_owner_and_a_dash_backup() {
	device "$SYS1"
	chmod 640 users
	old_s=$(cat shadow)
	old_u=$(cat users)
	o=$(stat -c %U:%G shadow)
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp system
	[ "$(mode_of shadow)" = 640 ] && [ "$(stat -c %U:%G shadow)" = "$o" ]
	[ "$(mode_of users)" = 640 ]
	[ "$(cat shadow-)" = "$old_s" ]
	[ "$(cat users-)" = "$old_u" ]
}

test_20_concurrent_user_changes_all_land() {
	device "$SYS1"
	for i in $(seq -w 1 20); do
		mkuser "u$i" user '' off "Old-pass-$i-x"
	done
	for i in $(seq -w 1 20); do
		(
		feed "Old-pass-$i-x" "New-pass-$i-y" "New-pass-$i-y" |
		    "$SS_PASSWD" -c "$T/security.conf" user "u$i" >"c$i.log" 2>&1
		echo $? >"c$i.rc"
		) &
	done
	wait
	for i in $(seq -w 1 20); do
		if [ "$(cat "c$i.rc")" != 0 ]; then
			echo "# u$i: exit $(cat "c$i.rc")" >&2
			sed 's/^/#   /' "c$i.log" >&2
			return 1
		fi
	done
	[ "$(wc -l <users)" = 21 ]
	users_well_formed
	for i in $(seq -w 1 20); do
		verifies "u$i" "New-pass-$i-y"
	done
	verifies apollo "$SYS1"
}

test_sigkill_during_a_change_leaves_the_old_or_the_new_file() {
	device "$SYS1"
	mkuser bob admin bob@example.test on "$BOB"
	mkuser carol user carol@example.test on "$CAROL"
	conf_set argon2_m_kib 32768
	cur=Kill-pass-AAAA new=Kill-pass-BBBB
	mkuser dave user '' off "$cur"
	# Two undisturbed runs (the first puts a 32 MiB hash in place to
	# verify) set the pace; the kills fall in the second half of a run
	# and a little after it, where the write is.
	for i in 1 2; do
		feed "$cur" "$new" "$new" >in
		t0=$(date +%s%N)
		run 0 ssp user dave <in
		ms=$((($(date +%s%N) - t0) / 1000000))
		x=$cur cur=$new new=$x
	done
	old_n=0 new_n=0
	for i in $(seq 1 30); do
		cp users users.before
		feed "$cur" "$new" "$new" >in
		d=$((ms / 2 + RANDOM % (ms * 7 / 10 + 1)))
		"$SS_PASSWD" -c "$T/security.conf" user dave <in >/dev/null 2>&1 &
		pid=$!
		sleep "$((d / 1000)).$(printf %03d $((d % 1000)))"
		kill -KILL $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		users_well_formed
		[ "$(mode_of users)" = 600 ]
		if cmp -s users users.before; then
			old_n=$((old_n + 1))
			continue
		fi
		# the new file: dave's hash alone changed, to one at 32 MiB
		diff <(grep -v '^dave:' users) <(grep -v '^dave:' users.before) >&2
		[ "$(grep '^dave:' users | cut -d: -f1-4,6-)" = \
		    "$(grep '^dave:' users.before | cut -d: -f1-4,6-)" ]
		[[ $(field users dave 5) =~ ^\$argon2id\$v=19\$m=32768,t=1,p=1\$ ]]
		verifies dave "$new"
		new_n=$((new_n + 1))
		x=$cur cur=$new new=$x
	done
	echo "# $old_n kills left the old file, $new_n the new one (runs of $ms ms)"
	# nothing left behind stops the next change
	feed "$cur" "$new" "$new" | run 0 ssp user dave
	verifies dave "$new"
	verifies bob "$BOB"
	users_well_formed
	echo "# left behind by the kills:" "$(find . -maxdepth 1 -name '.users*' -printf '%f ')"
}

# --- bad input ------------------------------------------------------------

test_malformed_shadow_line_is_named_and_nothing_is_written() {
	device "$SYS1"
	sed -i '2i broken:line:19700' shadow
	h=$(state_hash)
	feed "$SYS1" "$SYS2" "$SYS2" | run 65 ssp system
	has err "$T/shadow:2: "
	[ "$(state_hash)" = "$h" ]
}

test_malformed_users_line_is_named_and_nothing_is_written() {
	device "$SYS1"
	echo 'bob:user:bob@example.test' >>users
	mkuser carol user carol@example.test on "$CAROL"
	h=$(state_hash)
	feed "$SYS1" "$SYS2" "$SYS2" | run 65 ssp user apollo
	has err "$T/users:2: "
	[ "$(state_hash)" = "$h" ]
}

test_users_line_with_an_unknown_role_is_named() {
	device "$SYS1"
	mkuser bob king '' off "$BOB"
	h=$(state_hash)
	feed "$BOB" | run 65 ssp verify bob
	has err "$T/users:2: "
	[ "$(state_hash)" = "$h" ]
}

test_unknown_user_exits_67() {
	device "$SYS1"
	h=$(state_hash)
	feed "$BOB" "$BOB-new" "$BOB-new" | run 67 ssp user nobody
	has err 'no user nobody'
	feed "$BOB" | run 67 ssp verify nobody
	has err 'no user nobody'
	[ "$(state_hash)" = "$h" ]
}

# --- no answer tells who has an account by how long it takes -------------

# big_hashes: argon2_m_kib = 64 MiB, so that the peak memory of a run (by
# time(1), in rss.log) shows whether it hashed, whatever the machine's load.
big_hashes() {
	sed -i 's/^argon2_m_kib = .*/argon2_m_kib = 65536/' security.conf
}

# hashed STATUS CMD...: CMD exits STATUS after an argon2id hash of 64 MiB.
hashed() {
	_want=$1
	shift
	run "$_want" /usr/bin/time -f %M -o rss.log "$SS_PASSWD" \
	    -c "$T/security.conf" "$@"
	_kib=$(tail -n 1 rss.log)
	[ "$_kib" -ge 60000 ] || {
		echo "# '$*' peaked at $_kib KiB: no hash" >&2
		return 1
	}
}

test_verify_of_an_unknown_user_costs_a_hash_and_exits_67() {
	device "$SYS1"
	big_hashes
	h=$(state_hash)
	feed "$BOB" | hashed 67 verify nobody
	has err 'no user nobody'
	[ "$(state_hash)" = "$h" ]
}

test_verify_of_a_locked_or_passwordless_user_costs_a_hash() {
	device "$SYS1"
	mkuser carol user '' off "$CAROL" 0 $(($(now) + 600)) 0
	printf 'dave:user::off:!:0:0:0\n' >>users
	big_hashes
	feed "$CAROL" | hashed 1 verify carol
	has err 'carol is locked'
	feed "$CAROL" | hashed 1 verify dave
	has err 'dave has no password'
}

test_forgot_of_an_unknown_or_refused_user_costs_a_hash() {
	device "$SYS1"
	mkuser carol user carol@example.test off "$CAROL"
	big_hashes
	h=$(state_hash)
	hashed 67 forgot nobody </dev/null
	has err 'no user nobody'
	hashed 65 forgot carol </dev/null
	has err 'recovery is off for carol'
	[ "$(state_hash)" = "$h" ]
}

test_wrong_current_system_password_exits_65_and_changes_nothing() {
	device "$SYS1"
	h=$(state_hash)
	feed "$SYS1-x" "$SYS2" "$SYS2" | run 65 ssp system
	has err 'current password is wrong'
	[ "$(state_hash)" = "$h" ]
}

test_wrong_current_user_password_exits_65_and_keeps_the_hash() {
	device "$SYS1"
	a=$(field users apollo 5)
	s=$(sha256sum <shadow)
	feed "$SYS1-x" "$SYS2" "$SYS2" | run 65 ssp user apollo
	has err 'current password is wrong'
	[ "$(field users apollo 5)" = "$a" ]
	[ "$(sha256sum <shadow)" = "$s" ]
}

test_dry_run_changes_nothing() {
	device "$SYS1"
	h=$(state_hash)
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp -n system
	[ "$(state_hash)" = "$h" ]
}

# --- --json: what changed, and a second run that changes nothing ----------

# no_secret_in_out PASSWORD...: the --json document holds no password and
# no hash.
no_secret_in_out() {
	lacks out '\$(y|argon2id|6|5)\$'
	for _pw in "$@"; do
		lacks out "$_pw"
	done
}

test_system_json_changed_then_unchanged_for_the_same_password() {
	device "$SYS1"
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp system --json
	json_is changed=True action="'changed'" user="'apollo'" \
	    paths="['$T/shadow', '$T/users']"
	no_secret_in_out "$SYS1" "$SYS2"
	s=$(stamp)
	sleep 0.01
	feed "$SYS2" "$SYS2" "$SYS2" | run 0 ssp system --json
	json_is changed=False action="'unchanged'" paths=[]
	has err 'already the one given'
	[ "$(stamp)" = "$s" ]
	shadow_is "$SYS2"
}

test_system_set_to_the_current_password_says_so_in_text() {
	device "$SYS1"
	s=$(stamp)
	feed "$SYS1" "$SYS1" "$SYS1" | run 0 ssp system
	has err 'the system password is already the one given: nothing changed'
	[ ! -s out ]
	[ "$(stamp)" = "$s" ]
}

test_user_json_changed_then_unchanged_for_the_same_password() {
	device "$SYS1"
	mkuser bob admin '' off "$BOB"
	feed "$BOB" "$CAROL" "$CAROL" | run 0 ssp user bob --json
	json_is changed=True action="'changed'" user="'bob'" \
	    paths="['$T/users']"
	no_secret_in_out "$BOB" "$CAROL"
	s=$(stamp)
	sleep 0.01
	feed "$CAROL" "$CAROL" "$CAROL" | run 0 ssp user bob --json
	json_is changed=False action="'unchanged'" paths=[]
	has err 'CMS user bob already has the password given: unchanged'
	[ "$(stamp)" = "$s" ]
	verifies bob "$CAROL"
}

test_user_also_system_changes_only_the_system_password_that_differs() {
	device "$SYS1" "$SYS2"
	u=$(sha256sum <users)
	feed "$SYS2" "$SYS2" "$SYS2" y | run 0 ssp user apollo --also-system --json
	json_is changed=True paths="['$T/shadow']"
	[ "$(sha256sum <users)" = "$u" ]
	shadow_is "$SYS2"
	s=$(stamp)
	feed "$SYS2" "$SYS2" "$SYS2" y | run 0 ssp user apollo --also-system --json
	json_is changed=False paths=[]
	[ "$(stamp)" = "$s" ]
}

test_useradd_json_added_then_unchanged_for_the_same_user() {
	device "$SYS1"
	feed "$BOB" "$BOB" | run 0 ssp useradd bob --role admin \
	    --email bob@example.test --json
	json_is changed=True action="'added'" user="'bob'" \
	    paths="['$T/users']"
	no_secret_in_out "$BOB"
	s=$(stamp)
	sleep 0.01
	feed "$BOB" "$BOB" | run 0 ssp useradd bob --role admin \
	    --email bob@example.test --json
	json_is changed=False action="'unchanged'" paths=[]
	has err 'user bob exists as given: unchanged'
	[ "$(stamp)" = "$s" ]
}

test_useradd_of_an_existing_user_with_another_password_is_refused() {
	device "$SYS1"
	mkuser bob admin bob@example.test on "$BOB"
	s=$(stamp)
	feed "$CAROL" "$CAROL" | run 65 ssp useradd bob --role admin \
	    --email bob@example.test --json
	has err 'user bob exists with another password; change it with ss-passwd user or reset'
	[ ! -s out ]
	[ "$(stamp)" = "$s" ]
	run 65 ssp useradd bob --role user --email bob@example.test </dev/null
	has err 'user bob exists; change it with ss-passwd usermod'
	[ "$(stamp)" = "$s" ]
}

test_usermod_json_changed_then_unchanged_for_the_same_values() {
	device "$SYS1"
	mkuser bob user '' off "$BOB"
	run 0 ssp usermod bob --role admin --email bob@example.test --json
	json_is changed=True action="'modified'" user="'bob'" \
	    paths="['$T/users']"
	s=$(stamp)
	sleep 0.01
	run 0 ssp usermod bob --role admin --email bob@example.test --json
	json_is changed=False action="'unchanged'" paths=[]
	has err 'user bob unchanged'
	[ "$(stamp)" = "$s" ]
}

test_userdel_json_removed_then_a_missing_user_exits_67() {
	device "$SYS1"
	mkuser bob user '' off "$BOB"
	run 0 ssp userdel bob --json
	json_is changed=True action="'removed'" user="'bob'" \
	    paths="['$T/users']"
	s=$(stamp)
	run 67 ssp userdel bob --json
	has err 'no user bob'
	[ ! -s out ]
	[ "$(stamp)" = "$s" ]
}

test_htpasswd_json_changed_then_unchanged_for_the_same_password() {
	device "$SYS1"
	feed "$BOB" "$BOB" | run 0 ssp htpasswd bob --json
	json_is changed=True action="'changed'" user="'bob'" \
	    paths="['$T/htpasswd']"
	no_secret_in_out "$BOB"
	feed "$CAROL" "$CAROL" | run 0 ssp htpasswd carol
	s=$(stamp)
	sleep 0.01
	feed "$BOB" "$BOB" | run 0 ssp htpasswd bob --json
	json_is changed=False action="'unchanged'" paths=[]
	has err "bob already has the password given in $T/htpasswd: unchanged"
	[ "$(stamp)" = "$s" ]
	# another password is a change again
	feed "$BOB-x" "$BOB-x" | run 0 ssp htpasswd bob --json
	json_is changed=True
	h=$(sed -n 's/^bob://p' htpasswd)
	[ "$(printf '%s\n' "$BOB-x" | mkpasswd -m yescrypt -s -S "${h%\$*}")" = "$h" ]
}

test_factory_reset_json_restored_then_unchanged() {
	device "$SYS1"
	run 0 ssp factory-reset --yes --json </dev/null
	json_is changed=True action="'restored'" user="'apollo'" \
	    paths="['$T/shadow']"
	no_secret_in_out "$FACTORY_PW"
	s=$(stamp)
	sleep 0.01
	run 0 ssp factory-reset --yes --json </dev/null
	json_is changed=False action="'unchanged'" paths=[]
	[ "$(stamp)" = "$s" ]
}

test_reset_json_always_changes_and_mails_each_time() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_start
	for i in 1 2; do
		feed "$SYS1" | run 0 ssp reset carol --as apollo --json
		json_is changed=True action="'reset'" user="'carol'" \
		    email="'carol@example.test'" paths="['$T/users']"
		[ "$(mail_count)" = $i ]
		no_secret_in_out "$(mail_password_for carol@example.test)"
	done
}

test_forgot_json_says_a_password_was_mailed() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	smtp_start
	run 0 ssp forgot carol --json </dev/null
	json_is changed=True action="'mailed'" user="'carol'" \
	    email="'carol@example.test'" paths="['$T/users']"
	no_secret_in_out "$(mail_password_for carol@example.test)"
}

test_dry_runs_write_nothing_send_no_mail_and_say_what_would_change() {
	device "$SYS1"
	mkuser bob user bob@example.test on "$BOB" 0 $(($(now) + 600)) 0
	smtp_start
	s=$(stamp)
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp -n system --json
	json_is dry_run=True changed=True paths="['$T/shadow', '$T/users']"
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp -n user apollo --json
	json_is dry_run=True changed=True paths="['$T/users']"
	feed "$CAROL" "$CAROL" | run 0 ssp -n useradd carol --role user --json
	json_is dry_run=True changed=True paths="['$T/users']"
	run 0 ssp -n useradd dave --role user --email dave@example.test \
	    --random --json </dev/null
	json_is dry_run=True changed=True email="'dave@example.test'"
	run 0 ssp -n usermod bob --role admin --json
	json_is dry_run=True changed=True paths="['$T/users']"
	run 0 ssp -n usermod bob --role user --json
	json_is dry_run=True changed=False paths=[]
	run 0 ssp -n userdel bob --json
	json_is dry_run=True changed=True paths="['$T/users']"
	run 0 ssp -n unlock bob --json
	json_is dry_run=True changed=True action="'unlocked'"
	feed "$SYS1" | run 0 ssp -n reset bob --as apollo --json
	json_is dry_run=True changed=True action="'reset'"
	run 0 ssp -n forgot bob --json </dev/null
	json_is dry_run=True changed=True action="'mailed'"
	run 0 ssp -n factory-reset --yes --json </dev/null
	json_is dry_run=True changed=True paths="['$T/shadow']"
	feed "$BOB" "$BOB" | run 0 ssp -n htpasswd bob --json
	json_is dry_run=True changed=True paths="['$T/htpasswd']"
	[ "$(stamp)" = "$s" ]
	[ ! -e htpasswd ]
	[ "$(mail_count)" = 0 ]
}

# --- unlock ---------------------------------------------------------------

test_unlock_lifts_a_lockout_made_by_failed_verifies() {
	device "$SYS1"
	mkuser bob user '' off "$BOB"
	rejects bob wrong-password-1
	rejects bob wrong-password-2
	rejects bob wrong-password-3
	rejects bob "$BOB"
	has err 'bob is locked for 1[45] more minutes'
	run 0 ssp unlock bob --json
	json_is changed=True action="'unlocked'" user="'bob'" \
	    paths="['$T/users']"
	[ "$(field users bob 6):$(field users bob 7)" = 0:0 ]
	verifies bob "$BOB"
	users_well_formed
}

test_unlock_says_in_text_that_the_user_was_unlocked() {
	device "$SYS1"
	mkuser bob user '' off "$BOB" 0 $(($(now) + 600)) 0
	run 0 ssp unlock bob </dev/null
	has err '^ss-passwd: bob unlocked$'
	[ ! -s out ]
	# the other lines as they were, the old file kept as users-
	[ "$(grep -v '^bob:' users)" = "$(grep -v '^bob:' users-)" ]
}

test_unlock_of_a_user_that_is_not_locked_changes_nothing() {
	device "$SYS1"
	mkuser bob user '' off "$BOB"
	s=$(stamp)
	sleep 0.01
	run 0 ssp unlock bob --json
	json_is changed=False action="'unchanged'" paths=[]
	has err '^ss-passwd: bob is not locked$'
	[ "$(stamp)" = "$s" ]
	# a lock that has run out is no lock
	mkuser carol user '' off "$CAROL" 0 $(($(now) - 60)) 0
	s=$(stamp)
	run 0 ssp unlock carol </dev/null
	has err '^ss-passwd: carol is not locked$'
	[ "$(stamp)" = "$s" ]
}

test_unlock_forgets_failed_attempts_below_the_limit() {
	device "$SYS1"
	mkuser bob user '' off "$BOB" 2 0 0
	run 0 ssp unlock bob --json
	json_is changed=True action="'cleared'"
	has err 'bob is not locked; its 2 failed attempts forgotten'
	[ "$(field users bob 6)" = 0 ]
}

test_unlock_of_an_unknown_user_exits_67() {
	device "$SYS1"
	s=$(stamp)
	run 67 ssp unlock nobody --json </dev/null
	has err 'no user nobody'
	[ ! -s out ]
	[ "$(stamp)" = "$s" ]
	run 64 ssp unlock </dev/null
	has err 'usage: ss-passwd unlock name \[--json\]'
}

test_list_json_times_are_rfc3339_utc() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL" 1 4102444800 1798761600
	run 0 ssp list --json </dev/null
	$PY - out <<'EOP'
import json, sys
u = [u for u in json.load(open(sys.argv[1])) if u["name"] == "carol"][0]
assert u["locked_until"] == "2100-01-01T00:00:00Z", u
assert u["last_mail"] == "2027-01-01T00:00:00Z", u
assert u["failures"] == 1, u
EOP
}

# --- times past 2038-01-19, where a 32-bit time_t ends --------------------

# minutes_left LOCKED_UNTIL T0 T1: the "locked for N more minutes" of the
# error is LOCKED_UNTIL seen from some moment between T0 and T1.
minutes_left() {
	n=$(sed -n 's/.* is locked for \([0-9]*\) more minutes$/\1/p' err)
	[ -n "$n" ] && [ "$n" -ge $((($1 - $3 + 59) / 60)) ] &&
	    [ "$n" -le $((($1 - $2 + 59) / 60)) ] || {
		echo "# locked for '$n' minutes; until $1, between $2 and $3" >&2
		return 1
	}
}

test_users_times_past_2038_are_honoured_and_kept() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL" 0 4102444800 4102444800
	mkuser dave user '' off "$BOB" 0 253402300799 0
	h=$(state_hash)
	# locked until 2100 and until the end of 9999, by the minute
	t0=$(now)
	rejects carol "$CAROL"
	t1=$(now)
	minutes_left 4102444800 "$t0" "$t1"
	t0=$(now)
	rejects dave "$BOB"
	t1=$(now)
	minutes_left 253402300799 "$t0" "$t1"
	[ "$(state_hash)" = "$h" ]
	# the last mail in 2100: forgot waits for it
	run 75 ssp forgot carol </dev/null
	has err 'forgot: one mail per user per 15 minutes; try again in [0-9]+ minutes'
	[ "$(state_hash)" = "$h" ]
	run 0 ssp list </dev/null
	has out '^carol	user	carol@example.test	on	locked$'
	has out '^dave	user	-?	off	locked$'
	run 0 ssp list --json </dev/null
	$PY -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert [u["locked"] for u in a] == [False, True, True], a' out
	# written back as they were when another line changes
	a=$(grep -v '^apollo:' users)
	feed "$SYS1" "$SYS2" "$SYS2" | run 0 ssp user apollo
	[ "$(grep -v '^apollo:' users)" = "$a" ]
	[ "$(field users carol 7):$(field users carol 8)" = 4102444800:4102444800 ]
	[ "$(field users dave 7)" = 253402300799 ]
}

test_users_times_out_of_range_are_named_and_nothing_is_written() {
	device "$SYS1"
	for t in 253402300800:0 -1:0 0:253402300800 0:-5 \
	    99999999999999999999:0; do
		mkuser carol user carol@example.test on "$CAROL" 0 "${t%:*}" "${t#*:}"
		h=$(state_hash)
		feed "$CAROL" | run 65 ssp verify carol
		if [ "${t%:*}" = 0 ]; then
			has err "$T/users:2: bad last_mail \(not seconds since 1970, up to 9999-12-31\)"
		else
			has err "$T/users:2: bad locked_until \(not seconds since 1970, up to 9999-12-31\)"
		fi
		[ "$(state_hash)" = "$h" ]
		sed -i '/^carol:/d' users
	done
}

run_tests
