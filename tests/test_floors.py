"""No import of a Chronicle module hides inside a function: a hidden import dodges a cycle or an
upward arrow that the import-linter contract in pyproject.toml would otherwise catch.

The few that stay are listed with their reason; a new one fails here until it is moved to the top of
its module or, for a real reason, added to the list.

The tests have a floor too: no test module (and no conftest) imports a conftest or a test module.
Test data comes from ``tests.factories``, shared helpers from ``tests.support`` (or a folder's own
``support`` module), and fixtures from conftest files, as fixtures.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CHRONICLE = TESTS.parent / "chronicle"

# (module, imported module) -> why it is imported where it is used.
ALLOWED: dict[tuple[str, str], str] = {
    # Optional heavy imports: spaCy and WeasyPrint load only when events are read or a PDF is made.
    ("chronicle.core.compliance.engine", "chronicle.core.extract"): "loads spaCy",
    ("chronicle.core.quality", "chronicle.core.extract"): "loads spaCy",
    ("chronicle.core.silence", "chronicle.core.extract"): "loads spaCy",
    ("chronicle.core.documents", "chronicle.core.pdf_listings"): "PDF only, beside WeasyPrint",
    # The command line answers the file-only commands without loading Django's settings.
    ("chronicle.cli", "chronicle.env"): "Django's settings only for Django's commands",
    # Django: an app's ready() connects its signals; the admin site is built while apps load.
    ("chronicle.audit.apps", "chronicle.audit"): "signals connected in ready()",
    ("chronicle.composite.apps", "chronicle.chronologies.signals"): "signals connected in ready()",
    ("chronicle.composite.apps", "chronicle.incidents.models"): "signals connected in ready()",
    ("chronicle.composite.apps", "chronicle.composite.services"): "a receiver runs once apps are loaded",
    ("chronicle.jobs.apps", "chronicle.jobs"): "a case's files registered for the auditor's page in ready()",
    ("chronicle.audit.admin_site", "chronicle.accounts.models"): "the admin site is made before models load",
    ("chronicle.audit.admin_site", "chronicle.audit.services"): "the admin site is made before models load",
    # Cycles still to untangle, each named with what removes it (issue 15).
    ("chronicle.core.exports", "chronicle.core.timeline_svg"): "core being changed elsewhere: to check",
    ("chronicle.jobs.services", "chronicle.jobs.tasks"): "cycle: the task calls services.make; item 5 "
    "moves the making of files to its own module",
    (
        "chronicle.reviews.services",
        "chronicle.chronologies.models",
    ): "reviews being changed elsewhere: item 5",
    ("chronicle.reviews.views", "chronicle.chronologies.models"): "reviews being changed elsewhere: item 5",
}


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _hidden_imports(root: Path = CHRONICLE) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = _module_name(path, root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.ImportFrom)
                    and inner.module
                    and inner.module.startswith("chronicle")
                ):
                    found.add((module, inner.module))
                elif isinstance(inner, ast.Import):
                    found |= {
                        (module, alias.name) for alias in inner.names if alias.name.startswith("chronicle")
                    }
    return found


def test_it_finds_no_import_of_chronicle_hidden_in_a_function() -> None:
    unexplained = sorted(_hidden_imports() - ALLOWED.keys())
    assert unexplained == [], f"imports inside functions (move them to the top of the module): {unexplained}"


def test_it_keeps_no_reason_for_an_import_that_is_gone() -> None:
    assert sorted(ALLOWED.keys() - _hidden_imports()) == []


def test_it_sees_an_import_inside_a_function_but_not_at_the_top(tmp_path: Path) -> None:
    package = tmp_path / "chronicle" / "incidents"
    package.mkdir(parents=True)
    (package / "services.py").write_text(
        "from chronicle.accounts.models import Partnership\n\n"
        "def clocks():\n    import chronicle.composite\n\n"
        "    def decided():\n        from chronicle.reviews.models import Decision\n"
    )
    assert _hidden_imports(tmp_path / "chronicle") == {
        ("chronicle.incidents.services", "chronicle.composite"),
        ("chronicle.incidents.services", "chronicle.reviews.models"),
    }


def _is_test_or_conftest(module: str) -> bool:
    return any(part == "conftest" or part.startswith(("conftest_", "test_")) for part in module.split("."))


def _imports_of_tests(root: Path = TESTS) -> set[tuple[str, str]]:
    """(file, module) for every import, anywhere in a file under ``root``, of a conftest or test module."""
    found: set[tuple[str, str]] = set()
    for path in root.rglob("*.py"):
        name = str(path.relative_to(root))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = "." * node.level + (node.module or "")
                modules = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            found |= {(name, module) for module in modules if _is_test_or_conftest(module)}
    return found


def test_it_finds_no_test_that_imports_a_conftest_or_another_test_module() -> None:
    assert sorted(_imports_of_tests()) == [], (
        "import test data from tests.factories and helpers from tests.support; use fixtures as fixtures"
    )


def test_it_sees_each_way_of_importing_a_conftest_or_a_test_module(tmp_path: Path) -> None:
    (tmp_path / "test_pages.py").write_text(
        "from tests.conftest import make_user\n"
        "import tests.reviews.test_rapid_review\n"
        "from tests.reviews import conftest_pack\n"
        "from .conftest import world\n"
        "from tests.factories import make_incident\n"
        "from tests.support.forms import decide\n\n"
        "def helper():\n    from tests.incidents.test_screening import answers_form\n"
    )
    assert _imports_of_tests(tmp_path) == {
        ("test_pages.py", "tests.conftest"),
        ("test_pages.py", "tests.conftest.make_user"),
        ("test_pages.py", "tests.reviews.test_rapid_review"),
        ("test_pages.py", "tests.reviews.conftest_pack"),
        ("test_pages.py", ".conftest"),
        ("test_pages.py", ".conftest.world"),
        ("test_pages.py", "tests.incidents.test_screening"),
        ("test_pages.py", "tests.incidents.test_screening.answers_form"),
    }
