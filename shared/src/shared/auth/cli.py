"""``mint-token``: development tokens for trying the APIs by hand.

mint-token --role staff --department culture
mint-token --role association --association-id 1f0c...
"""

from __future__ import annotations

import argparse

from shared.auth.principal import Role
from shared.auth.tokens import mint_token
from shared.config import ServiceSettings


def main(argv: list[str] | None = None) -> None:
    defaults = ServiceSettings()
    parser = argparse.ArgumentParser(description="Mint a development JWT (HS256).")
    parser.add_argument("--role", required=True, choices=[r.value for r in Role if r is not Role.ANONYMOUS])
    parser.add_argument("--subject", default="dev-user")
    parser.add_argument("--association-id", action="append", default=[], dest="association_ids")
    parser.add_argument("--department", help="department code, required for staff")
    parser.add_argument("--secret", default=defaults.jwt_secret)
    parser.add_argument("--ttl", type=int, default=8 * 3600, help="seconds")
    args = parser.parse_args(argv)
    if args.role == "staff" and not args.department:
        parser.error("--department is required for staff")
    print(
        mint_token(
            secret=args.secret,
            subject=args.subject,
            role=args.role,
            association_ids=args.association_ids,
            department=args.department,
            issuer=defaults.jwt_issuer,
            audience=defaults.jwt_audience,
            ttl_seconds=args.ttl,
        )
    )


if __name__ == "__main__":
    main()
