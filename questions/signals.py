"""What happened in a thread, for whoever wants to know (notifications, the audit log...).

The services send these right after their write, inside its transaction, so a receiver that
writes rows commits or rolls back with it; anything leaving the process (email) belongs in
`transaction.on_commit`. `questions` imports no receiver: apps subscribe in `AppConfig.ready()`.
"""

from django.dispatch import Signal

# A question or an answer was created. Arguments: `post`.
post_created = Signal()

# A comment was added to a post. Arguments: `comment`, `post`.
comment_added = Signal()

# An answer became the accepted one (not sent when the mark is taken back). Arguments: `answer`.
answer_accepted = Signal()

# One row of the moderators' audit log was written (the moderation branch sends it, with the
# `ModerationAction` model as sender). Arguments: `action` (a `ModerationAction.Kind` value such
# as "delete", "close", "hide"), `actor` (the moderator; None when the site acted by itself),
# `target` (the question, answer, comment or member acted on, or None), `reason` (may be
# empty), `entry` (the log row).
moderator_action = Signal()
