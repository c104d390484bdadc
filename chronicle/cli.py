"""The ``chronicle`` command: offline file commands plus every Django management command."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Commands that need no database: they run on files alone.
OFFLINE_COMMANDS: dict[str, str] = {
    "workdays": "chronicle.offline.workdays",
    "screen": "chronicle.offline.screen",
    "validate": "chronicle.offline.validate",
    "merge": "chronicle.offline.merge",
    "analyse": "chronicle.offline.analyse",
    "extract": "chronicle.offline.extract",
}

# Commands served by Django, listed in `chronicle --help` (any other management command works too).
SERVER_COMMANDS: dict[str, str] = {
    "serve": "serve Chronicle on http://127.0.0.1:8000 with its worker (gunicorn; --dev for runserver)",
    "worker": "run tasks: Panel packs, Word and PDF exports, reminders (started by serve)",
    "housekeeping": "retry tasks of a worker that died, delete expired files (the worker does this; for cron)",
    "demo": "load the demo partnership (safe to run again)",
    "migrate": "create or update the database tables",
    "createsuperuser": "create a system administrator",
    "remind": "email deadline reminders: incidents' clocks and chronology requests (safe to run often)",
    "threshold-audit": "list serious harm never screened or screened out (--json)",
    "read-events": "read and store the events of entries not read yet (--stale: or read by an older extractor)",
    "panel-pack": "write the rapid review report for the Panel: chronicle panel-pack REFERENCE -o FILE.docx|pdf",
    "audit-verify": "check the audit log's hash chain; names the first event changed or removed",
    "two-factor-link": "print a single-use two-factor set-up link for a person: chronicle two-factor-link EMAIL",
}


def _offline_help(module_path: str) -> str:
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError:
        return "(not available in this build)"
    return str(getattr(module, "HELP", ""))


def print_help() -> None:
    print("usage: chronicle COMMAND [ARGS...]\n")
    print("Offline commands (work on files, no database needed):")
    for name, module_path in OFFLINE_COMMANDS.items():
        print(f"  {name:<18}{_offline_help(module_path)}")
    print("\nServer commands (use the database in CHRONICLE_DATABASE_URL or var/chronicle.sqlite3):")
    for name, text in SERVER_COMMANDS.items():
        print(f"  {name:<18}{text}")
    print("\nEvery Django management command is available too: `chronicle help` lists them.")
    print("`chronicle COMMAND --help` explains one command.")


def run_offline(name: str, argv: Sequence[str]) -> int:
    module = importlib.import_module(OFFLINE_COMMANDS[name])
    parser = argparse.ArgumentParser(prog=f"chronicle {name}", description=module.HELP)
    module.add_arguments(parser)
    args = parser.parse_args(list(argv))
    return int(module.run(args))


def run_django(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chronicle.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    from chronicle.env import SettingError

    try:
        execute_from_command_line(["chronicle", *argv])
    except (SettingError, ImproperlyConfigured) as error:
        # A setting to fix is one line that says which, never a traceback.
        print(f"chronicle: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(
            f"chronicle: the database cannot be used ({first_line}): run `chronicle migrate`, "
            "or set CHRONICLE_DATABASE_URL to a database Chronicle can reach",
            file=sys.stderr,
        )
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print_help()
        return 0
    if args[0] in OFFLINE_COMMANDS:
        return run_offline(args[0], args[1:])
    return run_django(args)


if __name__ == "__main__":
    sys.exit(main())
