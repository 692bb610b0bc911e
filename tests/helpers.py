"""The one home for what many tests share: a body every form accepts, and a question made the
way the site makes one (through the service, so it has its first revision and search entry).
Model factories live in `tests/factories.py`."""

from questions import services
from tests.factories import UserFactory

BODY = "A body that is comfortably longer than thirty characters."
OTHER_BODY = "A different body, also longer than thirty characters."


def ask(author=None, **kwargs):
    """A question asked through `ask_question`: revision 1, a search entry, notifications."""
    kwargs.setdefault("title", "How do I stop my jokes from falling flat?")
    kwargs.setdefault("body", BODY)
    kwargs.setdefault("tags", ["humour"])
    return services.ask_question(author=author or UserFactory(), **kwargs)
