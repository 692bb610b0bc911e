from django.urls import path

from . import views as api

app_name = "api"

urlpatterns = [
    path("openapi.json", api.openapi, name="openapi"),
    path("questions/", api.question_list, name="questions"),
    path("questions/<int:pk>/", api.question_detail, name="question"),
    path("tags/", api.tag_list, name="tags"),
    path("users/<str:username>/", api.user_detail, name="user"),
]
