from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from django.conf import settings


def test_it_sends_a_strict_content_security_policy(client: Any, db: Any) -> None:
    response = client.get("/sign-in/")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"'.encode() in response.content
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_hashes_passwords_with_argon2_in_production() -> None:
    assert settings.AUTH_PASSWORD_VALIDATORS
    from chronicle import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_it_ends_idle_sessions_after_30_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_it_refuses_a_login_form_without_csrf_token(world: Any) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/sign-in/", {"username": "manager@northshire.example", "password": "x"})
    assert response.status_code == 403


def _settings_in_subprocess(env: dict[str, str], names: list[str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import json, chronicle.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}, default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHRONICLE_")}
    return subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=False
    )


def test_it_uses_secure_cookies_and_hsts_when_debug_is_off(tmp_path: Any) -> None:
    result = _settings_in_subprocess(
        {"CHRONICLE_SECRET_KEY": "k" * 60, "CHRONICLE_VAR_DIR": str(tmp_path)},
        ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "REQUIRE_2FA", "DEBUG"],
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "REQUIRE_2FA": True,
        "DEBUG": False,
    }


def test_it_fails_loudly_without_a_secret_key_in_production(tmp_path: Any) -> None:
    result = _settings_in_subprocess({"CHRONICLE_VAR_DIR": str(tmp_path)}, ["SECRET_KEY"])
    assert result.returncode != 0
    assert "CHRONICLE_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_it_fails_loudly_on_a_malformed_setting(tmp_path: Any) -> None:
    result = _settings_in_subprocess(
        {
            "CHRONICLE_SECRET_KEY": "k" * 60,
            "CHRONICLE_VAR_DIR": str(tmp_path),
            "CHRONICLE_REQUIRE_2FA": "maybe",
        },
        ["REQUIRE_2FA"],
    )
    assert result.returncode != 0
    assert "CHRONICLE_REQUIRE_2FA must be true or false" in result.stderr


def test_it_turns_two_factor_off_only_in_the_demo_by_default(tmp_path: Any) -> None:
    result = _settings_in_subprocess(
        {"CHRONICLE_DEMO": "true", "CHRONICLE_VAR_DIR": str(tmp_path)}, ["REQUIRE_2FA"]
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"REQUIRE_2FA": False}
    assert (tmp_path / "secret_key").exists()


def test_it_refuses_unused_browser_features_with_a_permissions_policy(client: Any, db: Any) -> None:
    policy = client.get("/sign-in/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def test_it_asks_for_hsts_preload_only_when_set(tmp_path: Any) -> None:
    base = {"CHRONICLE_SECRET_KEY": "k" * 60, "CHRONICLE_VAR_DIR": str(tmp_path)}
    without = _settings_in_subprocess(base, ["SECURE_HSTS_PRELOAD"])
    assert without.returncode == 0, without.stderr
    assert json.loads(without.stdout) == {"SECURE_HSTS_PRELOAD": False}
    with_preload = _settings_in_subprocess(
        {**base, "CHRONICLE_HSTS_PRELOAD": "true"}, ["SECURE_HSTS_PRELOAD"]
    )
    assert json.loads(with_preload.stdout) == {"SECURE_HSTS_PRELOAD": True}
    over_http = _settings_in_subprocess(
        {**base, "CHRONICLE_HSTS_PRELOAD": "true", "CHRONICLE_HTTPS": "false"}, ["SECURE_HSTS_PRELOAD"]
    )
    assert json.loads(over_http.stdout) == {"SECURE_HSTS_PRELOAD": False}


def test_it_refuses_a_malformed_trusted_proxy(tmp_path: Any) -> None:
    result = _settings_in_subprocess(
        {
            "CHRONICLE_SECRET_KEY": "k" * 60,
            "CHRONICLE_VAR_DIR": str(tmp_path),
            "CHRONICLE_TRUSTED_PROXIES": "nginx",
        },
        ["TRUSTED_PROXIES"],
    )
    assert result.returncode != 0
    assert "CHRONICLE_TRUSTED_PROXIES: 'nginx' is not an IP address or network" in result.stderr
