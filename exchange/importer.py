"""Import a Stack Exchange data dump: members, tags, questions, answers, comments, votes,
accepted answers, duplicates and closed state.

Every table is streamed (`exchange.dump.iter_rows`) and written in batches with bulk inserts,
one transaction per batch together with its `ImportedRow` mappings, so an import stopped
half-way resumes where it stopped and a second run changes nothing. Nothing is held per row
of the dump: answers, comments and votes find their posts and members through the mapping
table, a batch at a time. After the inserts, `_finish` brings what the services would have
kept current up to date: the answer and comment counters, the search index (the code of
`rebuild_search`) and reputation (the measures of `recompute_reputation`, booked as one
"reputation from before the ledger" row per member).

Ids. A question, answer or comment keeps its id from the dump when that id is free here (so
`/questions/<id>/` links keep working as they are); otherwise it gets a new one and the old
URL redirects permanently (`exchange.middleware`). Members get new ids: their names are their
URLs.

Bodies. The dump's HTML goes through the sanitizer of every post (`clean_post_html`) into
`body_html`; `body`, the Markdown an edit starts from, is the source from PostHistory.xml when
the dump has it, else the sanitized HTML converted to Markdown.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import html_to_markdown
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Lower
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from accounts.models import ReputationEvent, ReputationReason
from answers.models import Answer
from questions import reputation, search
from questions.markdown import clean_post_html, render_comment
from questions.models import (
    COMMENT_MAX,
    RESERVED_SLUGS,
    TAG_MAX_LENGTH,
    TITLE_MAX,
    CloseReason,
    Comment,
    Question,
    Revision,
    Tag,
    Vote,
)
from questions.search.text import html_to_text

from .dump import FILES, DumpError, iter_rows, parse_date, parse_int, parse_tags
from .models import ImportedKind, ImportedRow

User = get_user_model()

SYSTEM_USERNAME = "Community"
VOTER_SITE = "*"  # anonymous voters are shared by every imported site
QUESTION, ANSWER, TAG_EXCERPT = 1, 2, 4
UPVOTE, DOWNVOTE = 2, 3
DUPLICATE_LINK = 3
# PostHistoryTypeId: the Markdown source of a body, and closing.
BODY_SOURCES, CLOSED, REOPENED = {2, 5, 8}, 10, 11
# Close reasons as PostHistory gives them (CloseReasonId in Comment; older dumps used 1-10).
CLOSE_REASONS = {
    "1": CloseReason.DUPLICATE,
    "101": CloseReason.DUPLICATE,
    "2": CloseReason.OFF_TOPIC,
    "102": CloseReason.OFF_TOPIC,
    "3": CloseReason.OPINION_BASED,
    "105": CloseReason.OPINION_BASED,
    "4": CloseReason.NEEDS_DETAILS,
    "103": CloseReason.NEEDS_DETAILS,
    "104": CloseReason.NEEDS_DETAILS,
}
# What a closed question says when the dump does not give the reason.
DEFAULT_CLOSE_REASON = CloseReason.NEEDS_DETAILS
_TAG_INVALID = re.compile(r"[^\w+#.\-]+")
_USERNAME_INVALID = re.compile(r"[^\w.@+-]+")
_MARKDOWN_OPTIONS = html_to_markdown.ConversionOptions(
    escape_asterisks=True, escape_underscores=True, escape_misc=True
)


class SkipRow(Exception):
    """This row cannot be imported; the message says why (the id is added by the caller)."""


@dataclass
class FileReport:
    """What happened to the rows of one file."""

    read: int = 0
    created: int = 0
    updated: int = 0
    already: int = 0  # imported by an earlier run
    skipped: Counter = field(default_factory=Counter)  # reason -> rows
    examples: dict[str, list[str]] = field(default_factory=dict)  # reason -> first ids
    error: str = ""  # the file could not be read (any further)
    name: str = ""
    log: Callable[[str], None] | None = None

    def skip(self, row_id: str, reason: str) -> None:
        self.skipped[reason] += 1
        if self.log:
            self.log(f"{self.name} row Id={row_id} skipped: {reason}")
        self.examples.setdefault(reason, [])
        if len(self.examples[reason]) < 5:
            self.examples[reason].append(row_id)


@dataclass
class Report:
    files: dict[str, FileReport] = field(default_factory=dict)
    finished: list[str] = field(default_factory=list)  # what `_finish` brought up to date

    @property
    def created(self) -> int:
        return sum(f.created + f.updated for f in self.files.values())

    def lines(self) -> Iterator[str]:
        for name, f in self.files.items():
            line = f"{name}: {f.read} rows read, {f.created} created"
            if f.updated:
                line += f", {f.updated} updated"
            line += f", {f.already} already imported, {sum(f.skipped.values())} skipped"
            yield line
            for reason, count in f.skipped.most_common():
                ids = ", ".join(f.examples[reason])
                more = ", ..." if count > len(f.examples[reason]) else ""
                yield f"  skipped {count}: {reason} (Id {ids}{more})"
            if f.error:
                yield f"  stopped: {f.error}"
        yield from self.finished


def make_slug(title: str) -> str:
    """The slug `Question.save` gives a title (bulk inserts do not call save)."""
    slug = slugify(title, allow_unicode=True)[:90].strip("-") or "question"
    return f"{slug}-question" if slug in RESERVED_SLUGS else slug


def tag_name(raw: str) -> str:
    """A dump's tag name as a name this site accepts: lower case, letters, digits and + # . - _,
    starting with a letter or digit (".net" becomes "net")."""
    name = _TAG_INVALID.sub("-", raw.strip().lower())
    return re.sub(r"^[^\w]+", "", name)[:TAG_MAX_LENGTH].rstrip("-")


def body_markdown(clean_html: str) -> str:
    """Markdown for sanitized HTML, for bodies the dump has no source of."""
    return html_to_markdown.convert(clean_html, _MARKDOWN_OPTIONS).content.strip()


def _required_id(row: dict) -> int:
    try:
        value = parse_int(row.get("Id"))
    except ValueError:
        value = None
    if value is None:
        raise SkipRow("no Id, or not a number")
    return value


def _date(row: dict, name: str, *, required: bool = False):
    try:
        value = parse_date(row.get(name))
    except ValueError as exc:
        raise SkipRow(f"{name} is not a date") from exc
    if required and value is None:
        raise SkipRow(f"no {name}")
    return value


def _int(row: dict, name: str, default: int | None = None) -> int | None:
    try:
        value = parse_int(row.get(name))
    except ValueError as exc:
        raise SkipRow(f"{name} is not a number") from exc
    return default if value is None else value


class Importer:
    """One import of one dump folder into the site, under a site key (`--site`)."""

    def __init__(
        self,
        directory: Path,
        *,
        site: str,
        batch_size: int = 1000,
        log: Callable[[str], None] = lambda line: None,
        progress: Callable[[str, int, int], None] | None = None,
    ):
        self.directory, self.site, self.batch_size = Path(directory), site, batch_size
        self.log, self.progress = log, progress
        self.report = Report()
        self.excerpts: dict[int, int] = {}  # tag excerpt post id -> tag pk (one per tag)
        self.voters: list[int] = []  # anonymous voters' pks, voter k at index k - 1
        self._system: int | None = None

    # --- Driving ----------------------------------------------------------------------------

    def run(self) -> Report:
        present = {name for name in FILES if (self.directory / name).is_file()}
        if "Posts.xml" not in present and "Users.xml" not in present:
            raise DumpError(f"{self.directory}: neither Posts.xml nor Users.xml is there")
        steps = [
            ("Users.xml", self._users),
            ("Tags.xml", self._tags),
            ("Posts.xml", self._questions),
            ("Posts.xml (answers)", self._answers),
            ("Posts.xml (accepted answers)", self._accepts),
            ("PostHistory.xml", self._history),
            ("PostLinks.xml", self._links),
            ("Comments.xml", self._comments),
            ("Votes.xml", self._votes),
            ("Badges.xml", self._badges),
        ]
        for label, step in steps:
            name = label.split(" ")[0]
            if name in present:
                self._read(label, name, step)
        if self.report.created:
            self._finish()
        else:
            self.report.finished.append("Nothing new: counters, search and reputation untouched.")
        return self.report

    def _read(self, label: str, name: str, step) -> None:
        report = self.report.files.setdefault(label, FileReport(name=name, log=self.log))

        def progress(done: int, total: int) -> None:
            if self.progress:
                self.progress(label, done, total)

        batch: list[dict] = []
        try:
            for row in iter_rows(self.directory / name, progress=progress):
                batch.append(row)
                if len(batch) == self.batch_size:
                    step(batch, report)
                    batch = []
        except DumpError as exc:
            report.error = str(exc)
            self.log(f"{label}: {exc}")
        if batch:  # the last rows, or those read before the file broke off
            step(batch, report)

    def _valid(self, batch: list[dict], report: FileReport, parse) -> list:
        """The batch's rows that `parse` accepts (as what it returns); the others are reported
        with their ids and skipped."""
        parsed = []
        for row in batch:
            try:
                item = parse(row)
            except SkipRow as exc:
                report.skip(row.get("Id", "?"), str(exc))
                continue
            if item is not None:
                parsed.append(item)
        return parsed

    # --- Mappings ---------------------------------------------------------------------------

    def _mapped(self, kind: str, old_ids: Iterable[int], site: str | None = None) -> dict:
        ids = list(set(old_ids))
        if not ids:
            return {}
        rows = ImportedRow.objects.filter(site=site or self.site, kind=kind, old_id__in=ids)
        return dict(rows.values_list("old_id", "new_id"))

    def _new_only(self, kind: str, items: list, report: FileReport) -> list:
        """Items (tuples starting with the old id) not imported by an earlier run."""
        done = self._mapped(kind, [item[0] for item in items])
        report.already += sum(1 for item in items if item[0] in done)
        return [item for item in items if item[0] not in done]

    def _map(self, kind: str, pairs: Iterable[tuple[int, int]], site: str | None = None) -> None:
        ImportedRow.objects.bulk_create(
            ImportedRow(site=site or self.site, kind=kind, old_id=old, new_id=new)
            for old, new in pairs
        )

    def _insert(self, model, pairs: list[tuple[int, object]]) -> None:
        """Bulk insert the objects, each keeping its old id as primary key when no row has it."""
        taken = set(
            model.objects.filter(pk__in=[old for old, _ in pairs if old > 0]).values_list(
                "pk", flat=True
            )
        )
        keep = [obj for old, obj in pairs if old > 0 and old not in taken]
        for old, obj in pairs:
            if old > 0 and old not in taken:
                obj.pk = old
        model.objects.bulk_create(keep)
        if keep and connection.vendor == "postgresql":
            # Rows inserted with their own ids leave the id sequence behind: move it past them
            # before any row takes an id from it.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                    cursor.execute(sql)
        model.objects.bulk_create([obj for old, obj in pairs if obj.pk is None])

    def _authors(self, old_ids: Iterable[int | None]) -> dict:
        """Old member id -> pk here, for ids known to this site."""
        return self._mapped(ImportedKind.USER, [i for i in old_ids if i is not None])

    def _author(self, authors: dict, old_id: int | None) -> int:
        """A member's pk; the system account for the Community user (-1), members missing from
        Users.xml and posts with no owner."""
        if old_id is not None and old_id in authors:
            return authors[old_id]
        return self.system_account()

    def system_account(self) -> int:
        """The one account the dump's "Community" user (Id=-1) and ownerless posts map to."""
        if self._system is None:
            mapped = self._mapped(ImportedKind.USER, [-1])
            if mapped:
                self._system = mapped[-1]
            else:
                with transaction.atomic():
                    user, _ = User.objects.get_or_create(
                        username=SYSTEM_USERNAME,
                        defaults={"password": make_password(None), "first_name": "Community"},
                    )
                    self._map(ImportedKind.USER, [(-1, user.pk)])
                self._system = user.pk
        return self._system

    # --- Users.xml --------------------------------------------------------------------------

    def _users(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            old = _required_id(row)
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
            joined = _date(row, "CreationDate")
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
            old = _required_id(row)
            name = tag_name(row.get("TagName") or "")
            if not name:
                raise SkipRow("no usable TagName")
            return old, name, _int(row, "ExcerptPostId")

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

    # --- Posts.xml: questions, tag excerpts -------------------------------------------------

    def _body(self, row: dict) -> tuple[str, str]:
        """(body, body_html): Markdown to edit from and the sanitized HTML to show."""
        html = clean_post_html(row.get("Body") or "")
        return body_markdown(html), html

    def _questions(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            kind = _int(row, "PostTypeId")
            if kind == ANSWER:
                return None  # the next pass
            old = _required_id(row)
            if kind == TAG_EXCERPT:
                return ("excerpt", old, row)
            if kind != QUESTION:
                raise SkipRow(f"PostTypeId {kind} (wiki and other post types) is not imported")
            title = " ".join((row.get("Title") or "").split())[:TITLE_MAX]
            if not title:
                raise SkipRow("a question without a Title")
            created = _date(row, "CreationDate", required=True)
            closed = _date(row, "ClosedDate")
            fields = {
                "title": title,
                "slug": make_slug(title),
                "score": _int(row, "Score", 0),
                "created_at": created,
                "edited_at": _date(row, "LastEditDate"),
                "last_activity_at": _date(row, "LastActivityDate") or created,
                "deleted_at": _date(row, "DeletionDate"),
                "closed_at": closed,
                "close_reason": DEFAULT_CLOSE_REASON if closed else "",
            }
            return ("question", old, row, fields, parse_tags(row.get("Tags")))

        parsed = self._valid(batch, report, parse)
        report.read += sum(1 for row in batch if row.get("PostTypeId") != str(ANSWER))
        self._excerpts([item for item in parsed if item[0] == "excerpt"], report)
        items = [item[1:] for item in parsed if item[0] == "question"]
        items = self._new_only(ImportedKind.QUESTION, items, report)
        if not items:
            return
        authors = self._authors(_int(row, "OwnerUserId") for _, row, _, _ in items)
        tag_pks = self._ensure_tags(
            name for *_, names in items for name in map(tag_name, names) if name
        )
        questions = []
        for old, row, fields, _names in items:
            body, body_html = self._body(row)
            author = self._author(authors, _int(row, "OwnerUserId"))
            question = Question(author_id=author, body=body, body_html=body_html, **fields)
            questions.append((old, question))
        with transaction.atomic():
            self._insert(Question, questions)
            through = Question.tags.through
            links, revisions = [], []
            for (_, question), (*_, names) in zip(questions, items, strict=True):
                names = list(dict.fromkeys(n for n in map(tag_name, names) if n))
                links += [through(question_id=question.pk, tag_id=tag_pks[n]) for n in names]
                revisions.append(self._first_revision(question, tags=" ".join(sorted(names))))
            through.objects.bulk_create(links)
            Revision.objects.bulk_create(revisions)
            self._map(ImportedKind.QUESTION, [(old, q.pk) for old, q in questions])
        report.created += len(questions)

    @staticmethod
    def _first_revision(post, *, tags: str = "") -> Revision:
        """Revision 1, as `add_revision` keeps it for a post made on the site."""
        return Revision(
            **{post.kind: post},
            number=1,
            editor_id=post.author_id,
            title=getattr(post, "title", ""),
            body=post.body,
            tags=tags,
            created_at=post.created_at,
        )

    def _excerpts(self, items: list, report: FileReport) -> None:
        """Tag wiki excerpts become the descriptions of tags that have none."""
        for _, old, row in items:
            tag = self.excerpts.get(old)
            if tag is None:
                report.skip(str(old), "a tag wiki excerpt of no tag in Tags.xml")
                continue
            text = html_to_text(clean_post_html(row.get("Body") or ""))
            if text and Tag.objects.filter(pk=tag, description="").update(description=text):
                report.updated += 1

    # --- Posts.xml, second pass: answers ----------------------------------------------------

    def _answers(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            if row.get("PostTypeId") != str(ANSWER):
                return None
            old = _required_id(row)
            parent = _int(row, "ParentId")
            if parent is None:
                raise SkipRow("an answer without a ParentId")
            fields = {
                "score": _int(row, "Score", 0),
                "created_at": _date(row, "CreationDate", required=True),
                "edited_at": _date(row, "LastEditDate"),
                "deleted_at": _date(row, "DeletionDate"),
            }
            return old, parent, row, fields

        items = self._valid(batch, report, parse)
        report.read += sum(1 for row in batch if row.get("PostTypeId") == str(ANSWER))
        items = self._new_only(ImportedKind.ANSWER, items, report)
        parents = self._mapped(ImportedKind.QUESTION, [parent for _, parent, _, _ in items])
        authors = self._authors(_int(row, "OwnerUserId") for _, _, row, _ in items)
        answers = []
        for old, parent, row, fields in items:
            if parent not in parents:
                report.skip(str(old), f"its question (ParentId {parent}) is not in the dump")
                continue
            body, body_html = self._body(row)
            author = self._author(authors, _int(row, "OwnerUserId"))
            answer = Answer(
                question_id=parents[parent],
                author_id=author,
                body=body,
                body_html=body_html,
                **fields,
            )
            answers.append((old, answer))
        if not answers:
            return
        with transaction.atomic():
            self._insert(Answer, answers)
            Revision.objects.bulk_create(self._first_revision(a) for _, a in answers)
            self._map(ImportedKind.ANSWER, [(old, a.pk) for old, a in answers])
        report.created += len(answers)

    # --- Posts.xml, third pass: accepted answers --------------------------------------------

    def _accepts(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            if row.get("PostTypeId") != str(QUESTION) or not row.get("AcceptedAnswerId"):
                return None
            return _required_id(row), _int(row, "AcceptedAnswerId")

        items = self._valid(batch, report, parse)
        report.read += len(items)
        questions = self._mapped(ImportedKind.QUESTION, [q for q, _ in items])
        answers = self._mapped(ImportedKind.ANSWER, [a for _, a in items])
        pairs = []
        for question, answer in items:
            if question not in questions:
                continue  # skipped in the first pass, and said so there
            if answer not in answers:
                report.skip(str(question), f"its accepted answer {answer} is not in the dump")
                continue
            pairs.append((questions[question], answers[answer]))
        if not pairs:
            return
        with transaction.atomic():
            already = set(
                Answer.objects.filter(
                    question_id__in=[q for q, _ in pairs], is_accepted=True
                ).values_list("question_id", flat=True)
            )
            report.already += len(already)
            wanted = {a: q for q, a in pairs if q not in already}
            # Only an answer of that very question, and not deleted, can be its accepted one.
            rows = Answer.objects.filter(pk__in=list(wanted), deleted_at__isnull=True)
            ids = [pk for pk, q in rows.values_list("pk", "question_id") if wanted[pk] == q]
            # Dumps do not date an accept; the answer's own date is the earliest it can be.
            accepted = Answer.objects.filter(pk__in=ids).update(
                is_accepted=True, accepted_at=F("created_at")
            )
            report.updated += accepted

    # --- PostHistory.xml: Markdown sources, close reasons ----------------------------------

    def _history(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            kind = _int(row, "PostHistoryTypeId")
            post = _int(row, "PostId")
            if kind in BODY_SOURCES and post is not None and row.get("Text"):
                return "body", post, row["Text"]
            if kind in (CLOSED, REOPENED) and post is not None:
                return "close", post, (row.get("Comment") or "") if kind == CLOSED else None
            return None

        items = self._valid(batch, report, parse)
        report.read += len(batch)
        posts = [post for _, post, _ in items]
        # Rows come in the order they were written: the last source of a post wins.
        sources = {post: text for kind, post, text in items if kind == "body"}
        closes = {post: reason for kind, post, reason in items if kind == "close"}
        with transaction.atomic():
            for model, kind in ((Question, ImportedKind.QUESTION), (Answer, ImportedKind.ANSWER)):
                mapped = self._mapped(kind, posts)
                for old, text in sources.items():
                    if old in mapped:
                        new = mapped[old]
                        changed = model.objects.filter(pk=new).exclude(body=text).update(body=text)
                        if changed:
                            Revision.objects.filter(**{kind: new}, number=1).update(body=text)
                            report.updated += 1
                if model is Question:
                    for old, reason in closes.items():
                        if old in mapped and reason is not None:
                            why = CLOSE_REASONS.get(reason.strip(), DEFAULT_CLOSE_REASON)
                            report.updated += (
                                Question.objects.filter(pk=mapped[old], closed_at__isnull=False)
                                .exclude(close_reason=why)
                                .update(close_reason=why)
                            )

    # --- PostLinks.xml: duplicates ----------------------------------------------------------

    def _links(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            if _int(row, "LinkTypeId") != DUPLICATE_LINK:
                return None
            return _int(row, "PostId"), _int(row, "RelatedPostId")

        items = [pair for pair in self._valid(batch, report, parse) if None not in pair]
        report.read += len(batch)
        mapped = self._mapped(ImportedKind.QUESTION, [p for pair in items for p in pair])
        with transaction.atomic():
            for post, original in items:
                if post not in mapped or original not in mapped:
                    report.skip(str(post), "a duplicate link to a question not in the dump")
                    continue
                duplicate = Question.objects.filter(pk=mapped[post]).exclude(
                    duplicate_of_id=mapped[original]
                )
                report.updated += duplicate.update(duplicate_of_id=mapped[original])
                Question.objects.filter(pk=mapped[post], closed_at__isnull=False).update(
                    close_reason=CloseReason.DUPLICATE
                )

    # --- Comments.xml -----------------------------------------------------------------------

    def _posts(self, old_ids: Iterable[int]) -> dict[int, tuple[str, int]]:
        """Old post id -> ("question" or "answer", pk here). Post ids are unique in a dump."""
        old_ids = list(old_ids)
        posts = {old: ("answer", new) for old, new in self._mapped("answer", old_ids).items()}
        posts.update(
            (old, ("question", new)) for old, new in self._mapped("question", old_ids).items()
        )
        return posts

    def _comments(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            old = _required_id(row)
            text = (row.get("Text") or "").strip()
            if not text:
                raise SkipRow("an empty comment")
            post = _int(row, "PostId")
            created = _date(row, "CreationDate", required=True)
            return old, post, text[:COMMENT_MAX], created, _int(row, "UserId")

        items = self._new_only(ImportedKind.COMMENT, self._valid(batch, report, parse), report)
        report.read += len(batch)
        posts = self._posts(post for _, post, _, _, _ in items)
        authors = self._authors(user for *_, user in items)
        comments = []
        for old, post, text, created, user in items:
            if post not in posts:
                report.skip(str(old), f"its post (PostId {post}) is not in the dump")
                continue
            kind, pk = posts[post]
            comment = Comment(
                **{f"{kind}_id": pk},
                author_id=self._author(authors, user),
                body=text,
                body_html=render_comment(text),
                created_at=created,
            )
            comments.append((old, comment))
        if comments:
            with transaction.atomic():
                self._insert(Comment, comments)
                self._map(ImportedKind.COMMENT, [(old, c.pk) for old, c in comments])
            report.created += len(comments)

    # --- Votes.xml --------------------------------------------------------------------------

    def _votes(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            old = _required_id(row)
            kind = _int(row, "VoteTypeId")
            if kind not in (UPVOTE, DOWNVOTE):
                raise SkipRow(f"VoteTypeId {kind}: only up and down votes are imported")
            created = _date(row, "CreationDate", required=True)
            return old, _int(row, "PostId"), 1 if kind == UPVOTE else -1, created

        items = self._new_only(ImportedKind.VOTE, self._valid(batch, report, parse), report)
        report.read += len(batch)
        posts = self._posts(post for _, post, _, _ in items)
        missing = [item for item in items if item[1] not in posts]
        for old, post, _, _ in missing:
            report.skip(str(old), f"its post (PostId {post}) is not in the dump")
        items = [item for item in items if item[1] in posts]
        if not items:
            return
        with transaction.atomic():
            # Votes in a dump are anonymous: the k-th vote on a post is cast by anonymous voter
            # k, so one post's votes have as many voters (one vote per member and post).
            used = defaultdict(set)
            for kind in ("question", "answer"):
                pks = [pk for k, pk in posts.values() if k == kind]
                rows = Vote.objects.filter(**{f"{kind}_id__in": pks})
                for pk, voter in rows.values_list(f"{kind}_id", "voter_id"):
                    used[kind, pk].add(voter)
            votes = []
            for old, post, value, created in items:
                kind, pk = posts[post]
                voter = self._free_voter(used[kind, pk])
                used[kind, pk].add(voter)
                vote = Vote(**{f"{kind}_id": pk}, voter_id=voter, value=value, created_at=created)
                votes.append((old, vote))
            Vote.objects.bulk_create([vote for _, vote in votes])
            self._map(ImportedKind.VOTE, [(old, v.pk) for old, v in votes])
        report.created += len(votes)

    def _free_voter(self, used: set[int]) -> int:
        if not self.voters:
            self.voters = [
                pk
                for _, pk in sorted(
                    ImportedRow.objects.filter(
                        site=VOTER_SITE, kind=ImportedKind.VOTER
                    ).values_list("old_id", "new_id")
                )
            ]
        for voter in self.voters:
            if voter not in used:
                return voter
        number = len(self.voters) + 1
        username = f"anonymous-voter-{number}"
        while User.objects.filter(username__iexact=username).exists():
            username = f"anonymous-voter-{number}-{get_random_string(6).lower()}"
        user = User.objects.create(username=username, password=make_password(None))
        self._map(ImportedKind.VOTER, [(number, user.pk)], site=VOTER_SITE)
        self.voters.append(user.pk)
        return user.pk

    # --- Badges.xml -------------------------------------------------------------------------

    def _badges(self, batch: list[dict], report: FileReport) -> None:
        report.read += len(batch)
        for row in batch:
            report.skip(row.get("Id", "?"), "badges are not part of this site")

    # --- After the inserts ------------------------------------------------------------------

    def _site_ids(self, kind: str, site: str | None = None) -> Iterator[list[int]]:
        """New ids of this site's rows of one kind, in batches, smallest first."""
        rows = ImportedRow.objects.filter(site=site or self.site, kind=kind)
        last = None
        while True:
            page = rows.filter(new_id__gt=last) if last is not None else rows
            ids = list(page.order_by("new_id").values_list("new_id", flat=True)[:500])
            if not ids:
                return
            last = ids[-1]
            yield ids

    def _finish(self) -> None:
        """Counters, the search index and reputation, for everything this site imported."""
        visible = {"deleted_at__isnull": True, "hidden_at__isnull": True}

        def counted(model, **filters):
            rows = model.objects.filter(**filters, **visible).order_by().values(*filters)
            return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

        posts = 0
        for ids in self._site_ids(ImportedKind.QUESTION):
            with transaction.atomic():
                Question.objects.filter(pk__in=ids).update(
                    answer_count=counted(Answer, question=OuterRef("pk")),
                    comment_count=counted(Comment, question=OuterRef("pk")),
                )
                search.reindex_questions(ids)
            posts += len(ids)
            if self.progress:
                self.progress("counters and search", posts, 0)
        for ids in self._site_ids(ImportedKind.ANSWER):
            Answer.objects.filter(pk__in=ids).update(
                comment_count=counted(Comment, answer=OuterRef("pk"))
            )
        self.report.finished.append("Counters and search index brought up to date.")
        members = 0
        for kind, site in ((ImportedKind.USER, None), (ImportedKind.VOTER, VOTER_SITE)):
            for ids in self._site_ids(kind, site):
                members += self._book_reputation(ids)
        self.report.finished.append(
            f"Reputation recounted from the imported votes and accepts: {members} members moved."
        )

    @transaction.atomic
    def _book_reputation(self, user_ids: list[int]) -> int:
        """Book, as one row per member, the difference between what the imported votes and
        accepts are worth to them and what their ledger says; `recompute_reputation` then
        finds nothing to correct. Returns how many members moved."""
        reputation.lock_users(user_ids)
        worth = reputation.worth_of(user_ids)
        booked = dict(
            ReputationEvent.objects.filter(
                user_id__in=user_ids,
                reason__in=ReputationReason.from_votes_and_accepts(),
            )
            .values("user_id")
            .annotate(total=Sum("delta"))
            .values_list("user_id", "total")
        )
        rows = [
            ReputationEvent(
                user_id=pk, delta=worth[pk] - booked.get(pk, 0), reason=ReputationReason.OPENING
            )
            for pk in user_ids
            if worth[pk] != booked.get(pk, 0)
        ]
        ReputationEvent.objects.bulk_create(rows)
        reputation.sync_totals(user_ids)
        return len(rows)
