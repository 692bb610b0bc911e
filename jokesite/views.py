import sys

from allauth.account import app_settings as account_settings
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import check_for_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

from notifications import services as notification_services
from questions.sitemaps import SITEMAPS


def _cache_state() -> str:
    """ "ok" when the cache keeps and returns a value now, else "unavailable"."""
    if ping := getattr(cache, "ping", None):  # jokesite.cache.FailSafeRedisCache
        return "ok" if ping() else "unavailable"
    try:
        cache.set("healthz", "ok", 10)
        return "ok" if cache.get("healthz") == "ok" else "unavailable"
    except Exception:  # any backend, any failure: the answer is the same
        return "unavailable"


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers a query, 503 when it does not. The body names the state
    of the database and of the cache; a cache outage slows the site but does not stop it, so
    it alone never makes this 503."""
    database = "ok"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        database = "unavailable"
    body = {
        "status": "ok" if database == "ok" else "error",
        "database": database,
        "cache": _cache_state(),
    }
    return JsonResponse(body, status=200 if database == "ok" else 503)


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


# allauth's rate-limited actions by the URL name of the page that spends them.
ALLAUTH_ACTIONS = {
    "account_login": ("login", "login_failed"),
    "account_signup": ("signup",),
    "account_reset_password": ("reset_password",),
    "account_reset_password_from_key": ("reset_password_from_key",),
    "account_change_password": ("change_password",),
    "account_email": ("manage_email", "confirm_email"),
    "account_reauthenticate": ("reauthenticate",),
}


def allauth_retry_after(request) -> int:
    """Seconds until allauth lets this page's action through again, at most: the longest
    window among its rates (allauth does not say which rate refused)."""
    url_name = request.resolver_match.url_name if request.resolver_match else None
    limits = account_settings.RATE_LIMITS
    actions = ALLAUTH_ACTIONS.get(url_name) or tuple(limits)
    windows = [rate.duration for action in actions for rate in parse_rates(limits.get(action))]
    return max(1, int(max(windows, default=60)))


def too_many_requests(request):
    """allauth's 429 (`handler429` in the root URLconf): our page, with `Retry-After`."""
    retry_after = allauth_retry_after(request)
    context = {"retry_after": retry_after, "retry_minutes": -(-retry_after // 60)}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@require_safe
@cache_control(max_age=7 * 24 * 60 * 60, public=True)
def favicon(request):
    """/favicon.ico, where browsers and feed readers look without reading the page's <link>:
    the site's icon (16, 32 and 48 px), answered here rather than by a redirect."""
    path = settings.BASE_DIR / "static" / "icons" / "favicon.ico"
    return HttpResponse(path.read_bytes(), content_type="image/x-icon")


# What a database that cannot be reached raises (refused, reset, restarting, a broken kept
# connection); also a statement timeout, a deadlock or a serialization failure: all worth
# trying again shortly.
DATABASE_AWAY = (OperationalError, InterfaceError)
DATABASE_RETRY_AFTER = 30  # seconds


def server_error(request):
    """`handler500`: 503 with `Retry-After` when the database could not be reached (it is
    restarting, failing over, out of connections), so clients and proxies try again later and
    monitoring tells an outage from a bug; the plain 500 page otherwise.

    Django calls it for an uncaught exception anywhere, in a view or a middleware, with the
    exception still being handled. Both pages render without the request's context (no
    database, no context processors). Each worker reconnects by itself on the next request
    (`CONN_HEALTH_CHECKS`), so the site recovers without a restart.
    """
    if not isinstance(sys.exc_info()[1], DATABASE_AWAY):
        return HttpResponseServerError(loader.render_to_string("500.html"))
    if request.path.startswith("/api/"):
        body = {"error": "unavailable", "retry_after": DATABASE_RETRY_AFTER}
        response = JsonResponse(body, status=503)
    else:
        context = {"retry_after": DATABASE_RETRY_AFTER}
        response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response
