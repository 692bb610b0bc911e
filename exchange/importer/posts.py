"""Posts.xml (questions, answers, accepted answers), PostHistory.xml and PostLinks.xml."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from answers.models import Answer
from core.markdown import clean_post_html
from core.models import TITLE_MAX
from questions.models import CloseReason, Question, Tag
from revisions.models import Revision
from search.text import html_to_text

from ..dump import parse_tags
from ..models import ImportedKind
from .rows import (
    ANSWER,
    BODY_SOURCES,
    CLOSE_REASONS,
    CLOSED,
    DEFAULT_CLOSE_REASON,
    DUPLICATE_LINK,
    QUESTION,
    REOPENED,
    TAG_EXCERPT,
    FileReport,
    SkipRow,
    body_markdown,
    date_of,
    int_of,
    make_slug,
    row_id,
    tag_name,
)


class PostsMixin:
    """Questions, tag excerpts, answers, accepted answers, Markdown sources, closing, duplicates."""

    # --- Posts.xml: questions, tag excerpts -------------------------------------------------

    def _body(self, row: dict) -> tuple[str, str]:
        """(body, body_html): Markdown to edit from and the sanitized HTML to show."""
        html = clean_post_html(row.get("Body") or "")
        return body_markdown(html), html

    def _questions(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            kind = int_of(row, "PostTypeId")
            if kind == ANSWER:
                return None  # the next pass
            old = row_id(row)
            if kind == TAG_EXCERPT:
                return ("excerpt", old, row)
            if kind != QUESTION:
                raise SkipRow(f"PostTypeId {kind} (wiki and other post types) is not imported")
            title = " ".join((row.get("Title") or "").split())[:TITLE_MAX]
            if not title:
                raise SkipRow("a question without a Title")
            created = date_of(row, "CreationDate", required=True)
            closed = date_of(row, "ClosedDate")
            fields = {
                "title": title,
                "slug": make_slug(title),
                "score": int_of(row, "Score", 0),
                "created_at": created,
                "edited_at": date_of(row, "LastEditDate"),
                "last_activity_at": date_of(row, "LastActivityDate") or created,
                "deleted_at": date_of(row, "DeletionDate"),
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
        authors = self._authors(int_of(row, "OwnerUserId") for _, row, _, _ in items)
        tag_pks = self._ensure_tags(
            name for *_, names in items for name in map(tag_name, names) if name
        )
        questions = []
        for old, row, fields, _names in items:
            body, body_html = self._body(row)
            author = self._author(authors, int_of(row, "OwnerUserId"))
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
            old = row_id(row)
            parent = int_of(row, "ParentId")
            if parent is None:
                raise SkipRow("an answer without a ParentId")
            fields = {
                "score": int_of(row, "Score", 0),
                "created_at": date_of(row, "CreationDate", required=True),
                "edited_at": date_of(row, "LastEditDate"),
                "deleted_at": date_of(row, "DeletionDate"),
            }
            return old, parent, row, fields

        items = self._valid(batch, report, parse)
        report.read += sum(1 for row in batch if row.get("PostTypeId") == str(ANSWER))
        items = self._new_only(ImportedKind.ANSWER, items, report)
        parents = self._mapped(ImportedKind.QUESTION, [parent for _, parent, _, _ in items])
        authors = self._authors(int_of(row, "OwnerUserId") for _, _, row, _ in items)
        answers = []
        for old, parent, row, fields in items:
            if parent not in parents:
                report.skip(str(old), f"its question (ParentId {parent}) is not in the dump")
                continue
            body, body_html = self._body(row)
            author = self._author(authors, int_of(row, "OwnerUserId"))
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
            return row_id(row), int_of(row, "AcceptedAnswerId")

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
            kind = int_of(row, "PostHistoryTypeId")
            post = int_of(row, "PostId")
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
                wanted = {mapped[old]: text for old, text in sources.items() if old in mapped}
                current = model.objects.filter(pk__in=list(wanted)).values_list("pk", "body")
                changed = {pk: wanted[pk] for pk, body in current if body != wanted[pk]}
                if changed:
                    # The source replaces `body` (the Markdown to edit from) and revision 1's
                    # copy of it; `body_html` stays the dump's sanitized HTML.
                    model.objects.bulk_update(
                        [model(pk=pk, body=text) for pk, text in changed.items()], ["body"]
                    )
                    revisions = Revision.objects.filter(
                        **{f"{kind}_id__in": list(changed)}, number=1
                    )
                    for revision in revisions:
                        revision.body = changed[getattr(revision, f"{kind}_id")]
                    Revision.objects.bulk_update(revisions, ["body"])
                    report.updated += len(changed)
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
            if int_of(row, "LinkTypeId") != DUPLICATE_LINK:
                return None
            return int_of(row, "PostId"), int_of(row, "RelatedPostId")

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
