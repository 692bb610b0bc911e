"""Users.xml and Tags.xml."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models.functions import Lower

from core.markdown import clean_post_html
from questions.models import Tag
from search.text import html_to_text

from ..models import ImportedKind
from .rows import _USERNAME_INVALID, FileReport, SkipRow, date_of, int_of, row_id, tag_name

User = get_user_model()


class MembersMixin:
    """Users.xml and Tags.xml: members, the system account, tags."""

    # --- Users.xml --------------------------------------------------------------------------

    def _users(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            old = row_id(row)
            name = " ".join((row.get("DisplayName") or "").split())
            return old, name, row

        items = self._new_only(ImportedKind.USER, self._valid(batch, report, parse), report)
        report.read += len(batch)
        if any(old == -1 for old, _, _ in items):
            self.system_account()  # the Community user: one account, mapped when made
            report.created += 1
            items = [item for item in items if item[0] != -1]
        if not items:
            return
        wanted = {old: self._username(name, old) for old, name, _ in items}
        lowered = {name.lower() for name in wanted.values()}
        taken = set(
            User.objects.annotate(lower=Lower("username"))
            .filter(lower__in=lowered)
            .values_list("lower", flat=True)
        )
        users = []
        for old, name, row in items:
            username = wanted[old]
            if username.lower() in taken:
                username = f"{username[:130]}-{old}"
            taken.add(username.lower())
            about = html_to_text(clean_post_html(row.get("AboutMe") or ""))[:3000]
            joined = date_of(row, "CreationDate")
            user = User(
                username=username,
                first_name=name[:150],
                email=(row.get("Email") or "").strip()[:254],
                password=make_password(None),
                about=about,
                **({"date_joined": joined} if joined else {}),
            )
            users.append((old, user))
        with transaction.atomic():
            User.objects.bulk_create([user for _, user in users])
            self._map(ImportedKind.USER, [(old, user.pk) for old, user in users])
        report.created += len(users)

    @staticmethod
    def _username(display_name: str, old_id: int) -> str:
        """The display name as a username (spaces become _), or user<old id>."""
        name = _USERNAME_INVALID.sub("_", display_name).strip("_")[:140]
        return name or f"user{old_id}"

    # --- Tags.xml ---------------------------------------------------------------------------

    def _tags(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            old = row_id(row)
            name = tag_name(row.get("TagName") or "")
            if not name:
                raise SkipRow("no usable TagName")
            return old, name, int_of(row, "ExcerptPostId")

        items = self._valid(batch, report, parse)
        report.read += len(batch)
        done = self._mapped(ImportedKind.TAG, [old for old, _, _ in items])
        report.already += len(done)
        pks = self._ensure_tags([name for _, name, _ in items])
        with transaction.atomic():
            self._map(ImportedKind.TAG, [(old, pks[n]) for old, n, _ in items if old not in done])
        report.created += sum(1 for old, _, _ in items if old not in done)
        for _, name, excerpt in items:
            if excerpt:
                self.excerpts[excerpt] = pks[name]

    def _ensure_tags(self, names: Iterable[str]) -> dict[str, int]:
        """Tag pks by name, creating the tags that do not exist yet."""
        names = set(names)
        if not names:
            return {}
        Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
        return dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
