"""A URL conf for tests/core/test_fasturls.py: the same route name at another address."""

from django.http import HttpResponse
from django.urls import include, path


def view(request, pk):
    return HttpResponse()


urlpatterns = [
    path("elsewhere/<int:pk>/", include(([path("", view, name="vote")], "answers"))),
]
