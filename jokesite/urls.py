from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from questions import views as question_views
from questions.feeds import (
    CategoryQuestionsFeed,
    LatestQuestionsFeed,
    QuestionAnswersFeed,
    TagQuestionsFeed,
)
from questions.sitemaps import SITEMAPS

from . import views

admin.site.site_header = _("jokesite moderation")
admin.site.site_title = _("jokesite moderation")
admin.site.index_title = _("Moderation console")

urlpatterns = [
    path("", question_views.home, name="home"),
    path("", include("answers.urls")),  # first: /questions/<id>/answer/ is not a slug
    path("", include("notifications.urls")),  # also before: /questions/<id>/follow/
    path("", include("questions.urls")),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("questions.api_urls")),
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
