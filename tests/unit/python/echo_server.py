"""Echo server for test_net: one line per connection, then a TCP FIN.

Usage: echo_server.py [CERT KEY]

Listens on a free port of 127.0.0.1 and prints the port once it listens.
It reads one line per connection, sends it back and closes the connection
with a FIN; when it speaks TLS (given a certificate and its key) it sends
no close_notify first.
"""
import socket
import ssl
import sys

srv = socket.create_server(('127.0.0.1', 0))
if len(sys.argv) == 3:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[1], sys.argv[2])
    srv = ctx.wrap_socket(srv, server_side=True)
print(srv.getsockname()[1], flush=True)
while True:
    try:
        c, _ = srv.accept()
    except OSError:
        continue
    line = bytearray()
    while not line.endswith(b'\n'):
        d = c.recv(65536)
        if not d:
            break
        line += d
    c.sendall(line)
    c.shutdown(socket.SHUT_RDWR)
    c.close()
