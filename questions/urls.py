from django.urls import path

from . import views

# In the `questions` namespace (jokesite/urls.py puts the thread's routes around these).
urlpatterns = [
    path("questions/", views.question_list, name="list"),
    path("tags/", views.tag_list, name="tags"),
    path("tags/<str:name>/", views.tag_detail, name="tag"),
    path("categories/", views.category_list, name="categories"),
    path("categories/<str:slug>/", views.category_detail, name="category"),
]
