"""`core.sentences.per_catalogue`: sentences translated once per catalogue, never stale."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from core import permissions
from core.sentences import per_catalogue

calls = []


@per_catalogue
def sentences():
    calls.append(translation.get_language())
    return {"edit": gettext("Edit"), "flag_hint": permissions.explain("flag")}


@pytest.fixture(autouse=True)
def fresh(settings):
    settings.JOKESITE_LAUNCH_MODE = False  # a setting change: the memos start empty
    calls.clear()


def test_kept_per_language(compiled_translations):
    with translation.override("en"):
        english = sentences()
        assert sentences() is english
        assert english["edit"] == "Edit"
    with translation.override("zh-hans"):
        chinese = sentences()
        assert chinese["edit"] == gettext("Edit") != "Edit"
    with translation.override("en"):
        assert sentences() is english
    assert calls == ["en", "zh-hans"]


def test_read_only():
    with pytest.raises(TypeError):
        sentences()["edit"] = "changed"


def test_a_setting_change_forgets_them(settings):
    needed = settings.JOKESITE_PRIVILEGES["flag"]
    assert str(needed) in sentences()["flag_hint"]
    settings.JOKESITE_LAUNCH_MODE = True
    assert "1 reputation" in sentences()["flag_hint"]


def test_a_catalogue_read_again_is_asked_again(compiled_translations, settings):
    with translation.override("zh-hans"):
        sentences()
        # What Django does when the catalogues may have changed on disk (LOCALE_PATHS).
        translation.trans_real._translations = {}
        translation.trans_real._active.value = translation.trans_real.translation("zh-hans")
        sentences()
    assert calls == ["zh-hans", "zh-hans"]
