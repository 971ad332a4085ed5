#!/usr/bin/python3
"""A dyndns2 provider and checkip service for the tests, on 127.0.0.1.

Files under --dir, re-read on every request so that a test changes the
provider's behaviour by writing them:

  ip        the address GET /ip answers (the device's "external address")
  ip6       the address GET /ip6 answers
  code      what /nic/update answers: good, nochg, badauth, notfqdn, nohost,
            numhost, abuse, badagent, 911, dnserr; or "http NNN" for a bare
            HTTP status NNN (default good)
  password  the password /nic/update accepts for --user
  accounts  more accounts, "USER PASSWORD" a line (optional)
  updates.log
            one line per /nic/update request, written before the answer:
            "USER hostname=FQDN myip=ADDR -> ANSWER"

Other checkip answers:
  /ip-html     an HTML page that holds the address among other text
  /ip-two      two addresses, one a line
  /ip-private  192.168.1.20
  /ip-cgnat    100.64.12.34
  /ip-empty    an empty body
  /ip-big      the address, then spaces up to 10 MB
  /ip-slow     the address after --slow seconds (default 30)
  /ip-chunked  the address in chunked transfer coding, in two chunks
  /ip-moved    a 302 redirect to /ip

With --cert and --key it speaks HTTPS only.

Usage: dyndns2_provider.py --port PORT --dir DIR [--user USER] [--slow S]
                           [--cert PEM --key PEM]
"""

import argparse
import base64
import http.server
import os
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse

BIG = 10 * 1024 * 1024


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "dyndns2-test/1"
    protocol_version = "HTTP/1.1"
    lock = threading.Lock()

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def read(self, name, default=""):
        try:
            with open(os.path.join(self.server.dir, name)) as f:
                return f.read().strip()
        except FileNotFoundError:
            return default

    def answer(self, status, body, ctype="text/plain"):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/nic/update":
            return self.update(url)
        addr = self.read("ip")
        if url.path == "/ip":
            return self.answer(200, addr + "\n")
        if url.path == "/ip6":
            return self.answer(200, self.read("ip6") + "\n")
        if url.path == "/ip-html":
            return self.answer(200, "<!DOCTYPE html>\n<html><head><title>"
                               "Current IP Check</title></head>\n<body>"
                               "Current IP Address: %s</body></html>\n"
                               % addr, "text/html")
        if url.path == "/ip-two":
            return self.answer(200, "%s\n198.51.100.77\n" % addr)
        if url.path == "/ip-private":
            return self.answer(200, "192.168.1.20\n")
        if url.path == "/ip-cgnat":
            return self.answer(200, "100.64.12.34\n")
        if url.path == "/ip-empty":
            return self.answer(200, "")
        if url.path == "/ip-big":
            return self.big(addr)
        if url.path == "/ip-chunked":
            return self.chunked([addr[:3], addr[3:] + "\n"])
        if url.path == "/ip-moved":
            self.send_response(302)
            self.send_header("Location", "/ip")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if url.path == "/ip-slow":
            time.sleep(self.server.slow)
            return self.answer(200, addr + "\n")
        return self.answer(404, "not found\n")

    def chunked(self, parts):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for part in parts:
            data = part.encode()
            self.wfile.write(b"%x;part\r\n%s\r\n" % (len(data), data))
        self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")

    def big(self, addr):
        head = (addr + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(BIG))
        self.end_headers()
        chunk = b" " * 65536
        try:
            self.wfile.write(head)
            left = BIG - len(head)
            while left > 0:
                n = min(left, len(chunk))
                self.wfile.write(chunk[:n])
                left -= n
        except (BrokenPipeError, ConnectionResetError):
            pass

    def authorized(self):
        """The user name when the basic credentials match, else None."""
        h = self.headers.get("Authorization", "")
        if not h.startswith("Basic "):
            return None
        try:
            user, _, pw = base64.b64decode(h[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        if user == self.server.user and pw == self.read("password"):
            return user
        for line in self.read("accounts").splitlines():
            u, _, p = line.partition(" ")
            if u and user == u and pw == p:
                return user
        return None

    def update(self, url):
        q = urllib.parse.parse_qs(url.query)
        host = ",".join(q.get("hostname", []))
        myip = ",".join(q.get("myip", []))
        if "Authorization" not in self.headers:
            # curl and friends send credentials only after this challenge
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="dyndns2"')
            self.send_header("Content-Length", "8")
            self.end_headers()
            self.wfile.write(b"badauth\n")
            return
        user = self.authorized()
        code = self.read("code", "good") or "good"
        status = 200
        if user is None:
            body = "badauth"
        elif code.startswith("http "):
            status, body = int(code.split()[1]), "error"
        elif code in ("good", "nochg"):
            body = "%s %s" % (code, myip)
        else:
            body = code
        with self.lock:
            with open(os.path.join(self.server.dir, "updates.log"), "a") as f:
                f.write("%s hostname=%s myip=%s -> %s\n"
                        % (user or "-", host, myip, body))
        self.answer(status, body + "\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--user", default="dev1user")
    p.add_argument("--slow", type=float, default=30)
    p.add_argument("--cert")
    p.add_argument("--key")
    a = p.parse_args()
    s = Server(("127.0.0.1", a.port), Handler)
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        s.socket = ctx.wrap_socket(s.socket, server_side=True)
    s.dir, s.user, s.slow = a.dir, a.user, a.slow
    s.serve_forever()


if __name__ == "__main__":
    main()
