from __future__ import annotations

from typing import Any

import pytest

from tests.browser.support import check_accessibility, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_it_signs_in_the_business_manager_who_sees_the_dashboard_and_signs_out(page: Any, world: Any) -> None:
    sign_in(page, "manager@northshire.example")
    page.get_by_role("heading", name="Dashboard").wait_for()
    assert "Northshire Safeguarding Children Partnership" in page.text_content("header")
    check_accessibility(page, "dashboard")

    page.get_by_role("link", name="Agencies").first.click()
    page.get_by_role("heading", name="Agencies").wait_for()
    check_accessibility(page, "agencies")
    page.get_by_role("button", name="Add an agency").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("There is a problem").wait_for()
    check_accessibility(page, "agency-form-errors")
    page.get_by_role("link", name="Enter the agency's name").click()
    assert page.evaluate("document.activeElement.id") == "id_name"

    page.get_by_role("link", name="People").first.click()
    check_accessibility(page, "people")
    page.get_by_role("button", name="Invite someone").click()
    check_accessibility(page, "invite")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="You have signed out").wait_for()
    check_accessibility(page, "signed-out")
    page.goto("/dashboard/")
    assert "/sign-in/" in page.url


def test_it_shows_the_auditor_the_audit_log(page: Any, world: Any) -> None:
    sign_in(page, "auditor@northshire.example")
    page.get_by_role("link", name="Audit log").first.click()
    page.get_by_role("heading", name="Audit log").wait_for()
    assert "auditor@northshire.example" in page.text_content("table")
    check_accessibility(page, "audit-log")


def test_it_works_without_javascript(browser: Any, live_server: Any, world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = False
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/sign-in/")
    page.fill("#id_username", "police.lead@northshire.example")
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit]")
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", name="You have signed out").is_visible()
    context.close()


def test_it_shows_the_page_not_found_page_for_other_agencies_records(page: Any, world: Any) -> None:
    make_user("gp.worker@northshire.example", world.northshire, "contributor", world.gp)
    sign_in(page, "gp.worker@northshire.example")
    page.get_by_role("heading", name="Dashboard").wait_for()
    response = page.goto(f"/agencies/{world.police.code}/")
    assert response.status == 404
    page.get_by_role("heading", name="Page not found").wait_for()
    check_accessibility(page, "not-found")
