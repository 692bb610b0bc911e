from django.urls import path

from . import views

# In the `questions` namespace. `detail` goes after every action under /questions/<id>/ (see
# jokesite/urls.py): a slug never shadows them (Question.save avoids their names).
ask_routes = [
    path("questions/ask/", views.ask, name="ask"),
    path("questions/preview/", views.preview, name="preview"),
    path("questions/<int:pk>/", views.question_detail, name="detail_short"),
]
detail_routes = [path("questions/<int:pk>/<str:slug>/", views.question_detail, name="detail")]
