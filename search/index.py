"""Keeping SearchEntry (and its full text) current.

The services call `index_post` after every write that changes what search shows (ask, answer,
edit, delete, restore, hide or show), `refresh_counts` after votes and accepts (and
`refresh_scores` when votes are invalidated), `reindex_questions` when tags are merged or
renamed, all inside their transaction: a post is findable the moment it is saved, and a
rolled-back write leaves no trace in search. `rebuild` is for `manage.py rebuild_search` and
the migration that creates the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.apps import apps as global_apps
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.expressions import RawSQL

from .text import Document, document, html_to_text, tag_token

FTS_TABLE = "questions_searchentryfts"
# PostgreSQL: 'english' without stop words (made by the migration) stems the words; 'simple'
# indexes the CJK tokens as they are.
WORDS_CONFIG, CJK_CONFIG = "jokesite_english", "simple"
_EMPTY = Document("", "")


def _models(apps=None):
    apps = apps or global_apps
    try:
        entry = apps.get_model("search", "SearchEntry")
    except LookupError:  # the historical models of `questions.0006_search`, before the re-cut
        entry = apps.get_model("questions", "SearchEntry")
    return apps.get_model("questions", "Question"), apps.get_model("answers", "Answer"), entry


# The tsvector of one post: words and CJK tokens of the title (weight A), the tags (B) and the
# body (C). Parameters: words and CJK text of title, tags, body, in that order.
VECTOR_SQL = " || ".join(
    f"setweight(to_tsvector('{config}', %s), '{weight}')"
    for weight in "ABC"
    for config in (WORDS_CONFIG, CJK_CONFIG)
)


def _vector(title: Document, tags: Document, body: Document) -> RawSQL:
    """The PostgreSQL tsvector expression for one post (plain SQL: compiled in microseconds,
    which matters when rebuild_search writes a million of them)."""
    params = [text for doc in (title, tags, body) for text in (doc.words, doc.cjk)]
    return RawSQL(VECTOR_SQL, params, output_field=SearchVectorField())


TITLE_VECTOR_SQL = f"to_tsvector('{WORDS_CONFIG}', %s) || to_tsvector('{CJK_CONFIG}', %s)"


def _title_vector(fields: dict, title: Document) -> dict:
    """PostgreSQL: `title_vector` of a question's entry (answers have none)."""
    if fields["kind"] != "question":
        return {}
    vector = RawSQL(TITLE_VECTOR_SQL, [title.words, title.cjk], output_field=SearchVectorField())
    return {"title_vector": vector}


# PostgreSQL: the terms of the titles of the question entries chosen by `{where}` (search.models
# .TitleTerm), from their title vectors.
TITLE_TERMS_SQL = """INSERT INTO search_titleterm (term, question_id)
    SELECT term, entry.question_id
    FROM questions_searchentry entry, unnest(tsvector_to_array(entry.title_vector)) term
    WHERE entry.answer_id IS NULL AND {where}
    ON CONFLICT DO NOTHING"""


def _write_title_terms(question_ids: list[int]) -> None:
    """PostgreSQL: replace the title terms of these questions by those of their entries."""
    if connection.vendor != "postgresql" or not question_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_titleterm WHERE question_id = ANY(%s)", [question_ids])
        cursor.execute(TITLE_TERMS_SQL.format(where="entry.question_id = ANY(%s)"), [question_ids])


def _is_public(post) -> bool:
    """Shown on public pages: neither soft-deleted nor hidden by flags (PostQuerySet.visible)."""
    return post.deleted_at is None and post.hidden_at is None


def _tags_document(tag_names: list[str], *, words: bool) -> Document:
    """The tags' words (questions only: a tag's words are searched like the title's) and one
    token per tag for the [tag] filter (questions and answers)."""
    tokens = " ".join(tag_token(name) for name in tag_names)
    if not words:
        return Document("", tokens)
    doc = document(" ".join(tag_names))
    return Document(doc.words, f"{doc.cjk} {tokens}".strip())


def _question_entry(question, tag_names: list[str]) -> tuple[dict, tuple]:
    """(SearchEntry fields, (title, tags, body) documents) for a question."""
    body = html_to_text(question.body_html)
    tags = " ".join(tag_names)
    fields = {
        "question_id": question.pk,
        "answer_id": None,
        "kind": "question",
        "author_id": question.author_id,
        "title": question.title,
        "body": body,
        "tags": tags,
        "score": question.score,
        "is_accepted": False,
        "answer_count": question.answer_count,
        "created_at": question.created_at,
        "is_visible": _is_public(question),
    }
    return fields, (document(question.title), _tags_document(tag_names, words=True), document(body))


def _answer_entry(answer, question, tag_names: list[str]) -> tuple[dict, tuple]:
    """(SearchEntry fields, documents) for an answer: only its own body is searched; the
    question's title and tags are kept for showing and for the [tag] filter."""
    body = html_to_text(answer.body_html)
    fields = {
        "question_id": question.pk,
        "answer_id": answer.pk,
        "kind": "answer",
        "author_id": answer.author_id,
        "title": question.title,
        "body": body,
        "tags": " ".join(tag_names),
        "score": answer.score,
        "is_accepted": answer.is_accepted,
        "answer_count": 0,
        "created_at": answer.created_at,
        "is_visible": _is_public(answer) and _is_public(question),
    }
    return fields, (_EMPTY, _tags_document(tag_names, words=False), document(body))


def _write_fts(rows: list[tuple[int, tuple]]) -> None:
    """SQLite: (re)write the FTS5 rows of these entry ids."""
    params = [
        (entry_id, title.combined(), tags.combined(), body.combined())
        for entry_id, (title, tags, body) in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(p[0],) for p in params])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, tags, body) VALUES (%s, %s, %s, %s)", params
        )


def _save(SearchEntry, fields: dict, docs: tuple) -> None:
    """Insert or update one entry and its full text."""
    key = {"question_id": fields["question_id"], "answer_id": fields["answer_id"]}
    values = dict(fields)
    if connection.vendor == "postgresql":
        values["vector"] = _vector(*docs)
        values.update(_title_vector(fields, docs[0]))
    entry_id = SearchEntry.objects.filter(**key).values_list("pk", flat=True).first()
    if entry_id:
        SearchEntry.objects.filter(pk=entry_id).update(**values)
    else:
        entry_id = SearchEntry.objects.create(**values).pk
    if fields["kind"] == "question":
        _write_title_terms([fields["question_id"]])
    if connection.vendor == "sqlite":
        _write_fts([(entry_id, docs)])


def _tag_names(Question, question_ids) -> dict[int, list[str]]:
    names = defaultdict(list)
    rows = (
        Question.tags.through.objects.filter(question_id__in=question_ids)
        .order_by("tag__name")
        .values_list("question_id", "tag__name")
    )
    for question_id, name in rows:
        names[question_id].append(name)
    return names


def index_post(post) -> None:
    """Bring the search entry of `post` (a question or an answer) up to date with the database.

    Call inside the write's transaction, after the write. Reads the post afresh, so counters
    changed with update() are seen. A question re-indexes its whole thread (its answers carry
    its title and tags and follow its deletion); an answer updates its question's answer count.
    """
    Question, Answer, SearchEntry = _models()
    if post._meta.model_name == "question":
        # The whole thread: its answers carry its tags and follow its deletion and hiding.
        _index_questions(Question, Answer, SearchEntry, [post.pk])
    else:
        answer = Answer.objects.select_related("question").get(pk=post.pk)
        question = answer.question
        tags = _tag_names(Question, [question.pk])[question.pk]
        # The question's entry first, as the question branch above goes too.
        refresh_counts(question)
        _save(SearchEntry, *_answer_entry(answer, question, tags))


def refresh_counts(post) -> None:
    """Copy a post's score (and answer count or accepted mark) into its entry: one UPDATE."""
    Question, Answer, SearchEntry = _models()
    if post._meta.model_name == "question":
        source = Question.objects.filter(pk=OuterRef("question_id"))
        SearchEntry.objects.filter(question_id=post.pk, answer__isnull=True).update(
            score=Subquery(source.values("score")),
            answer_count=Subquery(source.values("answer_count")),
        )
    else:
        source = Answer.objects.filter(pk=OuterRef("answer_id"))
        SearchEntry.objects.filter(answer_id=post.pk).update(
            score=Subquery(source.values("score")),
            is_accepted=Subquery(source.values("is_accepted")),
        )


def refresh_scores(*, question_ids=(), answer_ids=()) -> None:
    """Copy the scores of many posts into their entries (after votes are invalidated)."""
    Question, Answer, SearchEntry = _models()
    for model, field, ids in (
        (Question, "question_id", question_ids),
        (Answer, "answer_id", answer_ids),
    ):
        if ids:
            source = model.objects.filter(pk=OuterRef(field))
            entries = SearchEntry.objects.filter(**{f"{field}__in": ids})
            if field == "question_id":
                entries = entries.filter(answer__isnull=True)
            entries.update(score=Subquery(source.values("score")))


@transaction.atomic  # a savepoint in the write's transaction; its own when called alone
def _index_questions(Question, Answer, SearchEntry, ids: list[int]) -> int:
    """Replace the entries of these questions and their answers; returns how many posts.
    Locks the rows first: the question rows, then the answer rows (the services' lock order),
    so a post edited meanwhile is indexed either before or after that edit."""
    ids = list(
        Question.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    questions = {q.pk: q for q in Question.objects.filter(pk__in=ids)}
    answers = list(Answer.objects.select_for_update().filter(question_id__in=ids).order_by("pk"))
    tags = _tag_names(Question, ids)
    built = [_question_entry(q, tags[q.pk]) for q in questions.values()]
    built += [_answer_entry(a, questions[a.question_id], tags[a.question_id]) for a in answers]
    SearchEntry.objects.filter(question_id__in=ids).delete()
    postgres = connection.vendor == "postgresql"
    entries = [
        SearchEntry(
            **fields,
            **({"vector": _vector(*docs), **_title_vector(fields, docs[0])} if postgres else {}),
        )
        for fields, docs in built
    ]
    SearchEntry.objects.bulk_create(entries)
    _write_title_terms(list(questions))
    if connection.vendor == "sqlite":
        _write_fts([(e.pk, docs) for e, (_, docs) in zip(entries, built, strict=True)])
    return len(built)


def reindex_questions(question_ids) -> None:
    """Re-index these questions and their answers, for writes that change many threads at
    once (a tag merge). Call inside the write's transaction."""
    Question, Answer, SearchEntry = _models()
    ids = sorted(question_ids)
    for start in range(0, len(ids), 500):
        _index_questions(Question, Answer, SearchEntry, ids[start : start + 500])


def rebuild(
    *,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
    apps=None,
) -> int:
    """Rebuild every entry, a batch of questions (with their answers) per transaction, and
    return the number of posts indexed.

    Searches keep working throughout: a batch swaps its entries in one commit. `apps` lets the
    migration that creates the index run this with its historical models.
    """
    Question, Answer, SearchEntry = _models(apps)
    total = Question.objects.count() + Answer.objects.count()
    done, last_pk = 0, 0
    if progress:
        progress(0, total)
    while True:
        with transaction.atomic():
            ids = list(
                Question.objects.filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            last_pk = ids[-1]
            done += _index_questions(Question, Answer, SearchEntry, ids)
        if progress:
            progress(done, total)
    return done


def on_post_created(sender, post, **kwargs) -> None:
    """`post_created`: a new question or answer is searchable at once."""
    index_post(post)


def on_questions_retagged(sender, question_ids, **kwargs) -> None:
    """`questions_retagged`: the tags searched and shown changed."""
    reindex_questions(question_ids)
