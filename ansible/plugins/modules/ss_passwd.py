#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 ss-security developers
# ISC License (see LICENSE)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ss_passwd
short_description: Set the system password, the CMS users and the proxy's htpasswd entries of a device
version_added: 1.0.0
description:
  - Runs C(ss-passwd) on the device with C(--json) and reports what it did. Passwords go to the tool on its standard
    input, never on its command line, and appear in no result, diff or log.
  - C(system) sets the password of the system account (C([passwd] system_user) in security.conf, C(apollo) by
    default). The module first asks the tool's dry run whether I(password) already is the password in place, which
    counts no failed attempt; only when it is not is the password changed, with I(current_password). The CMS user of
    the same name follows when it had the same password, as C(ss-passwd system) does.
  - C(cms) adds, modifies or removes the CMS user I(name), its role, email address and recovery, and sets its
    password when it is added or, with I(update_password=always), when C(ss-passwd -n verify) says the password in
    place is another one.
  - C(htpasswd) sets the entry I(name) in C([passwd] htpasswd_file), the users of the reverse proxy that
    C(ss-nginxconf proxy) writes. The tool leaves the file as it is when the entry already has I(password).
  - In check mode only the tool's dry runs run and nothing changes. In diff mode a CMS user's record (name, role,
    email, recovery) is shown before and after; a password shows only as C(password changed), never with a hash.
  - The settings come from security.conf(5), section C([passwd]); see ss-passwd(8).
options:
  kind:
    description:
      - Which password to manage.
      - C(system) is the system account's, C(cms) a user of the web applications, C(htpasswd) an entry for the
        reverse proxy's basic authentication.
    type: str
    required: true
    choices: [system, cms, htpasswd]
  name:
    description:
      - The CMS user (I(kind=cms)) or the htpasswd entry (I(kind=htpasswd)); required for those kinds.
      - 1 to 32 characters, lower-case letters, digits, C(_), C(.) and C(-), the first a letter or C(_).
      - Not for I(kind=system), whose account is C([passwd] system_user).
    type: str
  password:
    description:
      - The password wanted, from a vault variable. It must follow the tool's policy (C([passwd] min_length), not
        the user name, not the factory password).
      - Required for I(kind=system) and I(kind=htpasswd), and for I(kind=cms) when the user is added.
    type: str
  current_password:
    description:
      - The password in place now (on a new device, the factory password on its label), needed to change a system
        or CMS password that is not I(password) yet.
      - Not used when I(password) already is in place, so a playbook may keep it after the first run.
      - Only for I(kind=system) and I(kind=cms).
    type: str
  update_password:
    description:
      - With I(kind=cms), C(on_create) sets I(password) only when the user is added; C(always) also makes an
        existing user's password I(password) (using I(current_password) when it is another one).
    type: str
    default: on_create
    choices: [on_create, always]
  role:
    description:
      - With I(kind=cms), the user's role. Required when the user is added; an existing user's role is changed
        when given. The tool refuses to demote the last owner.
    type: str
    choices: [owner, admin, user]
  email:
    description:
      - With I(kind=cms), the user's email address, for password resets and recovery. An empty string removes it
        (and turns recovery off unless I(recovery) is given). Left as it is when not given.
    type: str
  recovery:
    description:
      - With I(kind=cms), whether the user may have a new password mailed with C(ss-passwd forgot). It needs an
        email address. Left as it is when not given; a new user has it on when it has an address.
    type: bool
  state:
    description:
      - With I(kind=cms), whether the user exists. C(absent) removes it (the tool refuses to remove the last
        owner).
      - The other kinds take only C(present).
    type: str
    default: present
    choices: [present, absent]
extends_documentation_fragment:
  - ss.security.common
notes:
  - Supports check mode and diff mode.
  - The tool's C(verify) counts failed attempts and locks a user out; this module asks it only under C(-n), which
    counts nothing.
'''

EXAMPLES = r'''
- name: Replace the factory password of the system account (the vault holds both)
  ss.security.ss_passwd:
    kind: system
    password: "{{ vault_system_password }}"
    current_password: "{{ vault_factory_password[inventory_hostname] }}"

- name: The device's owner in the web applications
  ss.security.ss_passwd:
    kind: cms
    name: apollo
    role: owner
    email: ops@example.net
    password: "{{ vault_system_password }}"
    current_password: "{{ vault_factory_password[inventory_hostname] }}"
    update_password: always

- name: Operators of the fleet, recovery by mail
  ss.security.ss_passwd:
    kind: cms
    name: "{{ item.name }}"
    role: "{{ item.role }}"
    email: "{{ item.email }}"
    recovery: true
    password: "{{ vault_cms_passwords[item.name] }}"
  loop: "{{ fleet_operators }}"
  loop_control:
    label: "{{ item.name }}"

- name: A former operator has no account any more
  ss.security.ss_passwd:
    kind: cms
    name: carol
    state: absent

- name: The user the reverse proxy asks for
  ss.security.ss_passwd:
    kind: htpasswd
    name: admin
    password: "{{ vault_proxy_password }}"
'''

RETURN = r'''
changed:
  description: Whether the tool changed a file (in check mode, whether it would).
  returned: always
  type: bool
action:
  description:
    - What the tool did, in its words. C(changed) (a password), C(added), C(modified), C(removed), or
      C(unchanged) when nothing changed.
    - When a CMS user was both modified and given a new password, the first of these.
  returned: always
  type: str
  sample: changed
actions:
  description: The action of each command that could change something, in the order they ran.
  returned: always
  type: list
  elements: str
  sample: [modified, changed]
paths:
  description: The files written (or that would be). For I(kind=system), C(users_file) is among them when the CMS
    user of the system account followed the new password.
  returned: always
  type: list
  elements: str
  sample: [/etc/shadow, /var/lib/ss/users]
user:
  description: The account concerned; for I(kind=system), C([passwd] system_user).
  returned: always
  type: str
  sample: apollo
record:
  description: The CMS user after the task (in check mode, as it would be); null when it does not exist. Never holds a
    password or a hash.
  returned: when I(kind=cms)
  type: dict
  contains:
    name:
      description: The user name.
      type: str
    role:
      description: C(owner), C(admin) or C(user).
      type: str
    email:
      description: The email address, empty for none.
      type: str
    recovery:
      description: Whether C(ss-passwd forgot) may mail the user a new password.
      type: bool
  sample: {name: alice, role: admin, email: alice@example.net, recovery: true}
messages:
  description: What the tool said on standard error, without its name (it never prints a password).
  returned: always
  type: list
  elements: str
  sample: [system password changed, CMS user apollo changed too (it had the same password)]
dry_run:
  description: True in check mode.
  returned: in check mode
  type: bool
'''

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ss.security.plugins.module_utils.ss_tool import (
    COMMON_ARGS, SsTool, message, result, said)

ARGUMENT_SPEC = dict(
    kind=dict(type='str', required=True, choices=['system', 'cms', 'htpasswd']),
    name=dict(type='str'),
    password=dict(type='str', no_log=True),
    current_password=dict(type='str', no_log=True),
    update_password=dict(type='str', default='on_create',
                         choices=['on_create', 'always'], no_log=False),
    role=dict(type='str', choices=['owner', 'admin', 'user']),
    email=dict(type='str'),
    recovery=dict(type='bool'),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    **COMMON_ARGS
)

# Exit statuses of ss-passwd that the probes expect.
EX_NOMATCH = 1          # verify: another password (or locked, or none)
EX_DATAERR = 65         # system: the current password is wrong, ...
WRONG_CURRENT = 'current password is wrong'
ANY_STATUS = range(-255, 256)


class Run(object):
    """The tool's reports of one task, merged into the module's result."""

    def __init__(self, module, tool):
        self.module = module
        self.tool = tool
        self.changed = False
        self.action = None
        self.actions = []
        self.paths = []
        self.messages = []
        self.user = None

    def said(self, err):
        self.messages.extend(said(self.tool.name, err))

    def json(self, args, secrets=None, dry_run=None, ok=(0,)):
        """Runs the tool with --json; returns (rc, document, stderr).

        An exit status in OK other than 0 comes back with no document
        (the tool prints none on an error) for the caller to judge.
        """
        rc, out, err = self.tool.call(list(args) + ['--json'], secrets,
                                      dry_run, ANY_STATUS)
        self.said(err)
        if rc not in ok:
            # What ran before in this task stays reported as changed.
            self.fail(message(self.tool.name, err, rc), rc, err)
        if rc != 0:
            return rc, None, err
        try:
            doc = json.loads(out)
        except ValueError as e:
            self.module.fail_json(
                msg='%s printed no JSON document: %s' % (self.tool.name, e),
                rc=rc, stdout=out, stderr=err)
        r = result(self.module, doc)
        self.changed = self.changed or r['changed']
        self.actions.append(r['action'])
        if r['changed'] and self.action is None:
            self.action = r['action']
        for p in r['paths']:
            if p not in self.paths:
                self.paths.append(p)
        if doc.get('user') is not None:
            self.user = doc['user']
        return rc, doc, err

    def fail(self, msg, rc=None, err=None):
        r = dict(msg=msg, changed=self.changed, messages=self.messages)
        if rc is not None:
            r.update(rc=rc, stderr=err)
        self.module.fail_json(**r)

    def exit(self, **extra):
        r = dict(changed=self.changed, action=self.action or 'unchanged',
                 actions=self.actions, paths=self.paths,
                 messages=self.messages, user=self.user)
        if self.module.check_mode:
            r['dry_run'] = True
        r.update(extra)
        self.module.exit_json(**r)


def diff_text(lines):
    return ''.join('%s\n' % line for line in lines)


def check_options(module):
    p = module.params
    kind = p['kind']

    def given(names):
        return [n for n in names if p[n] is not None]

    if kind != 'cms':
        bad = given(['role', 'email', 'recovery'])
        if bad:
            module.fail_json(msg='%s: for kind=cms only' % ', '.join(bad))
        if p['state'] != 'present':
            module.fail_json(msg='state=absent is for kind=cms only')
        if p['password'] is None:
            module.fail_json(msg='password is required for kind=%s' % kind)
    if kind == 'system' and p['name'] is not None:
        module.fail_json(msg='name is not for kind=system: its account is '
                         '[passwd] system_user in the configuration')
    if kind != 'system' and p['name'] is None:
        module.fail_json(msg='name is required for kind=%s' % kind)
    if kind == 'htpasswd' and p['current_password'] is not None:
        module.fail_json(msg='current_password is not for kind=htpasswd: '
                         'the tool asks only for the new password')
    if kind == 'cms' and p['state'] == 'absent':
        bad = given(['password', 'current_password', 'role', 'email',
                     'recovery'])
        if bad:
            module.fail_json(msg='%s: for state=present only' %
                             ', '.join(bad))


def do_system(module, tool):
    p = module.params
    run = Run(module, tool)
    pw = p['password']
    # Is PASSWORD already in place?  The tool's dry run with it as the
    # current and the new password says so without writing or counting.
    rc, doc, err = run.json(['system'], secrets=[pw, pw, pw], dry_run=True,
                            ok=(0, EX_DATAERR))
    if rc == EX_DATAERR and WRONG_CURRENT not in err:
        tool.fail(tool.argv(['system', '--json'], True), rc, '', err)
    if rc == 0 and not doc.get('changed'):
        # In place: the probe's answer is the task's.
        run.actions = ['unchanged']
        return run.exit()
    run.changed, run.actions, run.paths, run.messages = False, [], [], []
    cur = p['current_password']
    if cur is None:
        run.fail('password is not the system password in place; '
                 'current_password is needed to change it')
    rc, doc, err = run.json(['system'], secrets=[cur, pw, pw],
                            ok=(0, EX_DATAERR))
    if rc != 0:
        msg = message(tool.name, err, rc)
        if WRONG_CURRENT in err:
            msg = 'current_password is not the system password in ' \
                'place: ' + msg
        run.fail(msg, rc, err)
    extra = {}
    if module._diff and run.changed:
        shadow = run.paths[0] if run.paths else ''
        before = ['system password of %s: current' % run.user]
        after = ['system password of %s: changed' % run.user]
        if len(run.paths) > 1:
            before.append('CMS user %s password: current' % run.user)
            after.append('CMS user %s password: changed (it had the same '
                         'password)' % run.user)
        extra['diff'] = dict(before=diff_text(before),
                             after=diff_text(after),
                             before_header=shadow, after_header=shadow)
    run.exit(**extra)


def do_htpasswd(module, tool):
    p = module.params
    run = Run(module, tool)
    run.json(['htpasswd', p['name']], secrets=[p['password'], p['password']])
    extra = {}
    if module._diff and run.changed:
        path = run.paths[0] if run.paths else ''
        extra['diff'] = dict(
            before='password of %s: current\n' % p['name'],
            after='password of %s: changed\n' % p['name'],
            before_header=path, after_header=path)
    run.exit(**extra)


RECORD_KEYS = ('name', 'role', 'email', 'recovery')


def cms_users(tool):
    dummy, doc, dummy = tool.json(['list'])
    if not isinstance(doc, list):
        tool.module.fail_json(msg='%s list printed no array of users' %
                              tool.name)
    return dict((u.get('name'), u) for u in doc if isinstance(u, dict))


def cms_record(u):
    if u is None:
        return None
    r = dict((k, u.get(k)) for k in RECORD_KEYS)
    r['email'] = r['email'] or ''
    r['recovery'] = bool(r['recovery'])
    return r


def record_text(r, password=None):
    if r is None:
        return ''
    lines = ['%s: %s' % (k, r[k]) for k in ('name', 'role', 'email')]
    lines.append('recovery: %s' % ('on' if r['recovery'] else 'off'))
    if password is not None:
        lines.append('password: %s' % password)
    return diff_text(lines)


def on_off(b):
    return 'on' if b else 'off'


def cms_present(module, tool, run, before):
    p = module.params
    name = p['name']
    pw = p['password']
    pw_changed = False
    if before is None:
        bad = [n for n in ('password', 'role') if p[n] is None]
        if bad:
            run.fail('%s: needed to add CMS user %s' %
                     (' and '.join(bad), name))
        if p['recovery'] and not p['email']:
            run.fail('recovery=true needs email to add CMS user %s' % name)
        args = ['useradd', name, '--role', p['role']]
        if p['email']:
            args += ['--email', p['email']]
        run.json(args, secrets=[pw, pw])
        # useradd turns recovery on with an address, off without one.
        if p['recovery'] is not None and \
                p['recovery'] != bool(p['email']) and not module.check_mode:
            run.json(['usermod', name, '--recovery', on_off(p['recovery'])])
        return False

    # The password first: a missing or wrong current_password then fails
    # the task before anything changed.
    if pw is not None and p['update_password'] == 'always':
        pw_changed = cms_password(module, tool, run)
    args = []
    if p['role'] is not None:
        args += ['--role', p['role']]
    if p['email'] is not None:
        args += ['--email', p['email']]
    if p['recovery'] is not None:
        args += ['--recovery', on_off(p['recovery'])]
    if args:
        run.json(['usermod', name] + args)
    return pw_changed


def cms_password(module, tool, run):
    """Makes an existing CMS user's password PASSWORD; True if it changed."""
    p = module.params
    name = p['name']
    pw = p['password']
    # Is PASSWORD already in place?  verify under -n counts no failure.
    rc, dummy, err = tool.call(['verify', name], secrets=[pw], dry_run=True,
                               ok=(0, EX_NOMATCH))
    if rc == 0:
        return False
    cur = p['current_password']
    if cur is None:
        run.fail('password is not the password of CMS user %s (%s); '
                 'current_password is needed to change it' %
                 (name, message(tool.name, err, rc)), rc, err)
    rc, doc, err = run.json(['user', name], secrets=[cur, pw, pw],
                            ok=(0, EX_DATAERR))
    if rc != 0:
        msg = message(tool.name, err, rc)
        if WRONG_CURRENT in err:
            msg = 'current_password is not the password of CMS user ' \
                '%s: %s' % (name, msg)
        run.fail(msg, rc, err)
    return bool(doc.get('changed'))


def cms_predict(p, before):
    """The record as the dry runs would leave it (check mode)."""
    if p['state'] == 'absent':
        return None
    r = dict(before) if before else dict(name=p['name'], role=p['role'],
                                         email='', recovery=False)
    if p['role'] is not None:
        r['role'] = p['role']
    if p['email'] is not None:
        r['email'] = p['email']
        if not p['email'] or before is None:
            r['recovery'] = bool(p['email'])
    if p['recovery'] is not None:
        r['recovery'] = p['recovery']
    return r


def do_cms(module, tool):
    p = module.params
    name = p['name']
    run = Run(module, tool)
    run.user = name
    before = cms_record(cms_users(tool).get(name))
    pw_changed = False
    if p['state'] == 'absent':
        if before is not None:
            run.json(['userdel', name])
    else:
        pw_changed = cms_present(module, tool, run, before)

    if not run.changed:
        after = before
    elif module.check_mode:
        after = cms_predict(p, before)
    else:
        after = cms_record(cms_users(tool).get(name))
    extra = dict(record=after)
    if module._diff and run.changed:
        mark = ('current', 'changed') if pw_changed else (None, None)
        extra['diff'] = dict(
            before=record_text(before, mark[0]),
            after=record_text(after, mark[1]),
            before_header='CMS user %s' % name,
            after_header='CMS user %s' % name)
    run.exit(**extra)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC,
                           supports_check_mode=True)
    check_options(module)
    tool = SsTool(module, 'ss-passwd')
    kind = module.params['kind']
    if kind == 'system':
        do_system(module, tool)
    elif kind == 'htpasswd':
        do_htpasswd(module, tool)
    else:
        do_cms(module, tool)


if __name__ == '__main__':
    main()
