#!/usr/bin/python3
"""A syslog daemon for the tests: an AF_UNIX datagram socket at PATH (what
/dev/log is to syslog(3)), each datagram appended to OUT as it came, one
a line.

Usage: syslog_sink.py PATH OUT
"""

import socket
import sys


def main():
    path, out = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    with open(out, "ab", buffering=0) as f:
        while True:
            f.write(s.recv(65536).rstrip(b"\n") + b"\n")


if __name__ == "__main__":
    main()
