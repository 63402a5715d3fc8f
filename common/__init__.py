"""What the apps share, below them: the list view, CSV streaming, faceted filter sets,
the API base classes, JSON-LD helpers and PostgreSQL-only migration operations.

This package imports no app of the project (``actors``, ``actions``, ``cress``): the
stairs run one way, ``cress`` → apps → ``common``.
"""
