"""A loopback HTTP backend for the nginx proxy tests (standard library only).

Every request is answered 200 with what the proxy handed on, one
"name: value" line each: method, path, and the Host, X-Forwarded-Proto,
X-Real-IP and X-Forwarded-For headers ("-" when absent).  The same lines,
tab-separated, are appended to --log.  A WebSocket upgrade (Upgrade:
websocket with a Sec-WebSocket-Key) gets 101 Switching Protocols, then
the first text frame comes back as it was sent.

Usage: backend.py --port PORT --log FILE
"""
import argparse
import base64
import hashlib
import http.server
import struct
import sys

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
SHOWN = ("Host", "X-Forwarded-Proto", "X-Real-IP", "X-Forwarded-For")


def ws_accept(key):
    return base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest())


def read_frame(f):
    """One frame: (opcode, payload), unmasked as the RFC 6455 client sent it."""
    head = f.read(2)
    if len(head) < 2:
        raise EOFError("connection closed before a frame")
    opcode = head[0] & 0x0F
    masked = head[1] & 0x80
    n = head[1] & 0x7F
    if n == 126:
        n = struct.unpack("!H", f.read(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", f.read(8))[0]
    mask = f.read(4) if masked else b"\0\0\0\0"
    data = f.read(n)
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def frame(opcode, payload):
    """A server frame: final, unmasked."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    return head + payload


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ss-test-backend"

    def log_message(self, fmt, *args):
        pass

    def record(self, kind):
        seen = [self.command, self.path] + [
            self.headers.get(h, "-") for h in SHOWN]
        with open(self.server.log, "a") as f:
            f.write("\t".join([kind] + seen) + "\n")
        return seen

    def answer(self):
        if (self.headers.get("Upgrade", "").lower() == "websocket" and
                self.headers.get("Sec-WebSocket-Key")):
            self.websocket()
            return
        seen = self.record("http")
        names = ["method", "path"] + [h.lower() for h in SHOWN]
        body = "".join("%s: %s\n" % nv for nv in zip(names, seen)).encode()
        length = int(self.headers.get("Content-Length", 0) or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def websocket(self):
        self.record("websocket")
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept",
                         ws_accept(self.headers["Sec-WebSocket-Key"]).decode())
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        try:
            opcode, data = read_frame(self.rfile)
            if opcode == 0x1:
                self.wfile.write(frame(0x1, data))
            self.wfile.write(frame(0x8, struct.pack("!H", 1000)))
            self.wfile.flush()
        except (EOFError, OSError, struct.error):
            pass

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = answer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    srv.log = args.log
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
