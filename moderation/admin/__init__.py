"""The admin is the moderators' console (superusers and the Moderators group), and this
package is all of it: one module per kind of thing moderators look after.

Posts and comments are soft-deleted and restored through actions that call the services, so the
stored counters stay right; hard deletes are switched off where they would bypass them. Edits to
a post's text go through `edit_post`, which keeps a revision. Votes and revisions are read-only:
only the services write them. Every changelist states its joins (`list_select_related`) or
annotations (`get_queryset`), and tests/*/test_admin.py prove its query count is flat. A
`get_queryset` that calls `select_related` switches `list_select_related` off (ChangeList only
applies it to a queryset without one), so the joins a changelist needs are listed there only.
"""

from . import comments, flags, log, posts, tags, users  # noqa: F401  (they register)
