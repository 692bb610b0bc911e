from django.urls import path

from . import views
from .models import Comment, Question

app_name = "questions"
post = {"model": Question}

urlpatterns = [
    path("questions/", views.question_list, name="list"),
    path("questions/ask/", views.ask, name="ask"),
    path("questions/similar/", views.similar, name="similar"),
    path("questions/<int:pk>/", views.question_detail, name="detail_short"),
    path("questions/<int:pk>/vote/", views.vote, post, name="vote"),
    path("questions/<int:pk>/comment/", views.comment, post, name="comment"),
    path("questions/<int:pk>/edit/", views.edit, post, name="edit"),
    path("questions/<int:pk>/delete/", views.delete, post, name="delete"),
    path("questions/<int:pk>/flag/", views.flag, post, name="flag"),
    path("questions/<int:pk>/revisions/", views.revisions, post, name="revisions"),
    path(
        "questions/<int:pk>/revisions/<int:number>/rollback/",
        views.rollback,
        post,
        name="rollback",
    ),
    path("questions/<int:pk>/undelete/", views.undelete, post, name="undelete"),
    path("questions/<int:pk>/lock/", views.lock, post, name="lock"),
    path("questions/<int:pk>/unlock/", views.lock, {**post, "locked": False}, name="unlock"),
    path("questions/<int:pk>/close/", views.close, name="close"),
    path("questions/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("questions/<int:pk>/close-vote/", views.close_vote, name="close_vote"),
    path("questions/<int:pk>/reopen-vote/", views.reopen_vote, name="reopen_vote"),
    path("questions/<int:pk>/retag/", views.retag, name="retag"),
    path("comments/<int:pk>/flag/", views.flag, {"model": Comment}, name="comment_flag"),
    # After the actions: a slug never shadows them (Question.save avoids their names).
    path("questions/<int:pk>/<str:slug>/", views.question_detail, name="detail"),
    path("tags/", views.tag_list, name="tags"),
    path("tags/<str:name>/", views.tag_detail, name="tag"),
    path("categories/", views.category_list, name="categories"),
    path("categories/<str:slug>/", views.category_detail, name="category"),
    path("search/", views.search, name="search"),
    path("review/", views.review_queue, name="review"),
]
