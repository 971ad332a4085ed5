#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 ss-security developers
# ISC License (see LICENSE)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ss_cert
short_description: Make, install or get the device's TLS certificate, or read its state
version_added: 1.0.0
description:
  - Runs C(ss-cert) on the device with C(--json) and reports what it did.
  - C(selfsigned) makes the device's self-signed certificate (C(ss-cert selfsigned)); C(installed) installs a
    certificate issued elsewhere, by the owner's CA say (C(ss-cert install)); C(issued) gets one from the ACME CA of
    C([acme] directory), Let's Encrypt by default (C(ss-cert issue)); C(query) only reads the state of one
    certificate (C(ss-cert list)).
  - The tool decides whether anything changes. A self-signed certificate whose names match and that is not due is
    kept, the same certificate installed again writes nothing, and an issued certificate that is not due is kept
    without an order. The task reports C(changed) exactly as the tool does.
  - In check mode the tool's dry run says what would change and changes nothing. For C(issued) that dry run is a
    whole order at C([acme] staging_directory), as C(ss-cert issue --dry-run) makes it; nothing is saved.
  - In diff mode a change shows the certificate's summary (name, kind, names, issuer, expiry, fingerprint, whether
    it is active) before and after; in check mode "after" is what the tool says it would do. A private key is never
    shown.
  - A private key given as I(key_content) is written by the module to a file of mode 0600 in a private temporary
    directory (mode 0700) on the device, handed to the tool by that path and removed afterwards, also when the task
    fails; it never appears on a command line.
  - The settings come from security.conf(5), sections C([device]), C([certs]) and C([acme]); see ss-cert(8).
options:
  state:
    description:
      - What to do.
      - C(selfsigned) makes or keeps the self-signed certificate in C(self) under C([certs] dir).
      - C(installed) installs the certificate and key given as files (I(cert_path), I(key_path)) or as text
        (I(cert_content), I(key_content)), with intermediates from I(chain_path) or I(chain_content), into
        C([certs] dir/NAME).
      - C(issued) gets a certificate for I(domains) from the ACME CA, unless one for the same names from the same
        CA is there and not due.
      - C(query) changes nothing and returns the state of the certificate I(name); it runs in check mode too.
    type: str
    required: true
    choices: [selfsigned, installed, issued, query]
  name:
    description:
      - With I(state=installed), install into C([certs] dir/NAME) instead of the directory of the device's name
        (C(hostname.domain)); the certificate's names then need not cover the device's name.
      - With I(state=query), the certificate to describe, as C(ss-cert list) names it (C(self) for the self-signed
        one). Without it, the active certificate.
    type: str
  key_type:
    description:
      - With I(state=selfsigned), the type of a new key. The default is C([certs] key_type).
      - A certificate with a key of another type is replaced.
    type: str
    choices: [ec256, ec384, rsa2048, rsa3072, rsa4096]
  days:
    description:
      - With I(state=selfsigned), how many days a new certificate is valid, 1 to 36500. The default is
        C([certs] self_days).
    type: int
  force:
    description:
      - With I(state=selfsigned), replace the certificate even when it would be kept.
      - With I(state=issued), make the order even when the certificate there would be kept.
      - The task then reports a change on every run.
    type: bool
    default: false
  cert_path:
    description:
      - With I(state=installed), the certificate, a PEM file on the device, optionally followed by intermediate
        certificates.
      - Mutually exclusive with I(cert_content); one of the two is required.
    type: path
  key_path:
    description:
      - With I(state=installed), its private key, a PEM file on the device, not encrypted.
      - Mutually exclusive with I(key_content); one of the two is required.
    type: path
  chain_path:
    description:
      - With I(state=installed), more intermediate certificates, a PEM file on the device.
      - Mutually exclusive with I(chain_content).
    type: path
  ca_path:
    description:
      - With I(state=installed), verify the chain against the CA certificates in this file on the device instead
        of the system's trust store (a private CA's root).
      - Mutually exclusive with I(ca_content).
    type: path
  cert_content:
    description:
      - With I(state=installed), the certificate as PEM text, optionally followed by intermediate certificates.
    type: str
  key_content:
    description:
      - With I(state=installed), the private key as PEM text, not encrypted; from a vault variable, say.
      - It is written to a temporary file of mode 0600 in a private directory on the device for the tool and removed
        afterwards; it never goes on a command line, into the result or into the log.
    type: str
  chain_content:
    description:
      - With I(state=installed), more intermediate certificates as PEM text.
    type: str
  ca_content:
    description:
      - With I(state=installed), the CA certificates to verify the chain against, as PEM text.
    type: str
  domains:
    description:
      - With I(state=issued), the names to ask for, up to 100; a wildcard such as C(*.example.net) needs
        I(challenge=dns-01).
      - The certificate's directory is named after the first one, without a leading C(*.).
      - The default is the device's name, C(hostname.domain).
    type: list
    elements: str
  staging:
    description:
      - With I(state=issued), use the CA at C([acme] staging_directory) and keep what it issues (not trusted by
        browsers, but with far higher rate limits).
    type: bool
    default: false
  reuse_key:
    description:
      - With I(state=issued), keep the key of the current certificate instead of making a new one.
    type: bool
    default: false
  agree_tos:
    description:
      - With I(state=issued), agree to the CA's terms of service, as C([acme] agree_tos = yes) does.
    type: bool
    default: false
  challenge:
    description:
      - With I(state=issued), prove control of the names this way instead of as C([acme] challenge) says.
    type: str
    choices: [http-01, dns-01]
  missing_ok:
    description:
      - With I(state=query), a certificate that is not there is no failure; I(certificate) is then null.
      - Otherwise the task fails with a message that names the certificates there are.
    type: bool
    default: false
extends_documentation_fragment:
  - ss.security.common
notes:
  - Supports check mode and diff mode.
  - A failure of the tool (a key that does not match, a chain that does not verify, a CA that refused the order)
    fails the task with the tool's own message and its exit status in I(rc); the certificate in place stays.
seealso:
  - module: ss.security.ss_nginxconf
'''

EXAMPLES = r'''
- name: Make sure every device has its self-signed certificate
  ss.security.ss_cert:
    state: selfsigned

- name: Install the certificate of the customer's own CA, key from the vault
  ss.security.ss_cert:
    state: installed
    cert_content: "{{ lookup('file', 'certs/' + inventory_hostname + '.pem') }}"
    key_content: "{{ vault_device_keys[inventory_hostname] }}"
    chain_content: "{{ lookup('file', 'certs/intermediate.pem') }}"
    ca_content: "{{ lookup('file', 'certs/customer-root.pem') }}"

- name: Install a certificate already copied to the device
  ss.security.ss_cert:
    state: installed
    name: mqtt
    cert_path: /root/mqtt.pem
    key_path: /root/mqtt.key

- name: Get a Let's Encrypt certificate for the device's DNS name and an alias
  ss.security.ss_cert:
    state: issued
    domains:
      - "{{ inventory_hostname }}.devices.example.net"
      - "{{ site_alias }}"
    agree_tos: true
  register: cert

- name: Point nginx at it
  ss.security.ss_nginxconf:
    target: certs
    name: "{{ cert.name }}"

- name: Read the active certificate's expiry
  ss.security.ss_cert:
    state: query
  register: active

- name: Warn about a certificate that is not in order
  ansible.builtin.debug:
    msg: "{{ active.certificate.name }} is {{ active.certificate.status }}, until {{ active.certificate.not_after }}"
  when: active.certificate.status != 'ok'
'''

RETURN = r'''
changed:
  description: Whether the tool changed a file (in check mode, whether it would). Always false for C(query).
  returned: always
  type: bool
action:
  description:
    - What the tool did, in its words. C(selfsigned) gives C(created), C(replaced) or C(unchanged); C(installed)
      gives C(installed) or C(unchanged); C(issued) gives C(issued), C(unchanged) or, in check mode,
      C(would-issue).
  returned: unless I(state=query)
  type: str
  sample: installed
paths:
  description: The files and links the tool wrote (in check mode, would write).
  returned: unless I(state=query)
  type: list
  elements: str
name:
  description: The certificate's directory under C([certs] dir), as the tool names it (C(self) for the self-signed one).
  returned: when the tool names it, or the certificate was found
  type: str
  sample: dev1.example.net
reason:
  description: Why the self-signed certificate was made or kept, or why an order failed.
  returned: when the tool gives one
  type: str
  sample: names match and renewal is not due
version:
  description: The version number of the installed or issued files (C(fullchain-N.pem)).
  returned: with I(state=installed) and I(state=issued)
  type: int
not_after:
  description: The end of validity of the certificate installed or issued, RFC 3339 in UTC.
  returned: with I(state=installed) and I(state=issued)
  type: str
  sample: '2027-03-01T12:00:00Z'
fingerprint_sha256:
  description: The SHA-256 fingerprint of the certificate installed.
  returned: with I(state=installed)
  type: str
directory:
  description: The ACME directory URL the order went to.
  returned: with I(state=issued)
  type: str
dry_run:
  description: True in check mode.
  returned: in check mode, unless I(state=query)
  type: bool
certificate:
  description:
    - The certificate concerned after the run, as C(ss-cert list --json) describes it; in check mode, as it is now.
    - Null when there is none (in check mode before the first real run, or with I(missing_ok)).
  returned: always
  type: dict
  contains:
    name:
      description: Its directory under C([certs] dir).
      type: str
    kind:
      description: C(self-signed), C(signed) (by an ACME CA, renewed by C(ss-cert renew)) or C(custom) (installed).
      type: str
    active:
      description: Whether it is the certificate the device serves by default.
      type: bool
    status:
      description: C(ok), C(expiring), C(expired), C(revoked), C(key-mismatch) or C(invalid).
      type: str
    revoked:
      description: Whether it was revoked and not renewed yet.
      type: bool
    sans:
      description: Its subject alternative names (C(DNS:name), C(IP:address)).
      type: list
      elements: str
    path:
      description: The certificate file.
      type: str
    key_path:
      description: The private key file.
      type: str
    fingerprint_sha256:
      description: The SHA-256 fingerprint, as C(openssl x509 -fingerprint -sha256) prints it.
      type: str
    issuer:
      description: The issuer's distinguished name.
      type: str
    not_before:
      description: Start of validity, RFC 3339 in UTC.
      type: str
    not_after:
      description: End of validity, RFC 3339 in UTC.
      type: str
    days_left:
      description: Whole days left, rounded down.
      type: int
    next_renewal:
      description: When C(ss-cert renew) replaces it, RFC 3339; null when it is not renewed automatically.
      type: str
    renewal:
      description: Where I(next_renewal) comes from, C(ca-window), C(renew_days), C(revoked) or C(none).
      type: str
    renewal_window:
      description: The CA's renewal window, with C(start) and C(end), or null.
      type: dict
  sample:
    name: self
    kind: self-signed
    active: true
    status: ok
    revoked: false
    sans: ['DNS:dev1.example.net', 'DNS:dev1', 'DNS:dev1.local', 'IP:127.0.0.1']
    path: /var/apollo/data/certs/self/server.crt
    key_path: /var/apollo/data/certs/self/server.key
    fingerprint_sha256: '29:D8:95:...:64:E9'
    issuer: CN=dev1.example.net
    not_before: '2026-12-05T02:58:42Z'
    not_after: '2036-12-02T02:59:42Z'
    days_left: 3650
    next_renewal: null
    renewal: none
    renewal_window: null
'''

import os
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ss.security.plugins.module_utils.ss_tool import (
    COMMON_ARGS, SsTool, result)

ARGUMENT_SPEC = dict(
    state=dict(type='str', required=True,
               choices=['selfsigned', 'installed', 'issued', 'query']),
    name=dict(type='str'),
    key_type=dict(type='str',
                  choices=['ec256', 'ec384', 'rsa2048', 'rsa3072', 'rsa4096']),
    days=dict(type='int'),
    force=dict(type='bool', default=False),
    cert_path=dict(type='path'),
    key_path=dict(type='path'),
    chain_path=dict(type='path'),
    ca_path=dict(type='path'),
    cert_content=dict(type='str'),
    key_content=dict(type='str', no_log=True),
    chain_content=dict(type='str'),
    ca_content=dict(type='str'),
    domains=dict(type='list', elements='str'),
    staging=dict(type='bool', default=False),
    reuse_key=dict(type='bool', default=False),
    agree_tos=dict(type='bool', default=False),
    challenge=dict(type='str', choices=['http-01', 'dns-01']),
    missing_ok=dict(type='bool', default=False),
    **COMMON_ARGS
)

# The states each option applies to; given with another, it is an error.
OPTION_STATES = dict(
    name=('installed', 'query'),
    key_type=('selfsigned',),
    days=('selfsigned',),
    force=('selfsigned', 'issued'),
    cert_path=('installed',),
    key_path=('installed',),
    chain_path=('installed',),
    ca_path=('installed',),
    cert_content=('installed',),
    key_content=('installed',),
    chain_content=('installed',),
    ca_content=('installed',),
    domains=('issued',),
    staging=('issued',),
    reuse_key=('issued',),
    agree_tos=('issued',),
    challenge=('issued',),
    missing_ok=('query',),
)

# install's files: the option naming a file, the one holding its text, and
# the tool's flag.
INSTALL_FILES = (
    ('cert_path', 'cert_content', '--cert'),
    ('key_path', 'key_content', '--key'),
    ('chain_path', 'chain_content', '--chain'),
    ('ca_path', 'ca_content', '--ca'),
)

# What the diff shows of a certificate, in this order.
SUMMARY = ('name', 'kind', 'active', 'sans', 'issuer', 'not_after',
           'fingerprint_sha256')


def check_options(module):
    p = module.params
    state = p['state']
    for opt in sorted(OPTION_STATES):
        states = OPTION_STATES[opt]
        if state not in states and p[opt] not in (None, False, []):
            module.fail_json(msg='%s is for state=%s only, not state=%s' % (
                opt, ' and state='.join(states), state))


def certificates(tool):
    """The ss-cert list --json array."""
    dummy, doc, dummy = tool.json(['list'], dry_run=False)
    if not isinstance(doc, list):
        tool.module.fail_json(msg='ss-cert list --json printed no array')
    return doc


def find(certs, name):
    """The entry of NAME, or of the active certificate when NAME is None."""
    for c in certs:
        if (c.get('active') if name is None else c.get('name') == name):
            return c
    return None


def summary(cert):
    if cert is None:
        return ''
    lines = []
    for k in SUMMARY:
        v = cert.get(k)
        if isinstance(v, list):
            v = ', '.join(v)
        elif isinstance(v, bool):
            v = 'yes' if v else 'no'
        if v is not None:
            lines.append('%s: %s\n' % (k, v))
    return ''.join(lines)


def planned(before, doc):
    """Check mode's "after": the certificate now with what the tool said
    it would do."""
    cert = dict(before or {})
    for k in ('name', 'not_after', 'fingerprint_sha256'):
        if doc.get(k) is not None:
            cert[k] = doc[k]
        elif k != 'name':
            cert[k] = '(new)'
    text = summary(cert)
    action = doc.get('action') or ''
    if action.startswith('would-'):
        what = action.replace('-', ' ')
    else:
        what = 'would be %s' % action
    if doc.get('reason'):
        what += ': %s' % doc['reason']
    return text + '(dry run: %s)\n' % what


def write_private(dirname, base, text):
    """TEXT into a new file of mode 0600 in DIRNAME; returns its path."""
    path = os.path.join(dirname, base)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(text)
        if not text.endswith('\n'):
            f.write('\n')
    return path


def install_args(module, private):
    """install's arguments; the contents given are written under PRIVATE."""
    p = module.params
    args = ['install']
    for path_opt, content_opt, flag in INSTALL_FILES:
        if p[content_opt] is not None:
            args += [flag, write_private(private, content_opt + '.pem',
                                         p[content_opt])]
        elif p[path_opt] is not None:
            args += [flag, p[path_opt]]
    if p['name'] is not None:
        args += ['--name', p['name']]
    return args


def issue_args(p):
    args = ['issue']
    for d in p['domains'] or []:
        args += ['--domain', d]
    if p['staging']:
        args.append('--staging')
    if p['reuse_key']:
        args.append('--reuse-key')
    if p['agree_tos']:
        args.append('--agree-tos')
    if p['challenge'] is not None:
        args += ['--challenge', p['challenge']]
    if p['force']:
        args.append('--force')
    return args


def selfsigned_args(p):
    args = ['selfsigned']
    if p['key_type'] is not None:
        args += ['--key-type', p['key_type']]
    if p['days'] is not None:
        args += ['--days', str(p['days'])]
    if p['force']:
        args.append('--force')
    return args


def query(module, tool):
    name = module.params['name']
    certs = certificates(tool)
    cert = find(certs, name)
    if cert is None and not module.params['missing_ok']:
        there = ', '.join(c.get('name', '?') for c in certs) or 'none'
        if name is None:
            module.fail_json(msg='no certificate is active; certificates '
                             'there: %s' % there)
        module.fail_json(msg="no certificate '%s'; certificates there: %s"
                         % (name, there))
    r = dict(changed=False, certificate=cert)
    if cert is not None:
        r['name'] = cert.get('name')
    module.exit_json(**r)


def main():
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[(a, b) for a, b, dummy in INSTALL_FILES],
        required_if=[('state', 'installed', ('cert_path', 'cert_content'),
                      True),
                     ('state', 'installed', ('key_path', 'key_content'),
                      True)],
        supports_check_mode=True)
    check_options(module)
    p = module.params
    state = p['state']
    tool = SsTool(module, 'ss-cert')
    if state == 'query':
        query(module, tool)

    before = None
    if module._diff:
        before = certificates(tool)

    if state == 'installed':
        private = tempfile.mkdtemp(prefix='ss-cert-', dir=module.tmpdir)
        try:
            dummy, doc, dummy = tool.json(install_args(module, private))
        finally:
            shutil.rmtree(private, ignore_errors=True)
    elif state == 'issued':
        dummy, doc, dummy = tool.json(issue_args(p))
    else:
        dummy, doc, dummy = tool.json(selfsigned_args(p))

    name = doc.get('name')
    cert = find(certificates(tool), name) if name is not None else None
    extra = dict(certificate=cert)
    for k in ('version', 'not_after', 'fingerprint_sha256', 'directory'):
        if k in doc:
            extra[k] = doc[k]
    r = result(module, doc, **extra)
    if before is not None and r['changed']:
        old = find(before, name) if name is not None else None
        label = 'certificate %s' % (name or '')
        r['diff'] = dict(
            before_header=label, after_header=label, before=summary(old),
            after=planned(old, doc) if module.check_mode else summary(cert))
    module.exit_json(**r)


if __name__ == '__main__':
    main()
