from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.utils.translation import check_for_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

from notifications import services as notification_services
from questions.sitemaps import SITEMAPS


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /search/",
        "Disallow: /questions/ask/",
        "Disallow: /questions/similar/",
        "Disallow: /api/",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_xml(request):
    """One sitemap while every section fits in one file, a sitemap index beyond that."""
    if any(sitemap().paginator.num_pages > 1 for sitemap in SITEMAPS.values()):
        return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap_section")
    return sitemap_views.sitemap(request, SITEMAPS)


@csrf_exempt
def set_language(request):
    """Django's `set_language` (the choice is kept in the `django_language` cookie), and for a
    signed-in member also the language of their emails.

    Choosing a language needs no CSRF token, so anonymous pages carry no form token and set no
    cookie, and stay cacheable. A forged POST can change no more than the language.
    """
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        language = request.POST.get("language", "")
        if check_for_language(language):
            notification_services.remember_language(user=request.user, language=language)
    return response


@require_safe
@cache_control(max_age=7 * 24 * 60 * 60, public=True)
def favicon(request):
    """/favicon.ico, where browsers and feed readers look without reading the page's <link>:
    the site's icon (16, 32 and 48 px), answered here rather than by a redirect."""
    path = settings.BASE_DIR / "static" / "icons" / "favicon.ico"
    return HttpResponse(path.read_bytes(), content_type="image/x-icon")
