from shared.db.engine import create_engine, create_sessionmaker, drop_database, ensure_database
from shared.db.metadata import NAMING_CONVENTION, new_metadata

__all__ = [
    "NAMING_CONVENTION",
    "create_engine",
    "create_sessionmaker",
    "drop_database",
    "ensure_database",
    "new_metadata",
]
