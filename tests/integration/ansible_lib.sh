# The Ansible collection ss.security run on this machine, sourced after
# lib.sh: the collection from the source tree, the tools from $B first in
# PATH, Ansible's own files under $T/ansible (never root's ~/.ansible).
# A script names its module once: MODULE=ss_cert.
#
#   ans_env               exports the environment for ansible in $T;
#                         skips the test when ansible-core is missing
#   ans CODE ARGS [OPTION...]
#                         a play of one task of ss.security.$MODULE on
#                         localhost (connection local) with ARGS
#                         (key=value words) and config=$T/security.conf,
#                         the variables of ans_vars, and ansible-playbook's
#                         OPTIONs (--check, --diff, -vvv); fails unless it
#                         exits CODE (0, or 2 when the task failed);
#                         output in $T/out and $T/err, the task's result,
#                         as registered, as JSON in $T/result
#   ans_vars NAME=VALUE...
#                         the variables the next tasks get, in
#                         $T/vars.json as a vault would hand them over (in
#                         no command line); VALUE @FILE stands for the
#                         content of FILE
#   result_is EXPR...     each Python expression EXPR holds, r standing
#                         for the result and a for the value of the one
#                         fact it sets (None when it sets none)
#   spy TOOL [LINES]      a TOOL first in PATH that appends its arguments
#                         to $T/argv, one call a line, runs the shell
#                         LINES with them in "$@", then runs $B/TOOL
#
# ansible needs a UTF-8 locale: a script that runs it otherwise sets
# LC_ALL=C.UTF-8 for that command only, as ans does.

ans_env() {
	command -v ansible-playbook >/dev/null ||
	    skip "ansible-core is not installed (make deps)"
	mkdir -p "$T/ansible/ac/ansible_collections/ss" "$T/ansible/home" \
	    "$T/ansible/tmp"
	ln -sfn "$TOP/ansible" "$T/ansible/ac/ansible_collections/ss/security"
	export ANSIBLE_COLLECTIONS_PATH="$T/ansible/ac"
	export ANSIBLE_HOME="$T/ansible/home"
	export ANSIBLE_LOCAL_TEMP="$T/ansible/tmp/local"
	export ANSIBLE_REMOTE_TEMP="$T/ansible/tmp/remote"
	export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
	export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
	export ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_LOCALHOST_WARNING=0
	export ANSIBLE_INVENTORY_UNPARSED_WARNING=0
	export PATH="$B:$PATH"
}

ans() {
	_want=$1
	_args=$(printf '%s' "config=$T/security.conf $2" | sed "s/'/''/g")
	shift 2
	cat >"$T/ansible/play.yml" <<EOP
- hosts: localhost
  gather_facts: false
  tasks:
    - name: the task under test
      ss.security.$MODULE: '$_args'
      register: r
      ignore_errors: true
    - name: its result
      ansible.builtin.copy:
        content: "{{ r | to_nice_json }}"
        dest: "$T/result"
      check_mode: false
      diff: false
    - name: its failure
      ansible.builtin.fail:
        msg: the task under test failed
      when: r is failed
EOP
	[ ! -f "$T/vars.json" ] || set -- -e "@$T/vars.json" "$@"
	rm -f "$T/result"
	run "$_want" env LC_ALL=C.UTF-8 ansible-playbook -c local \
	    -i localhost, "$@" "$T/ansible/play.yml"
}

ans_vars() {
	/usr/bin/python3 - "$T/vars.json" "$@" <<'PY'
import json, sys
v = {}
for a in sys.argv[2:]:
    k, s = a.split('=', 1)
    v[k] = open(s[1:]).read() if s.startswith('@') else s
json.dump(v, open(sys.argv[1], 'w'))
PY
}

result_is() {
	/usr/bin/python3 - "$T/result" "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
a = next(iter(r.get('ansible_facts', {}).values()), None)
for e in sys.argv[2:]:
    if not eval(e):
        sys.exit('# not so: %s\n# result: %s' % (e, json.dumps(r)))
PY
}

spy() {
	mkdir -p "$T/spy"
	{
		printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\n' "$T/argv"
		[ -z "${2:-}" ] || printf '%s\n' "$2"
		printf 'exec "%s" "$@"\n' "$B/$1"
	} >"$T/spy/$1"
	chmod 755 "$T/spy/$1"
	export PATH="$T/spy:$PATH"
}
