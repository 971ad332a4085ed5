#!/usr/bin/python3
"""A misbehaving ACME server for the integration tests (standard library only).

    acme_stub.py --port P --cert C --key K [--ca CA] [--log F] malformed
    acme_stub.py --port P --cert C --key K [--ca CA] [--log F] proxy URL
                 [--truncate-chain] [--renewal-window past|future|2040]
                 [--window-file F]
                 [--reject-order] [--renewal-url TEXT]
                 [--stall authz|order [--retry-after VALUE] [--hang S]]

HTTPS on 127.0.0.1:P with the certificate C and key K.

malformed: every request gets 200, Content-Type application/json, and a body
that is not JSON.

proxy: forwards every request (method, path, body, Content-Type, Accept) to
the ACME server at URL (https://HOST:PORT of pebble, verified with --ca),
with the stub's own Host so that pebble builds its URLs, and checks the JWS
"url", for the stub; its base URL is also rewritten to the stub's in bodies
and in Location and Link headers.  Status, Replay-Nonce, Location, Link,
Retry-After and Content-Type pass through.  With --truncate-chain a
certificate chain (application/pem-certificate-chain) comes back with its
first certificate only.  With --renewal-window the directory also offers
renewalInfo (RFC 9773), and GET /renewal-info/CERTID answers with a
suggested window that lies wholly in the past (renew now), a month ahead,
or in 2040, past the end of a 32-bit time_t (its start written with a
fraction and an offset: 2040-01-01T01:00:00.5+01:00).
With --window-file F the directory offers renewalInfo too, and the window
is F's JSON {"start": ..., "end": ...} as it is when asked, so that a test
can keep it or move it; while F does not exist the answer is a 404 problem
document (no window).
With --reject-order, a new order (pebble's /order-plz) is refused with a
rejectedIdentifier problem document that has a subproblem per name.
With --renewal-url the directory's renewalInfo is TEXT as it is (empty or
not a URL).  With --stall, every POST-as-GET of an authorization (pebble's
/authZ/) or of an order (/my-order/) answers with the object pebble sent
but status "pending" (or "processing" for an order) and Retry-After: VALUE;
with --hang, only after S seconds of silence.

--log F appends one line per request: METHOD PATH -> STATUS CONTENT-TYPE.
Prints nothing; the caller records the pid and stops it.
"""

import argparse
import base64
import datetime
import http.client
import json
import http.server
import re
import ssl
import sys
import time
import urllib.parse

PASS_HEADERS = ("Replay-Nonce", "Location", "Link", "Retry-After",
                "Content-Type", "Cache-Control")
PEM_CERT = re.compile(
    rb"-----BEGIN CERTIFICATE-----\r?\n.*?-----END CERTIFICATE-----\r?\n?",
    re.S)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "acme-stub"
    sys_version = ""

    def log_message(self, fmt, *args):
        pass

    def note(self, status, ctype):
        if self.server.opts.log:
            with open(self.server.opts.log, "a") as f:
                f.write("%s %s -> %d %s\n" % (self.command, self.path,
                                              status, ctype or "-"))

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def reply(self, status, headers, body):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.note(status, dict(headers).get("Content-Type"))

    def handle_any(self):
        opts = self.server.opts
        data = self.body()
        if opts.mode == "malformed":
            self.reply(200, [("Content-Type", "application/json")],
                       b'{"newNonce": "https://')
            return
        self.proxy(data)

    def renewal_info(self):
        if self.server.opts.window_file:
            try:
                with open(self.server.opts.window_file) as f:
                    window = json.load(f)
            except FileNotFoundError:
                self.reply(404, [("Content-Type",
                                  "application/problem+json")],
                           json.dumps({
                               "type": "urn:ietf:params:acme:error:malformed",
                               "detail": "no renewal information",
                               "status": 404}).encode())
                return
            body = json.dumps({"suggestedWindow": window})
            self.reply(200, [("Content-Type", "application/json"),
                             ("Retry-After", "21600")], body.encode())
            return
        now = datetime.datetime.now(datetime.timezone.utc)
        if self.server.opts.renewal_window == "past":
            start, end = now - datetime.timedelta(days=2), now - datetime.timedelta(days=1)
        else:
            start, end = now + datetime.timedelta(days=30), now + datetime.timedelta(days=31)
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        start, end = start.strftime(fmt), end.strftime(fmt)
        if self.server.opts.renewal_window == "2040":
            start, end = "2040-01-01T01:00:00.5+01:00", "2040-01-02T00:00:00Z"
        body = json.dumps({"suggestedWindow": {"start": start, "end": end}})
        self.reply(200, [("Content-Type", "application/json"),
                         ("Retry-After", "21600")], body.encode())

    def reject_order(self, data):
        try:
            names = [i["value"] for i in json.loads(base64.urlsafe_b64decode(
                json.loads(data)["payload"] + "==="))["identifiers"]]
        except (ValueError, KeyError, TypeError):
            names = []
        problem = {
            "type": "urn:ietf:params:acme:error:rejectedIdentifier",
            "detail": "Some identifiers were rejected",
            "status": 400,
            "subproblems": [{
                "type": "urn:ietf:params:acme:error:rejectedIdentifier",
                "detail": "policy forbids issuing for this name",
                "identifier": {"type": "dns", "value": n}} for n in names],
        }
        self.reply(400, [("Content-Type", "application/problem+json")],
                   json.dumps(problem).encode())

    def proxy(self, data):
        opts = self.server.opts
        if opts.reject_order and self.path == "/order-plz":
            self.reject_order(data)
            return
        offers = opts.renewal_window or opts.window_file
        if offers and self.path.startswith("/renewal-info/"):
            self.renewal_info()
            return
        up = urllib.parse.urlsplit(opts.url)
        mine = "https://127.0.0.1:%d" % opts.port
        theirs = "%s://%s" % (up.scheme, up.netloc)
        ctx = ssl.create_default_context(cafile=opts.ca)
        conn = http.client.HTTPSConnection(up.hostname, up.port or 443,
                                           context=ctx, timeout=60)
        headers = {"Host": "127.0.0.1:%d" % opts.port,
                   "User-Agent": self.headers.get("User-Agent", "acme-stub")}
        for k in ("Content-Type", "Accept"):
            if self.headers.get(k):
                headers[k] = self.headers[k]
        try:
            conn.request(self.command, self.path,
                         body=data if data or self.command == "POST" else None,
                         headers=headers)
            r = conn.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException) as e:
            self.reply(502, [("Content-Type", "text/plain")],
                       ("acme-stub: upstream: %s\n" % e).encode())
            return
        finally:
            conn.close()
        ctype = r.getheader("Content-Type", "")
        body = body.replace(theirs.encode(), mine.encode())
        is_dir = self.path == up.path.rstrip("/") + "/dir"
        if is_dir and (offers or opts.renewal_url is not None):
            d = json.loads(body)
            d["renewalInfo"] = (mine + "/renewal-info/"
                                if opts.renewal_url is None
                                else opts.renewal_url)
            body = json.dumps(d).encode()
        stall = {"authz": ("/authZ/", "pending"),
                 "order": ("/my-order/", "processing")}.get(opts.stall)
        stalled = (stall and self.command == "POST" and
                   self.path.startswith(stall[0]) and r.status == 200)
        if stalled:
            time.sleep(opts.hang)
            d = json.loads(body)
            d["status"] = stall[1]
            body = json.dumps(d).encode()
        if (opts.truncate_chain and
                ctype.startswith("application/pem-certificate-chain")):
            m = PEM_CERT.search(body)
            if m:
                body = m.group(0)
        out = []
        for k in PASS_HEADERS:
            if stalled and k == "Retry-After":
                continue
            for v in r.msg.get_all(k) or []:
                out.append((k, v.replace(theirs, mine)))
        if stalled:
            out.append(("Retry-After", opts.retry_after))
        self.reply(r.status, out, body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = handle_any


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main():
    p = argparse.ArgumentParser(description="misbehaving ACME server")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--ca", help="CA file that verifies the upstream server")
    p.add_argument("--log", help="append a line per request to this file")
    sub = p.add_subparsers(dest="mode", required=True)
    sub.add_parser("malformed")
    px = sub.add_parser("proxy")
    px.add_argument("url", help="upstream base URL, https://HOST:PORT")
    px.add_argument("--truncate-chain", action="store_true")
    px.add_argument("--renewal-window", choices=("past", "future", "2040"))
    px.add_argument("--window-file")
    px.add_argument("--reject-order", action="store_true")
    px.add_argument("--renewal-url")
    px.add_argument("--stall", choices=("authz", "order"))
    px.add_argument("--retry-after", default="1")
    px.add_argument("--hang", type=float, default=0)
    opts = p.parse_args()
    if opts.mode != "proxy":
        opts.truncate_chain = False
        opts.renewal_window = None
        opts.window_file = None
        opts.reject_order = False
        opts.renewal_url = None
        opts.stall = None
    srv = Server(("127.0.0.1", opts.port), Handler)
    srv.opts = opts
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(opts.cert, opts.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                   do_handshake_on_connect=False)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
