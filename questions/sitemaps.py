from django.contrib.sitemaps import Sitemap

from .models import Question


class QuestionSitemap(Sitemap):
    changefreq = "daily"
    limit = 50_000

    def items(self):
        return Question.objects.visible().only("pk", "slug", "last_activity_at").order_by("pk")

    def lastmod(self, item):
        return item.last_activity_at
