# The collection's documentation: ansible-doc shows every module, and the
# options it documents are exactly those the module accepts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ansible_lib.sh"

MODULES=$(cd "$TOP/ansible/plugins/modules" && ls -- *.py | sed 's/\.py$//')

test_ansible_doc_lists_every_module() {
	ans_env
	LC_ALL=C.UTF-8 ansible-doc -l ss.security >"$T/out" 2>"$T/err"
	for m in $MODULES; do
		has out "^ss\\.security\\.$m +[A-Z]"
	done
	[ "$(wc -l <"$T/out")" -eq "$(echo "$MODULES" | wc -l)" ]
}

# ARGUMENT_SPEC, the module's own table, against ansible-doc -j: the same
# names, types, defaults, choices and required flags; a type is written in
# both or in neither (type: str too).
test_every_option_is_documented_as_the_module_takes_it() {
	ans_env
	for m in $MODULES; do
		LC_ALL=C.UTF-8 ansible-doc -j "ss.security.$m" >"$T/doc.json"
		PYTHONPATH="$ANSIBLE_COLLECTIONS_PATH" /usr/bin/python3 - "$m" \
		    "$T/doc.json" <<'PY'
import importlib, json, sys
m, doc = sys.argv[1], json.load(open(sys.argv[2]))
spec = importlib.import_module(
    'ansible_collections.ss.security.plugins.modules.' + m).ARGUMENT_SPEC
opts = doc['ss.security.' + m]['doc']['options']
bad = []
for k in sorted(set(spec) | set(opts)):
    if k not in opts:
        bad.append('%s: not documented' % k)
        continue
    if k not in spec:
        bad.append('%s: documented, not accepted' % k)
        continue
    s, o = spec[k], opts[k]
    for f, dflt in (('type', None), ('default', None), ('choices', None),
                    ('required', False), ('elements', None)):
        if s.get(f, dflt) != o.get(f, dflt):
            bad.append('%s: %s %r in the module, %r in the doc' %
                       (k, f, s.get(f, dflt), o.get(f, dflt)))
    if not o.get('description'):
        bad.append('%s: no description' % k)
for part in ('short_description', 'description'):
    if not doc['ss.security.' + m]['doc'].get(part):
        bad.append('no ' + part)
for part in ('examples', 'return'):
    if not doc['ss.security.' + m].get(part):
        bad.append('no ' + part)
if bad:
    sys.exit('%s: %s' % (m, '; '.join(bad)))
PY
	done
}

run_tests
