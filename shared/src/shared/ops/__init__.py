"""The operators' tools: ``pori-ops``, one command line for the whole system (``shared.ops.cli``).

Services are found through the ``pori.services`` entry point group, so the shared library imports none of
them; the AMQP and database work lives in small functions here (``dead_letters``, ``queues``, ``outbox``,
``health``) that the command line only calls and prints.
"""
