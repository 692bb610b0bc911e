"""The list counts around a bulk load (`questions.liststore`): the triggers that keep them
would fire once per copied row, so a load on PostgreSQL switches them off while it writes and
rebuilds the buckets in set-based statements afterwards. The loader writes each question's
`is_answered` itself, so the recount does not rewrite a million questions to set it.

The bucket statements read only the question, tag and answer rows (hash joins, no index), so
the loader runs them on its second connection while the first builds the search index's GIN
index, the longest step, which PostgreSQL builds on one core."""

from django.db import connection

from questions import liststore


def pause_list_triggers() -> None:
    liststore.set_triggers(False)


def bucket_statements() -> list[str]:
    """Empty the buckets here; return the statements that refill them, for `run_parallel`
    (each runs alone: the triggers are off and nothing else writes during a load)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM questions_listbucket")
    return list(liststore.BUCKETS_SQL)


def resume_list_triggers() -> None:
    """Switch the triggers back on once the buckets are refilled."""
    liststore.set_triggers(True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE questions_listbucket")
