from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member. Reputation is stored here and kept exact by the services that change it."""

    reputation = models.IntegerField(_("reputation"), default=1)
    about = models.TextField(_("about me"), blank=True, max_length=3000)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        indexes = [models.Index(fields=["-reputation"], name="user_reputation_idx")]

    def __str__(self):
        return self.username

    def get_absolute_url(self):
        return reverse("accounts:profile", kwargs={"username": self.username})
