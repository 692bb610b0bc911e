"""Background work of search, queued with django-tasks (`TASKS` in settings)."""

from django_tasks import task

from . import related


@task()
def compute_related(question_ids: list[int]) -> int:
    """Store the related questions of these questions (`search.related`)."""
    return related.compute(question_ids)
