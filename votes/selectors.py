"""Reads that join the viewer's votes onto posts (Spirit's `with_likes`)."""

from django.db.models import Q

from core.statements import Statement

from .models import Vote


def _viewer_votes(voter_id, question_id, answer_ids=None):
    where = Q(question_id=question_id)
    if answer_ids is not None:
        where |= Q(answer_id__in=answer_ids)
    return Vote.objects.filter(where, voter_id=voter_id)


_VIEWER_VOTES = Statement(Vote, _viewer_votes)  # compiled once per process


def attach_viewer_votes(question, answers, user) -> None:
    """Set `viewer_votes` (a list of 0 or 1 Vote) on a thread's question and each of its
    answers, from one query for the whole thread; none for a visitor (`viewer_vote` is 0)."""
    if not user.is_authenticated:
        return
    answers_by_pk = {answer.pk: answer for answer in answers}
    ids = [list(answers_by_pk)] if answers_by_pk else []
    question.viewer_votes = []
    for answer in answers:
        answer.viewer_votes = []
    for vote in _VIEWER_VOTES.rows(user.pk, question.pk, *ids):
        if vote.question_id is not None:
            question.viewer_votes.append(vote)
        else:
            answers_by_pk[vote.answer_id].viewer_votes.append(vote)
