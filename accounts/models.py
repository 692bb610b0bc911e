from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member.

    `reputation` is what the site shows and gates privileges on: max(1, 1 + the sum of the
    member's `ReputationEvent` deltas), kept exact by `votes.reputation` in the same
    transaction as every change to the ledger.
    """

    reputation = models.IntegerField(_("reputation"), default=1)
    about = models.TextField(_("about me"), blank=True, max_length=3000)
    # A suspended member reads but does not write. Set and cleared by
    # `moderation.services.suspend_user` / `lift_suspension`, which log who did it and why;
    # `suspended_until` null while `suspended_at` is set means until a moderator lifts it.
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    suspension_reason = models.CharField(_("suspension reason"), max_length=500, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        indexes = [models.Index(fields=["-reputation"], name="user_reputation_idx")]

    def __str__(self):
        return self.username

    def get_absolute_url(self):
        return reverse("accounts:profile", kwargs={"username": self.username})

    @property
    def is_suspended(self) -> bool:
        """Suspended now: the end date, when there is one, has not passed."""
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > timezone.now()
