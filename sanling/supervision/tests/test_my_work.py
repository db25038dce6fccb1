"""我的待办 holds the letters waiting for a person: proposals for those who decide, issued letters for the
organisation that must acknowledge and answer them — and nothing of another town's."""

import datetime

import pytest
from django.urls import reverse

from sanling.supervision.services import letter_issue

pytestmark = pytest.mark.django_db


def my_work(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("work:mine")).content.decode()


def test_the_county_sees_the_proposals_it_must_decide(client, ladder):
    page = my_work(client, ladder["admin_user"])
    for letter in ladder["letters"]:
        assert f'data-ref="{letter.ref}"' in page


def test_another_town_sees_none_of_them(client, ladder):
    page = my_work(client, ladder["town_a"])
    assert not any(letter.ref in page for letter in ladder["letters"])


def test_the_organisation_a_letter_was_sent_to_is_asked_to_acknowledge_it_until_it_answers(client, ladder):
    from sanling.supervision.services import letter_respond

    letter = letter_issue(
        letter=ladder["letters"][0], version=1, sent_to=ladder["org_shangqiao"], on=datetime.date(2025, 3, 4)
    )
    page = my_work(client, ladder["town_b"])
    card = page[page.index(f'data-ref="{letter.ref}"') :]
    assert "签收" in card[: card.index("</li>")]
    assert "已超期" in card[: card.index("</li>")]  # its answer was due in March 2025
    letter_respond(letter=letter, version=letter.version, text="已整改", user=ladder["town_b"])
    assert f'data-ref="{letter.ref}"' not in my_work(client, ladder["town_b"])
