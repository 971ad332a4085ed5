# The Ansible collection ss.security run on this machine, sourced after
# lib.sh: the collection from the source tree, the tools from $B first in
# PATH, Ansible's own files under $T (never root's ~/.ansible).
#
#   collection_setup      exports the environment for ansible in $T
#   task MODULE ARGS [ANSIBLE-OPTIONS...]
#                         one task of ss.security.MODULE on localhost
#                         (connection local), ARGS as YAML flow mapping
#                         text ("target: certs, self: true"); the task's
#                         result as JSON in $T/result, what ansible
#                         printed in $T/ansible.out; the exit status is
#                         ansible-playbook's
#   result_has EXPR       the result makes the Python expression EXPR
#                         true, r standing for it

collection_setup() {
	mkdir -p "$T/ac/ansible_collections/ss" "$T/ansible-home" \
	    "$T/ansible-tmp"
	ln -sfn "$TOP/ansible" "$T/ac/ansible_collections/ss/security"
	export ANSIBLE_COLLECTIONS_PATH="$T/ac"
	export ANSIBLE_HOME="$T/ansible-home"
	export ANSIBLE_LOCAL_TEMP="$T/ansible-tmp"
	export ANSIBLE_REMOTE_TEMP="$T/ansible-tmp"
	export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
	export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
	export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
	export PATH="$B:$PATH"
}

task() {
	_m=$1 _a=$2
	shift 2
	[ -n "${ANSIBLE_HOME:-}" ] || collection_setup
	cat >"$T/play.yml" <<EOP
- hosts: localhost
  gather_facts: false
  tasks:
    - name: the task under test
      ss.security.$_m: { $_a }
      register: r
    - name: the result
      ansible.builtin.copy:
        content: "{{ r | to_nice_json }}"
        dest: "$T/result"
      check_mode: false
      diff: false
EOP
	rm -f "$T/result"
	set +e
	LC_ALL=C.UTF-8 ansible-playbook -c local -i localhost, "$@" "$T/play.yml" \
	    >"$T/ansible.out" 2>&1
	_rc=$?
	set -e
	# a failed task ends the play: its result is in the output
	if [ ! -e "$T/result" ]; then
		/usr/bin/python3 - "$T/ansible.out" "$T/result" <<'PY'
import json, sys
out = open(sys.argv[1]).read()
i = out.find('FAILED! => ')
r = {}
if i >= 0:
    r = json.JSONDecoder().raw_decode(out[i + len('FAILED! => '):])[0]
json.dump(r, open(sys.argv[2], 'w'))
PY
	fi
	return $_rc
}

result_has() {
	/usr/bin/python3 - "$T/result" "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    sys.exit("not %s: %s" % (sys.argv[2], json.dumps(r, indent=1)))
PY
}
