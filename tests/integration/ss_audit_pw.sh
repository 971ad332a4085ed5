#!/bin/bash
# ss-audit factory-password: the label's password still opening the
# system account or a CMS owner's is CRITICAL with the command that
# changes it; the accounts are made by the built ss-passwd, as on a device.
# Every test also checks that the audit wrote nothing (names, sizes,
# mtimes and contents of everything in the test's directory) and that no
# password appears in what it printed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/passwd_lib.sh"

AUDIT=$B/ss-audit
OWN='Owners-Own-Pass-4'

ssp() {
	"$SS_PASSWD" -c "$T/security.conf" "$@"
}

# snap: every entry below $T but out and err, then every file's sha256.
snap() {
	(
	cd "$T" || exit 1
	find . -mindepth 1 ! -name out ! -name err -printf '%p %s %T@\n' | sort
	find . -type f ! -name out ! -name err -exec sha256sum {} + | sort
	)
}

# audit CODE [ARGS...]: the factory-password check alone; nothing on
# disk changes and no password is printed.
audit() {
	want=$1
	shift
	_before=$(snap)
	run "$want" "$AUDIT" -c "$T/security.conf" --only factory-password "$@"
	if [ "$(snap)" != "$_before" ]; then
		echo "# the audit changed files:" >&2
		diff <(echo "$_before") <(snap) | sed 's/^/#   /' >&2
		return 1
	fi
	for _pw in "$FACTORY_PW" "$OWN" "$SYSTEM_PW"; do
		if grep -qF -- "$_pw" "$T/out" "$T/err"; then
			echo "# a password was printed" >&2
			return 1
		fi
	done
}

# factory_device: the configuration and a shadow file whose system
# account apollo was given the factory password by ss-passwd
# factory-reset, as the Connect button does; no users file yet.
SYSTEM_PW='Apollo-Before-Reset-1'
factory_device() {
	passwd_conf
	mkshadow "$SYSTEM_PW"
	run 0 ssp factory-reset --yes </dev/null
}

# own_device: the same, then the system password changed by ss-passwd
# system from the factory one.
own_device() {
	factory_device
	printf '%s\n' "$FACTORY_PW" "$OWN" "$OWN" | run 0 ssp system
}

# add NAME ROLE PASSWORD: a CMS user added by ss-passwd useradd.  Its
# policy refuses the factory password, so the factory file is out of the
# way meanwhile, as on a device whose users came before the label's file.
add() {
	mv "$T/factory" "$T/factory.away"
	printf '%s\n' "$3" "$3" | run 0 ssp useradd "$1" --role "$2"
	mv "$T/factory.away" "$T/factory"
}

test_system_account_with_the_factory_password_is_critical() {
	factory_device
	audit 2
	has out '^CRITICAL factory-password: the system account apollo still has the factory password; fix: ss-passwd system$'
}

test_system_account_with_its_own_password_is_ok() {
	own_device
	audit 0
	has out '^OK       factory-password: the system account apollo does not have the factory password$'
	lacks out CRITICAL
}

test_missing_users_file_checks_only_the_system_account() {
	own_device
	audit 0
	has out "^OK       factory-password: no users file $T/users: only the system account was checked\$"
	[ "$(wc -l <out)" -eq 2 ]
}

test_owner_with_the_factory_password_is_critical() {
	own_device
	add alice owner "$FACTORY_PW"
	audit 2
	has out '^CRITICAL factory-password: CMS owner alice still has the factory password; fix: ss-passwd user alice$'
	has out '^OK       factory-password: the system account apollo does not have'
}

test_owner_with_its_own_password_is_ok() {
	own_device
	add alice owner "$OWN"
	audit 0
	has out '^OK       factory-password: CMS owner alice does not have the factory password$'
}

test_owner_hashed_with_other_parameters_is_still_found() {
	own_device
	install -m 600 /dev/null "$T/users"
	printf 'erin:owner::off:%s:0:0:0\n' \
	    "$(argon2_phc "$FACTORY_PW" 2 2048 2)" >"$T/users"
	audit 2
	has out '^CRITICAL factory-password: CMS owner erin still has the factory password; fix: ss-passwd user erin$'
}

test_admin_and_user_with_the_factory_password_are_not_checked() {
	own_device
	add alice owner "$OWN"
	add bob admin "$FACTORY_PW"
	add carol user "$FACTORY_PW"
	audit 0
	lacks out 'bob|carol'
	[ "$(wc -l <out)" -eq 2 ]
}

test_locked_system_account_is_ok_and_says_so() {
	factory_device
	sed -i 's/^apollo:/apollo:!/' "$T/shadow"
	audit 0
	has out '^OK       factory-password: the system account apollo is locked: no password logs in$'
}

test_owner_without_a_password_is_ok_and_says_so() {
	own_device
	install -m 600 /dev/null "$T/users"
	printf 'dave:owner::off:!:0:0:0\n' >"$T/users"
	audit 0
	has out '^OK       factory-password: CMS owner dave has no password: it cannot log in$'
}

test_empty_system_password_field_is_a_warning() {
	own_device
	sed -i 's/^apollo:[^:]*:/apollo::/' "$T/shadow"
	audit 1
	has out '^WARNING  factory-password: the system account apollo has an empty password field in .*: it may log in without one; fix: passwd apollo$'
}

test_missing_factory_file_is_unknown_with_what_to_do() {
	factory_device
	rm "$T/factory"
	audit 3
	has out "^UNKNOWN  factory-password: no factory password file $T/factory: whether the factory password is still in use cannot be told; put the label's password in it \\(mode 0600\\) or set \\[passwd\\] factory_file\$"
	[ "$(wc -l <out)" -eq 1 ]
}

test_factory_file_open_to_others_is_unknown() {
	factory_device
	chmod 644 "$T/factory"
	audit 3
	has out "^UNKNOWN  factory-password: $T/factory: the factory password could not be read"
	has err 'chmod 600 it'
}

test_malformed_users_file_is_unknown_and_names_the_line() {
	own_device
	install -m 600 /dev/null "$T/users"
	printf 'alice:owner\n' >"$T/users"
	audit 3
	has out "^UNKNOWN  factory-password: $T/users could not be read \\(see the error above\\): the CMS owners were not checked\$"
	has err "$T/users:1: not name:role"
}

test_missing_system_account_is_unknown() {
	own_device
	sed -i '/^apollo:/d' "$T/shadow"
	audit 3
	has out "^UNKNOWN  factory-password: no system account apollo in $T/shadow: check \\[passwd\\] system_user\$"
}

test_json_carries_the_same_findings() {
	factory_device
	add alice owner "$FACTORY_PW"
	add bob owner "$OWN"
	audit 2 --json
	python3 - "$T/out" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "CRITICAL", d
got = [(f["status"], f["id"], f.get("fix"), f["seen"]) for f in d["findings"]]
assert got == [
    ("CRITICAL", "factory-password", "ss-passwd system",
     "the system account apollo still has the factory password"),
    ("CRITICAL", "factory-password", "ss-passwd user alice",
     "CMS owner alice still has the factory password"),
    ("OK", "factory-password", None,
     "CMS owner bob does not have the factory password"),
], got
EOP
}

run_tests
