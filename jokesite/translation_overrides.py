"""Django's own strings that the Chinese interface words differently.

Our catalogue (LOCALE_PATHS) outranks the ones Django and allauth ship, so a msgid marked here,
where `make makemessages` collects it, and translated in jokesite/locale replaces theirs
everywhere. Nothing imports this module: it only carries the marks.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = [
    # humanize's naturaltime for the last minute. Django says 现在 ("at present"), which reads
    # oddly after 提问于 ("asked"); Chinese sites say 刚刚 ("just now").
    gettext_noop("now"),
]
