"""The list counts around a bulk load (`questions.liststore`): the triggers that keep them
would fire once per copied row, so a load on PostgreSQL switches them off while it writes and
recounts everything in two set-based statements afterwards (`is_answered`, then the buckets)."""

from questions import liststore


def pause_list_triggers() -> None:
    liststore.set_triggers(False)


def resume_list_triggers() -> None:
    """Switch the triggers back on and recount what they would have kept."""
    liststore.set_triggers(True)
    liststore.recount()
