"""Bearer tokens: HS256 in development, RS256 from a JWKS endpoint in production; deny by default."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth import Role, TokenError, TokenVerifier, mint_token

SECRET = "unit-test-secret-which-is-long-enough"


def verifier() -> TokenVerifier:
    return TokenVerifier(secret=SECRET, issuer="pori-dev", audience="pori-associations")


def test_a_minted_association_token_names_its_associations() -> None:
    ids = [uuid.uuid4(), uuid.uuid4()]
    principal = verifier().verify(mint_token(secret=SECRET, subject="u1", role="association", association_ids=ids))
    assert principal.role is Role.ASSOCIATION and principal.association_ids == frozenset(ids)
    assert principal.acts_for(ids[0]) and not principal.acts_for(uuid.uuid4())


def test_staff_act_for_their_department_only() -> None:
    principal = verifier().verify(mint_token(secret=SECRET, subject="s", role="staff", department="culture"))
    assert principal.acts_for_department("culture") and not principal.acts_for_department("sports")


@pytest.mark.parametrize(
    ("claims", "secret"),
    [
        ({"role": "staff"}, SECRET),  # staff without a department
        ({"role": "superuser"}, SECRET),  # unknown role
        ({"role": "admin"}, "another-secret-which-is-long-enough"),
        ({"role": "admin", "audience": "someone-else"}, SECRET),
        ({"role": "admin", "ttl_seconds": -10}, SECRET),  # expired
    ],
)
def test_bad_tokens_are_refused(claims: dict[str, object], secret: str) -> None:
    token = mint_token(secret=secret, subject="x", **claims)  # type: ignore[arg-type]
    with pytest.raises(TokenError):
        verifier().verify(token)


def test_a_token_without_a_role_is_refused() -> None:
    now = int(time.time())
    token = jwt.encode(
        {"sub": "x", "iss": "pori-dev", "aud": "pori-associations", "exp": now + 60}, SECRET, algorithm="HS256"
    )
    with pytest.raises(TokenError, match="role"):
        verifier().verify(token)


@pytest.fixture
def jwks_server() -> Iterator[tuple[str, rsa.RSAPrivateKey]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/jwks.json", key
    server.shutdown()


def test_production_tokens_are_verified_against_the_identity_providers_keys(jwks_server) -> None:  # type: ignore[no-untyped-def]
    url, key = jwks_server
    prod = TokenVerifier(secret=None, issuer="https://idp.pori.fi", audience="pori-associations", jwks_url=url)
    claims = {"sub": "s1", "role": "staff", "department": "culture", "iss": "https://idp.pori.fi",
              "aud": "pori-associations", "exp": int(time.time()) + 60}  # fmt: skip
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    assert prod.verify(token).department == "culture"
    # An HS256 token signed with a guessable secret is not accepted where JWKS is configured.
    with pytest.raises(TokenError):
        prod.verify(mint_token(secret=SECRET, subject="s1", role="admin", issuer="https://idp.pori.fi"))


# -- verified tokens are remembered until they expire -------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_a_verified_token_is_remembered_only_until_its_exp() -> None:
    clock = Clock()
    remembering = TokenVerifier(secret=SECRET, issuer="pori-dev", audience="pori-associations", clock=clock)
    token = mint_token(secret=SECRET, subject="s", role="staff", department="culture", ttl_seconds=60)
    first = remembering.verify(token)
    assert remembering.verify(token) is first  # taken from memory, not decoded again
    clock.now += 61  # past its exp by the memory's clock: no longer taken from memory, but decoded
    assert remembering.verify(token) is not first  # (jwt.decode, on the real clock, still accepts it)
    expired = mint_token(secret=SECRET, subject="s", role="admin", ttl_seconds=-1)
    with pytest.raises(TokenError):  # and what jwt.decode refuses is never remembered
        remembering.verify(expired)


def test_a_refused_token_is_checked_again_every_time_and_memory_is_bounded() -> None:
    remembering = TokenVerifier(secret=SECRET, issuer="pori-dev", audience="pori-associations", remember=2)
    forged = mint_token(secret="another-secret-which-is-long-enough", subject="x", role="admin")
    for _ in range(2):
        with pytest.raises(TokenError):
            remembering.verify(forged)
    tokens = [mint_token(secret=SECRET, subject=f"u{n}", role="admin") for n in range(3)]
    principals = [remembering.verify(t) for t in tokens]
    assert remembering.verify(tokens[2]) is principals[2]
    assert remembering.verify(tokens[0]) is not principals[0]  # the oldest was dropped, so decoded afresh
    assert remembering.verify(tokens[0]) == principals[0]
