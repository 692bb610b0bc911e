from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("users/<str:username>/", views.profile, name="profile"),
    path("help/privileges/", views.privileges, name="privileges"),
]
