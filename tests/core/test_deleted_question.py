"""A deleted question takes its answers and comments with it (contract v1.3, "Deleted and
hidden content"): to anyone but their authors, the question's author and moderators they
answer 404 like the question; nobody votes on, comments on, edits or flags them; no profile or
API answer lists them."""

import pytest

from comments.services import add_comment
from moderation.services import delete_post
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory
from votes.models import Vote

pytestmark = pytest.mark.django_db

TITLE = "A question its author deleted, answers and all"


@pytest.fixture
def thread():
    question = QuestionFactory(title=TITLE)
    answer = AnswerFactory(question=question, body="An answer under the deleted question.")
    comment = add_comment(author=UserFactory(), post=answer, body="A comment on that answer.")
    delete_post(actor=question.author, post=question)
    return question, answer, comment


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/answers/{a}/revisions/"),
        ("get", "/answers/{a}/edit/"),
        ("post", "/answers/{a}/vote/"),
        ("post", "/answers/{a}/comment/"),
        ("post", "/answers/{a}/flag/"),
        ("post", "/comments/{c}/flag/"),
    ],
)
def test_others_get_404_and_change_nothing(client, thread, launch_mode, method, path):
    question, answer, comment = thread
    client.force_login(UserFactory(reputation=5000))
    data = {"value": "1", "body": "A comment long enough to count.", "reason": "spam"}
    url = path.format(a=answer.pk, c=comment.pk)
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == 404
    assert not Vote.objects.filter(answer=answer).exists()
    assert answer.comments.count() == 1
    assert not answer.flags.exists() and not comment.flags.exists()


def test_authors_and_moderators_still_see_it_but_nobody_writes(client, thread, launch_mode):
    question, answer, comment = thread
    url = f"/answers/{answer.pk}/revisions/"
    for viewer in (answer.author, question.author, ModeratorFactory()):
        client.force_login(viewer)
        assert client.get(url).status_code == 200
    client.force_login(question.author)
    assert client.post(f"/answers/{answer.pk}/vote/", {"value": "1"}).status_code == 403
    client.force_login(answer.author)
    response = client.post(f"/answers/{answer.pk}/edit/", {"body": "An edit long enough, yes."})
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_profiles_and_the_api_do_not_list_its_answers(client, thread):
    question, answer, comment = thread
    profile = client.get(f"/users/{answer.author.username}/").content.decode()
    assert TITLE not in profile
    api = client.get(f"/api/v1/users/{answer.author.username}/").content.decode()
    assert TITLE not in api
