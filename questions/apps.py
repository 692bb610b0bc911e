from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "questions"
    verbose_name = _("Questions and tags")

    def ready(self):
        from django.db.models.signals import m2m_changed

        from .models import Question

        m2m_changed.connect(
            recount_changed_tags, sender=Question.tags.through, dispatch_uid="questions.recount"
        )


def recount_changed_tags(sender, instance, action, reverse, pk_set, **kwargs):
    """A question's tags changed (services, the admin, `tags.set/add/remove/clear`): recount
    the tags involved. Before a clear, remember which tags it takes away."""
    from .models import Tag

    if reverse:  # tag.questions.add(...): the tag is the instance
        if action.startswith("post_"):
            Tag.objects.filter(pk=instance.pk).recount()
        return
    if action == "pre_clear":
        instance._tags_cleared = list(instance.tags.values_list("pk", flat=True))
    elif action == "post_clear":
        Tag.objects.filter(pk__in=getattr(instance, "_tags_cleared", [])).recount()
    elif action in ("post_add", "post_remove") and pk_set:
        Tag.objects.filter(pk__in=pk_set).recount()
