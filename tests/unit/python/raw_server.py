"""Raw HTTP server for test_http: canned bytes by path.

Usage: raw_server.py ADDRESS [CERT KEY [tls1.1]]

Listens on a free port of ADDRESS and prints the port once it listens;
with CERT and KEY it speaks TLS (CERT may hold the chain after the leaf),
with tls1.1 only TLS 1.0 and 1.1.  Answers by the first part of the path:

  / and /echo-request   the request head it got
  /length               "hello" by Content-Length
  /nul                  5 bytes holding NULs
  /chunked              "hello,0123456789 ABCDEFGHIJ" in chunks with
                        extensions and trailers, sent in pieces
  /close                a body ended by closing (over TLS without
                        close_notify; /close-notify with it)
  /interim              100 and 103 before the 200
  /no-content           204
  /redirect             302
  /teapot               418
  /big-length/N, /big-chunked/N, /big-close/N   N bytes each way
  /fields/N             a 200 whose header fields take N bytes
  /not-http             an SSH banner
  /short                less than its Content-Length
  /bad-chunk            a chunk size "xyz"
  /silent               nothing
  /trickle              one byte every 20 ms
  anything else         404

A CONNECT gets a 403, as from a proxy that allows no tunnel.  Answers
that do not end by closing wait for the client to close.
"""
import socket
import socketserver
import ssl
import sys
import time

TE = b'Transfer-Encoding: chunked\r\n'
OK = b'200 OK'

def head(status, fields=b''):
    return b'HTTP/1.1 ' + status + b'\r\n' + fields + b'\r\n'

def sized(status, body, fields=b''):
    n = b'Content-Length: %d\r\n' % len(body)
    return head(status, fields + n) + body

def chunked(body):
    out = b''
    for i in range(0, len(body), 65536):
        part = body[i:i + 65536]
        out += b'%x\r\n' % len(part) + part + b'\r\n'
    return out + b'0\r\n\r\n'

def fields(n):
    out = b'Content-Length: 2\r\n'
    while n - len(out) >= 160:
        out += b'X-Pad: ' + b'x' * 71 + b'\r\n'
    return out + b'X-Pad: ' + b'x' * (n - len(out) - 9) + b'\r\n'

def answer(path, request):
    name, _, arg = path.partition('?')[0][1:].partition('/')
    if name in ('', 'echo-request'):
        return [sized(OK, request)], True
    if name == 'length':
        return [sized(OK, b'hello')], True
    if name == 'nul':
        return [sized(OK, b'a\0b\0c')], True
    if name == 'chunked':
        return [head(OK, TE), b'5;ext=1\r\nhel',
            b'lo\r\n1;a;b="q"\r',
            b'\n,\r\nA\r\n0123456789\r\n',
            b'b\r\n ABCDEFGHIJ\r\n0\r\n',
            b'X-Trailer: yes\r\nY: z\r\n\r\n'], True
    if name == 'close':
        return [head(OK) + b'until ', b'close'], False
    if name == 'close-notify':
        return [head(OK) + b'until ', b'close'], None
    if name == 'interim':
        return [head(b'100 Continue'), head(b'103 Early Hints',
            b'Link: </s.css>; rel=preload\r\n'),
            sized(OK, b'final')], True
    if name == 'no-content':
        return [head(b'204 No Content')], True
    if name == 'redirect':
        return [sized(b'302 Found', b'moved',
            b'Location: /length\r\n')], True
    if name == 'teapot':
        return [sized(b"418 I'm a teapot",
            b'short and stout')], True
    if name == 'big-length':
        return [sized(OK, b'x' * int(arg))], True
    if name == 'big-chunked':
        return [head(OK, TE) + chunked(b'x' * int(arg))], True
    if name == 'big-close':
        return [head(OK) + b'x' * int(arg)], False
    if name == 'fields':
        return [b'HTTP/1.1 200 OK\r\n' + fields(int(arg)) +
            b'\r\nok'], True
    if name == 'not-http':
        return [b'SSH-2.0-OpenSSH_9.2p1\r\n\r\n'], False
    if name == 'short':
        return [head(OK, b'Content-Length: 100\r\n') +
            b'only 10 by'], False
    if name == 'bad-chunk':
        return [head(OK, TE) +
            b'xyz\r\nhello\r\n0\r\n\r\n'], True
    if name == 'silent':
        return [], True
    if name == 'trickle':
        return [head(OK, b'Content-Length: 1000\r\n')] + \
            [b'x'] * 500, True
    return [sized(b'404 Not Found', b'no such path')], True

class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        sock.settimeout(30)
        try:
            if ctx is not None:
                sock = ctx.wrap_socket(sock, server_side=True)
            request = b''
            while b'\r\n\r\n' not in request:
                got = sock.recv(4096)
                if not got:
                    return
                request += got
            method, path = request.split(b' ', 2)[:2]
            if method == b'CONNECT':
                pieces, linger = [sized(b'403 Forbidden', b'')], 1
            else:
                pieces, linger = answer(path.decode(), request)
            for i, piece in enumerate(pieces):
                if i > 0:
                    time.sleep(0.02)
                sock.sendall(piece)
            while linger and sock.recv(4096):
                pass
            if linger is None and ctx is not None:
                sock = sock.unwrap()
        except (OSError, ValueError, IndexError):
            pass
        finally:
            if sock is not self.request:
                sock.close()

class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass

if ':' in sys.argv[1]:
    Server.address_family = socket.AF_INET6
ctx = None
if len(sys.argv) >= 4:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
if len(sys.argv) == 5:
    ctx.set_ciphers('DEFAULT:@SECLEVEL=0')
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
server = Server((sys.argv[1], 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
