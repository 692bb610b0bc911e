from django.urls import path

from core.urls import post_path
from questions.models import Question

from . import views


def post_routes(model):
    routes = [
        post_path(model, "delete", views.delete),
        post_path(model, "undelete", views.undelete),
        post_path(model, "lock", views.lock),
        post_path(model, "unlock", views.lock, locked=False),
    ]
    if model is Question:
        routes += [
            path("questions/<int:pk>/close/", views.close, name="close"),
            path("questions/<int:pk>/reopen/", views.reopen, name="reopen"),
            path("questions/<int:pk>/close-vote/", views.close_vote, name="close_vote"),
            path("questions/<int:pk>/reopen-vote/", views.reopen_vote, name="reopen_vote"),
        ]
    return routes


# In the `questions` namespace.
site_routes = [
    path("review/", views.review_queue, name="review"),
    path("review/history/", views.review_history, name="review_history"),
    path(
        "review/<slug:queue>/<str:kind>/<int:pk>/",
        views.review_decide,
        name="review_decide",
    ),
    path(
        "suggested-edits/<int:pk>/approve/",
        views.approve_suggestion,
        name="approve_suggestion",
    ),
    path(
        "suggested-edits/<int:pk>/improve/",
        views.improve_suggestion,
        name="improve_suggestion",
    ),
    path(
        "suggested-edits/<int:pk>/reject/",
        views.reject_suggestion,
        name="reject_suggestion",
    ),
]
