"""English and Simplified Chinese: a complete catalogue, the language taken from the browser or
the footer's switcher, and the whole interface (our pages, forms, messages, errors, emails,
allauth's pages) rendered in Chinese.

The catalogue tests extract the marked strings from the sources exactly as `make makemessages`
does, into a temporary copy of jokesite/locale, so they fail on any string marked for
translation (a template's {% translate %}, a gettext call) that the committed zh_Hans catalogue
does not translate: new, changed, left empty or fuzzy.
"""

import ast
import re
import shutil
import subprocess
from contextlib import chdir
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from answers.services import post_answer
from comments.services import add_comment
from core import permissions
from moderation import services as moderation
from moderation.close_votes import cast_close_vote
from notifications.models import EmailPreferences
from notifications.services import follow
from questions.models import CloseReason
from revisions.services import edit_post
from tests.conftest import LOCALE_DIR
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    FlagFactory,
    ModeratorFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)
from votes.services import cast_vote

ZH_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
# The options of `make makemessages` (Makefile): the same strings, the same file.
MAKEMESSAGES = {
    "locale": ["zh_Hans"],
    "ignore_patterns": [".venv", "node_modules", "staticfiles", "tests"],
    "no_obsolete": True,
    "add_location": "file",
    "verbosity": 0,
}
CJK = re.compile(r"[\u4e00-\u9fff]")
TAG = re.compile(r"</?[a-z]+[^>]*>")


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file, header left out: msgctxt, msgid, msgid_plural, msgstr (a list,
    one per plural form), flags and locations."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and entry.get("msgid"):
                entries.append(entry)
            entry = key = None
            continue
        entry = entry or {"msgctxt": None, "flags": set(), "locations": [], "msgstr": []}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#:"):
            entry["locations"] += line[2:].split()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if key == "msgstr":
                entry["msgstr"][-1] += text
            else:
                entry[key] += text
        else:
            keyword, value = line.split(" ", 1)
            if keyword.startswith("msgstr"):
                key = "msgstr"
                entry["msgstr"].append(ast.literal_eval(value))
            else:
                key = keyword
                entry[key] = ast.literal_eval(value)
    return entries


def describe(entry: dict) -> str:
    context = f"[{entry['msgctxt']}] " if entry["msgctxt"] else ""
    return f"{context}{entry['msgid']!r} ({', '.join(entry['locations'])})"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[dict]:
    """The zh_Hans catalogue as `make makemessages` would leave it now: the committed .po
    merged with every string the sources mark.

    Made in a copy of the project: makemessages writes into any `locale` directory it walks
    past (and puts work files beside the templates), so it never runs on the real tree here.
    """
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.skip("gettext (xgettext, msgmerge) is not installed: `sudo make gettext-deps`")
    copy = tmp_path_factory.mktemp("project")
    skipped = [".*", "__pycache__", "*.mo", "*.sqlite3*", *MAKEMESSAGES["ignore_patterns"]]
    shutil.copytree(
        settings.BASE_DIR, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*skipped)
    )
    locale = copy / LOCALE_DIR.relative_to(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[locale]), chdir(copy):
        call_command("makemessages", **MAKEMESSAGES)
    return read_po(locale / "zh_Hans" / "LC_MESSAGES" / "django.po")


def test_every_marked_string_is_translated(extracted):
    """Fails on a string a template or Python file marks that has no Chinese yet: run
    `make makemessages`, translate the entries it lists in jokesite/locale/zh_Hans."""
    untranslated = [
        describe(entry)
        for entry in extracted
        if "fuzzy" in entry["flags"]
        or not all(entry["msgstr"])
        or entry["msgstr"][0] == entry["msgid"]
    ]
    assert len(extracted) > 300  # the extraction found our sources
    assert not untranslated, "untranslated (or fuzzy) in the zh_Hans catalogue:\n" + "\n".join(
        untranslated
    )


def test_the_catalogue_holds_only_strings_the_sources_use(extracted):
    """The committed .po is what `make makemessages` writes: no entry for a string that is gone."""
    current = {(entry["msgctxt"], entry["msgid"]) for entry in extracted}
    stale = [
        describe(entry)
        for entry in read_po(ZH_PO)
        if (entry["msgctxt"], entry["msgid"]) not in current
    ]
    assert not stale, "no longer in the sources (run `make makemessages`):\n" + "\n".join(stale)


def test_the_catalogue_compiles_with_matching_placeholders():
    """msgfmt --check: the header, the plural forms, and every %(name)s of a msgid in its
    translation."""
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (gettext) is not installed")
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(ZH_PO)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in ZH_PO.read_text(encoding="utf-8")


def test_translations_keep_the_markup_of_their_msgid():
    """A blocktranslate with a link or <strong> renders the same elements in Chinese."""
    changed = [
        describe(entry)
        for entry in read_po(ZH_PO)
        if any(
            sorted(TAG.findall(text)) != sorted(TAG.findall(entry["msgid"]))
            for text in entry["msgstr"]
        )
    ]
    assert not changed, "markup differs from the msgid:\n" + "\n".join(changed)


# --- The interface in Chinese ----------------------------------------------------------------


@pytest.fixture
def zh(compiled_translations, db):
    """A visitor whose browser asks for Simplified Chinese."""
    return Client(HTTP_ACCEPT_LANGUAGE="zh-hans")


def text_of(response) -> str:
    return response.content.decode()


class VisibleText(HTMLParser):
    """What a reader sees or hears of a page: text outside <script> and <style>, and the
    attributes browsers and screen readers show (title, aria-label, placeholder, alt, the meta
    description). Elements marked translate="no" are left out."""

    SHOWN = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0
        # Open elements marked translate="no" (HTML's own marker for text that stays as it is:
        # the search operators), as [tag, how many same-named elements are open inside it].
        self.untranslated = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.hidden += tag in ("script", "style")
        if attrs.get("translate") == "no":
            self.untranslated.append([tag, 0])
            self.hidden += 1
        elif self.untranslated and self.untranslated[-1][0] == tag:
            self.untranslated[-1][1] += 1
        self.parts += [value for name, value in attrs.items() if name in self.SHOWN and value]
        if tag == "meta" and attrs.get("name") == "description":
            self.parts.append(attrs.get("content", ""))

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")
        if self.untranslated and self.untranslated[-1][0] == tag:
            if self.untranslated[-1][1]:
                self.untranslated[-1][1] -= 1
            else:
                self.untranslated.pop()
                self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


# Words that stay as they are in the Chinese interface: the site's name, a format's name, the
# English option of the language switcher, the Markdown help's example link, a time zone.
NOT_TRANSLATED = {
    "UTC",
    "jokesite",
    "joke",
    "site",
    "Atom",
    "English",
    "Markdown",
    "https",
    "example",
    "com",
}


def english_words(page: str) -> set[str]:
    parser = VisibleText()
    parser.feed(page)
    return set(re.findall(r"[A-Za-z]{2,}", " ".join(parser.parts))) - NOT_TRANSLATED


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [
        ("zh-hans", "zh-hans"),
        ("zh-CN", "zh-hans"),  # what Chinese browsers in mainland China send
        ("zh", "zh-hans"),
        ("zh-Hans-CN", "zh-hans"),
        ("zh-TW,zh;q=0.9", "zh-hans"),  # no Traditional Chinese: Simplified is the nearer one
        ("fr-FR,zh-CN;q=0.8,en;q=0.5", "zh-hans"),
        ("en-US,en;q=0.9", "en"),
        ("fr", "en"),
        ("", "en"),
    ],
)
def test_the_browser_language_picks_the_interface(
    compiled_translations, db, accept_language, language
):
    response = Client(HTTP_ACCEPT_LANGUAGE=accept_language).get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert f'<html lang="{language}">' in text_of(response)
    assert ("最近活跃的问题" in text_of(response)) == (language == "zh-hans")


def test_home_page_in_chinese(zh):
    three_hours_ago = timezone.now() - timedelta(hours=3)
    question = QuestionFactory(title="为什么银行转账要三天？", last_activity_at=three_hours_ago)
    AnswerFactory(question=question)
    page = text_of(zh.get("/"))
    for text in [
        "最近活跃的问题",
        ">问题</a>",
        ">标签</a>",
        ">分类</a>",
        ">心情闲聊</a>",
        ">提问</a>",
    ]:
        assert text in page
    assert ">登录</a>" in page and ">注册</a>" in page  # the header, signed out
    assert "<strong>1</strong> 个回答" in page
    assert 'aria-current="page" class="active">\n      活跃' in page  # the sort tabs
    assert (
        "活跃于 3 小时前" in page
    )  # naturaltime, worded as jokesite/translation_overrides.py says


def test_thread_page_in_chinese(zh):
    question = QuestionFactory(title="Why does the bank take three days to move money?")
    QuestionFactory(title="Why does the bank close so early on Fridays?", tags=question.tags.all())
    AnswerFactory(question=question, is_accepted=True)
    page = text_of(zh.get(question.get_absolute_url()))
    for text in [
        "1 个回答",
        "回答这个问题",
        "✔ 已采纳",
        "提问于 <time",
        "回答于 <time",
        "相关问题",
    ]:
        assert text in page, text
    login = f"/accounts/login/?next={question.get_absolute_url()}"
    assert f'<a href="{login}">登录</a>或<a href="/accounts/signup/?next=' in page
    assert "后即可回答。" in page
    assert (
        ">刚刚</time>" in page
    )  # our word for humanize's "now" (jokesite/translation_overrides.py)
    assert 'title="登录后投票"' in page
    assert "Answer this question" not in page


def test_ask_form_labels_help_and_errors_in_chinese(zh):
    zh.force_login(UserFactory())
    page = text_of(zh.get("/questions/ask/"))
    for text in [">标题", ">正文", ">标签", ">分类", "问得具体一些", "用空格分隔", "查找相似问题"]:
        assert text in page, text
    response = zh.post("/questions/ask/", {"title": "太短了", "body": "", "tags": " , "})
    assert response.status_code == 400
    page = text_of(response)
    assert "请修正以下问题；尚未保存任何内容。" in page
    assert "请写下正文。" in page  # the text rules' own sentence, not Django's generic one
    assert "请至少添加一个标签。" in page  # ours
    title_errors = response.context["form"].errors["title"]
    assert title_errors == ["标题至少要写 15 个字符（一个汉字算两个）。"]
    assert "确保" not in page


def test_messages_and_permission_explanations_in_chinese(zh):
    member = UserFactory(reputation=1)
    question = QuestionFactory()
    zh.force_login(member)
    response = zh.post(f"/questions/{question.pk}/answer/", {"body": "这是一个足够长的回答，" * 5})
    assert "你的回答已发布。" in text_of(zh.get(response["Location"]))
    response = zh.post(f"/questions/{question.pk}/vote/", {"value": "1"})
    assert response.status_code == 403
    assert "需要 15 声望才能投赞成票。" in text_of(response)
    assert "你不能这样做" in text_of(response)


def test_every_privilege_is_explained_in_chinese(compiled_translations):
    """`PRIVILEGE_NAMES` are translated where they are shown; a name added without
    gettext_noop would come out English here."""
    with translation.override("zh-hans"):
        for privilege in settings.JOKESITE_PRIVILEGES:
            explained = permissions.explain(privilege)
            assert CJK.search(explained), explained
            assert not re.search(r"[A-Za-z]", explained), explained


def test_error_pages_in_chinese(zh):
    response = zh.get("/questions/999999/nothing/")
    assert response.status_code == 404
    assert "页面不存在" in text_of(response)
    with translation.override("zh-hans"):
        page = render_to_string("429.html", {"retry_after": 30})
        assert "请求过于频繁" in page and "30 秒后可以重试。" in page
        assert "出错了" in render_to_string("500.html")


def test_allauth_pages_in_chinese(zh):
    """allauth's strings come from allauth's own zh_Hans catalogue, in our layout, said the
    site's way: 你 (not 您), full-width punctuation, and the login field, page and button each
    with its own words."""
    page = text_of(zh.get("/accounts/signup/"))
    assert re.search(r"<h1>\s*注册账号\s*</h1>", page)
    for text in ["用户名", "密码", "电子邮件", "此栏请留空", ">问题</a>", "请<a", "登录</a>。"]:
        assert text in page, text
    assert re.search(r"<button[^>]*>\s*注册\s*</button>", page)
    page = text_of(zh.get("/accounts/login/"))
    assert re.search(r"<h1>\s*登录账号\s*</h1>", page)
    assert re.search(r"<button[^>]*>\s*登录\s*</button>", page)
    assert 'placeholder="用户名或邮箱"' in page or ">用户名或邮箱" in page
    assert "忘记密码" in page
    assert "您" not in page
    response = zh.post("/accounts/signup/", {"username": "abc", "password1": "1", "password2": "1"})
    assert "密码太短，至少需要 8 个字符。" in text_of(response)
    assert "too short" not in text_of(response)


def test_allauth_pages_use_the_sites_words_in_english(client):
    page = text_of(client.get("/accounts/login/"))
    assert re.search(r"<h1>\s*Log in\s*</h1>", page)
    assert re.search(r"<button[^>]*>\s*Log in\s*</button>", page)
    assert "Sign In" not in page
    page = text_of(client.get("/accounts/signup/"))
    assert re.search(r"<h1>\s*Sign up\s*</h1>", page)
    assert "Sign Up" not in page


def test_months_and_days_ago_read_naturally_in_chinese(compiled_translations):
    from django.contrib.humanize.templatetags.humanize import naturaltime

    with translation.override("zh-hans"):
        month = naturaltime(timezone.now() - timedelta(days=31)).replace("\xa0", " ")
        days = naturaltime(timezone.now() - timedelta(days=3)).replace("\xa0", " ")
    assert month == "1 个月前"
    assert days == "3 天前"


def test_admin_labels_of_our_models_in_chinese(zh):
    FlagFactory()
    zh.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = text_of(zh.get("/admin/"))
    for text in [
        "jokesite 管理后台",
        "管理控制台",
        "问题与标签",
        "投票与声望",
        "标签同义词",
        "举报",
    ]:
        assert text in page, text
    page = text_of(zh.get("/admin/flags/flag/"))
    assert ">将举报标为有效，保留帖子</option>" in page  # an action
    assert ">删除并禁言…</a>" in page  # a decision on the flag (confirmed on the next page)


def test_no_english_is_left_on_the_pages_of_a_chinese_thread(zh):
    """Every page a member reads, with Chinese content, shows no English word of ours: what
    fails here is text a template or view does not mark for translation at all."""
    category = CategoryFactory(name="心情闲聊", slug="mood-talk", description="说说今天的心情。")
    asker = UserFactory(username="小王", reputation=5000)
    reader = UserFactory(username="小李", reputation=5000, seasoned=True)
    tag = TagFactory(name="银行")
    question = QuestionFactory(
        author=asker,
        title="为什么银行转账要三天？",
        body="周一转账，周四才到。钱在中间去了哪里？",
        category=category,
        tags=[tag],
    )
    answer = AnswerFactory(
        question=question, author=reader, body="银行之间每天只结算几次，不是每笔都实时结算。"
    )
    CommentFactory(question=question, author=reader, body="我也想知道这个问题的答案。")
    edit_post(
        editor=asker,
        post=question,
        body=question.body + "补充：是跨行转账。",
        title=question.title,
        tags=["银行"],
        category=category,
        summary="补充说明",
    )
    follow(user=reader, question=question)
    cast_vote(voter=reader, post=question, value=1)  # a line in the asker's reputation history
    # A close vote: its count on the thread and in the review queue.
    other = QuestionFactory(
        author=asker, title="转账可以撤回吗？", body="转错了怎么办？" * 5, tags=[tag]
    )
    cast_close_vote(voter=reader, question=other, reason=CloseReason.NEEDS_DETAILS)
    zh.force_login(reader)
    add_comment(author=asker, post=answer, body="谢谢，这个解释很清楚。")  # an inbox item
    pages = [
        "/",
        "/questions/?sort=unanswered",
        question.get_absolute_url(),
        f"/questions/{question.pk}/revisions/",
        f"/questions/{question.pk}/flag/",
        f"/answers/{answer.pk}/edit/",
        f"/questions/{question.pk}/retag/",
        f"/questions/{question.pk}/close-vote/",
        other.get_absolute_url(),
        reverse("questions:review"),
        reverse("questions:review_history"),
        "/questions/ask/",
        "/tags/",
        tag.get_absolute_url(),
        "/categories/",
        category.get_absolute_url(),
        "/search/?q=银行",
        reader.get_absolute_url(),
        asker.get_absolute_url(),
        reverse("accounts:privileges"),
        "/inbox/",
        "/settings/notifications/",
    ]
    for url in pages:
        response = zh.get(url)
        assert response.status_code == 200, url
        assert not english_words(text_of(response)), url
    assert "获得赞成票" in text_of(zh.get(asker.get_absolute_url()))  # the reputation history
    assert "撤回关闭投票（1/" in text_of(zh.get(other.get_absolute_url()))


def test_no_english_is_left_on_moderated_threads(zh):
    """What moderators and moderated members see: a question closed as a duplicate and locked,
    a deleted answer, the moderator's controls and forms, a suspended member's banner and the
    inbox item telling an author what a moderator did."""
    moderator = ModeratorFactory(username="版主")
    author = UserFactory(username="小王")
    tags = [TagFactory(name="转账")]
    original = QuestionFactory(
        author=moderator, title="银行转账为什么这么慢？", body="总要等几天。" * 5, tags=tags
    )
    question = QuestionFactory(
        author=author, title="为什么转账要三天？", body="周一转，周四到。" * 3, tags=tags
    )
    answer = AnswerFactory(question=question, author=author, body="因为银行批量结算。" * 3)
    comment = CommentFactory(question=question, author=author, body="补充一点：周末也不结算。")
    moderation.close_question(
        moderator=moderator, question=question, reason=CloseReason.DUPLICATE, duplicate_of=original
    )
    moderation.set_locked(moderator=moderator, post=question, locked=True, note="争论太多")
    moderation.soft_delete(moderator=moderator, target=answer, reason="重复内容")
    zh.force_login(moderator)
    for url in [
        question.get_absolute_url(),
        original.get_absolute_url(),
        f"/questions/{question.pk}/revisions/",
        f"/questions/{original.pk}/close/",
        f"/comments/{comment.pk}/flag/",
    ]:
        response = zh.get(url)
        assert response.status_code == 200, url
        assert not english_words(text_of(response)), url
    page = text_of(zh.get(question.get_absolute_url()))
    for text in ["重新开放", "解锁", "恢复", "这个问题在这里已有答案：", "此帖子已被版主锁定"]:
        assert text in page, text
    moderation.suspend_user(moderator=moderator, user=author, days=3, reason="刷屏")
    zh.force_login(author)
    for url in ["/", question.get_absolute_url(), "/inbox/"]:
        response = zh.get(url)
        assert response.status_code == 200, url
        assert not english_words(text_of(response)), url
    assert "你的账户已被禁言" in text_of(response)
    assert "版主处理了你的" in text_of(response)


# --- Choosing the language -------------------------------------------------------------------


def test_the_footer_offers_each_language_in_its_own_words(zh):
    page = text_of(zh.get("/tags/"))
    assert '<form action="/i18n/setlang/" method="post" class="language">' in page
    assert '<input name="next" type="hidden" value="/tags/">' in page
    assert '<option value="en" lang="en">English</option>' in page
    assert '<option value="zh-hans" lang="zh-hans" selected>简体中文</option>' in page
    assert ">切换</button>" in page


def test_the_switcher_remembers_the_choice_and_returns(compiled_translations, db):
    """A plain form POST (no JavaScript, no CSRF token): the cookie outranks Accept-Language."""
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en-US")
    response = browser.post("/i18n/setlang/", {"language": "zh-hans", "next": "/tags/?q=a"})
    assert response.status_code == 302
    assert response["Location"] == "/tags/?q=a"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "zh-hans"
    assert cookie["max-age"] == 365 * 24 * 60 * 60  # not a session cookie: it outlives the browser
    assert "最近活跃的问题" in text_of(browser.get("/"))
    browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Recently active questions" in text_of(browser.get("/"))


def test_the_switcher_refuses_other_sites_and_unknown_languages(compiled_translations, db):
    browser = Client()
    response = browser.post(
        "/i18n/setlang/", {"language": "zh-hans", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    response = browser.post("/i18n/setlang/", {"language": "xx", "next": "/tags/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_notification_emails_come_in_each_recipients_language(
    compiled_translations, db, settings, django_capture_on_commit_callbacks
):
    settings.JOKESITE_SITE_URL = "http://testserver"
    chinese, english = UserFactory(username="xiaoli"), UserFactory(username="ann")
    for member, language in [(chinese, "zh-hans"), (english, "en")]:
        EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
        EmailPreferences.objects.create(user=member, language=language)
    answerer = UserFactory(username="bo")
    # Sent by the task after the commit, in whatever language the worker runs.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        for asker in (chinese, english):
            post_answer(
                author=answerer, question=QuestionFactory(author=asker), body="足够长的回答。" * 6
            )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    zh_mail, en_mail = by_recipient[chinese.email], by_recipient[english.email]
    assert "bo 回答了你的问题" in zh_mail.subject
    assert "退订所有通知邮件：" in zh_mail.body and "新回答" in zh_mail.body
    assert "bo answered your question" in en_mail.subject
    assert "Stop all notification emails:" in en_mail.body


# --- Dates and numbers -----------------------------------------------------------------------


def test_dates_and_numbers_are_localised(zh):
    member = UserFactory(
        username="xiaoli",
        reputation=12345,
        date_joined=datetime(2025, 3, 4, 12, 0, tzinfo=UTC),
    )
    page = text_of(zh.get(member.get_absolute_url()))
    assert "加入时间" in page and ">2025年3月4日</time>" in page
    assert 'data-reputation="12345">12,345</dd>' in page  # grouped by three, as 知乎 shows counts
    page = text_of(Client().get(member.get_absolute_url()))
    assert ">March 4, 2025</time>" in page and ">12,345</dd>" in page


def test_the_demo_category_and_chart_dates_read_in_chinese(zh):
    """ "Mood Talk" is translated on its own page and on its chips; months carry no leading zero,
    so the reputation chart's 9月8日 sits beside 12月6日 as an equal."""
    from datetime import date

    from django.utils.formats import date_format

    category = CategoryFactory(name="Mood Talk", slug="mood-talk")
    QuestionFactory(category=category)
    page = text_of(zh.get("/categories/mood-talk/"))
    assert re.search(r"<h1>\s*心情闲聊\s*</h1>", page)
    assert 'class="category" href="/categories/mood-talk/">心情闲聊</a>' in text_of(zh.get("/"))
    with translation.override("zh-hans"):
        assert date_format(date(2026, 9, 8), "MONTH_DAY_FORMAT") == "9月8日"
