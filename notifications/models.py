"""Inbox items, followed questions and email preferences.

A notification always belongs to a thread (`question`) and may point into it (`answer`,
`comment`), so its link is the thread's canonical URL plus an anchor. `event` names what
happened (`answer:12`, `comment:40`...): the database keeps one notification per member and
event, whatever path reached them (asker, mentioned, follower).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core import textrules

# Labels of the actions on a post that `core.signals.moderator_action` names (the kinds of
# the moderation log); any other action is shown as it was sent.
ACTION_LABELS = {
    "delete": pgettext_lazy("moderator action", "deleted"),
    "undelete": pgettext_lazy("moderator action", "undeleted"),
    "close": pgettext_lazy("moderator action", "closed"),
    "reopen": pgettext_lazy("moderator action", "reopened"),
    "lock": pgettext_lazy("moderator action", "locked"),
    "unlock": pgettext_lazy("moderator action", "unlocked"),
    "edit": pgettext_lazy("moderator action", "edited"),
    "rollback": pgettext_lazy("moderator action", "rolled back"),
}
TARGET_NAMES = {
    "question": pgettext_lazy("notification target", "question"),
    "answer": pgettext_lazy("notification target", "answer"),
    "comment": pgettext_lazy("notification target", "comment"),
}


class Kind(models.TextChoices):
    ANSWER = "answer", _("New answers")
    COMMENT = "comment", _("New comments")
    MENTION = "mention", _("Mentions of you (@username)")
    ACCEPTED = "accepted", _("Accepted answers")
    MODERATION = "moderation", _("Moderator actions on your posts")
    TAG_QUESTION = "tag_question", _("New questions in tags you follow")
    SUGGESTED_EDIT = "suggested_edit", _("Decisions on your suggested edits")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_inbox(self):
        """Newest first, with what the inbox shows of each: one query."""
        return self.select_related("actor", "question", "answer", "comment").order_by(
            "-created_at", "-id"
        )


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # True when the recipient hears of it only because they follow the question.
    via_follow = models.BooleanField(_("from a followed question"), default=False)
    question = models.ForeignKey(
        "questions.Question", models.CASCADE, related_name="+", verbose_name=_("question")
    )
    answer = models.ForeignKey(
        "answers.Answer", models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "comments.Comment", models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("moderator action"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    event = models.CharField(_("event"), max_length=80)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event"], name="one_notification_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_idx"),
            # The header badge counts these on every signed-in page.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}: {self.event}"

    def get_absolute_url(self):
        """The thread, at the comment or answer the notification is about."""
        url = self.question.get_absolute_url()
        if self.comment_id:
            return f"{url}#comment-{self.comment_id}"
        if self.answer_id:
            return f"{url}#answer-{self.answer_id}"
        return url

    def summary(self) -> str:
        """One sentence saying what happened, without the thread's title: "ada answered your
        question"."""
        actor = self.actor.username if self.actor else gettext("Someone")
        where = "comment" if self.comment_id else "answer" if self.answer_id else "question"
        kind, follow = self.kind, self.via_follow
        if kind == Kind.MODERATION:
            if self.action == "hide":  # by the site itself, when enough members flagged it
                text = gettext("Your %(target)s is hidden until a moderator reviews its flags")
                return text % {"target": TARGET_NAMES[where]}
            action = ACTION_LABELS.get(self.action, self.action)
            return gettext("A moderator acted on your %(target)s: %(action)s") % {
                "target": TARGET_NAMES[where],
                "action": action,
            }
        if kind == Kind.SUGGESTED_EDIT:
            if self.action == "approved":
                text = gettext("%(actor)s approved your suggested edit")
            else:
                text = gettext("%(actor)s rejected your suggested edit")
            return text % {"actor": actor}
        if kind == Kind.MENTION:
            text = {
                "comment": gettext("%(actor)s mentioned you in a comment"),
                "answer": gettext("%(actor)s mentioned you in an answer"),
                "question": gettext("%(actor)s mentioned you in a question"),
            }[where]
        elif kind == Kind.ANSWER:
            text = (
                gettext("%(actor)s answered a question you follow")
                if follow
                else gettext("%(actor)s answered your question")
            )
        elif kind == Kind.COMMENT:
            if follow:
                text = gettext("%(actor)s commented on a question you follow")
            elif self.answer_id:
                text = gettext("%(actor)s commented on your answer")
            else:
                text = gettext("%(actor)s commented on your question")
        elif kind == Kind.TAG_QUESTION:
            text = gettext("%(actor)s asked a question in a tag you follow")
        else:
            text = (
                gettext("%(actor)s accepted an answer to a question you follow")
                if follow
                else gettext("%(actor)s accepted your answer")
            )
        return text % {"actor": actor}

    def excerpt(self, length: int = 300) -> str:
        """The plain text (no Markdown) of the comment or answer (or reason) it is about,
        shortened; nothing once that text was deleted or hidden by flags, so removed text does
        not linger in inboxes and emails."""
        if self.kind in (Kind.MODERATION, Kind.SUGGESTED_EDIT):
            text = " ".join(self.reason.split())
        elif self.target_is_removed:
            text = ""
        elif self.comment_id or self.answer_id or self.kind == Kind.MENTION:
            text = textrules.plain_text(self.target)
        else:
            text = ""
        return textrules.excerpt(text, length)

    @property
    def target(self):
        """The comment, answer or question this is about (the most specific one set)."""
        return self.comment or self.answer or self.question

    @property
    def target_is_deleted(self) -> bool:
        """Whether the question, or the answer or comment it points at, was deleted."""
        posts = [self.question, self.answer, self.comment]
        return any(post.deleted_at is not None for post in posts if post is not None)

    @property
    def target_is_removed(self) -> bool:
        """Deleted, or hidden by flags until a moderator decides."""
        posts = [self.question, self.answer, self.comment]
        return self.target_is_deleted or any(
            post.hidden_at is not None for post in posts if post is not None
        )


class Follow(models.Model):
    """A member follows a question: its activity reaches their inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="follows", verbose_name=_("user")
    )
    question = models.ForeignKey(
        "questions.Question", models.CASCADE, related_name="follows", verbose_name=_("question")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="one_follow_per_question")
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.question_id}"


class TagFollow(models.Model):
    """A member follows a tag: new questions carrying it reach their inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="tag_follows",
        verbose_name=_("user"),
    )
    tag = models.ForeignKey(
        "questions.Tag", models.CASCADE, related_name="follows", verbose_name=_("tag")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag follow")
        verbose_name_plural = _("tag follows")
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="one_follow_per_tag")]

    def __str__(self):
        return f"{self.user_id} follows tag {self.tag_id}"


class EmailPreferences(models.Model):
    """Which notifications a member also gets by email. No row means the defaults below."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        primary_key=True,
        related_name="email_preferences",
        verbose_name=_("user"),
    )
    answer = models.BooleanField(Kind.ANSWER.label, default=True)
    comment = models.BooleanField(Kind.COMMENT.label, default=True)
    mention = models.BooleanField(Kind.MENTION.label, default=True)
    accepted = models.BooleanField(Kind.ACCEPTED.label, default=True)
    moderation = models.BooleanField(Kind.MODERATION.label, default=True)
    tag_question = models.BooleanField(Kind.TAG_QUESTION.label, default=True)
    suggested_edit = models.BooleanField(Kind.SUGGESTED_EDIT.label, default=True)
    following = models.BooleanField(_("Other activity on questions you follow"), default=False)
    # Emails are written without a request to take the language from: this is the member's.
    # Set at signup and by the site's language switcher; changed on the settings page.
    language = models.CharField(
        _("email language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("email preferences")
        verbose_name_plural = _("email preferences")

    def __str__(self):
        return f"email preferences of {self.user_id}"

    def wants(self, notification: Notification) -> bool:
        """Whether this notification should also be emailed."""
        if notification.via_follow:
            return self.following
        return getattr(self, notification.kind)

    @classmethod
    def kinds(cls) -> list[str]:
        """The switches, in the order the settings page shows them ("all" turns off each)."""
        return [*Kind.values, "following"]

    @staticmethod
    def language_of(language: str | None) -> str | None:
        """`language` when it is one of the site's languages (a code from a request or a form),
        else None."""
        return language if language in dict(settings.LANGUAGES) else None
