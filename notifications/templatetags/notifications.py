from django import template

from notifications import services

register = template.Library()


@register.simple_tag
def is_following(user, question) -> bool:
    """`{% is_following user question as following %}`: one query, none when anonymous."""
    return services.is_following(user, question)


@register.simple_tag
def is_following_tag(user, tag) -> bool:
    """`{% is_following_tag user tag as following %}`: one query, none when anonymous."""
    return services.is_following_tag(user, tag)


@register.simple_tag
def tag_follower_count(tag) -> int:
    """`{% tag_follower_count tag as followers %}`: one query."""
    return tag.follows.count()
