#!/usr/bin/python3
"""The JOSE output of libsec as python3-cryptography reads it.

Each argument is a file that test_jose wrote: a JWK, a flattened JWS that
the JWK's key signed, and the key's RFC 7638 thumbprint, one a line.  For
each, prints "ALG OK", or exits non-zero naming the file and what does not
hold.
"""
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    encode_dss_signature)

# JWS "alg" of an EC key: its curve, digest and the bytes of r and of s.
EC_ALGS = {
    'ES256': (ec.SECP256R1(), hashes.SHA256(), 32),
    'ES384': (ec.SECP384R1(), hashes.SHA384(), 48),
}


def b64u_decode(s):
    return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))


def b64u_int(s):
    return int.from_bytes(b64u_decode(s), 'big')


def thumbprint(jwk):
    canon = json.dumps(jwk, sort_keys=True, separators=(',', ':'))
    digest = hashlib.sha256(canon.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b'=').decode()


def verify(jwk, alg, sig, data):
    """Raises InvalidSignature or ValueError when SIG does not hold."""
    if jwk['kty'] == 'EC':
        curve, digest, size = EC_ALGS[alg]
        if len(sig) != 2 * size:
            raise ValueError('%s signature of %d bytes' % (alg, len(sig)))
        pub = ec.EllipticCurvePublicNumbers(b64u_int(jwk['x']),
                                            b64u_int(jwk['y']),
                                            curve).public_key()
        r = int.from_bytes(sig[:size], 'big')
        s = int.from_bytes(sig[size:], 'big')
        pub.verify(encode_dss_signature(r, s), data, ec.ECDSA(digest))
    else:
        if alg != 'RS256':
            raise ValueError('RSA key with alg %s' % alg)
        pub = rsa.RSAPublicNumbers(b64u_int(jwk['e']),
                                   b64u_int(jwk['n'])).public_key()
        pub.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())


def check(path):
    with open(path) as f:
        jwk, jws, tp = f.read().split('\n')[:3]
    jwk, jws = json.loads(jwk), json.loads(jws)
    if thumbprint(jwk) != tp:
        sys.exit('%s: thumbprint %s, not %s' % (path, tp, thumbprint(jwk)))
    alg = json.loads(b64u_decode(jws['protected']))['alg']
    data = (jws['protected'] + '.' + jws['payload']).encode()
    try:
        verify(jwk, alg, b64u_decode(jws['signature']), data)
    except (InvalidSignature, ValueError) as e:
        sys.exit('%s: %s signature does not verify: %r' % (path, alg, e))
    print(alg, 'OK')


if __name__ == '__main__':
    for arg in sys.argv[1:]:
        check(arg)
