"""What an import remembers: which row of which dump became which row here."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedKind(models.TextChoices):
    USER = "user", _("member")
    VOTER = "voter", _("anonymous voter")
    TAG = "tag", _("tag")
    QUESTION = "question", _("question")
    ANSWER = "answer", _("answer")
    COMMENT = "comment", _("comment")
    VOTE = "vote", _("vote")
    # One row per site, dated when the import last brought counters, search and reputation up
    # to date: an import stopped before that step does it on the next run.
    FINISHED = "finished", _("import finished")


class ImportedRow(models.Model):
    """One row of a Stack Exchange dump and the row it became here.

    The key (site, kind, old id) is what makes `import_stackexchange` idempotent: a row already
    mapped is skipped. It also answers old links: `/questions/<old id>/` redirects to
    `new_id` when the old id could not be kept (see `exchange.middleware`). Anonymous voters
    are shared by every site, under site "*": the k-th vote on a post is cast by voter k.
    """

    site = models.CharField(_("site"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=ImportedKind)
    old_id = models.BigIntegerField(_("id in the dump"))
    new_id = models.BigIntegerField(_("id here"))
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "old_id"], name="one_imported_row_per_old_id"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "old_id"], name="imported_row_old_idx"),
            models.Index(fields=["site", "kind", "new_id"], name="imported_row_new_idx"),
        ]

    def __str__(self):
        return f"{self.site} {self.kind} {self.old_id} -> {self.new_id}"
