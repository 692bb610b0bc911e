"""How the apps' routes for one kind of post are named.

Every action on a question or an answer lives in the app that owns its machinery (votes,
comments, revisions, flags, moderation); `jokesite/urls.py` gathers them per kind of post into
the URL namespaces `questions` and `answers`, so `{% url "answers:vote" pk %}` and
`Post.get_vote_url()` stay the same whichever app serves them.
"""

from django.urls import path


def post_path(model, action: str, view, name: str | None = None, **kwargs):
    """`<kind>s/<pk>/<action>/` for `model` (Question or Answer), the model passed to the view."""
    kind = model._meta.model_name
    return path(
        f"{kind}s/<int:pk>/{action}/",
        view,
        {"model": model, **kwargs},
        name=name or action.replace("-", "_"),
    )
