"""`{% shared "name" %}...{% endshared %}`: a block every reader of the page sees alike, kept
in the shared cache under the page's stamp (`pagecache.fragments`) and reused by the next
reader, whose view then reads none of the rows the block alone shows (they stay lazy until the
block renders). Rendered as is, and kept nowhere, unless the view is decorated with
`@lists_fragments`. Nothing inside may depend on the reader: no user, form token or message."""

from django import template
from django.utils.safestring import mark_safe

from pagecache import fragments

register = template.Library()


class SharedNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        key = fragments.page_key(request, self.name) if request is not None else None
        if key is None:
            return self.nodelist.render(context)
        html = fragments.get_many([key]).get(key)
        if html is None:
            html = self.nodelist.render(context)
            fragments.set_many({key: str(html)})
        return mark_safe(html)  # rendered by our templates, which escape


@register.tag
def shared(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% shared "name" %} takes one quoted name')
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(bits[1][1:-1], nodelist)
