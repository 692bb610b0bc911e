"""Import a Stack Exchange data dump: members, tags, questions, answers, comments, votes,
accepted answers, duplicates and closed state.

Every table is streamed (`exchange.dump.iter_rows`) and written in batches with bulk inserts,
one transaction per batch together with its `ImportedRow` mappings, so an import stopped
half-way resumes where it stopped and a second run changes nothing. Nothing is held per row
of the dump: answers, comments and votes find their posts and members through the mapping
table, a batch at a time. After the inserts, `_finish` brings what the services would have
kept current up to date: the answer and comment counters, the search index (the code of
`rebuild_search`) and reputation (the measures of `recompute_reputation`, booked as one
"reputation from before the ledger" row per member).

Ids. A question, answer or comment keeps its id from the dump when that id is free here (so
`/questions/<id>/` links keep working as they are); otherwise it gets a new one and the old
URL redirects permanently (`exchange.middleware`). Members get new ids: their names are their
URLs.

Bodies. The dump's HTML goes through the sanitizer of every post (`clean_post_html`) into
`body_html`; `body`, the Markdown an edit starts from, is the source from PostHistory.xml when
the dump has it, else the sanitized HTML converted to Markdown.
"""

from .base import ImporterBase
from .finish import FinishMixin
from .members import MembersMixin
from .posts import PostsMixin
from .reactions import ReactionsMixin
from .rows import (
    ANSWER,
    CLOSED,
    DOWNVOTE,
    DUPLICATE_LINK,
    QUESTION,
    TAG_EXCERPT,
    UPVOTE,
    FileReport,
    Report,
    body_markdown,
    make_slug,
    tag_name,
)


class Importer(MembersMixin, PostsMixin, ReactionsMixin, FinishMixin, ImporterBase):
    """One import of one dump folder into the site, under a site key (`--site`)."""


__all__ = [
    "ANSWER",
    "CLOSED",
    "DOWNVOTE",
    "DUPLICATE_LINK",
    "QUESTION",
    "TAG_EXCERPT",
    "UPVOTE",
    "FileReport",
    "Importer",
    "Report",
    "body_markdown",
    "make_slug",
    "tag_name",
]
