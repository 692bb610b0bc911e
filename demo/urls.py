from django.urls import path

from . import views

app_name = "demo"
urlpatterns = [path("bench/floor/<int:size>/", views.floor, name="floor")]
