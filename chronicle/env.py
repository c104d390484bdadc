"""Typed settings from the environment that fail loudly on bad values."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class SettingError(Exception):
    """A setting in the environment is missing or malformed."""


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    value = environ.get(name)
    if value is None or value == "":
        if default is None:
            raise SettingError(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    value = environ.get(name)
    if value is None or value == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(f"{name} must be true or false, not {value!r}")


def env_int(
    name: str, default: int, environ: Mapping[str, str] = os.environ, minimum: int | None = None
) -> int:
    value = environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise SettingError(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    value = environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (for container secrets)."""
    value = environ.get(name)
    path = environ.get(f"{name}_FILE")
    if value and path:
        raise SettingError(f"set {name} or {name}_FILE, not both")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as error:
            raise SettingError(f"{name}_FILE: cannot read {path}: {error.strerror}") from None
    return value or None


def database_from_url(url: str, base_dir: Path) -> dict[str, Any]:
    """Django's DATABASES['default'] from sqlite:///path or postgresql://user:pass@host:port/name."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raw_path = unquote(parts.path)
        if not raw_path or raw_path == "/":
            raise SettingError(
                "CHRONICLE_DATABASE_URL: a sqlite URL needs a file path, e.g. sqlite:///var/db"
            )
        # sqlite:///relative/path is relative to the project; sqlite:////abs/path is absolute.
        path = Path(raw_path[1:]) if raw_path.startswith("/") else Path(raw_path)
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    if parts.scheme in {"postgres", "postgresql"}:
        name = parts.path.lstrip("/")
        if not name:
            raise SettingError("CHRONICLE_DATABASE_URL: a postgresql URL needs a database name")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(name),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise SettingError(
        f"CHRONICLE_DATABASE_URL: unsupported scheme {parts.scheme!r} (use sqlite or postgresql)"
    )
