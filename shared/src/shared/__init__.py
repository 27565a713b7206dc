"""Infrastructure shared by the association-cooperation services.

Only infrastructure and the event contracts live here: no service's domain logic.
"""
