#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 ss-security developers
# ISC License (see LICENSE)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ss_audit_facts
short_description: The device's security audit as facts
version_added: 1.0.0
description:
  - Runs C(ss-audit check --json) on the device and returns its findings as the fact C(ss_audit), with the ids of
    the CRITICAL, WARNING and UNKNOWN findings in lists of their own, so that a play can fail the hosts that have a
    CRITICAL finding (the factory password left, the automation server open to the network, an expired certificate)
    with C(ansible.builtin.fail).
  - The audit changes nothing; the task never reports a change and runs in check mode as it does otherwise.
  - The audit's exit status is the monitoring code of its worst finding (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN);
    a report is a result, not a failure. When the tool prints no report (an unknown check id, a configuration it
    cannot read), the task fails with the tool's message and its exit status in I(rc).
  - The checks and what each finds are described in ss-audit(8).
options:
  only:
    description:
      - Run only these checks, by id (C(listeners), C(openhab), C(factory-password), C(certificate), C(tls),
        C(proxy), C(dns), C(timers), C(files), C(ssh), C(button)).
    type: list
    elements: str
  skip:
    description:
      - Leave these checks out, as C([audit] skip) in security.conf(5) does for every run.
    type: list
    elements: str
extends_documentation_fragment:
  - ss.security.common
notes:
  - Supports check mode.
  - The C(factory-password) check hashes the factory password with each owner's parameters, about 0.2 s of CPU and
    64 MiB of memory per CMS owner at the defaults.
'''

EXAMPLES = r'''
- name: Gather the audit of every device
  ss.security.ss_audit_facts:

- name: Fail the devices with a CRITICAL finding
  ansible.builtin.fail:
    msg: "CRITICAL: {{ ss_audit.critical | join(', ') }}"
  when: ss_audit.critical | length > 0

- name: Only the certificate and the TLS profile, for a quick look after a renewal
  ss.security.ss_audit_facts:
    only:
      - certificate
      - tls

- name: List what is not OK
  ansible.builtin.debug:
    msg: "{{ ss_audit.findings | rejectattr('status', 'equalto', 'OK') | map(attribute='seen') | list }}"
'''

RETURN = r'''
ansible_facts:
  description: The facts gathered.
  returned: always
  type: dict
  contains:
    ss_audit:
      description: The audit's report.
      type: dict
      contains:
        status:
          description: The worst severity, as the tool gives it, C(OK), C(WARNING), C(CRITICAL) or C(UNKNOWN).
          type: str
          sample: CRITICAL
        rc:
          description: The tool's exit status, the monitoring code of I(status) (0, 1, 2 or 3).
          type: int
          sample: 2
        findings:
          description:
            - The findings, verbatim, in the order of the checks; each with C(status), C(id) (the check's), C(seen)
              and C(fix) (a command, or null).
          type: list
          elements: dict
          sample:
            - status: CRITICAL
              id: factory-password
              seen: the system account apollo still has the factory password
              fix: ss-passwd system
        critical:
          description: The ids of the CRITICAL findings, in their order, each once.
          type: list
          elements: str
          sample: [factory-password]
        warning:
          description: The ids of the WARNING findings.
          type: list
          elements: str
        unknown:
          description: The ids of the UNKNOWN findings.
          type: list
          elements: str
        not_shown:
          description: Findings past the 256 the tool reports, counted only.
          type: int
          sample: 0
'''

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ss.security.plugins.module_utils.ss_tool import (
    COMMON_ARGS, SsTool)

ARGUMENT_SPEC = dict(
    only=dict(type='list', elements='str'),
    skip=dict(type='list', elements='str'),
    **COMMON_ARGS
)

# ss-audit's exit statuses that come with a report: the monitoring codes.
REPORT_CODES = (0, 1, 2, 3)


def ids(findings, status):
    """The ids of the findings of STATUS, each once, in their order."""
    seen = []
    for f in findings:
        if f.get('status') == status and f.get('id') not in seen:
            seen.append(f.get('id'))
    return seen


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC,
                           supports_check_mode=True)
    p = module.params
    args = ['check', '--json']
    for opt in ('only', 'skip'):
        if p[opt]:
            if any(',' in i or not i for i in p[opt]):
                module.fail_json(msg='%s: a check id is one word, without '
                                 'a comma' % opt)
            args += ['--' + opt, ','.join(p[opt])]

    tool = SsTool(module, 'ss-audit')
    # The audit changes nothing: it runs the same in check mode.
    rc, out, err = tool.call(args, dry_run=False, ok=range(256))
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    if rc not in REPORT_CODES or not isinstance(doc, dict):
        tool.fail(tool.argv(args, False), rc, out, err)

    findings = doc.get('findings') or []
    facts = dict(status=doc.get('status'), rc=rc, findings=findings,
                 critical=ids(findings, 'CRITICAL'),
                 warning=ids(findings, 'WARNING'),
                 unknown=ids(findings, 'UNKNOWN'),
                 not_shown=doc.get('not_shown', 0))
    module.exit_json(changed=False, ansible_facts=dict(ss_audit=facts))


if __name__ == '__main__':
    main()
