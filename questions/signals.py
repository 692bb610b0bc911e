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

# A moderator acted on something (a post, a comment, a member). Arguments: `action` (a short
# verb such as "delete", "close", "lock"), `actor`, `target`, `reason` (text, may be empty).
moderator_action = Signal()
