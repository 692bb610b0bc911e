from django import template

from notifications import services

register = template.Library()


@register.simple_tag
def is_following(user, question) -> bool:
    """`{% is_following user question as following %}`: one query, none when anonymous."""
    return services.is_following(user, question)
