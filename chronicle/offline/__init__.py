"""Command-line commands that work on files alone and need no database.

Each module exposes ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int`` (the exit status), and is listed in ``chronicle.cli``.
"""
