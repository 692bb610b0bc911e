import pytest

from notifications.mentions import MAX_MENTIONS, mentioned_names, mentioned_user_ids
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("@ada hello", ["ada"]),
        ("Thanks, @ada.", ["ada"]),
        ("(@ada) and @bo_1, @c.d-e+f!", ["ada", "bo_1", "c.d-e+f"]),
        ("@ada @ada @ada", ["ada"]),
        ("mail me at ada@example.com", []),
        ("@@ada", []),
        ("`@ada` is how you mention", []),
        ("```\n@ada in a code block\n```\nbut @bo here", ["bo"]),
        ("@小明 你好", ["小明"]),
        ("", []),
    ],
)
def test_mentioned_names(text, names):
    assert mentioned_names(text) == names


def test_mentions_are_capped():
    text = " ".join(f"@user{n}" for n in range(MAX_MENTIONS + 5))
    assert len(mentioned_names(text)) == MAX_MENTIONS


@pytest.mark.django_db
def test_only_existing_active_members_are_mentioned(django_assert_num_queries):
    ada = UserFactory(username="ada")
    UserFactory(username="gone", is_active=False)
    with django_assert_num_queries(1):
        assert mentioned_user_ids("@ada @gone @ghost") == [ada.pk]
    with django_assert_num_queries(0):
        assert mentioned_user_ids("no mention here") == []
