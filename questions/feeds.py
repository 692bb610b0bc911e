from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Question


class LatestQuestionsFeed(Feed):
    feed_type = Atom1Feed
    title = _("jokesite: newest questions")
    link = "/questions/?sort=newest"
    subtitle = _("The newest questions on jokesite.")

    def items(self):
        return (
            Question.objects.visible().select_related("author").order_by("-created_at", "-id")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html

    def item_author_name(self, item):
        return item.author.username

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.last_activity_at
