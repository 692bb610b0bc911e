from django.urls import path

from questions import views as post_views

from . import views
from .forms import EditAnswerForm
from .models import Answer

app_name = "answers"
post = {"model": Answer}

urlpatterns = [
    path("questions/<int:pk>/answer/", views.post_answer, name="post"),
    path("answers/<int:pk>/accept/", views.accept, name="accept"),
    path("answers/<int:pk>/vote/", post_views.vote, post, name="vote"),
    path("answers/<int:pk>/comment/", post_views.comment, post, name="comment"),
    path(
        "answers/<int:pk>/edit/",
        post_views.edit,
        {**post, "form_class": EditAnswerForm},
        name="edit",
    ),
    path("answers/<int:pk>/delete/", post_views.delete, post, name="delete"),
    path("answers/<int:pk>/flag/", post_views.flag, post, name="flag"),
    path("answers/<int:pk>/revisions/", post_views.revisions, post, name="revisions"),
    path(
        "answers/<int:pk>/revisions/<int:number>/rollback/",
        post_views.rollback,
        post,
        name="rollback",
    ),
    path("answers/<int:pk>/undelete/", post_views.undelete, post, name="undelete"),
    path("answers/<int:pk>/lock/", post_views.lock, post, name="lock"),
    path("answers/<int:pk>/unlock/", post_views.lock, {**post, "locked": False}, name="unlock"),
]
