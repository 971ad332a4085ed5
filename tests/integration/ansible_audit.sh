#!/bin/bash
# The Ansible module ss.security.ss_audit_facts run by ansible on this
# machine (connection local) against the built ss-audit: the findings as
# the fact ss_audit with the ids of each severity, the monitoring codes 1
# to 3 as results and not failures, a play that fails the host with a
# CRITICAL finding (the factory password left, made by the built
# ss-passwd as on a device), only and skip passed on, the tool's message
# for an unknown check.  Nothing changes, in check mode or not.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/passwd_lib.sh"
. "$(dirname "$0")/ansible_lib.sh"

MODULE=ss_audit_facts

# gather CODE ARGS [OPTION...]: ans, and nothing in $T but ansible's own
# files and the task's outputs may change.
gather() {
	_before=$(snap)
	ans "$@"
	if [ "$(snap)" != "$_before" ]; then
		echo "# the audit changed files:" >&2
		diff <(echo "$_before") <(snap) | sed 's/^/#   /' >&2
		return 1
	fi
}

# snap: every entry below $T but ansible's and the test's own, with its
# size and mtime, then every file's sha256.
snap() {
	(
	cd "$T" || exit 1
	find . -mindepth 1 \( -path ./ansible -o -name out -o -name err \
	    -o -name result -o -name argv \) -prune \
	    -o -printf '%p %s %T@\n' | sort
	find . \( -path ./ansible -o -name out -o -name err -o -name result \
	    -o -name argv \) -prune -o -type f -exec sha256sum {} + | sort
	)
}

# factory_device: the system account apollo given the factory password by
# ss-passwd factory-reset, as the Connect button does (ss_audit_pw.sh).
factory_device() {
	passwd_conf
	mkshadow 'Apollo-Before-Reset-1'
	run 0 "$SS_PASSWD" -c "$T/security.conf" factory-reset --yes </dev/null
}

# own_device: the same, then the system password changed by ss-passwd.
own_device() {
	factory_device
	printf '%s\n' "$FACTORY_PW" Owners-Own-Pass-4 Owners-Own-Pass-4 |
	    run 0 "$SS_PASSWD" -c "$T/security.conf" system
}

# the play a fleet runs: the audit's facts, then fail a host with a
# CRITICAL finding.
play() {
	cat >"$T/play.yml" <<'EOP'
- name: Audit the devices
  hosts: all
  gather_facts: false
  tasks:
    - name: Gather the audit
      ss.security.ss_audit_facts:
        only: [factory-password, button]
        config: "{{ conf }}"
    - name: Fail a device with a CRITICAL finding
      ansible.builtin.fail:
        msg: "CRITICAL: {{ ss_audit.critical | join(', ') }}"
      when: ss_audit.critical | length > 0
    - name: Past the audit
      ansible.builtin.debug:
        msg: "{{ ss_audit.status }}, passed"
EOP
	run "$1" env LC_ALL=C.UTF-8 ansible-playbook -c local -i localhost, \
	    -e "conf=$T/security.conf" "$T/play.yml"
}

test_facts_are_the_tools_findings() {
	own_device
	ans_env
	gather 0 'only=files,button'
	result_is 'r["changed"] is False'
	result_is 'a["status"] == "OK" and a["rc"] == 0 and a["not_shown"] == 0'
	result_is 'a["critical"] == [] and a["warning"] == [] and a["unknown"] == []'
	result_is '[f["id"] for f in a["findings"]] == ["files", "button"]'
	"$B/ss-audit" -c security.conf check --json --only files,button >tool.json
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
t = json.load(open(sys.argv[2]))
assert r["ansible_facts"]["ss_audit"]["findings"] == t["findings"], (r, t)' \
	    "$T/result" tool.json
}

test_factory_password_left_is_critical() {
	factory_device
	ans_env
	gather 0 'only=factory-password,button'
	result_is 'a["status"] == "CRITICAL" and a["rc"] == 2'
	result_is 'a["critical"] == ["factory-password"] and a["warning"] == []'
	result_is 'a["findings"][0] == {"status": "CRITICAL", "id": "factory-password", "seen": "the system account apollo still has the factory password", "fix": "ss-passwd system"}'
	result_is 'r["changed"] is False'
}

test_play_fails_the_device_with_a_critical_finding() {
	factory_device
	ans_env
	play 2
	has out 'CRITICAL: factory-password'
	lacks out 'passed'
	has out 'failed=1'
	printf '%s\n' "$FACTORY_PW" Owners-Own-Pass-4 Owners-Own-Pass-4 |
	    run 0 "$SS_PASSWD" -c "$T/security.conf" system
	play 0
	has out '"msg": "OK, passed"'
	has out 'changed=0 .*failed=0'
}

test_warning_and_unknown_are_results_with_their_ids() {
	own_device
	rm "$T/factory"
	printf '[button]\nreset_enabled = no\n' >>security.conf
	ans_env
	gather 0 'only=factory-password,button'
	result_is 'a["status"] == "UNKNOWN" and a["rc"] == 3'
	result_is 'a["unknown"] == ["factory-password"] and a["warning"] == ["button"]'
	result_is 'a["critical"] == []'
	result_is 'a["findings"][1]["fix"] == "ss-btnwatch enable"'
}

test_only_and_skip_are_passed_on() {
	own_device
	ans_env
	spy ss-audit
	gather 0 'only=files,button,openhab skip=files'
	has argv "^-c $T/security.conf check --json --only files,button,openhab --skip files\$"
	result_is '[f["id"] for f in a["findings"]] == ["openhab", "button"]'
}

test_unknown_check_id_gives_the_tools_message() {
	own_device
	ans_env
	gather 2 'only=filez'
	result_is "r[\"msg\"] == \"--only: no check 'filez'; did you mean 'files'?\""
	result_is 'r["rc"] == 3 and a is None'
	gather 2 'skip=button,nosuch'
	result_is "r[\"msg\"].startswith(\"--skip: no check 'nosuch'\")"
}

test_check_mode_gathers_the_same_facts() {
	factory_device
	ans_env
	spy ss-audit
	gather 0 'only=factory-password' --check
	result_is 'r["changed"] is False and a["critical"] == ["factory-password"]'
	lacks argv ' -n '
}

run_tests
