from django.urls import path

from . import views

# In the `questions` namespace.
site_routes = [
    path("questions/similar/", views.similar, name="similar"),
    path("search/", views.search, name="search"),
]
