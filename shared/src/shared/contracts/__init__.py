"""Event contracts: the envelope, the registry of versioned event types, one module per producer."""

from shared.contracts.envelope import Envelope, EventData, contract, registry

__all__ = ["Envelope", "EventData", "contract", "registry"]
