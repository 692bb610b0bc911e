from django.urls import path

from . import views

# In the `accounts` namespace (jokesite/urls.py): the public side of an account.
urlpatterns = [
    path("users/<str:username>/", views.profile, name="profile"),
    path("help/privileges/", views.privileges, name="privileges"),
    path("settings/profile/", views.edit_profile, name="edit_profile"),
    path("settings/theme/", views.set_theme, name="set_theme"),
]
