"""SMTP servers for test_smtp (aiosmtpd), each keeping a maildir.

Usage: smtp_server.py DIR CERT KEY USER PASSWORD

Listens on five ports of 127.0.0.1 and prints them on one line: STARTTLS
required, SMTPS, no TLS at all, STARTTLS with AUTH required (USER and
PASSWORD only), and one that never greets.  The first four keep every mail
as it was sent, after an "X-Envelope: FROM TO" line, in the maildirs
DIR/starttls, DIR/smtps, DIR/plain and DIR/auth.  RCPT busy@... gets a
451, nobody@... a 550.
"""
import asyncio
import os
import ssl
import sys

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult

top, cert, key, user, password = sys.argv[1:6]


class Raw(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address,
                          options):
        if address.startswith('busy@'):
            return '451 4.3.0 mailbox busy'
        if address.startswith('nobody@'):
            return '550 5.1.1 no such user'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        said = 'X-Envelope: %s %s\r\n' % (envelope.mail_from,
                                          ' '.join(envelope.rcpt_tos))
        self.mailbox.add(said.encode() + envelope.original_content)
        return '250 OK'


def check(server, session, envelope, mechanism, data):
    return AuthResult(success=data.login == user.encode() and
                      data.password == password.encode(), handled=False)


tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
tls.load_cert_chain(cert, key)


def smtp(name, **kw):
    handler = Raw(os.path.join(top, name))
    return lambda: SMTP(handler, hostname='localhost', **kw)


async def main():
    loop = asyncio.get_running_loop()
    servers = [
        await loop.create_server(
            smtp('starttls', tls_context=tls, require_starttls=True),
            '127.0.0.1', 0),
        await loop.create_server(smtp('smtps'), '127.0.0.1', 0, ssl=tls),
        await loop.create_server(smtp('plain'), '127.0.0.1', 0),
        await loop.create_server(
            smtp('auth', tls_context=tls, require_starttls=True,
                 authenticator=check, auth_required=True),
            '127.0.0.1', 0),
        await loop.create_server(asyncio.Protocol, '127.0.0.1', 0),
    ]
    print(*(s.sockets[0].getsockname()[1] for s in servers), flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
