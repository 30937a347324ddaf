"""Settings in the browser: a new secret link is asked for first, in place, and confirmed after."""

from playwright.sync_api import Page, expect

from accounts.models import Profile, Visibility


def test_a_new_secret_link_asks_first_in_place_then_says_it_was_made(page: Page, learner, log_in):
    Profile.objects.filter(pk=Profile.objects.for_user(learner).pk).update(visibility=Visibility.UNLISTED)
    old = Profile.objects.get(user=learner).share_token
    log_in(page, learner)
    page.goto("/settings/")
    sharing = page.get_by_role("region", name="Your progress page")

    sharing.get_by_role("link", name="Make a new secret link…").click()

    expect(sharing).to_contain_text("The old link stops working at once.")
    assert page.url.endswith("/settings/")  # swapped in place by htmx, no page of its own
    assert Profile.objects.get(user=learner).share_token == old
    sharing.get_by_role("button", name="Make a new secret link").click()

    page.wait_for_url("**/settings/")
    expect(page.get_by_role("status")).to_contain_text("Made a new secret link. The old one no longer works")
    new = Profile.objects.get(user=learner).share_token
    assert new != old
    expect(page.get_by_label("Link to share")).to_have_value(f"{page.url.split('/settings/')[0]}/s/{new}/")
