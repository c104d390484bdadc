#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster, then remove the cluster.

    python scripts/with_postgres.py -- pytest -q

Starts `initdb` + `pg_ctl` in a temporary folder on a free port, sets
CHRONICLE_DATABASE_URL for the command, and stops and deletes the cluster
afterwards, whatever happens. Without PostgreSQL's binaries it says so plainly
and exits 0, except under CI=true, where it fails.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

SERVICE_USER = "chronicle-pg"  # PostgreSQL refuses to run as root


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_service_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            check=True,
        )
    return ["runuser", "-u", SERVICE_USER, "--", *command]


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    if not command:
        print("usage: with_postgres.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not (initdb and pg_ctl):
        message = "PostgreSQL binaries (initdb, pg_ctl) not found: the PostgreSQL test run did NOT happen."
        if os.environ.get("CI", "").lower() == "true":
            print(f"ERROR: {message} Install postgresql-15.", file=sys.stderr)
            return 1
        print(f"NOTE: {message} Install postgresql-15 (apt-get install postgresql-15) to run it.")
        return 0

    root = Path(tempfile.mkdtemp(prefix="chronicle-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        as_service_user(["true"])  # make sure the user exists before chown
        shutil.chown(root, SERVICE_USER)
        shutil.chown(sockets, SERVICE_USER)
    port = free_port()
    log = root / "server.log"
    started = False
    try:
        subprocess.run(
            as_service_user(
                [initdb, "-D", str(data), "-U", "chronicle", "--auth=trust", "--encoding=UTF8", "--no-sync"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run(
            as_service_user([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        started = True
        # A database named like the user, for commands that use the database itself (benchmarks);
        # pytest-django creates its own test_ database beside it.
        createdb = find_bin("createdb")
        if createdb:
            subprocess.run(
                [createdb, "-h", "127.0.0.1", "-p", str(port), "-U", "chronicle", "chronicle"], check=True
            )
        print(f"PostgreSQL test cluster running on 127.0.0.1:{port}")
        env = {**os.environ, "CHRONICLE_DATABASE_URL": f"postgresql://chronicle@127.0.0.1:{port}/chronicle"}
        return subprocess.run(command, env=env, check=False).returncode
    finally:
        if started:
            subprocess.run(
                as_service_user([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
                stdout=subprocess.DEVNULL,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
