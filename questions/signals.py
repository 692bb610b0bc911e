"""Signals other apps subscribe to, so they need no change here.

`moderator_action` is sent by `questions.moderation.record_action` for every row of the audit
log, inside the transaction of the action itself: a receiver that writes rows (notifications)
commits or rolls back with it; one that reaches outside (email) should use
`transaction.on_commit`. Arguments:

- `sender`: the `ModerationAction` model;
- `action`: a `ModerationAction.Kind` value, such as `"delete"` or `"suspend"`;
- `actor`: the moderator, or None for what the site did by itself (a post hidden by flags);
- `target`: the question, answer, comment or member acted on;
- `reason`: the text the moderator gave (may be empty);
- `entry`: the `ModerationAction` row.
"""

from django.dispatch import Signal

moderator_action = Signal()
