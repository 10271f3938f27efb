"""The gold claim annotation: the number finder and normalizer, reading and writing the
stand-off annotation records, and their checks.

May import the core modules and sources."""
