"""Form validation: lengths by the text rules (a CJK character counts twice toward a
minimum), tags, votes and flags."""

import pytest
from django.core.exceptions import ValidationError

from answers.forms import AnswerForm
from comments.forms import CommentForm
from flags.forms import FlagForm
from questions.forms import QuestionForm
from questions.models import Tag
from tests.factories import CategoryFactory, QuestionFactory, TagFactory, UserFactory
from tests.helpers import BODY
from votes.forms import VoteForm

# QuestionForm resolves tag synonyms, so validating tags reads the database.
pytestmark = pytest.mark.django_db


def question_form(**overrides):
    data = {"title": "Why do cats knock things off tables?", "body": BODY, "tags": "cats"}
    data.update(overrides)
    return QuestionForm(data)


def test_valid_question_form_cleans_title_and_tags():
    form = question_form(title="  Why   do cats  knock things off tables? ", tags="Cats,PHYSICS")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Why do cats knock things off tables?"
    assert form.cleaned_data["tags"] == ["cats", "physics"]
    assert form.cleaned_data["category"] is None


@pytest.mark.parametrize(
    "title,valid",
    [
        ("x" * 14, False),
        ("x" * 15, True),
        ("x" * 150, True),
        ("x" * 151, False),
        ("笑" * 7, False),  # a CJK character counts as two toward the minimum
        ("笑" * 8, True),
        ("笑" * 150, True),  # and as one toward the maximum
        ("笑" * 151, False),
        ("a" + " " * 20 + "b" * 12, False),  # 14 characters once the spaces are collapsed
    ],
    ids=["14", "15", "150", "151", "zh7", "zh8", "zh150", "zh151", "collapsed-to-14"],
)
def test_title_length_is_counted_in_characters(title, valid):
    assert question_form(title=title).is_valid() is valid


@pytest.mark.parametrize(
    "body,valid",
    [
        ("b" * 29, False),
        ("b" * 30, True),
        ("b" * 30_000, True),
        ("b" * 30_001, False),
        ("说" * 14, False),
        ("说" * 15, True),
        ("  " + "b" * 28 + "  ", False),
    ],
    ids=["29", "30", "30000", "30001", "zh14", "zh15", "padded"],
)
def test_body_length_is_counted_in_characters(body, valid):
    assert question_form(body=body).is_valid() is valid
    assert AnswerForm({"body": body}).is_valid() is valid


@pytest.mark.parametrize(
    "tags,error",
    [
        ("", "Add at least one tag."),
        (" , ，", "Add at least one tag."),
        ("a b c d e f", "Use at most 5 tags."),
        ("t" * 36, "is longer than 35 characters"),
        ("jokes/puns", "may only contain"),
        ("-dash", "may only contain"),
        ("semi;colon", "may only contain"),
        ("<b>", "may only contain"),
    ],
)
def test_bad_tags_are_refused_with_a_reason(tags, error):
    form = question_form(tags=tags)
    assert not form.is_valid()
    assert error in form.errors["tags"][0]


@pytest.mark.parametrize(
    "tags", ["t" * 35, "a b c d e", "a a a a a a", "c# c++ node.js", "笑话 心情", "under_score"]
)
def test_good_tags_are_accepted(tags):
    form = question_form(tags=tags)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_category_is_chosen_by_slug():
    category = CategoryFactory(slug="mood-talk")
    form = question_form(category="mood-talk")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["category"] == category
    assert not question_form(category="missing").is_valid()


@pytest.mark.parametrize(
    "body,valid",
    [
        ("c" * 14, False),
        ("c" * 15, True),
        ("c" * 600, True),
        ("c" * 601, False),
        ("评" * 8, True),
        ("评" * 7, False),
        ("   " + "c" * 14 + "   ", False),
    ],
    ids=["14", "15", "600", "601", "zh8", "zh7", "padded"],
)
def test_comment_length_is_counted_in_characters(body, valid):
    assert CommentForm({"body": body}).is_valid() is valid


@pytest.mark.parametrize("value,cleaned", [("1", 1), ("-1", -1), ("0", 0)])
def test_vote_form_accepts_1_minus1_and_0(value, cleaned):
    form = VoteForm({"value": value})
    assert form.is_valid()
    assert form.cleaned_data["value"] == cleaned


@pytest.mark.parametrize("value", ["2", "-2", "+1", "01", "", "true"])
def test_vote_form_refuses_anything_else(value):
    assert not VoteForm({"value": value}).is_valid()


@pytest.mark.parametrize("reason", ["spam", "rude", "needs-improvement"])
def test_flag_needs_no_details_except_for_other(reason):
    assert FlagForm({"reason": reason}).is_valid()
    assert not FlagForm({"reason": "other"}).is_valid()
    assert not FlagForm({"reason": "other", "details": "   "}).is_valid()
    assert FlagForm({"reason": "other", "details": "Plagiarised from a blog."}).is_valid()


def test_flag_refuses_unknown_reasons():
    form = FlagForm({"reason": "boring"})
    assert not form.is_valid()
    assert "reason" in form.errors


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["jokes/puns", "two words", "-dash", "?", "a%2Fb"])
def test_tag_names_the_urls_cannot_carry_are_refused_by_the_model(name):
    with pytest.raises(ValidationError):
        Tag(name=name).full_clean()


@pytest.mark.django_db
def test_renaming_a_tag_in_the_admin_cannot_break_the_pages(client):
    """Every page that lists a tag links /tags/<name>/: a slash in a name made them all 500."""
    tag = TagFactory(name="jokes")
    QuestionFactory(tags=[tag])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        f"/admin/questions/tag/{tag.pk}/change/", {"name": "jokes/puns", "description": ""}
    )
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    tag.refresh_from_db()
    assert tag.name == "jokes"
    assert client.get("/").status_code == 200


def test_body_keeps_leading_indentation_but_not_blank_lines_around_it():
    code = "    def joke():\r\n        return 'knock knock'\r\n\r\nWhy does it hang?"
    body = f"\r\n  \r\n{code}  \r\n\r\n"
    form = AnswerForm({"body": body})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == code
