"""Fixtures and helpers for browser tests: Playwright driving Debian's Chromium (browsers cannot be downloaded here),
with axe-core checks, signing in and out, dates, and a look at a page at every width."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.signals import request_finished, request_started

from chronicle.accounts.models import Agency, User
from chronicle.chronologies.models import ChronologyRequest, Status
from chronicle.incidents.models import Incident
from tests.factories import PASSWORD, ChronologyRequestFactory, add_entries

# Playwright's sync API keeps an event loop running in the test thread; the ORM calls the
# tests make there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHRONICLE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None or not AXE.exists():
        missing = "Debian's chromium package" if path is None else "node_modules/axe-core (npm ci)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests need {missing}; .ci/run installs it")
        pytest.skip(f"browser tests need {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any, settings: Any) -> Iterator[Any]:
    settings.REQUIRE_2FA = False
    context = browser.new_context(viewport={"width": 1200, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A page may answer 404 on purpose; a stylesheet, script or image never should.
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield page
    context.close()
    assert not errors, f"the browser reported errors: {errors}"


def check_accessibility(page: Any, name: str) -> None:
    """Run axe-core on the page; fail on any serious or critical violation. Keep a screenshot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.evaluate(AXE.read_text())  # evaluated through the debugging protocol, so CSP does not block it
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    bad = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad
    ]
    assert not bad, f"{name}: accessibility violations: {summary}"


WIDTHS = (320, 375, 1280)
SHOT_WIDTHS = (375, 1280)
AXE_RUN = (
    "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
    "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations"
    ".filter(v => ['serious', 'critical'].includes(v.impact))"
    ".map(v => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target).join(' | ')}`)"
)


def sign_in(page: Any, email: str) -> None:
    page.goto("/")
    check_accessibility(page, "sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fill_date(page: Any, group: str, day: str, month: str, year: str) -> None:
    dates = page.get_by_role("group", name=group).first
    dates.get_by_label("Day").fill(day)
    dates.get_by_label("Month").fill(month)
    dates.get_by_label("Year").fill(year)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="You have signed out").wait_for()


def shots_folder() -> Path:
    folder = ROOT / "docs" / "images" if os.environ.get("CHRONICLE_DOCS_IMAGES") == "true" else SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_small(path: Path) -> None:
    """A screenshot for the docs in 256 colours: a page's few colours survive, the file is a third the size."""
    from PIL import Image

    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


def at_every_width(page: Any, name: str) -> None:
    """The page as it is now at 320, 375 and 1280 px: no overflow, no axe violation; shots at 375 and 1280."""
    size = page.viewport_size
    axe = AXE.read_text()
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{name} at {width} px: {scroll} px wide")
        if width in SHOT_WIDTHS:
            shot = shots_folder() / f"{name}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            if os.environ.get("CHRONICLE_DOCS_IMAGES") == "true":
                keep_small(shot)
        page.evaluate(axe)
        problems += [f"{name} at {width} px: {violation}" for violation in page.evaluate(AXE_RUN)]
    page.set_viewport_size(size)
    assert not problems, "\n".join(problems)


def sign_in_to_dashboard(page: Any, email: str) -> None:
    page.goto("/sign-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("heading", name="Dashboard").wait_for()


def draft_chronology(incident: Incident, agency_name: str, manager: User, lead: User) -> ChronologyRequest:
    """A chronology the agency is still writing, so the draft workspace has entries to show."""
    request: ChronologyRequest = ChronologyRequestFactory(
        incident=incident,
        agency=Agency.objects.get(partnership=incident.partnership, name=agency_name),
        period_from=incident.occurred_on - dt.timedelta(days=120),
        period_to=incident.occurred_on,
        scope="full",
        due_on=incident.aware_on + dt.timedelta(days=20),
        requested_on=incident.aware_on,
        requested_by=manager,
        status=Status.IN_PROGRESS,
        instructions="",
    )
    add_entries(
        request,
        lead,
        [
            (
                (incident.occurred_on - dt.timedelta(days=3)).isoformat(),
                "police_callout",
                "Police called by a neighbour to reports of a baby crying for hours; mother said the baby had colic.",
                "Niche occurrence 2026-5571-a-long-reference-with-no-spaces-at-all",
            ),
            (
                incident.occurred_on.isoformat(),
                "",
                "Officers attended the hospital with the ambulance crew and spoke to the father.",
                "Niche occurrence 2026-5580",
            ),
        ],
    )
    return request


class ServerProcessorTime:
    """The processor time the live server spends on each request, by path, as the thread answering it
    measures it (``time.thread_time`` from Django's request_started to request_finished, both sent in
    that thread). Unlike the browser's view of the server's time, it leaves out the time the request
    waited for the processor while other work ran on a shared machine."""

    def __init__(self) -> None:
        self._local = threading.local()
        self.by_path: dict[str, float | None] = {}  # path -> seconds of the last request to it

    def __enter__(self) -> ServerProcessorTime:
        request_started.connect(self._started, weak=False)
        request_finished.connect(self._finished, weak=False)
        return self

    def __exit__(self, *exc: object) -> None:
        request_started.disconnect(self._started)
        request_finished.disconnect(self._finished)

    def _started(self, sender: Any, environ: dict[str, Any], **kwargs: Any) -> None:
        self._local.path = environ.get("PATH_INFO", "")
        self.by_path[self._local.path] = None  # being answered
        self._local.began = time.thread_time()

    def _finished(self, sender: Any, **kwargs: Any) -> None:
        began = getattr(self._local, "began", None)
        if began is not None:
            self.by_path[self._local.path] = time.thread_time() - began
            self._local.began = None

    def last(self, url: str) -> float:
        """Seconds of processor time the last request for this page's path took."""
        path = urlsplit(url).path
        waited = time.monotonic()
        # The server closes the response just after its last byte: the browser may be a moment ahead.
        while (seconds := self.by_path[path]) is None and time.monotonic() - waited < 5:
            time.sleep(0.01)
        assert seconds is not None, f"the server did not finish answering {path}"
        return seconds
