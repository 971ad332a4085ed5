# The Ansible module ss.security.ss_passwd run by ansible-core on this
# machine (a play on localhost, connection local) against the built
# ss-passwd: what it reports, what it leaves on disk, and where the
# passwords never go.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/passwd_lib.sh"
. "$(dirname "$0")/ansible_lib.sh"

SYS1='Apollo-Pass-01'
SYS2='Apollo-Pass-02'
CMS1='Cms-Only-Pass-9'
BOB='Bob-Secret-321'
CAROL='Carol-Secret-654'
PROXY='Proxy-Secret-777'

MODULE=ss_passwd

# stamp: passwd_lib's, less what each task writes in $T: the play, its
# result, the spy's argv and the variables.
eval "passwd_$(declare -f stamp)"
stamp() {
	passwd_stamp |
	    grep -Ev '^\./(ansible/play\.yml|result|argv|vars\.json) '
}

# no_password_anywhere: none of the passwords of this script, and no
# hash, in the tool's argv (the spy's log), in the output of ansible
# ($T/out, diff and -vvv included), in its result or in the saved outputs
# *.log.
no_password_anywhere() {
	for _f in "$T/argv" "$T/out" "$T/err" "$T/result" "$T"/*.log; do
		[ -f "$_f" ] || continue
		lacks "$_f" '\$(y|argon2id|6|5)\$'
		for _pw in "$FACTORY_PW" "$SYS1" "$SYS2" "$CMS1" "$BOB" \
		    "$CAROL" "$PROXY"; do
			lacks "$_f" "$_pw"
		done
	done
}

# device SYSTEM_PW [CMS_PW]: as in passwd.sh: config, shadow, and the CMS
# owner apollo unless CMS_PW is "-"; then ansible's environment and the
# spy ss-passwd.
device() {
	passwd_conf
	mkshadow "$1"
	if [ "${2:-$1}" != - ]; then
		mkuser apollo owner apollo@example.test on "${2:-$1}"
	fi
	ans_env
	spy ss-passwd
	: >"$T/argv"
}

# shadow_is PASSWORD: apollo's shadow hash is mkpasswd's for PASSWORD.
shadow_is() {
	_h=$(field "$T/shadow" apollo 2)
	_m=$(printf '%s\n' "$1" | mkpasswd -m yescrypt -s -S "${_h%\$*}")
	if [ "$_m" != "$_h" ]; then
		echo "# shadow hash $_h is not mkpasswd's $_m" >&2
		return 1
	fi
}

# verifies NAME PASSWORD: ss-passwd verify (counting, outside Ansible).
verifies() {
	printf '%s\n' "$2" | run 0 "$SS_PASSWD" -c "$T/security.conf" \
	    verify "$1"
}

# every_call_dry: each run of the tool since the spy's log was emptied
# had the global -n.
every_call_dry() {
	[ -s "$T/argv" ]
	if grep -Ev '(^| )-n( |$)' "$T/argv" | grep -q .; then
		echo "# a call without -n in check mode:" >&2
		sed 's/^/#   /' "$T/argv" >&2
		return 1
	fi
}

SYSTEM="kind=system password={{ pw }} current_password={{ cur }}"

# --- kind=system -----------------------------------------------------------

test_system_replaces_the_factory_password_then_changes_nothing() {
	device "$FACTORY_PW"
	ans_vars pw="$SYS1" cur="$FACTORY_PW"
	ans 0 "$SYSTEM"
	result_is 'r["changed"] is True' 'r["action"] == "changed"' \
	    'r["user"] == "apollo"' "r['paths'] == ['$T/shadow', '$T/users']"
	shadow_is "$SYS1"
	# the CMS apollo had the factory password too: it followed
	has result 'CMS user apollo changed too'
	a=$(field users apollo 5)
	verifies apollo "$SYS1"
	h=$(field shadow apollo 2)
	s=$(stamp)
	sleep 0.01
	: >"$T/argv"
	ans 0 "$SYSTEM"
	result_is 'r["changed"] is False' 'r["action"] == "unchanged"' \
	    'r["paths"] == []'
	[ "$(stamp)" = "$s" ]
	[ "$(field shadow apollo 2)" = "$h" ]
	[ "$(field users apollo 5)" = "$a" ]
	# only the dry run asked, and never with the current password
	[ "$(wc -l <"$T/argv")" = 1 ]
	every_call_dry
	no_password_anywhere
}

test_system_leaves_cms_apollo_whose_password_differed() {
	device "$FACTORY_PW" "$CMS1"
	ans_vars pw="$SYS1" cur="$FACTORY_PW"
	u=$(sha256sum <users)
	ans 0 "$SYSTEM"
	result_is 'r["changed"] is True' "r['paths'] == ['$T/shadow']"
	has result 'CMS user apollo unchanged \(its password differs\)'
	shadow_is "$SYS1"
	[ "$(sha256sum <users)" = "$u" ]
	verifies apollo "$CMS1"
}

test_system_check_mode_changes_nothing_and_says_changed() {
	device "$FACTORY_PW"
	ans_vars pw="$SYS1" cur="$FACTORY_PW"
	s=$(stamp)
	ans 0 "$SYSTEM" --check
	result_is 'r["changed"] is True' 'r["dry_run"] is True' \
	    'r["action"] == "changed"' "r['paths'] == ['$T/shadow', '$T/users']"
	[ "$(stamp)" = "$s" ]
	every_call_dry
	shadow_is "$FACTORY_PW"
}

test_system_wrong_current_password_fails_with_the_tools_message() {
	device "$FACTORY_PW"
	ans_vars pw="$SYS1" cur="$SYS2"
	s=$(stamp)
	ans 2 "$SYSTEM"
	result_is 'r["rc"] == 65' 'r["changed"] is False' \
	    'r["msg"] == "current_password is not the system password in place: current password is wrong"'
	[ "$(stamp)" = "$s" ]
	no_password_anywhere
}

test_system_without_current_password_fails_naming_it() {
	device "$FACTORY_PW"
	ans_vars pw="$SYS1"
	s=$(stamp)
	ans 2 "kind=system password={{ pw }}"
	has result 'current_password is needed to change it'
	[ "$(stamp)" = "$s" ]
	# in place already: current_password is not needed
	mkshadow "$SYS1"
	ans 0 "kind=system password={{ pw }}"
	result_is 'r["changed"] is False'
}

test_system_policy_refusal_is_the_tools_message() {
	device "$FACTORY_PW"
	ans_vars pw="Short-1" cur="$FACTORY_PW"
	s=$(stamp)
	ans 2 "$SYSTEM"
	result_is 'r["rc"] == 65' \
	    'r["msg"] == "new password refused: shorter than 10 characters"'
	[ "$(stamp)" = "$s" ]
}

test_system_diff_shows_markers_and_no_password_in_vvv_output() {
	device "$FACTORY_PW"
	ans_vars pw="$SYS1" cur="$FACTORY_PW"
	ans 0 "$SYSTEM" --diff -vvv
	has out '^\+system password of apollo: changed'
	has out '^\+CMS user apollo password: changed'
	has out 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
	cp out vvv.log
	no_password_anywhere
	shadow_is "$SYS1"
}

# --- kind=cms --------------------------------------------------------------

BOB_ARGS="kind=cms name=bob role=admin email=bob@example.test password={{ bob }}"

test_cms_user_add_modify_remove_each_idempotent() {
	device "$SYS1"
	ans_vars bob="$BOB"
	ans 0 "$BOB_ARGS"
	result_is 'r["changed"] is True' 'r["action"] == "added"' \
	    "r['paths'] == ['$T/users']" \
	    'r["record"] == {"name": "bob", "role": "admin", "email": "bob@example.test", "recovery": True}'
	verifies bob "$BOB"
	s=$(stamp)
	sleep 0.01
	ans 0 "$BOB_ARGS"
	result_is 'r["changed"] is False' 'r["action"] == "unchanged"' \
	    'r["paths"] == []'
	[ "$(stamp)" = "$s" ]

	ans 0 "$BOB_ARGS role=user recovery=false"
	result_is 'r["changed"] is True' 'r["action"] == "modified"' \
	    'r["record"] == {"name": "bob", "role": "user", "email": "bob@example.test", "recovery": False}'
	[ "$(field users bob 2)" = user ] && [ "$(field users bob 4)" = off ]
	s=$(stamp)
	sleep 0.01
	ans 0 "$BOB_ARGS role=user recovery=false"
	result_is 'r["changed"] is False'
	[ "$(stamp)" = "$s" ]

	ans 0 "kind=cms name=bob state=absent"
	result_is 'r["changed"] is True' 'r["action"] == "removed"' \
	    'r["record"] is None'
	[ -z "$(field users bob 1)" ]
	[ "$(field users apollo 1)" = apollo ]
	s=$(stamp)
	sleep 0.01
	ans 0 "kind=cms name=bob state=absent"
	result_is 'r["changed"] is False' 'r["action"] == "unchanged"'
	[ "$(stamp)" = "$s" ]
	no_password_anywhere
}

test_cms_new_user_with_recovery_off_and_an_address() {
	device "$SYS1"
	ans_vars bob="$BOB"
	ans 0 "$BOB_ARGS recovery=false"
	result_is 'r["changed"] is True' 'r["action"] == "added"'
	[ "$(field users bob 3)" = bob@example.test ]
	[ "$(field users bob 4)" = off ]
	s=$(stamp)
	ans 0 "$BOB_ARGS recovery=false"
	result_is 'r["changed"] is False'
	[ "$(stamp)" = "$s" ]
}

test_cms_check_mode_changes_nothing_and_says_changed() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	ans_vars bob="$BOB" carol="$CMS1" cur="$CAROL"
	s=$(stamp)
	ans 0 "$BOB_ARGS" --check --diff
	result_is 'r["changed"] is True' 'r["dry_run"] is True' \
	    'r["action"] == "added"'
	has out '^\+role: admin'
	ans 0 "kind=cms name=carol role=admin" --check
	result_is 'r["changed"] is True' 'r["action"] == "modified"'
	ans 0 "kind=cms name=carol password={{ carol }} current_password={{ cur }} update_password=always" --check
	result_is 'r["changed"] is True' 'r["action"] == "changed"'
	ans 0 "kind=cms name=carol state=absent" --check
	result_is 'r["changed"] is True' 'r["action"] == "removed"'
	[ "$(stamp)" = "$s" ]
	every_call_dry
	no_password_anywhere
	verifies carol "$CAROL"
}

test_cms_update_password_on_create_keeps_an_existing_password() {
	device "$SYS1"
	mkuser bob admin bob@example.test on "$BOB"
	ans_vars bob="$CAROL"
	s=$(stamp)
	ans 0 "$BOB_ARGS"
	result_is 'r["changed"] is False'
	[ "$(stamp)" = "$s" ]
	# on_create asks nothing about the password
	lacks "$T/argv" 'verify|user bob'
	verifies bob "$BOB"
}

test_cms_update_password_always_needs_current_and_counts_no_failure() {
	device "$SYS1"
	mkuser bob admin bob@example.test on "$BOB"
	ans_vars bob="$CAROL"
	s=$(stamp)
	ans 2 "$BOB_ARGS role=user update_password=always"
	has result 'password is not the password of CMS user bob \(wrong password for bob\); current_password is needed to change it'
	# nothing changed, the role neither, and no failed attempt counted
	[ "$(stamp)" = "$s" ]
	ans_vars bob="$CAROL" cur="$SYS2"
	ans 2 "$BOB_ARGS update_password=always current_password={{ cur }}"
	result_is 'r["rc"] == 65' \
	    'r["msg"] == "current_password is not the password of CMS user bob: current password is wrong"'
	[ "$(stamp)" = "$s" ]
	ans_vars bob="$CAROL" cur="$BOB"
	ans 0 "$BOB_ARGS update_password=always current_password={{ cur }}" --diff
	result_is 'r["changed"] is True' 'r["action"] == "changed"'
	has out '^-password: current'
	has out '^\+password: changed'
	verifies bob "$CAROL"
	s=$(stamp)
	sleep 0.01
	ans 0 "$BOB_ARGS update_password=always current_password={{ cur }}"
	result_is 'r["changed"] is False'
	[ "$(stamp)" = "$s" ]
	[ "$(field users bob 6)" = 0 ]
	no_password_anywhere
}

test_cms_diff_shows_the_record_and_never_a_hash() {
	device "$SYS1"
	mkuser bob user '' off "$BOB"
	ans_vars bob="$BOB"
	ans 0 "$BOB_ARGS recovery=true" --diff -vvv
	has out '^-role: user'
	has out '^\+role: admin'
	has out '^-email: $'
	has out '^\+email: bob@example.test'
	has out '^-recovery: off'
	has out '^\+recovery: on'
	lacks out '^[-+]password'
	cp out vvv.log
	no_password_anywhere
}

test_cms_last_owner_fails_with_the_tools_message_and_rc() {
	device "$SYS1"
	s=$(stamp)
	ans 2 "kind=cms name=apollo role=admin"
	result_is 'r["rc"] == 65' 'r["msg"] == "apollo is the last owner"' \
	    'r["changed"] is False'
	ans 2 "kind=cms name=apollo state=absent"
	result_is 'r["rc"] == 65' 'r["msg"] == "apollo is the last owner"'
	[ "$(stamp)" = "$s" ]
}

test_bad_option_combinations_name_the_options() {
	device "$SYS1"
	ans_vars pw="$SYS2"
	ans 2 "kind=system name=apollo password={{ pw }}"
	has result 'name is not for kind=system'
	ans 2 "kind=htpasswd name=admin role=admin password={{ pw }}"
	has result 'role: for kind=cms only'
	ans 2 "kind=cms name=bob state=absent password={{ pw }}"
	has result 'password: for state=present only'
	ans 2 "kind=cms name=bob email=bob@example.test"
	has result 'password and role: needed to add CMS user bob'
	ans 2 "kind=cms name=bob role=user password={{ pw }} recovery=true"
	has result 'recovery=true needs email'
	lacks "$T/argv" 'useradd|usermod|system'
}

# --- kind=htpasswd ---------------------------------------------------------

test_htpasswd_sets_the_entry_then_changes_nothing() {
	device "$SYS1"
	ans_vars proxy="$PROXY"
	ans 0 "kind=htpasswd name=admin password={{ proxy }}" --check --diff
	result_is 'r["changed"] is True' 'r["dry_run"] is True'
	[ ! -e htpasswd ]
	ans 0 "kind=htpasswd name=admin password={{ proxy }}" --diff -vvv
	result_is 'r["changed"] is True' 'r["action"] == "changed"' \
	    "r['paths'] == ['$T/htpasswd']"
	has out '^\+password of admin: changed'
	cp out vvv.log
	h=$(sed -n 's/^admin://p' htpasswd)
	[ "$(printf '%s\n' "$PROXY" | mkpasswd -m yescrypt -s -S "${h%\$*}")" = "$h" ]
	s=$(stamp)
	sleep 0.01
	ans 0 "kind=htpasswd name=admin password={{ proxy }}"
	result_is 'r["changed"] is False' 'r["action"] == "unchanged"' \
	    'r["paths"] == []'
	[ "$(stamp)" = "$s" ]
	no_password_anywhere
}

run_tests
