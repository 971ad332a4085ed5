#!/usr/bin/python3
"""Holds sockets open while a command runs, in the caller's network
namespace (run it under `unshare -n`: loopback is brought up first).

Usage: hold_sockets.py SOCKET... -- COMMAND [ARGS...]
SOCKET is ADDR:PORT for a TCP listener or ADDR:PORT/udp for a bound UDP
socket; an IPv6 address in brackets ([::]:22) is IPv6 only.  The exit
status is the command's; this process, not the command, holds the
sockets (Python's descriptors are not inherited).
"""
import socket
import subprocess
import sys


def hold(spec):
    udp = spec.endswith("/udp")
    if udp:
        spec = spec[:-len("/udp")]
    addr, port = spec.rsplit(":", 1)
    v6 = addr.startswith("[")
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
    if v6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr.strip("[]"), int(port)))
    if not udp:
        s.listen(4)
    return s


def main():
    cut = sys.argv.index("--")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    held = [hold(spec) for spec in sys.argv[1:cut]]
    rc = subprocess.run(sys.argv[cut + 1:]).returncode
    for s in held:
        s.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
