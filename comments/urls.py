from core.urls import post_path

from . import views


def post_routes(model):
    return [post_path(model, "comment", views.comment)]
