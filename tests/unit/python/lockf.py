"""Takes a lockf(3) lock on a file without waiting, for test_fs.

Usage: lockf.py PATH

Exits 0 when it got the lock, 1 when another process holds one.
"""
import fcntl
import sys

with open(sys.argv[1], 'w') as f:
    try:
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        sys.exit(1)
