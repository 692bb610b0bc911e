"""@username mentions in Markdown text."""

import re

from django.contrib.auth import get_user_model

# Django usernames are letters, digits and @ . + - _ ; an @ inside a word (an email address)
# is not a mention, and a trailing dot ends the sentence, not the name.
MENTION_RE = re.compile(r"(?<![\w@.+-])@([\w.+-]{1,150})")
# Code shows how to write a mention; it does not mention anyone.
CODE_RE = re.compile(r"```.*?(?:```|$)|~~~.*?(?:~~~|$)|`[^`\n]*`", re.DOTALL)
MAX_MENTIONS = 10


def mentioned_names(text: str) -> list[str]:
    """Distinct names after an @, in order of appearance, at most MAX_MENTIONS."""
    names: list[str] = []
    for match in MENTION_RE.finditer(CODE_RE.sub(" ", text or "")):
        name = match.group(1).rstrip(".+-")
        if name and name not in names:
            names.append(name)
            if len(names) == MAX_MENTIONS:
                break
    return names


def mentioned_user_ids(text: str) -> list[int]:
    """Ids of the active members mentioned in `text` (one query, none without a mention)."""
    names = mentioned_names(text)
    if not names:
        return []
    users = get_user_model().objects.filter(username__in=names, is_active=True)
    return list(users.values_list("pk", flat=True))
