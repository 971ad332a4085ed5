# The Ansible module ss.security.ss_passwd run by ansible-core on this
# machine (ansible localhost -c local) against the built ss-passwd: what
# it reports, what it leaves on disk, and where the passwords never go.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/passwd_lib.sh"

SYS1='Apollo-Pass-01'
SYS2='Apollo-Pass-02'
CMS1='Cms-Only-Pass-9'
BOB='Bob-Secret-321'
CAROL='Carol-Secret-654'
PROXY='Proxy-Secret-777'

# ans_setup: the collection in $T/ans/ac, a spy named ss-passwd first in
# PATH that appends its argv to $T/ans/log/argv and runs the real tool,
# and Ansible's own files under $T/ans (out of reach of stamp).
ans_setup() {
	command -v ansible >/dev/null ||
	    skip "ansible-core is not installed (make deps)"
	mkdir -p "$T/ans/ac/ansible_collections/ss" "$T/ans/spy/bin" \
	    "$T/ans/log/x" "$T/ans/v/x" "$T/ans/tmp/local" "$T/ans/home/x"
	ln -s "$TOP/ansible" "$T/ans/ac/ansible_collections/ss/security"
	cat >"$T/ans/spy/bin/ss-passwd" <<EOS
#!/bin/sh
printf '%s\n' "\$*" >>"$T/ans/log/argv"
exec "$B/ss-passwd" "\$@"
EOS
	chmod 755 "$T/ans/spy/bin/ss-passwd"
	: >"$T/ans/log/argv"
	pw_vars
}

# pw_vars [NAME=VALUE...]: the variables (as from a vault) the module
# arguments name, in a file: the passwords stay off Ansible's command line.
pw_vars() {
	$PY - "$T/ans/v/vars.json" "$@" <<'EOP'
import json, sys
json.dump(dict(a.split("=", 1) for a in sys.argv[2:]), open(sys.argv[1], "w"))
EOP
}

# ans CODE ARGS [OPTION...]: runs the module with the module arguments
# ARGS (key=value, "{{ var }}" from pw_vars) and ansible's OPTIONs
# (--check, --diff, -vvv); output in $T/out, the result in $T/result.log.
ans() {
	_want=$1
	_args=$2
	shift 2
	run "$_want" env LC_ALL=C.UTF-8 PATH="$T/ans/spy/bin:$B:$PATH" \
	    ANSIBLE_COLLECTIONS_PATH="$T/ans/ac" ANSIBLE_HOME="$T/ans/home" \
	    ANSIBLE_LOCAL_TEMP="$T/ans/tmp/local" \
	    ANSIBLE_REMOTE_TEMP="$T/ans/tmp/remote" \
	    ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_NOCOLOR=1 \
	    ANSIBLE_DEPRECATION_WARNINGS=0 \
	    ansible localhost -c local -i localhost, \
	    -e "@$T/ans/v/vars.json" -m ss.security.ss_passwd \
	    -a "config=$T/security.conf $_args" "$@"
	$PY - "$T/out" "$T/result.log" <<'EOP'
import json, re, sys
text = open(sys.argv[1]).read()
m = None
for m in re.finditer(r"^localhost \| [A-Z!]+(?: \| rc=-?\d+)? => ", text, re.M):
    pass
if m is None:
    sys.exit("# no result of localhost in the output")
doc, dummy = json.JSONDecoder().raw_decode(text[m.end():])
json.dump(doc, open(sys.argv[2], "w"))
EOP
}

# res_is KEY=VALUE...: the module's result has these values (Python
# literals, as json_is).
res_is() {
	$PY - "$T/result.log" "$@" <<'EOP'
import json, sys
o = json.load(open(sys.argv[1]))
for kv in sys.argv[2:]:
    k, v = kv.split("=", 1)
    if o.get(k, "(absent)") != eval(v):
        sys.exit("# %s is %r, not %s: %r" % (k, o.get(k, "(absent)"), v, o))
EOP
}

# no_password_anywhere: none of the passwords of this script, and no
# hash, in the tool's argv (the spy's log), in the output of ansible
# ($T/out, diff and -vvv included) or in the saved outputs *.log.
no_password_anywhere() {
	for _f in "$T/ans/log/argv" "$T/out" "$T/err" "$T"/*.log; do
		[ -f "$_f" ] || continue
		lacks "$_f" '\$(y|argon2id|6|5)\$'
		for _pw in "$FACTORY_PW" "$SYS1" "$SYS2" "$CMS1" "$BOB" \
		    "$CAROL" "$PROXY"; do
			lacks "$_f" "$_pw"
		done
	done
}

# device SYSTEM_PW [CMS_PW]: as in passwd.sh: config, shadow, and the CMS
# owner apollo unless CMS_PW is "-"; then ans_setup.
device() {
	passwd_conf
	mkshadow "$1"
	if [ "${2:-$1}" != - ]; then
		mkuser apollo owner apollo@example.test on "${2:-$1}"
	fi
	ans_setup
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
	[ -s "$T/ans/log/argv" ]
	if grep -Ev '(^| )-n( |$)' "$T/ans/log/argv" | grep -q .; then
		echo "# a call without -n in check mode:" >&2
		sed 's/^/#   /' "$T/ans/log/argv" >&2
		return 1
	fi
}

SYSTEM="kind=system password={{ pw }} current_password={{ cur }}"

# --- kind=system -----------------------------------------------------------

test_system_replaces_the_factory_password_then_changes_nothing() {
	device "$FACTORY_PW"
	pw_vars pw="$SYS1" cur="$FACTORY_PW"
	ans 0 "$SYSTEM"
	res_is changed=True action="'changed'" user="'apollo'" \
	    paths="['$T/shadow', '$T/users']"
	shadow_is "$SYS1"
	# the CMS apollo had the factory password too: it followed
	has result.log 'CMS user apollo changed too'
	a=$(field users apollo 5)
	verifies apollo "$SYS1"
	h=$(field shadow apollo 2)
	s=$(stamp)
	sleep 0.01
	: >"$T/ans/log/argv"
	ans 0 "$SYSTEM"
	res_is changed=False action="'unchanged'" paths=[]
	[ "$(stamp)" = "$s" ]
	[ "$(field shadow apollo 2)" = "$h" ]
	[ "$(field users apollo 5)" = "$a" ]
	# only the dry run asked, and never with the current password
	[ "$(wc -l <"$T/ans/log/argv")" = 1 ]
	every_call_dry
	no_password_anywhere
}

test_system_leaves_cms_apollo_whose_password_differed() {
	device "$FACTORY_PW" "$CMS1"
	pw_vars pw="$SYS1" cur="$FACTORY_PW"
	u=$(sha256sum <users)
	ans 0 "$SYSTEM"
	res_is changed=True paths="['$T/shadow']"
	has result.log 'CMS user apollo unchanged \(its password differs\)'
	shadow_is "$SYS1"
	[ "$(sha256sum <users)" = "$u" ]
	verifies apollo "$CMS1"
}

test_system_check_mode_changes_nothing_and_says_changed() {
	device "$FACTORY_PW"
	pw_vars pw="$SYS1" cur="$FACTORY_PW"
	s=$(stamp)
	ans 0 "$SYSTEM" --check
	res_is changed=True dry_run=True action="'changed'" \
	    paths="['$T/shadow', '$T/users']"
	[ "$(stamp)" = "$s" ]
	every_call_dry
	shadow_is "$FACTORY_PW"
}

test_system_wrong_current_password_fails_with_the_tools_message() {
	device "$FACTORY_PW"
	pw_vars pw="$SYS1" cur="$SYS2"
	s=$(stamp)
	ans 2 "$SYSTEM"
	res_is rc=65 changed=False \
	    msg="'current_password is not the system password in place: current password is wrong'"
	[ "$(stamp)" = "$s" ]
	no_password_anywhere
}

test_system_without_current_password_fails_naming_it() {
	device "$FACTORY_PW"
	pw_vars pw="$SYS1"
	s=$(stamp)
	ans 2 "kind=system password={{ pw }}"
	has result.log 'current_password is needed to change it'
	[ "$(stamp)" = "$s" ]
	# in place already: current_password is not needed
	mkshadow "$SYS1"
	ans 0 "kind=system password={{ pw }}"
	res_is changed=False
}

test_system_policy_refusal_is_the_tools_message() {
	device "$FACTORY_PW"
	pw_vars pw="Short-1" cur="$FACTORY_PW"
	s=$(stamp)
	ans 2 "$SYSTEM"
	res_is rc=65 msg="'new password refused: shorter than 10 characters'"
	[ "$(stamp)" = "$s" ]
}

test_system_diff_shows_markers_and_no_password_in_vvv_output() {
	device "$FACTORY_PW"
	pw_vars pw="$SYS1" cur="$FACTORY_PW"
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
	pw_vars bob="$BOB"
	ans 0 "$BOB_ARGS"
	res_is changed=True action="'added'" paths="['$T/users']" \
	    record="{'name': 'bob', 'role': 'admin', 'email': 'bob@example.test', 'recovery': True}"
	verifies bob "$BOB"
	s=$(stamp)
	sleep 0.01
	ans 0 "$BOB_ARGS"
	res_is changed=False action="'unchanged'" paths=[]
	[ "$(stamp)" = "$s" ]

	ans 0 "$BOB_ARGS role=user recovery=false"
	res_is changed=True action="'modified'" \
	    record="{'name': 'bob', 'role': 'user', 'email': 'bob@example.test', 'recovery': False}"
	[ "$(field users bob 2)" = user ] && [ "$(field users bob 4)" = off ]
	s=$(stamp)
	sleep 0.01
	ans 0 "$BOB_ARGS role=user recovery=false"
	res_is changed=False
	[ "$(stamp)" = "$s" ]

	ans 0 "kind=cms name=bob state=absent"
	res_is changed=True action="'removed'" record=None
	[ -z "$(field users bob 1)" ]
	[ "$(field users apollo 1)" = apollo ]
	s=$(stamp)
	sleep 0.01
	ans 0 "kind=cms name=bob state=absent"
	res_is changed=False action="'unchanged'"
	[ "$(stamp)" = "$s" ]
	no_password_anywhere
}

test_cms_new_user_with_recovery_off_and_an_address() {
	device "$SYS1"
	pw_vars bob="$BOB"
	ans 0 "$BOB_ARGS recovery=false"
	res_is changed=True action="'added'"
	[ "$(field users bob 3)" = bob@example.test ]
	[ "$(field users bob 4)" = off ]
	s=$(stamp)
	ans 0 "$BOB_ARGS recovery=false"
	res_is changed=False
	[ "$(stamp)" = "$s" ]
}

test_cms_check_mode_changes_nothing_and_says_changed() {
	device "$SYS1"
	mkuser carol user carol@example.test on "$CAROL"
	pw_vars bob="$BOB" carol="$CMS1" cur="$CAROL"
	s=$(stamp)
	ans 0 "$BOB_ARGS" --check --diff
	res_is changed=True dry_run=True action="'added'"
	has out '^\+role: admin'
	ans 0 "kind=cms name=carol role=admin" --check
	res_is changed=True action="'modified'"
	ans 0 "kind=cms name=carol password={{ carol }} current_password={{ cur }} update_password=always" --check
	res_is changed=True action="'changed'"
	ans 0 "kind=cms name=carol state=absent" --check
	res_is changed=True action="'removed'"
	[ "$(stamp)" = "$s" ]
	every_call_dry
	no_password_anywhere
	verifies carol "$CAROL"
}

test_cms_update_password_on_create_keeps_an_existing_password() {
	device "$SYS1"
	mkuser bob admin bob@example.test on "$BOB"
	pw_vars bob="$CAROL"
	s=$(stamp)
	ans 0 "$BOB_ARGS"
	res_is changed=False
	[ "$(stamp)" = "$s" ]
	# on_create asks nothing about the password
	lacks "$T/ans/log/argv" 'verify|user bob'
	verifies bob "$BOB"
}

test_cms_update_password_always_needs_current_and_counts_no_failure() {
	device "$SYS1"
	mkuser bob admin bob@example.test on "$BOB"
	pw_vars bob="$CAROL"
	s=$(stamp)
	ans 2 "$BOB_ARGS role=user update_password=always"
	has result.log 'password is not the password of CMS user bob \(wrong password for bob\); current_password is needed to change it'
	# nothing changed, the role neither, and no failed attempt counted
	[ "$(stamp)" = "$s" ]
	pw_vars bob="$CAROL" cur="$SYS2"
	ans 2 "$BOB_ARGS update_password=always current_password={{ cur }}"
	res_is rc=65 \
	    msg="'current_password is not the password of CMS user bob: current password is wrong'"
	[ "$(stamp)" = "$s" ]
	pw_vars bob="$CAROL" cur="$BOB"
	ans 0 "$BOB_ARGS update_password=always current_password={{ cur }}" --diff
	res_is changed=True action="'changed'"
	has out '^-password: current'
	has out '^\+password: changed'
	verifies bob "$CAROL"
	s=$(stamp)
	sleep 0.01
	ans 0 "$BOB_ARGS update_password=always current_password={{ cur }}"
	res_is changed=False
	[ "$(stamp)" = "$s" ]
	[ "$(field users bob 6)" = 0 ]
	no_password_anywhere
}

test_cms_diff_shows_the_record_and_never_a_hash() {
	device "$SYS1"
	mkuser bob user '' off "$BOB"
	pw_vars bob="$BOB"
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
	res_is rc=65 msg="'apollo is the last owner'" changed=False
	ans 2 "kind=cms name=apollo state=absent"
	res_is rc=65 msg="'apollo is the last owner'"
	[ "$(stamp)" = "$s" ]
}

test_bad_option_combinations_name_the_options() {
	device "$SYS1"
	pw_vars pw="$SYS2"
	ans 2 "kind=system name=apollo password={{ pw }}"
	has result.log 'name is not for kind=system'
	ans 2 "kind=htpasswd name=admin role=admin password={{ pw }}"
	has result.log 'role: for kind=cms only'
	ans 2 "kind=cms name=bob state=absent password={{ pw }}"
	has result.log 'password: for state=present only'
	ans 2 "kind=cms name=bob email=bob@example.test"
	has result.log 'password and role: needed to add CMS user bob'
	ans 2 "kind=cms name=bob role=user password={{ pw }} recovery=true"
	has result.log 'recovery=true needs email'
	lacks "$T/ans/log/argv" 'useradd|usermod|system'
}

# --- kind=htpasswd ---------------------------------------------------------

test_htpasswd_sets_the_entry_then_changes_nothing() {
	device "$SYS1"
	pw_vars proxy="$PROXY"
	ans 0 "kind=htpasswd name=admin password={{ proxy }}" --check --diff
	res_is changed=True dry_run=True
	[ ! -e htpasswd ]
	ans 0 "kind=htpasswd name=admin password={{ proxy }}" --diff -vvv
	res_is changed=True action="'changed'" paths="['$T/htpasswd']"
	has out '^\+password of admin: changed'
	cp out vvv.log
	h=$(sed -n 's/^admin://p' htpasswd)
	[ "$(printf '%s\n' "$PROXY" | mkpasswd -m yescrypt -s -S "${h%\$*}")" = "$h" ]
	s=$(stamp)
	sleep 0.01
	ans 0 "kind=htpasswd name=admin password={{ proxy }}"
	res_is changed=False action="'unchanged'" paths=[]
	[ "$(stamp)" = "$s" ]
	no_password_anywhere
}

run_tests
