from django.urls import path

from answers.models import Answer
from core.urls import post_path

from . import views


def post_routes(model):
    routes = [post_path(model, "vote", views.vote)]
    if model is Answer:
        routes.append(path("answers/<int:pk>/accept/", views.accept, name="accept"))
    return routes
