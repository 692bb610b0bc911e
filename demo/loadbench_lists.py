"""The list counts around a bulk load (`questions.liststore`): the triggers that keep them
would fire once per copied row, so a load on PostgreSQL switches them off while it writes and
rebuilds the buckets in set-based statements afterwards. The loader writes each question's
`is_answered` itself, so the recount does not rewrite a million questions to set it."""

from questions import liststore


def pause_list_triggers() -> None:
    liststore.set_triggers(False)


def resume_list_triggers() -> None:
    """Switch the triggers back on and recount what they would have kept."""
    liststore.set_triggers(True)
    liststore.recount(answered=False)
