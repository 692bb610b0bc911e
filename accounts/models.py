from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fasturls import reverse_fast
from core.statements import Statement


class Theme(models.TextChoices):
    """A member's colours: their device's setting (prefers-color-scheme) unless they chose."""

    AUTO = "", _("Like my device")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


class AvatarStyle(models.TextChoices):
    """How the avatar generated from the username looks; both are drawn by the site itself."""

    INITIAL = "initial", _("Initial on a colour")
    PATTERN = "pattern", _("Pattern")


# What a page showing members as authors never reads of them. Threads keep their rows, authors
# included, in the shared cache (threads.rows): no password hashes or email addresses there.
PRIVATE_FIELDS = ("password", "email", "last_login", "first_name", "last_name")


def private_fields(relation: str) -> list[str]:
    """`PRIVATE_FIELDS` of the member at `relation` ("author"), for `QuerySet.defer`."""
    return [f"{relation}__{name}" for name in PRIVATE_FIELDS]


class Members(UserManager):
    """`User.objects`: Django's, with `get(pk=<int>)` through a statement compiled once
    (`core.statements`). The authentication backends read the signed-in member that way on
    every request (`ModelBackend.get_user`), and the ORM compiled the same query each time.
    Any other `get` is Django's."""

    def get(self, *args, **kwargs):
        pk = kwargs.get("pk")
        if args or len(kwargs) != 1 or type(pk) is not int:
            return super().get(*args, **kwargs)
        rows = _BY_PK.rows(pk)
        if not rows:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        return rows[0]


class User(AbstractUser):
    """A member.

    `reputation` is what the site shows and gates privileges on: max(1, 1 + the sum of the
    member's `ReputationEvent` deltas), kept exact by `votes.reputation` in the same
    transaction as every change to the ledger.
    """

    reputation = models.IntegerField(_("reputation"), default=1)
    about = models.TextField(_("about me"), blank=True, max_length=3000)
    display_name = models.CharField(
        _("display name"),
        max_length=50,
        blank=True,
        help_text=_("Shown beside your username; leave it empty to show the username only."),
    )
    avatar_style = models.CharField(
        _("avatar"), max_length=10, choices=AvatarStyle, default=AvatarStyle.INITIAL
    )
    theme = models.CharField(_("colours"), max_length=5, choices=Theme, blank=True)
    # A suspended member reads but does not write. Set and cleared by
    # `moderation.services.suspend_user` / `lift_suspension`, which log who did it and why;
    # `suspended_until` null while `suspended_at` is set means until a moderator lifts it.
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    suspension_reason = models.CharField(_("suspension reason"), max_length=500, blank=True)

    objects = Members()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        indexes = [models.Index(fields=["-reputation"], name="user_reputation_idx")]

    def __str__(self):
        return self.username

    def get_absolute_url(self):
        return reverse_fast("accounts:profile", username=self.username)

    @property
    def shown_name(self) -> str:
        """The display name when the member set one, else the username."""
        return self.display_name or self.username

    @property
    def is_suspended(self) -> bool:
        """Suspended now: the end date, when there is one, has not passed."""
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > timezone.now()


_BY_PK = Statement(User, lambda pk: User._default_manager.filter(pk=pk))
