#!/usr/bin/env python3
"""Check the locked Python dependencies against a vulnerability database, and say so truthfully.

    python scripts/audit_deps.py [requirements.lock]

Runs pip-audit against PyPI's vulnerability service, then OSV. It passes only when a service
audited every locked dependency and found no known vulnerability. A dependency the service could
not look up is not "no known vulnerabilities": pip-audit skips it and still reports success, so
this script counts what was really audited. Known vulnerabilities always fail. When no service can
audit the lock (no network, or one that cannot answer), it says plainly that nothing was audited;
with CHRONICLE_REQUIRE_DEPENDENCY_AUDIT=true that fails. (It is not tied to CI=true: the machines
this project's CI runs on reach PyPI's package index but no vulnerability service, so a strict
check there would fail every run without auditing anything.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SERVICES = ("pypi", "osv")


@dataclass
class Verdict:
    audited: int = 0
    skipped: list[str] = field(default_factory=list)
    vulnerable: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def complete(self) -> bool:
        return not self.error and self.audited > 0 and not self.skipped


def judge(report: dict[str, Any]) -> Verdict:
    """What a pip-audit JSON report really says: how many were audited, skipped, vulnerable."""
    verdict = Verdict()
    for dependency in report.get("dependencies", []):
        label = f"{dependency.get('name')} {dependency.get('version', '')}".strip()
        if dependency.get("skip_reason"):
            verdict.skipped.append(f"{label}: {dependency['skip_reason']}")
            continue
        verdict.audited += 1
        for vulnerability in dependency.get("vulns", []):
            fixed = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version yet"
            verdict.vulnerable.append(f"{label}: {vulnerability.get('id')} (fixed in {fixed})")
    if not verdict.audited and not verdict.skipped:
        verdict.error = "the report lists no dependencies"
    return verdict


def run_pip_audit(lock: Path, service: str) -> Verdict:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [
        str(pip_audit), "-r", str(lock), "--no-deps", "--disable-pip", "--progress-spinner", "off",
        "--vulnerability-service", service, "--format", "json", "--timeout", "30",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return Verdict(error=f"pip-audit failed: {last_line[:300]}")
    return judge(report)


def main(argv: list[str]) -> int:
    lock = Path(argv[0] if argv else "requirements.lock")
    strict = os.environ.get("CHRONICLE_REQUIRE_DEPENDENCY_AUDIT", "").lower() == "true"
    tried = []
    for service in SERVICES:
        verdict = run_pip_audit(lock, service)
        if verdict.vulnerable:
            print(f"Known vulnerabilities in the locked dependencies ({service}):", file=sys.stderr)
            for line in verdict.vulnerable:
                print(f"  {line}", file=sys.stderr)
            return 1
        if verdict.complete:
            print(
                f"Audited all {verdict.audited} locked dependencies against {service}: no known vulnerabilities."
            )
            return 0
        if verdict.error:
            tried.append(f"{service}: {verdict.error}")
        else:
            example = verdict.skipped[0]
            tried.append(
                f"{service}: audited {verdict.audited}, could not look up {len(verdict.skipped)} "
                f"(for example {example})"
            )
    print("DEPENDENCIES NOT AUDITED: no vulnerability service could check the lock.", file=sys.stderr)
    for line in tried:
        print(f"  {line}", file=sys.stderr)
    if strict:
        return 1
    print(
        "  (CHRONICLE_REQUIRE_DEPENDENCY_AUDIT=true makes this a failure; run `make audit-deps` where "
        "PyPI's vulnerability service or OSV is reachable.)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
