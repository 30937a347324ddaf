"""Email addresses (security finding 4): an address speaks for one account only.

A learner used to be able to add another learner's address to their own account
(unverified), make it primary, and log in with it; a password reset for it then
mailed links for both accounts. The rules now (accounts/email_addresses.py):
an address another account holds, verified or not, cannot be added; an unverified
address is never made primary; and an address finds an account, to log in or to
reset its password, only when it is verified there or is the account's own primary
address (the one it signed up with: verification is optional).
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client

from tests import dom
from tests.factories import PASSWORD, EmailAddressFactory, UserFactory

EMAIL = "/accounts/email/"
LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"


@pytest.fixture(autouse=True)
def fresh_counters(db):
    cache.clear()  # allauth's rate-limit counters live in the cache table


@pytest.fixture
def ada(db):
    """Signed up as ada@example.com and has not verified it yet (verification is optional)."""
    return EmailAddressFactory(user=UserFactory(username="ada", email="ada@example.com")).user


@pytest.fixture
def mallory(db):
    return EmailAddressFactory(user=UserFactory(username="mallory", email="mallory@example.com")).user


def signed_in_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_address(client, email: str):
    return client.post(EMAIL, {"email": email, "action_add": ""})


def signed_in(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def reset_links(mails) -> list[str]:
    return [link for m in mails for link in re.findall(r"/accounts/password/reset/key/(\w+)-", m.body)]


def uid(user) -> str:
    from allauth.account.utils import user_pk_to_url_str

    return user_pk_to_url_str(user)


# -- adding an address ---------------------------------------------------------------


@pytest.mark.parametrize("verified", [True, False], ids=["verified", "unverified"])
def test_an_address_another_account_signed_up_with_cannot_be_added(ada, mallory, verified, mailoutbox):
    EmailAddress.objects.filter(user=ada).update(verified=verified)

    response = add_address(signed_in_as(mallory), "Ada@Example.com")

    assert response.status_code == 200
    assert "A user is already registered with this email address." in dom.text(response)
    assert not EmailAddress.objects.filter(user=mallory, email__iexact="ada@example.com").exists()
    assert mailoutbox == []  # and Ada is not sent a confirmation for Mallory's account


def test_an_address_another_account_added_unverified_cannot_be_added(ada, mallory):
    EmailAddressFactory(user=ada, email="ada.work@example.com")

    add_address(signed_in_as(mallory), "ada.work@example.com")

    assert list(EmailAddress.objects.filter(email="ada.work@example.com").values_list("user", flat=True)) == [
        ada.pk
    ]


def test_a_new_address_of_ones_own_is_added_unverified_and_not_primary(ada, mailoutbox):
    response = add_address(signed_in_as(ada), "ada.work@example.com")

    assert response.status_code == 302
    added = EmailAddress.objects.get(user=ada, email="ada.work@example.com")
    assert (added.verified, added.primary) == (False, False)
    assert [m.to for m in mailoutbox] == [["ada.work@example.com"]]  # the link that verifies it


# -- making an address primary -------------------------------------------------------


def test_an_unverified_address_cannot_be_made_primary(ada):
    # Ada's own address is unverified too: allauth lets an account with no verified
    # address make any of them primary. That was the way to take over someone's address.
    EmailAddressFactory(user=ada, email="ada.work@example.com")
    client = signed_in_as(ada)

    response = client.post(EMAIL, {"email": "ada.work@example.com", "action_primary": ""}, follow=True)

    ada.refresh_from_db()
    assert ada.email == "ada@example.com"
    assert EmailAddress.objects.get(user=ada, primary=True).email == "ada@example.com"
    assert "Verify ada.work@example.com first" in dom.text(response)


def test_a_verified_address_can_be_made_primary(ada):
    EmailAddressFactory(user=ada, email="ada.work@example.com", verified=True)

    response = signed_in_as(ada).post(EMAIL, {"email": "ada.work@example.com", "action_primary": ""})

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.email == "ada.work@example.com"


# -- password reset ------------------------------------------------------------------
# Mallory holding Ada's address unverified is what accounts made before the fix can
# still have (and what allauth would have allowed): the reset must pick Ada alone.


@pytest.mark.parametrize("ada_verified", [True, False], ids=["ada-verified", "ada-unverified"])
def test_a_reset_for_an_address_another_account_holds_unverified_mails_only_its_owner(
    ada, mallory, ada_verified, mailoutbox
):
    EmailAddress.objects.filter(user=ada).update(verified=ada_verified)
    EmailAddressFactory(user=mallory, email="ada@example.com")

    response = Client().post(RESET, {"email": "ada@example.com"})

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["ada@example.com"]]
    assert reset_links(mailoutbox) == [uid(ada)]


def test_a_reset_for_an_unverified_secondary_address_mails_nobody_a_link(ada, mailoutbox):
    EmailAddressFactory(user=ada, email="ada.work@example.com")

    Client().post(RESET, {"email": "ada.work@example.com"})

    assert reset_links(mailoutbox) == []  # only allauth's "no account with this address" note


# -- logging in ----------------------------------------------------------------------


def test_logging_in_with_an_unverified_secondary_address_is_refused(ada):
    EmailAddressFactory(user=ada, email="ada.work@example.com")
    client = Client()

    response = client.post(LOGIN, {"login": "ada.work@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert "are not correct" in dom.text(response)
    assert signed_in(client) is None


def test_once_verified_a_secondary_address_logs_in(ada):
    EmailAddressFactory(user=ada, email="ada.work@example.com", verified=True)
    client = Client()

    response = client.post(LOGIN, {"login": "ada.work@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in(client) == ada.pk


def test_the_unverified_address_an_account_signed_up_with_logs_in(ada):
    client = Client()

    assert client.post(LOGIN, {"login": "ada@example.com", "password": PASSWORD}).status_code == 302
    assert signed_in(client) == ada.pk


def test_another_account_holding_ones_address_unverified_cannot_log_in_with_it(ada, mallory):
    EmailAddressFactory(user=mallory, email="ada@example.com")
    mallory.set_password("mallory's own password")
    mallory.save()
    client = Client()

    response = client.post(LOGIN, {"login": "ada@example.com", "password": "mallory's own password"})

    assert "are not correct" in dom.text(response)
    assert signed_in(client) is None
