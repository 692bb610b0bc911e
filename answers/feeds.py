"""The Atom feed of one question's answers."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from questions.feeds import FEED_ITEMS
from questions.models import Question

from .models import Answer


class QuestionAnswersFeed(Feed):
    """A question's visible answers, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, pk):
        return get_object_or_404(Question.objects.visible().select_related("author"), pk=pk)

    def title(self, obj):
        return _("Answers to “%(title)s”") % {"title": obj.title}

    def subtitle(self, obj):
        return _("New answers to a question on jokesite.")

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        answers = Answer.objects.visible().filter(question=obj)
        items = list(answers.select_related("author").order_by("-created_at", "-id")[:FEED_ITEMS])
        for answer in items:
            answer.question = obj  # for get_absolute_url: no query per answer
        return items

    def item_title(self, item):
        return _("Answer by %(author)s") % {"author": item.author.username}

    def item_description(self, item):
        return item.body_html  # sanitized when the answer was saved

    def item_author_name(self, item):
        return item.author.username

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at
