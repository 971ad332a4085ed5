#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 ss-security developers
# ISC License (see LICENSE)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ss_nginxconf
short_description: Point nginx at the device's certificate, write its proxy, bind the automation server
version_added: 1.0.0
description:
  - Runs C(ss-nginxconf) on the device with C(--json) and reports what it did.
  - C(certs) writes nginx's C(certs_conf) for a certificate of C(ss-cert); C(proxy) writes the reverse proxy to the
    automation server (C(site_conf)); C(bind) makes the automation server listen on loopback only.
  - Each file is tested with C(nginx -t) and put back when nginx would fail; the task then fails with the tool's
    message. nginx is reloaded when it runs and the file changed.
  - In check mode the tool's dry run reports whether the file would change and changes nothing. In diff mode the
    file's text before and after is shown; none of these files holds a secret.
  - The settings come from security.conf(5), sections C([nginx]) and C([openhab]); see ss-nginxconf(8).
options:
  target:
    description:
      - Which file to write.
      - C(certs) is nginx's certs.conf, C(proxy) the reverse proxy site, C(bind) the automation server's defaults
        file.
    type: str
    required: true
    choices: [certs, proxy, bind]
  name:
    description:
      - With I(target=certs), serve the certificate in the directory I(name) under C([certs] dir).
      - Not with I(self=true).
    type: str
  self:
    description:
      - With I(target=certs), serve the device's self-signed certificate.
      - Without I(name) or I(self), the tool picks the active certificate.
    type: bool
    default: false
  allow_no_auth:
    description:
      - With I(target=proxy), accept C(auth = none) with a warning instead of refusing it.
    type: bool
    default: false
  allow_exposed:
    description:
      - With I(target=proxy), accept a backend that is not on loopback with a warning instead of refusing it.
    type: bool
    default: false
extends_documentation_fragment:
  - ss.security.common
notes:
  - Supports check mode and diff mode.
'''

EXAMPLES = r'''
- name: Serve the certificate issued for the device's name
  ss.security.ss_nginxconf:
    target: certs
    name: dev1.example.net

- name: Write the reverse proxy to the automation server
  ss.security.ss_nginxconf:
    target: proxy

- name: Keep the automation server on loopback
  ss.security.ss_nginxconf:
    target: bind
'''

RETURN = r'''
changed:
  description: Whether the tool changed the file (in check mode, whether it would).
  returned: always
  type: bool
action:
  description: What the tool did, in its words (C(created), C(replaced), C(unchanged)).
  returned: always
  type: str
  sample: replaced
paths:
  description: The files written.
  returned: always
  type: list
  elements: str
file:
  description: The file this command manages.
  returned: always
  type: str
  sample: /etc/nginx/sites-enabled/certs.conf
nginx:
  description: Whether nginx was C(running), C(stopped) or C(unknown).
  returned: when the tool asked
  type: str
reloaded:
  description: Whether nginx was reloaded.
  returned: when the tool asked
  type: bool
dry_run:
  description: True in check mode.
  returned: in check mode
  type: bool
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ss.security.plugins.module_utils.ss_tool import (
    COMMON_ARGS, SsTool, result)

ARGUMENT_SPEC = dict(
    target=dict(type='str', required=True, choices=['certs', 'proxy', 'bind']),
    name=dict(type='str'),
    self=dict(type='bool', default=False),
    allow_no_auth=dict(type='bool', default=False),
    allow_exposed=dict(type='bool', default=False),
    **COMMON_ARGS
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC,
                           supports_check_mode=True)
    p = module.params
    target = p['target']
    if p['name'] is not None and p['self']:
        module.fail_json(msg='name and self are mutually exclusive')
    if target != 'certs' and (p['name'] is not None or p['self']):
        module.fail_json(msg='name and self are for target=certs only')
    if target != 'proxy' and (p['allow_no_auth'] or p['allow_exposed']):
        module.fail_json(
            msg='allow_no_auth and allow_exposed are for target=proxy only')

    args = [target]
    if p['name'] is not None:
        args += ['--name', p['name']]
    if p['self']:
        args.append('--self')
    if p['allow_no_auth']:
        args.append('--allow-no-auth')
    if p['allow_exposed']:
        args.append('--allow-exposed')

    tool = SsTool(module, 'ss-nginxconf')
    dummy, doc, dummy = tool.json(args)
    module.exit_json(**result(module, doc))


if __name__ == '__main__':
    main()
