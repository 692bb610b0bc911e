"""What happened in a thread, for whoever wants to know: the way a lower app tells the apps
above it (revisions, search, the audit log, notifications) without importing them.

The services send these right after their write, inside its transaction, so a receiver that
writes rows commits or rolls back with it; anything leaving the process (email) belongs in
`transaction.on_commit`. No sender imports a receiver: apps subscribe in their `AppConfig.ready()`.
"""

from django.dispatch import Signal

# A question or an answer was created. Arguments: `post`. Receivers: revisions (revision 1),
# search (its entry), notifications.
post_created = Signal()

# An edit or a rollback saved a new revision of a post. Arguments: `post`, `revision`, `editor`,
# `rolled_back_to` (the revision number restored, or None for an edit), `summary`. Receiver:
# moderation (an audit log row when the editor used moderator powers).
post_revised = Signal()

# Questions' tags changed wholesale (a tag merge). Arguments: `question_ids`. Receiver: search.
questions_retagged = Signal()

# Enough flags hid a post or comment until a moderator decides. Arguments: `target`, `flags`
# (how many are open). Receiver: moderation (an audit log row).
hidden_by_flags = Signal()

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

# A member's suggested edit was approved or rejected (`moderation.suggestions`). Arguments:
# `suggestion` (a `revisions.SuggestedEdit`, its `status`, `reviewer` and `reason` set).
# Receiver: notifications (the suggester hears of it).
suggestion_reviewed = Signal()

# A member suggested an edit of someone else's post (`revisions.suggest_edit`). Arguments:
# `suggestion`. Receiver: moderation (the suggested edits review queue).
suggestion_made = Signal()

# A member flagged a post or a comment (`flags.flag_post`; again when they change their open
# flag). Arguments: `flag`, `target`. Receiver: moderation (the flagged posts review queue).
post_flagged = Signal()
