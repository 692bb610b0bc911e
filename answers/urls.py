from django.urls import path

from . import views

# In the `answers` namespace, with the actions every post has (jokesite/urls.py).
urlpatterns = [path("questions/<int:pk>/answer/", views.post_answer, name="post")]
