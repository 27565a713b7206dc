from shared.db.engine import Session, create_engine, drop_database, ensure_database
from shared.db.metadata import NAMING_CONVENTION, new_metadata

__all__ = [
    "NAMING_CONVENTION",
    "Session",
    "create_engine",
    "drop_database",
    "ensure_database",
    "new_metadata",
]
