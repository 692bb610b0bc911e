"""Sitemaps: every visible thread, and the tag and category pages that list some.

`/sitemap.xml` is one sitemap while every section fits in one file (`Sitemap.limit`, 50,000
URLs, the protocol's maximum) and a sitemap index of `/sitemap-<section>.xml?p=N` beyond that
(`jokesite.views.sitemap_xml`).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q

from .models import Category, Question, Tag

VISIBLE_QUESTIONS = Q(questions__deleted_at__isnull=True)


class QuestionSitemap(Sitemap):
    changefreq = "daily"
    limit = 50_000

    def items(self):
        return Question.objects.visible().only("pk", "slug", "last_activity_at").order_by("pk")

    def lastmod(self, item):
        return item.last_activity_at

    def get_latest_lastmod(self):
        """For the index: one aggregate, not a pass over every thread."""
        return Question.objects.visible().aggregate(latest=Max("last_activity_at"))["latest"]


class ListedSitemap(Sitemap):
    """Tags or categories that list at least one visible question, dated by its activity."""

    model = None
    changefreq = "daily"
    limit = 50_000

    def items(self):
        return (
            self.model.objects.annotate(
                latest=Max("questions__last_activity_at", filter=VISIBLE_QUESTIONS)
            )
            .filter(latest__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return self.model.objects.aggregate(
            latest=Max("questions__last_activity_at", filter=VISIBLE_QUESTIONS)
        )["latest"]


class TagSitemap(ListedSitemap):
    model = Tag
    priority = 0.4


class CategorySitemap(ListedSitemap):
    model = Category
    priority = 0.6


SITEMAPS = {"questions": QuestionSitemap, "tags": TagSitemap, "categories": CategorySitemap}
