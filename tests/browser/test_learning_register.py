"""A business manager records learning and actions and reads the register and its recurring themes in
Debian's Chromium, with axe-core checks on every page; the forms also work with JavaScript off."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from chronicle.reviews.models import LearningAction, LearningPoint
from tests.browser.support import at_every_width, check_accessibility, sign_in
from tests.support.learning_urls import LEARNING_URLS

pytestmark = [pytest.mark.browser, LEARNING_URLS]


def fill_date(page: Any, group: str, day: str, month: str, year: str) -> None:
    dates = page.get_by_role("group", name=group).first
    dates.get_by_label("Day").fill(day)
    dates.get_by_label("Month").fill(month)
    dates.get_by_label("Year").fill(year)


def test_it_lets_the_business_manager_record_learning_and_see_what_recurs(
    page: Any,
    world: Any,
    register: Any,
) -> None:
    sign_in(page, "manager@northshire.example")
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto(reverse("learning-case", args=[register.case.code]))
    page.get_by_role("heading", name="Learning points").wait_for()
    assert page.get_by_text("Overdue", exact=True).count() == 1
    check_accessibility(page, "learning-1-case")

    page.get_by_role("button", name="Add a learning point").click()
    page.get_by_role("button", name="Add the learning point").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    check_accessibility(page, "learning-2-point-errors")
    page.get_by_role("link", name="Write the learning point").click()
    assert page.evaluate("document.activeElement.id") == "id_text"
    page.get_by_label("Serious breach of safe practice").check()
    page.get_by_label("Theme").select_option("non_mobile_bruising")
    page.get_by_label("The learning point").fill("Bruising on a non-mobile baby was not referred.")
    page.get_by_label("Riverside GP Practice").check()
    page.get_by_label("Evidence").fill("GP, 12 Jan 2024 (consultation note); finding CJ-09 not met.")
    page.get_by_label("This learning may be of national significance").check()
    page.get_by_role("button", name="Add the learning point").click()
    page.get_by_text("The learning point has been added").wait_for()
    check_accessibility(page, "learning-3-point")

    page.get_by_role("button", name="Add an action").click()
    page.get_by_label("Action").fill("Remind practices of the bruising protocol")
    page.get_by_label("Owner").fill("Designated doctor, ICB")
    fill_date(page, "Due date", "31", "2", "2031")
    page.get_by_role("button", name="Add the action").click()
    page.get_by_text("Due date must be a real date").first.wait_for()
    check_accessibility(page, "learning-4-action-errors")
    fill_date(page, "Due date", "28", "2", "2031")
    page.get_by_role("button", name="Add the action").click()
    page.get_by_text("The action has been added").wait_for()

    page.get_by_role("link", name="Change status of action 1").click()
    check_accessibility(page, "learning-5-action-status")
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Save the status").click()
    page.get_by_text("The action is now: in progress").wait_for()
    point = LearningPoint.objects.get(theme="non_mobile_bruising")
    assert LearningAction.objects.get(learning_point=point).status == "in_progress"

    page.goto(reverse("learning-register"))
    page.get_by_role("heading", name="Learning register").wait_for()
    page.get_by_label("Year of the incident").select_option("2023")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("2 of 5 learning points").wait_for()
    at_every_width(page, "learning-register")

    page.get_by_role("link", name="Recurring themes").click()
    page.get_by_role("heading", name="Recurring themes").wait_for()
    at_every_width(page, "learning-themes")
    page.get_by_role("link", name="1 Information sharing, Riverside GP Practice").click()
    page.get_by_text("1 of 5 learning points").wait_for()
    assert register.shared_point.text in page.text_content("table")


def test_it_adds_a_learning_point_without_javascript(
    browser: Any,
    live_server: Any,
    world: Any,
    register: Any,
    settings: Any,
) -> None:
    settings.REQUIRE_2FA = False
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/sign-in/")
    page.fill("#id_username", "manager@northshire.example")
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit]")
    page.goto(reverse("learning-point-new", args=[register.case.code]))
    page.get_by_label("Reflective learning point").check()
    page.get_by_label("Theme").select_option("escalation")
    page.get_by_label("The learning point").fill("Concerns were not escalated when the plan drifted.")
    page.get_by_label("Northshire Police").check()
    page.get_by_label("Evidence").fill("Police, 3 Feb 2024 (Niche ref 131).")
    page.get_by_role("button", name="Add the learning point").click()
    page.get_by_role("heading", name="Professional challenge and escalation").wait_for()
    page.goto(reverse("learning-register") + "?theme=escalation")
    assert "Concerns were not escalated" in page.text_content("table")
    context.close()
