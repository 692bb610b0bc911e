"""Questions similar to a title: for the ask form and the thread page's "Related questions"
(which `search.related` computes ahead of the request and stores).

`similar_questions` is the one door; its signature stays while its insides may change (a
full-text index can replace the candidate query). The approach works the same on SQLite and
PostgreSQL; on PostgreSQL the candidates come through indexes only (`_indexed_candidates`):

1. Terms: the title's words (lower case, without stop words, a trailing plural "s" folded) and,
   for Chinese, Japanese and Korean text, which has no spaces, its character bigrams (a lone
   character stands for itself).
2. Candidates: one query for visible questions among the newest `PER_SOURCE` that share a tag
   and the newest `PER_SOURCE` whose title contains each of the (at most `MAX_QUERY_TERMS`)
   longest terms: bounded work per source, however common a word or tag is.
3. Rank in Python: overlap of title terms (cosine over the two sets) plus a smaller weight for
   shared tags, then score and recency as tiebreaks. Candidates with neither are dropped. On
   PostgreSQL the statement ranks the candidates first by an estimate of the same (cheap
   string functions) and returns only the best `RANKED`: a few hundred candidates are read,
   a few dozen built and ranked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from questions.models import Question, Tag, TagSynonym

from .index import CJK_CONFIG, WORDS_CONFIG
from .models import SearchEntry, TitleTerm

PER_SOURCE = 40
# What similar and related questions are ranked by and shown with (the `question_links` tag,
# core/templatetags/posts.py).
LINK_FIELDS = ("id", "title", "slug", "score", "answer_count", "last_activity_at")
MAX_QUERY_TERMS = 8
# PostgreSQL: how many candidates, the best by the statement's estimate, are ranked exactly
# in Python; and how many of the title's terms that estimate looks for.
RANKED = 30
MAX_COUNTED_TERMS = 16
TAG_WEIGHT = 0.5

# CJK Unified Ideographs (and extension A), kana, Hangul syllables.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+(?:['’][^\W_{_CJK}]+)*")
_CJK_RE = re.compile(rf"^[{_CJK}]+$")

_ENGLISH_STOP_WORDS = """a about after all also am an and any are as at be been but by can could
did do does doing for from get got had has have how i if in into is it its just like me my no not
of on or our so some than that the their them then there these they this to too was we were what
when where which who why will with would you your"""
# Particles, pronouns and question words; bigrams that straddle them ("为什" of 为什么).
_CHINESE_STOP_WORDS = """吗 呢 吧 的 了 是 我 你 他 她 它 在 有 和 与 或
什么 怎么 为什 么样 如何 可以 一个 是不 不是 我们 你们 他们
这个 那个 有没 没有 的时 时候 请问"""
STOP_WORDS = frozenset(_ENGLISH_STOP_WORDS.split() + _CHINESE_STOP_WORDS.split())


def _fold(word: str) -> str:
    """A crude English plural fold, applied alike to both sides: payments -> payment."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def title_terms(title: str) -> list[str]:
    """The terms a title is compared by, in order of appearance, without duplicates."""
    terms: list[str] = []
    for token in _TOKEN_RE.findall((title or "").lower()):
        if _CJK_RE.match(token):
            grams = [token[i : i + 2] for i in range(len(token) - 1)] or [token]
            terms.extend(gram for gram in grams if gram not in STOP_WORDS)
        elif token not in STOP_WORDS and (len(token) > 1 or token.isdigit()):
            terms.append(_fold(token))
    return list(dict.fromkeys(terms))


def _query_terms(terms: list[str]) -> list[str]:
    """The terms worth a LIKE: longest words first (rarer), CJK bigrams as they come."""
    words = sorted((t for t in terms if not _CJK_RE.match(t)), key=len, reverse=True)
    cjk = [t for t in terms if _CJK_RE.match(t)]
    chosen = [w for w in words if len(w) >= 3][: MAX_QUERY_TERMS // 2]
    chosen += cjk[: MAX_QUERY_TERMS - len(chosen)]
    return chosen or words[:MAX_QUERY_TERMS]


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def similar_questions(
    title: str,
    *,
    exclude: Question | None = None,
    limit: int = 5,
    tags: Iterable[str] = (),
) -> list[Question]:
    """Up to `limit` visible questions most like `title`, best first: one query.

    `exclude` is a question not to list (the thread's own); its tags count as shared tags, as
    do the names in `tags` (what the asker typed so far). The questions come with only
    LINK_FIELDS loaded: show titles, counts and links.
    """
    terms = title_terms(title)
    tag_ids: set[int] = set()
    if exclude is not None:
        tag_ids |= {tag.pk for tag in exclude.tags.all()}  # the thread prefetched them
    tag_names = [name for name in tags if name]
    if not terms and not tag_ids and not tag_names:
        return []
    exclude_pk = exclude.pk if exclude is not None else None
    if connection.vendor == "postgresql":
        candidates = _indexed_candidates(terms, tag_ids, tag_names, exclude_pk, limit)
    else:
        candidates = _scanned_candidates(terms, tag_ids, tag_names, exclude_pk)

    wanted = set(terms)
    tag_count = max(len(tag_ids) + len(tag_names), 1)
    ranked = []
    for question in candidates:
        text = _overlap(wanted, set(title_terms(question.title)))
        relevance = text + TAG_WEIGHT * min(question.shared_tags / tag_count, 1.0)
        if text > 0 or question.shared_tags:
            ranked.append((relevance, question.score, question.last_activity_at, question))
    ranked.sort(key=lambda row: row[:3], reverse=True)
    return [row[3] for row in ranked[:limit]]


def _scanned_candidates(terms, tag_ids, tag_names, exclude_pk):
    """SQLite (development): every candidate with its shared tags counted, ranked in Python."""
    visible = Question.objects.visible()
    through = Question.tags.through
    names = Q(name__in=tag_names) | Q(synonyms__name__in=tag_names)
    tagged = Q(tag_id__in=tag_ids)
    if tag_names:
        tagged |= Q(tag_id__in=Tag.objects.filter(names).values("pk"))
    links = through.objects.filter(tagged)
    shared = (
        links.filter(question_id=OuterRef("pk"))
        .values("question_id")
        .annotate(n=Count("tag_id", distinct=True))
        .values("n")
    )
    candidates = (
        visible.filter(_scanned_sources(visible, links, terms))
        .annotate(shared_tags=Coalesce(Subquery(shared, output_field=IntegerField()), Value(0)))
        .only(*LINK_FIELDS)
    )
    return candidates.exclude(pk=exclude_pk) if exclude_pk is not None else candidates


def _scanned_sources(visible, links, terms: list[str]) -> Q:
    """Candidates on SQLite (development): the newest `PER_SOURCE` sharing a tag and, per
    term, the newest `PER_SOURCE` whose title contains it, found by scanning titles."""
    newest_tagged = (
        links.filter(question__deleted_at__isnull=True)
        .order_by("-question_id")
        .values("question_id")[:PER_SOURCE]
    )
    sources = Q(pk__in=newest_tagged)
    for term in _query_terms(terms):
        # CJK has no case: a plain LIKE spares the database an UPPER() of every title.
        lookup = "title__contains" if _CJK_RE.match(term) else "title__icontains"
        matching = visible.filter(**{lookup: term}).order_by("-pk").values("pk")
        sources |= Q(pk__in=matching[:PER_SOURCE])
    return sources


def _tsquery(term: str) -> tuple[str, str] | None:
    """(configuration, tsquery) matching `term` in a title vector, as `search.index`
    tokenized it: stemmed words, CJK bigrams (a lone character is the last of a run, so it
    matches as a prefix)."""
    if _CJK_RE.match(term):
        return CJK_CONFIG, f"{term}:*" if len(term) == 1 else term
    word = re.sub(r"[^\w]|_", "", term)  # only letters and digits reach the tsquery syntax
    return (WORDS_CONFIG, word) if word else None


# PostgreSQL: the ids of the tags named, directly or by a synonym (two index lookups).
_NAMED_TAGS = f"""SELECT named.id FROM {Tag._meta.db_table} named WHERE named.name = ANY(%s)
    UNION SELECT synonym.tag_id FROM {TagSynonym._meta.db_table} synonym
    WHERE synonym.name = ANY(%s)"""


def _indexed_candidates(
    terms: list[str], tag_ids: set[int], tag_names: list[str], exclude_pk: int | None, limit: int
):
    """Candidates on PostgreSQL, found through indexes only, so the cost does not grow with the
    site, and ranked roughly in the same statement, so that only the best `RANKED` are built
    and ranked exactly in Python:

    1. Sources: per tag the `PER_SOURCE` newest questions (the (tag, question) index, read
       backwards), and per term the `PER_SOURCE` newest questions whose title holds it
       (TitleTerm's primary key, read backwards: its cost does not grow with how common the
       term is; a lone CJK character, which matches as a prefix, goes through the title
       vectors' GIN index and takes any few).
    2. The candidates by primary key, visible ones only, ranked as Python ranks them but
       cheaply: the title terms each holds (a substring test of its title in lower case), over
       its term count estimated from its spaces and CJK characters; the tags it shares (a probe
       of the (question, tag) index each). The best `RANKED` are returned.
    """
    parts: list[str] = []
    params: list = []
    ctes: list[str] = []
    through = Question.tags.through._meta.db_table
    tagged = bool(tag_ids or tag_names)
    if tagged:
        # Only the conditions that apply, so the planner expects as few tags as there are.
        which, which_params = [], []
        if tag_ids:
            which.append("tag.id = ANY(%s)")
            which_params.append(sorted(tag_ids))
        if tag_names:
            which.append(f"tag.id IN ({_NAMED_TAGS})")
            which_params += [list(tag_names), list(tag_names)]
        ctes.append(
            f"""wanted AS MATERIALIZED (SELECT tag.id FROM {Tag._meta.db_table} tag
                WHERE {" OR ".join(which)})"""
        )
        params += which_params
        parts.append(
            f"""SELECT newest.question_id FROM wanted CROSS JOIN LATERAL (
                    SELECT link.question_id FROM {through} link
                    WHERE link.tag_id = wanted.id ORDER BY link.question_id DESC LIMIT %s
                ) newest"""
        )
        params.append(PER_SOURCE)
    for term in _query_terms(terms):
        if not (query := _tsquery(term)):
            continue
        if query[1].endswith(":*"):  # a lone CJK character: any title term it begins
            parts.append(
                f"""(SELECT entry.question_id FROM {SearchEntry._meta.db_table} entry
                    WHERE entry.title_vector @@ to_tsquery(%s::regconfig, %s)
                    AND entry.is_visible LIMIT %s)"""
            )
        else:  # the newest questions holding the term: the end of TitleTerm's primary key
            parts.append(
                f"""(SELECT title.question_id FROM {TitleTerm._meta.db_table} title
                    WHERE title.term = (SELECT min(lexeme) FROM unnest(tsvector_to_array(
                        to_tsvector(%s::regconfig, %s))) lexeme)
                    ORDER BY title.question_id DESC LIMIT %s)"""
            )
        params += [*query, PER_SOURCE]
    if not parts:
        return []
    # The LIMIT (never reached) tells the planner how few rows to expect, whatever its
    # statistics: the questions are then read by primary key.
    ctes.append(f"found AS (SELECT * FROM ({' UNION '.join(parts)}) source LIMIT %s)")
    params.append(PER_SOURCE * (len(parts) + len(tag_ids) + 2 * len(tag_names)))
    counted = terms[:MAX_COUNTED_TERMS]
    hits = " + ".join(["(strpos(low, %s) > 0)::int"] * len(counted)) or "0"
    params += [exclude_pk or 0, *counted, max(len(terms), 1), TAG_WEIGHT]
    params += [max(len(tag_ids) + len(tag_names), 1), max(RANKED, 2 * limit)]
    shared = (
        f"""(SELECT count(*) FROM {through} link WHERE link.question_id = question.id
            AND link.tag_id = ANY(ARRAY(SELECT id FROM wanted)))"""
        if tagged
        else "0"
    )
    columns = ", ".join(f"question.{field}" for field in LINK_FIELDS)
    sql = f"""WITH {", ".join(ctes)},
        candidate AS MATERIALIZED (  -- each title lowered and each shared count taken once
            SELECT {columns}, {shared} AS shared_tags, lower(question.title) AS low
            FROM found JOIN {Question._meta.db_table} question ON question.id = found.question_id
            WHERE question.deleted_at IS NULL AND question.hidden_at IS NULL
            AND question.id <> %s
        )
        SELECT {", ".join(LINK_FIELDS)}, shared_tags FROM candidate
        ORDER BY ({hits}) / sqrt(%s::float8 * ({_TERM_COUNT})) + %s * least(
            shared_tags::float8 / %s, 1) DESC, score DESC, last_activity_at DESC
        LIMIT %s"""
    return Question.objects.raw(sql, params)


# A title's term count, estimated cheaply: its words (spaces + 1) and CJK characters (three
# bytes in UTF-8: each adds two to the length in bytes).
_TERM_COUNT = """length(title) - length(replace(title, ' ', '')) + 1
    + (octet_length(title) - length(title)) / 2"""
