from django.urls import path

from answers.forms import EditAnswerForm
from answers.models import Answer
from core.urls import post_path
from questions.forms import EditQuestionForm

from . import views


def post_routes(model):
    kind = model._meta.model_name
    form_class = EditAnswerForm if model is Answer else EditQuestionForm
    routes = [
        post_path(model, "edit", views.edit, form_class=form_class),
        post_path(model, "revisions", views.revisions),
        path(
            f"{kind}s/<int:pk>/revisions/<int:number>/rollback/",
            views.rollback,
            {"model": model},
            name="rollback",
        ),
    ]
    if model is not Answer:
        routes.append(path("questions/<int:pk>/retag/", views.retag, name="retag"))
    return routes
