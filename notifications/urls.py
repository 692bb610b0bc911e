from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.mark_all_read, name="mark_all_read"),
    path("questions/<int:pk>/follow/", views.follow, name="follow"),
    path("tags/<str:name>/follow/", views.follow_tag, name="follow_tag"),
    path("settings/notifications/", views.email_settings, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
