# -*- coding: utf-8 -*-
# Copyright (c) 2026 ss-security developers
# ISC License (see LICENSE)
"""The options every module of ss.security documents alike."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # COMMON_ARGS of module_utils/ss_tool.py
    DOCUMENTATION = r'''
options:
  config:
    description:
      - The configuration file the tool reads, instead of C(/etc/ss/security.conf).
    type: path
author: ss-security developers
'''
