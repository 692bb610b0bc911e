"""Atom feeds: newest questions site-wide, of one tag, of one category, and one question's
answers. Deleted posts never appear, and a deleted question's feed is a 404."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Category, Question, Tag, TagSynonym

FEED_ITEMS = 30


class QuestionsFeed(Feed):
    """Newest visible questions of `questions(obj)`: what every question feed shares."""

    feed_type = Atom1Feed

    def questions(self, obj):
        return Question.objects.all()

    def items(self, obj=None):
        return (
            self.questions(obj)
            .visible()
            .select_related("author")
            .order_by("-created_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html  # sanitized when the question was saved

    def item_author_name(self, item):
        return item.author.username

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.last_activity_at


class LatestQuestionsFeed(QuestionsFeed):
    title = gettext_lazy("jokesite: newest questions")
    link = "/questions/?sort=newest"
    subtitle = gettext_lazy("The newest questions on jokesite.")


class TagQuestionsFeed(QuestionsFeed):
    def get_object(self, request, name):
        """The tag; a synonym's feed is its tag's feed."""
        tag = Tag.objects.filter(name=name).first()
        if tag is None:
            tag = get_object_or_404(TagSynonym.objects.select_related("tag"), name=name).tag
        return tag

    def questions(self, obj):
        return obj.questions.all()

    def title(self, obj):
        return _("jokesite: questions tagged [%(tag)s]") % {"tag": obj.name}

    def subtitle(self, obj):
        return obj.description or _("The newest questions tagged [%(tag)s].") % {"tag": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()


class CategoryQuestionsFeed(QuestionsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def questions(self, obj):
        return obj.questions.all()

    def title(self, obj):
        return _("jokesite: %(category)s") % {"category": obj.shown_name}

    def subtitle(self, obj):
        return obj.description or _("The newest questions in %(category)s.") % {
            "category": obj.shown_name
        }

    def link(self, obj):
        return obj.get_absolute_url()
