"""Reads that join the viewer's votes onto posts (Spirit's `with_likes`)."""

from django.db.models import Q

from .models import Vote


def attach_viewer_votes(question, answers, user) -> None:
    """Set `viewer_votes` (a list of 0 or 1 Vote) on a thread's question and each of its
    answers, from one query for the whole thread; none for a visitor (`viewer_vote` is 0)."""
    if not user.is_authenticated:
        return
    answers_by_pk = {answer.pk: answer for answer in answers}
    where = Q(question=question)
    if answers_by_pk:
        where |= Q(answer__in=list(answers_by_pk))
    question.viewer_votes = []
    for answer in answers:
        answer.viewer_votes = []
    for vote in Vote.objects.filter(where, voter=user):
        if vote.question_id is not None:
            question.viewer_votes.append(vote)
        else:
            answers_by_pk[vote.answer_id].viewer_votes.append(vote)
