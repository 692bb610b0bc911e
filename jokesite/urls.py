from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

import answers.urls
import comments.urls
import flags.urls
import moderation.urls
import profiles.urls
import questions.urls
import revisions.urls
import search.urls
import threads.urls
import votes.urls
from answers.feeds import QuestionAnswersFeed
from answers.models import Answer
from questions import views as question_views
from questions.feeds import CategoryQuestionsFeed, LatestQuestionsFeed, TagQuestionsFeed
from questions.models import Question
from questions.sitemaps import SITEMAPS

from . import views

admin.site.site_header = _("jokesite moderation")
admin.site.site_title = _("jokesite moderation")
admin.site.index_title = _("Moderation console")

# allauth answers its rate limits with this view (Django itself has no handler429).
handler429 = views.too_many_requests
# 503 with Retry-After while the database is away, else the plain 500 page.
handler500 = views.server_error


MACHINERY = (votes.urls, comments.urls, revisions.urls, flags.urls, moderation.urls)


def post_routes(model) -> list:
    """The actions every post of this kind has, from the apps that own them."""
    return [route for app_urls in MACHINERY for route in app_urls.post_routes(model)]


# URL namespaces name the public URL space, not the app serving it.
question_routes = [
    *threads.urls.ask_routes,
    *search.urls.site_routes,
    *post_routes(Question),
    *flags.urls.comment_routes,
    *moderation.urls.site_routes,
    *questions.urls.urlpatterns,
    *threads.urls.detail_routes,  # last: after every /questions/<id>/<action>/
]
answer_routes = [*answers.urls.urlpatterns, *post_routes(Answer)]

urlpatterns = [
    path("", question_views.home, name="home"),
    path("", include((answer_routes, "answers"))),  # first: /questions/<id>/answer/ is no slug
    path("", include("notifications.urls")),  # also before: /questions/<id>/follow/
    path("", include((question_routes, "questions"))),
    path("", include((profiles.urls.urlpatterns, "accounts"))),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("feeds/questions/", LatestQuestionsFeed(), name="feed_questions"),
    path("feeds/questions/<int:pk>/", QuestionAnswersFeed(), name="feed_question_answers"),
    path("feeds/tags/<str:name>/", TagQuestionsFeed(), name="feed_tag"),
    path("feeds/categories/<str:slug>/", CategoryQuestionsFeed(), name="feed_category"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
]
if settings.JOKESITE_BENCH_FLOOR:  # the benchmark's bare view (demo/views.py), off by default
    urlpatterns.append(path("", include("demo.urls")))
