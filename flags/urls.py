from django.urls import path

from comments.models import Comment
from core.urls import post_path

from . import views


def post_routes(model):
    return [post_path(model, "flag", views.flag)]


# In the `questions` namespace, as before comments had an app of their own.
comment_routes = [
    path("comments/<int:pk>/flag/", views.flag, {"model": Comment}, name="comment_flag"),
]
