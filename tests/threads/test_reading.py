"""Reading long threads: a permalink and a share address for every post, and "N answers" with
a jump list to each answer (a <details>, no JavaScript needed)."""

import re

import pytest

from tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_every_post_has_a_permalink_and_a_share_address(client):
    question = QuestionFactory()
    answers = AnswerFactory.create_batch(2, question=question)
    page = client.get(question.get_absolute_url()).content.decode()
    base = "http://testserver"
    for post in [question, *answers]:
        kind = post._meta.model_name
        field = re.search(rf'<input id="share-{kind}-{post.pk}" type="url" value="([^"]+)"', page)
        assert field, f"no share address for {kind} {post.pk}"
        assert field.group(1) == base + post.get_absolute_url()
        assert f'class="permalink" href="{post.get_absolute_url()}"' in page
    assert page.count('<details class="share">') == 3


def test_a_long_thread_lists_its_answers_to_jump_to(client):
    question = QuestionFactory()
    answers = AnswerFactory.create_batch(3, question=question, body="**Batches**, twice a day.")
    page = client.get(question.get_absolute_url()).content.decode()
    assert "3 answers" in page
    jump = page.split('<details class="jump-list">')[1].split("</details>")[0]
    listed = [int(pk) for pk in re.findall(r'href="#answer-(\d+)"', jump)]
    shown = [int(pk) for pk in re.findall(r'<article [^>]*id="answer-(\d+)"', page)]
    assert listed == shown and sorted(listed) == sorted(a.pk for a in answers)
    assert "Batches, twice a day." in jump and "**" not in jump  # plain text


def test_a_short_thread_has_no_jump_list(client):
    question = QuestionFactory()
    AnswerFactory.create_batch(2, question=question)
    assert "jump-list" not in client.get(question.get_absolute_url()).content.decode()
