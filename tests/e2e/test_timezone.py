"""The learner's time zone comes from their browser (static/js/timezone.js), never from a guess on the server."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from accounts.models import Profile
from tests.factories import PASSWORD


@pytest.mark.browser_context_args(timezone_id="Asia/Tokyo")
def test_a_browser_in_tokyo_signs_up_with_tokyos_time_zone(page: Page):
    page.goto("/accounts/signup/")
    page.get_by_label(re.compile(r"^Email")).fill("grace@example.com")
    page.get_by_label(re.compile(r"^Username")).fill("grace")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^Sign up$", re.IGNORECASE)).click()

    page.wait_for_url(re.compile(r"/(dashboard|placement)/"))
    grace = get_user_model().objects.get(username="grace")
    assert Profile.objects.for_user(grace).timezone == "Asia/Tokyo"
    # Settings then has nothing to offer: the browser's zone is the saved one.
    page.goto("/settings/")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    expect(page.get_by_text("Your browser says")).to_be_hidden()


@pytest.mark.browser_context_args(timezone_id="Asia/Tokyo")
def test_settings_offer_the_browsers_zone_when_it_differs_and_use_it_on_request(page: Page, learner, log_in):
    log_in(page, learner)  # saved: UTC, the default

    page.goto("/settings/")
    offer = page.locator("form[data-timezone-offer]")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Your browser says Asia/Tokyo — use it?")
    offer.get_by_role("button", name="Use my browser's time zone").click()

    page.wait_for_url("**/settings/")
    expect(page.get_by_role("status")).to_contain_text("Time zone set to Asia/Tokyo")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    expect(offer).to_be_hidden()
    assert Profile.objects.for_user(learner).timezone == "Asia/Tokyo"
