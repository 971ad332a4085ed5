"""HTTP server for test_http: answers by path and says what it was sent.

Usage: http_server.py [CERT KEY]

Listens on a free port of 127.0.0.1, with TLS when given a certificate and
its key, and prints the port once it listens.  Paths:

  /echo          the request body
  /inspect       "METHOD LENGTH CLIENT-PORT USER-AGENT CONTENT-TYPE"
  /auth          the Authorization field, or "-"
  /status/N      status N
  /headers       201 with the headers an ACME server sends
  /retry-date/N  503 with Retry-After an HTTP-date N seconds from now
  /big/N         N bytes
  /interim       a 100 Continue carrying stale headers, then the answer
  /sleep         nothing, for a minute
"""
import email.utils
import http.server
import ssl
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def answer(self, status, body=b'', headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def serve(self):
        n = int(self.headers.get('Content-Length', 0))
        body = self.rfile.read(n)
        path = self.path.split('/')[1:] + ['']
        if path[0] == 'echo':
            self.answer(200, body)
        elif path[0] == 'inspect':
            said = '%s %d %d %s %s' % (
                self.command, len(body), self.client_address[1],
                self.headers.get('User-Agent', '-'),
                self.headers.get('Content-Type', '-'))
            self.answer(200, said.encode())
        elif path[0] == 'auth':
            said = self.headers.get('Authorization', '-')
            self.answer(200, said.encode())
        elif path[0] == 'status':
            self.answer(int(path[1]), b'status ' + path[1].encode())
        elif path[0] == 'headers':
            self.answer(201, b'{}', [
                ('content-type', 'application/json'),
                ('REPLAY-NONCE', ' \tnonce-1 \t'),
                ('Location', 'https://127.0.0.1/acme/acct/1'),
                ('Retry-After', '120')])
        elif path[0] == 'retry-date':
            when = time.time() + int(path[1])
            self.answer(503, b'', [
                ('Retry-After', email.utils.formatdate(when, usegmt=True))])
        elif path[0] == 'big':
            self.answer(200, b'x' * int(path[1]))
        elif path[0] == 'interim':
            self.wfile.write(b'HTTP/1.1 100 Continue\r\n'
                             b'Replay-Nonce: stale\r\n'
                             b'Location: /stale\r\n'
                             b'Retry-After: 7\r\n'
                             b'\r\n')
            self.answer(200, b'final')
        elif path[0] == 'sleep':
            time.sleep(60)
        else:
            self.answer(404, b'no such path')

    do_GET = do_HEAD = do_POST = serve


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass


server = Server(('127.0.0.1', 0), Handler)
if len(sys.argv) == 3:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[1], sys.argv[2])
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
