from shared.auth.principal import ANONYMOUS, Principal, Role
from shared.auth.tokens import TokenError, TokenVerifier, mint_token

__all__ = ["ANONYMOUS", "Principal", "Role", "TokenError", "TokenVerifier", "mint_token"]
