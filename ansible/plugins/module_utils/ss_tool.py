# -*- coding: utf-8 -*-
# Copyright (c) 2026 ss-security developers
# ISC License (see LICENSE)
"""Running one of the ss- tools from a module.

Every module of the collection calls a tool with --json and takes its
report as the truth: "changed" is the tool's, check mode is the tool's
global -n (its dry run), and a failure is the tool's own message on
standard error with its exit status.  A secret never goes into argv: it
is handed to the tool on standard input, which ss-passwd reads one line
per answer.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

# The options every module shares; merged into each argument_spec.
COMMON_ARGS = dict(
    config=dict(type='path'),
)

# Exit statuses of the tools (sysexits.h and the monitoring codes).
EX_OK = 0


class SsTool(object):
    """One tool (ss-cert, ss-passwd, ...) on the managed host."""

    def __init__(self, module, name):
        self.module = module
        self.name = name
        self.path = module.get_bin_path(name, required=True)

    def argv(self, args, dry_run=None):
        """The command line: global options, then the command's."""
        if dry_run is None:
            dry_run = self.module.check_mode
        cmd = [self.path]
        if self.module.params.get('config'):
            cmd += ['-c', self.module.params['config']]
        if dry_run:
            cmd.append('-n')
        return cmd + list(args)

    def call(self, args, secrets=None, dry_run=None, ok=(EX_OK,)):
        """Runs the tool; returns (rc, stdout, stderr).

        SECRETS, a list of strings, are written to standard input one a
        line, in the order the tool asks for them.  An exit status not in
        OK fails the task with the tool's message.
        """
        data = None
        if secrets is not None:
            for s in secrets:
                if '\n' in s or '\r' in s:
                    self.module.fail_json(
                        msg='a password must not hold a line break')
            data = '\n'.join(secrets)
        cmd = self.argv(args, dry_run)
        rc, out, err = self.module.run_command(
            cmd, data=data, check_rc=False, environ_update={'LC_ALL': 'C'})
        if rc not in ok:
            self.fail(cmd, rc, out, err)
        return rc, out, err

    def json(self, args, secrets=None, dry_run=None, ok=(EX_OK,)):
        """Runs the tool with --json; returns (rc, document, stderr)."""
        rc, out, err = self.call(list(args) + ['--json'], secrets, dry_run,
                                 ok)
        try:
            doc = json.loads(out)
        except ValueError as e:
            self.module.fail_json(
                msg='%s printed no JSON document: %s' % (self.name, e),
                rc=rc, stdout=out, stderr=err, cmd=self.argv(args, dry_run))
        return rc, doc, err

    def fail(self, cmd, rc, out, err):
        self.module.fail_json(msg=message(self.name, err, rc), rc=rc,
                              stdout=out, stderr=err, cmd=cmd)


def said(name, err):
    """The tool's diagnostics, one a line, without the name prefix."""
    prefix = name + ': '
    lines = []
    for line in err.splitlines():
        line = line.strip()
        if line.startswith(prefix):
            line = line[len(prefix):]
        if line:
            lines.append(line)
    return lines


def message(name, err, rc):
    """The tool's own words, for a failed task's msg."""
    lines = said(name, err)
    if not lines:
        return '%s exited %d and said nothing' % (name, rc)
    return '; '.join(lines)


def result(module, doc, **extra):
    """The module's result from a tool's --json head.

    "changed" is the tool's own; "diff" is passed on in diff mode when
    the tool gives one (a file's text before and after).
    """
    r = dict(changed=bool(doc.get('changed')), action=doc.get('action'),
             paths=doc.get('paths', []))
    for k in ('dry_run', 'file', 'nginx', 'reloaded', 'reason', 'name'):
        if k in doc:
            r[k] = doc[k]
    if module._diff and 'diff' in doc:
        r['diff'] = doc['diff']
    r.update(extra)
    return r
