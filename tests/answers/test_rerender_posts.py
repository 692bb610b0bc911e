"""`manage.py rerender_posts`: stored HTML rendered again from the Markdown source, in
batches, writing only what changed."""

from io import StringIO

import pytest
from django.core.management import call_command

from answers.models import Answer
from questions.models import Question
from tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

CODE = "```python\nprint('hi')\n```"


def test_old_html_is_rendered_again_from_the_markdown():
    question = QuestionFactory(body=CODE)
    answers = AnswerFactory.create_batch(3, question=question, body=CODE)
    fresh = AnswerFactory(question=question, body="Nothing to change here, a plain answer.")
    stale = "<pre><code class=\"language-python\">print('hi')\n</code></pre>"
    Question.objects.update(body_html=stale)  # as a post written before highlighting
    Answer.objects.filter(pk__in=[a.pk for a in answers]).update(body_html=stale)
    out = StringIO()
    call_command("rerender_posts", batch_size=2, stdout=out)
    for post in [question, *answers]:
        post.refresh_from_db()
        assert '<span class="nb">' not in post.body_html
        assert '<span class="hl-nb">print</span>' in post.body_html
    assert "4 of 5 posts re-rendered" in out.getvalue()
    assert "answers: 2/4" in out.getvalue()  # progress per batch
    fresh.refresh_from_db()
    assert fresh.body_html == "<p>Nothing to change here, a plain answer.</p>"


def test_a_dry_run_writes_nothing():
    question = QuestionFactory(body=CODE)
    Question.objects.update(body_html="<p>old</p>")
    out = StringIO()
    call_command("rerender_posts", dry_run=True, stdout=out)
    question.refresh_from_db()
    assert question.body_html == "<p>old</p>"
    assert "1 of 1 posts would change" in out.getvalue()
