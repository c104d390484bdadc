from __future__ import annotations

from pathlib import Path

import pytest

from chronicle.env import SettingError, database_from_url, env_bool, env_int, env_list, env_secret, env_str


def test_it_reads_booleans_and_refuses_anything_else() -> None:
    assert env_bool("X", False, {"X": "Yes"}) is True
    assert env_bool("X", True, {"X": "off"}) is False
    assert env_bool("X", True, {}) is True
    with pytest.raises(SettingError, match="X must be true or false"):
        env_bool("X", True, {"X": "perhaps"})


def test_it_reads_whole_numbers_with_a_minimum() -> None:
    assert env_int("N", 3, {"N": "7"}) == 7
    with pytest.raises(SettingError, match="whole number"):
        env_int("N", 3, {"N": "seven"})
    with pytest.raises(SettingError, match="at least 1"):
        env_int("N", 3, {"N": "0"}, minimum=1)


def test_it_requires_strings_without_a_default() -> None:
    with pytest.raises(SettingError, match="S must be set"):
        env_str("S", None, {})
    assert env_list("L", ["a"], {"L": "x, y,,z"}) == ["x", "y", "z"]


def test_it_reads_secrets_from_files(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    assert env_secret("K", {"K_FILE": str(secret)}) == "s3cret"
    with pytest.raises(SettingError, match="not both"):
        env_secret("K", {"K": "a", "K_FILE": str(secret)})
    with pytest.raises(SettingError, match="cannot read"):
        env_secret("K", {"K_FILE": str(tmp_path / "missing")})


def test_it_parses_database_urls(tmp_path: Path) -> None:
    sqlite = database_from_url("sqlite:///var/db.sqlite3", tmp_path)
    assert sqlite["NAME"] == str(tmp_path / "var" / "db.sqlite3")
    assert database_from_url("sqlite:////tmp/x.db", tmp_path)["NAME"] == "/tmp/x.db"
    pg = database_from_url("postgresql://chron:p%40ss@db.internal:5433/chronicle", tmp_path)
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "chron",
        "p@ss",
        "db.internal",
        "5433",
        "chronicle",
    )
    with pytest.raises(SettingError, match="unsupported scheme"):
        database_from_url("mysql://x/y", tmp_path)
