"""The dependency check passes only when every locked dependency was really audited."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_deps.py"


@pytest.fixture
def audit_deps(monkeypatch: Any) -> Any:
    spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "audit_deps", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_it_does_not_count_skipped_dependencies_as_clean(audit_deps: Any) -> None:
    # What pip-audit printed as "No known vulnerabilities found" while auditing nothing.
    report = {
        "dependencies": [
            {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"},
            {"name": "weasyprint", "skip_reason": "Dependency not found on PyPI and could not be audited"},
        ],
        "fixes": [],
    }
    verdict = audit_deps.judge(report)
    assert verdict.audited == 0 and len(verdict.skipped) == 2
    assert not verdict.complete


def test_it_passes_only_a_report_that_audited_everything(audit_deps: Any) -> None:
    report = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}], "fixes": []}
    assert audit_deps.judge(report).complete
    report["dependencies"].append({"name": "x", "skip_reason": "could not be audited"})
    assert not audit_deps.judge(report).complete
    assert not audit_deps.judge({"dependencies": [], "fixes": []}).complete


def test_it_names_each_known_vulnerability(audit_deps: Any) -> None:
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.1",
                "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"]}],
            }
        ]
    }
    assert audit_deps.judge(report).vulnerable == ["django 5.2.1: PYSEC-2025-1 (fixed in 5.2.2)"]


def test_it_fails_when_an_audit_is_required_and_no_service_could_audit(
    audit_deps: Any, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.setattr(
        audit_deps, "run_pip_audit", lambda lock, service: audit_deps.Verdict(error="unreachable")
    )
    monkeypatch.setenv("CHRONICLE_REQUIRE_DEPENDENCY_AUDIT", "true")
    assert audit_deps.main(["requirements.lock"]) == 1
    assert "DEPENDENCIES NOT AUDITED" in capsys.readouterr().err
    monkeypatch.setenv("CHRONICLE_REQUIRE_DEPENDENCY_AUDIT", "false")
    assert audit_deps.main(["requirements.lock"]) == 0
    assert "DEPENDENCIES NOT AUDITED" in capsys.readouterr().err


def test_it_fails_on_a_known_vulnerability_even_outside_ci(audit_deps: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(
        audit_deps,
        "run_pip_audit",
        lambda lock, service: audit_deps.Verdict(audited=1, vulnerable=["x 1: CVE"]),
    )
    monkeypatch.setenv("CI", "false")
    assert audit_deps.main(["requirements.lock"]) == 1
