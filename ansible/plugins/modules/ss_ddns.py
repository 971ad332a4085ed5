#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 ss-security developers
# ISC License (see LICENSE)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ss_ddns
short_description: Give a DNS name's provider its secret and update the name to the device's external address
version_added: 1.0.0
description:
  - Writes the secrets that security.conf(5) only points at, the dyndns2 password of C(password_file) and the TSIG
    key of C(tsig_key_file), then runs C(ss-ddns update --json) for one name and reports what it did, with the
    name's C(ss-ddns status --json).
  - The name is the device's own (C(hostname.domain) of C([device]), whose provider is C([ddns])) or a further
    name of a C([ddns:FQDN]) section. The secret files' paths are that section's, as C(ss-ddns -T) shows the
    configuration; the settings themselves are security.conf's, written by other means (a template, say).
  - A secret file is written only when its content, mode (0600) or owner differ, atomically (a temporary file in the
    same directory, synced and renamed into place). Its content is never shown, logged or put on a command line;
    the diff says only that the file changes.
  - C(changed) is true when a secret file changed or the tool reports that the update changed something (a request
    the provider took, a state file written); a run with nothing to send reports no change and touches no file.
  - In check mode no secret file is written and the update is the tool's dry run, which finds the address and says
    what it would send without sending it.
  - A failed update (the provider refused it, no external address, a setting missing) fails the task with the
    tool's message and its exit status in I(rc), 69 for a provider that stopped taking updates, 75 for a temporary
    failure, 78 for the configuration; see ss-ddns(8).
options:
  name:
    description:
      - The name to keep, a fully qualified domain name; the device's own name or one with a C([ddns:FQDN]) section.
      - The default is the device's name, C(hostname.domain) of C([device]).
    type: str
  password:
    description:
      - The dyndns2 password of the name's account at the provider; written, followed by a newline, to the name's
        C(password_file), which must be set in security.conf. One line.
      - From a vault variable, say; it never goes on a command line, into the result or into the log.
    type: str
  tsig_key:
    description:
      - The whole text of the TSIG key file for RFC 2136 updates, as C(tsig-keygen -a hmac-sha256 NAME) writes it
        (C(key "NAME" { algorithm hmac-sha256; secret "B64"; };)); written to the name's C(tsig_key_file), which must
        be set in security.conf.
      - Never shown or logged, as I(password).
    type: str
  update:
    description:
      - Run C(ss-ddns update) for the name after the secrets are in place.
      - With C(false), only the secrets are written and the status is read.
    type: bool
    default: true
  force:
    description:
      - Send the update even when the address did not change (C(ss-ddns update --force)).
      - The task then reports a change on every run.
    type: bool
    default: false
  if_enabled:
    description:
      - With C([ddns] enabled = no), update nothing and succeed instead of failing (C(ss-ddns update --if-enabled)).
    type: bool
    default: false
extends_documentation_fragment:
  - ss.security.common
notes:
  - Supports check mode and diff mode.
  - The secret files are owned by the user the module runs as (root on a device) with mode 0600, as ss-ddns and
    ss-audit(8) require. The directory they are in must exist.
  - A secret file that is a symbolic link or not a regular file is not replaced; the task fails.
seealso:
  - module: ss.security.ss_cert
'''

EXAMPLES = r'''
- name: Keep the device's name at the dyndns2 provider, password from the vault
  ss.security.ss_ddns:
    password: "{{ vault_ddns_passwords[inventory_hostname] }}"

- name: Keep the customer's alias in the customer's own zone by RFC 2136
  ss.security.ss_ddns:
    name: "{{ customer_alias }}"
    tsig_key: "{{ vault_customer_tsig_key }}"

- name: Only give the secret; the timer sends the update
  ss.security.ss_ddns:
    password: "{{ vault_ddns_passwords[inventory_hostname] }}"
    update: false
    if_enabled: true

- name: What the provider thinks of each device
  ss.security.ss_ddns:
    update: false
  register: ddns
  check_mode: true

- name: Report devices whose provider stopped taking updates
  ansible.builtin.debug:
    msg: "{{ ddns.status.names[0].stop_reason }}"
  when: ddns.status.names[0].provider == 'stopped'
'''

RETURN = r'''
changed:
  description: Whether a secret file or the update changed something (in check mode, whether it would).
  returned: always
  type: bool
name:
  description: The name kept.
  returned: always
  type: str
  sample: dev1.devices.example.net
action:
  description: What the update did, in the tool's words (C(updated), C(unchanged), C(stopped), C(failed)).
  returned: when I(update) is true
  type: str
  sample: unchanged
paths:
  description: The files written (in check mode, that would be), the secret files and the tool's state file.
  returned: always
  type: list
  elements: str
dry_run:
  description: True in check mode.
  returned: in check mode, when I(update) is true
  type: bool
update:
  description:
    - The update's report as C(ss-ddns update --json) prints it, with C(changed), C(action), C(paths) and C(names),
      one object for the name with C(fqdn), C(protocol), C(action), C(changed), C(addresses) (the external addresses
      compared or sent), C(answer) (the provider's), C(last_update) and C(state_file).
    - Also returned, beside the message, when the update failed.
  returned: when I(update) is true
  type: dict
  sample:
    changed: true
    action: updated
    paths: [/var/lib/ss/ddns/state]
    names:
      - fqdn: dev1.devices.example.net
        protocol: dyndns2
        action: updated
        changed: true
        addresses: [203.0.113.7]
        answer: good (updated)
        last_update: '2026-12-05T03:02:24Z'
        state_file: /var/lib/ss/ddns/state
status:
  description:
    - Where the name stands after the run, as C(ss-ddns status --name NAME --json) prints it, with C(enabled),
      C(external) (the external addresses) and C(names), one object for the name with C(fqdn), C(protocol),
      C(provider) (C(ok), C(backoff), C(stopped) or C(retry)), C(changes_24h), C(dns), C(last_update), C(result),
      and C(backoff_until) or C(stop_reason) and C(settings_changed) when they apply.
  returned: on success
  type: dict
  sample:
    enabled: true
    external: {ipv4: 203.0.113.7}
    names:
      - fqdn: dev1.devices.example.net
        protocol: dyndns2
        provider: ok
        changes_24h: 1
        state_file: /var/lib/ss/ddns/state
        dns: [203.0.113.7]
        last_update: '2026-12-05T03:02:24Z'
        result: good
'''

import json
import os
import stat
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes
from ansible_collections.ss.security.plugins.module_utils.ss_tool import (
    COMMON_ARGS, SsTool, message, result)

ARGUMENT_SPEC = dict(
    name=dict(type='str'),
    password=dict(type='str', no_log=True),
    tsig_key=dict(type='str', no_log=True),
    update=dict(type='bool', default=True),
    force=dict(type='bool', default=False),
    if_enabled=dict(type='bool', default=False),
    **COMMON_ARGS
)

# The secret options and the key of security.conf naming their file.
SECRETS = (('password', 'password_file'), ('tsig_key', 'tsig_key_file'))


def settings(tool):
    """ss-ddns -T as {section: {key: value}}."""
    dummy, out, dummy = tool.call(['-T'], dry_run=False)
    conf = {}
    section = None
    for line in out.splitlines():
        if line.startswith('[') and line.endswith(']'):
            section = conf.setdefault(line[1:-1], {})
        elif section is not None and ' = ' in line:
            key, rest = line.split(' = ', 1)
            # a value never holds " ;", which starts a comment
            section[key] = rest.split(' ;', 1)[0]
    return conf


def name_section(module, conf):
    """The fqdn kept and the settings of its provider."""
    dev = conf.get('device', {})
    fqdn = None
    if dev.get('domain'):
        fqdn = '%s.%s' % (dev.get('hostname', ''), dev['domain'])
    names = [s[5:] for s in conf if s.startswith('ddns:')]
    want = module.params['name']
    if want is None:
        if fqdn is None:
            module.fail_json(msg='name: the device has no DNS name of its own '
                             '([device] domain is empty); give one of: %s'
                             % (', '.join(names) or 'none'))
        want = fqdn
    want = want.rstrip('.').lower()
    if want == fqdn:
        return want, conf.get('ddns', {})
    for n in names:
        if n.lower() == want:
            return n, conf['ddns:' + n]
    module.fail_json(msg="name: no such name in security.conf: '%s'; the "
                     'names are: %s' % (want, ', '.join(
                         ([fqdn] if fqdn else []) + names) or 'none'))


def secret_data(module, opt):
    text = module.params[opt]
    if opt == 'password':
        if '\n' in text or '\r' in text:
            module.fail_json(msg='password must be one line')
        if text == '':
            module.fail_json(msg='password must not be empty')
    elif text.strip() == '':
        module.fail_json(msg='tsig_key must not be empty')
    if not text.endswith('\n'):
        text += '\n'
    return to_bytes(text, errors='surrogate_or_strict')


def secret_plan(module, opt, path, data):
    """Whether PATH must be written to hold DATA; and what the diff says
    of it before (never the content)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return True, '(secret: absent)\n'
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        module.fail_json(msg='%s: %s is %s, not replacing it' % (
            opt, path, 'a symbolic link' if stat.S_ISLNK(st.st_mode)
            else 'not a regular file'))
    mode = stat.S_IMODE(st.st_mode)
    before = '(secret, mode %04o, uid %d)\n' % (mode, st.st_uid)
    if mode != 0o600 or st.st_uid != os.geteuid():
        return True, before
    with open(path, 'rb') as f:
        return f.read() != data, before


def secret_write(module, opt, path, data):
    """DATA into PATH, mode 0600: temporary file, fsync, rename, fsync of
    the directory."""
    d = os.path.dirname(path) or '.'
    if not os.path.isdir(d):
        module.fail_json(msg='%s: the directory of %s does not exist' % (
            opt, path))
    fd, tmp = tempfile.mkstemp(dir=d, prefix='.%s.' % os.path.basename(path))
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.rename(tmp, path)
        tmp = None
        dfd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError as e:
        module.fail_json(msg='%s: cannot write %s: %s' % (
            opt, path, e.strerror))
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def secrets(module, fqdn, section):
    """Writes the secrets given; returns (paths written, diffs)."""
    paths, diffs = [], []
    for opt, key in SECRETS:
        if module.params[opt] is None:
            continue
        path = section.get(key, '')
        if not path:
            module.fail_json(msg='%s: %s has no %s in security.conf; set it '
                             'there first' % (opt, fqdn, key))
        data = secret_data(module, opt)
        change, before = secret_plan(module, opt, path, data)
        if not change:
            continue
        if not module.check_mode:
            secret_write(module, opt, path, data)
        paths.append(path)
        diffs.append(dict(before_header=path, after_header=path,
                          before=before,
                          after='(secret, new content, mode 0600)\n'))
    return paths, diffs


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC,
                           supports_check_mode=True)
    p = module.params
    if not p['update'] and (p['force'] or p['if_enabled']):
        module.fail_json(msg='force and if_enabled need update=true')

    tool = SsTool(module, 'ss-ddns')
    fqdn, section = name_section(module, settings(tool))
    written, diffs = secrets(module, fqdn, section)

    r = dict(changed=bool(written), name=fqdn, paths=list(written))
    if p['update']:
        args = ['update', '--name', fqdn]
        if p['force']:
            args.append('--force')
        if p['if_enabled']:
            args.append('--if-enabled')
        rc, out, err = tool.call(args + ['--json'], ok=range(256))
        try:
            doc = json.loads(out)
        except ValueError:
            doc = None
        if rc != 0:
            # the report, when the tool got as far as printing one, says
            # what changed all the same (a stop recorded, say)
            module.fail_json(msg=message(tool.name, err, rc), rc=rc,
                             stderr=err, update=doc, name=fqdn,
                             changed=bool(written or (doc or {}).get(
                                 'changed')),
                             paths=written + (doc or {}).get('paths', []))
        if not isinstance(doc, dict):
            module.fail_json(msg='ss-ddns update printed no JSON object',
                             stdout=out, stderr=err, name=fqdn,
                             changed=bool(written), paths=written)
        u = result(module, doc)
        r['changed'] = r['changed'] or u['changed']
        r['action'] = u['action']
        r['paths'] += u['paths']
        if 'dry_run' in u:
            r['dry_run'] = u['dry_run']
        r['update'] = doc
    dummy, r['status'], dummy = tool.json(['status', '--name', fqdn],
                                          dry_run=False)
    if module._diff and diffs:
        r['diff'] = diffs
    module.exit_json(**r)


if __name__ == '__main__':
    main()
