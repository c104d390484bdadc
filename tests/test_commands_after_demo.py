"""After `make run` (or `make demo`), the README's commands work from the checkout exactly as
written, without CHRONICLE_DEMO: they find the demo's key and database under var/. A setting to
fix is one line naming it, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

CHRONICLE = str(Path(sys.executable).with_name("chronicle"))


def run(arguments: list[str], var_dir: Path, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CHRONICLE_", "DJANGO_"))}
    env = {**clean, "CHRONICLE_VAR_DIR": str(var_dir), **extra}
    return subprocess.run(
        [CHRONICLE, *arguments], env=env, cwd=cwd, capture_output=True, text=True, check=False, timeout=600
    )


@pytest.fixture(scope="module")
def demo_var(tmp_path_factory: Any) -> Path:
    """A var/ as `make demo` leaves it: the demo's key and a migrated database with the demo in it."""
    var_dir = tmp_path_factory.mktemp("var")
    for command in (["migrate", "--verbosity", "0"], ["demo"]):
        result = run(command, var_dir, var_dir, CHRONICLE_DEMO="true")
        assert result.returncode == 0, result.stderr
    assert (var_dir / "secret_key").exists() and (var_dir / "chronicle.sqlite3").exists()
    return var_dir


def test_it_runs_the_readmes_commands_after_the_demo(demo_var: Path, tmp_path: Path) -> None:
    audit = run(["threshold-audit", "--json"], demo_var, tmp_path)
    assert audit.returncode == 0, audit.stderr
    assert audit.stdout.lstrip().startswith("{")
    pack = run(["panel-pack", "NS-2026-002", "-o", "pack.pdf"], demo_var, tmp_path)
    assert pack.returncode == 0, pack.stderr
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
    serve_help = run(["serve", "--help"], demo_var, tmp_path)
    assert serve_help.returncode == 0, serve_help.stderr
    assert "usage: chronicle serve" in serve_help.stdout
    verify = run(["audit-verify"], demo_var, tmp_path)
    assert verify.returncode == 0, verify.stderr
    assert "The audit log verifies" in verify.stdout


def test_it_says_in_one_line_what_to_set_without_a_key(tmp_path: Path) -> None:
    result = run(["threshold-audit", "--json"], tmp_path / "var", tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "CHRONICLE_SECRET_KEY (or CHRONICLE_SECRET_KEY_FILE) must be set" in lines[0]
    assert not (tmp_path / "var" / "secret_key").exists()  # no key is made outside the demo


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("CHRONICLE_LOCKOUT_FAILURES", "five", "CHRONICLE_LOCKOUT_FAILURES must be a whole number"),
        ("CHRONICLE_DATABASE_URL", "mysql://x/y", "unsupported scheme 'mysql'"),
        ("CHRONICLE_TRUSTED_PROXIES", "proxy.local", "CHRONICLE_TRUSTED_PROXIES: 'proxy.local' is not"),
    ],
)
def test_it_names_a_malformed_setting_without_a_traceback(
    tmp_path: Path, setting: str, value: str, said: str
) -> None:
    for command in (["serve", "--help"], ["threshold-audit", "--json"]):
        result = run(command, tmp_path, tmp_path, CHRONICLE_SECRET_KEY="k" * 60, **{setting: value})
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and said in result.stderr


def test_it_says_to_migrate_when_the_database_is_empty(tmp_path: Path) -> None:
    result = run(["threshold-audit", "--json"], tmp_path, tmp_path, CHRONICLE_SECRET_KEY="k" * 60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "run `chronicle migrate`" in result.stderr
