"""The unanswered list's index, and on PostgreSQL the triggers that keep `ListBucket` (see
`questions.liststore`): after each write to a question that changes a list it is in (shown or
not, answered, category, dates, score), to a question's tags, or to an answer that changes
its author's shown or accepted answers, the buckets it left lose one and those it joined gain
one. Then the buckets are filled from the rows.

The SQL is written out here (not imported) so this migration stays as it ran."""

from django.db import migrations, models

VISIBLE = "q.deleted_at IS NULL AND q.hidden_at IS NULL"
DAY = "floor(extract(epoch FROM {}) / 86400)::bigint"
VOTES = "q.score::bigint * 1000000 + q.id / 5000"

# The buckets one question takes in each order of a list it is in, the list's name suffixed.
SORTS = f"""
    SELECT '', 'active', {DAY.format("q.last_activity_at")}
    UNION ALL SELECT '', 'newest', {DAY.format("q.created_at")}
    UNION ALL SELECT '', 'votes', {VOTES}
    UNION ALL SELECT ':unanswered', 'newest', {DAY.format("q.created_at")} WHERE NOT q.is_answered
"""
# The lists a question is in: all, its category, each of its tags.
LISTS = """
    SELECT 'all'::text
    UNION ALL SELECT 'category:' || q.category_id WHERE q.category_id IS NOT NULL
    UNION ALL SELECT 'tag:' || t.tag_id FROM questions_question_tags t WHERE t.question_id = q.id
"""

KEYS = f"""
CREATE OR REPLACE FUNCTION questions_list_keys(q questions_question)
RETURNS TABLE (list text, sort text, bucket bigint)
LANGUAGE sql STABLE AS $$
    SELECT l.name || s.suffix, s.sort, s.bucket
    FROM ({LISTS}) AS l(name) CROSS JOIN ({SORTS}) AS s(suffix, sort, bucket)
    WHERE {VISIBLE}
    UNION ALL
    SELECT 'user:' || q.author_id || ':questions', 'count', 0 WHERE {VISIBLE}
$$;
"""

APPLY = """
    INSERT INTO questions_listbucket AS b (list, sort, bucket, n)
    SELECT k.list, k.sort, k.bucket, sum(k.d) FROM (%s) AS k(list, sort, bucket, d)
    GROUP BY k.list, k.sort, k.bucket HAVING sum(k.d) <> 0
    ORDER BY k.list, k.sort, k.bucket
    ON CONFLICT (list, sort, bucket) DO UPDATE SET n = b.n + EXCLUDED.n;
"""
OLD_KEYS = "SELECT o.list, o.sort, o.bucket, -1 FROM questions_list_keys(OLD) o"
NEW_KEYS = "SELECT n.list, n.sort, n.bucket, 1 FROM questions_list_keys(NEW) n"

# A question deleted or restored takes its shown answers out of (or back into) their authors'
# counts.
ANSWERS_OF_QUESTION = """
    SELECT k.list, 'count', 0::bigint, CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END
    FROM answers_answer a,
        LATERAL (SELECT 'user:' || a.author_id || ':answers'
                 UNION ALL SELECT 'user:' || a.author_id || ':accepted' WHERE a.is_accepted
        ) AS k(list)
    WHERE a.question_id = NEW.id AND a.deleted_at IS NULL AND a.hidden_at IS NULL
"""

QUESTION = f"""
CREATE OR REPLACE FUNCTION questions_question_lists() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {APPLY % NEW_KEYS}
    ELSIF TG_OP = 'DELETE' THEN
        {APPLY % OLD_KEYS}
    ELSE
        {APPLY % (OLD_KEYS + " UNION ALL " + NEW_KEYS)}
        IF (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) THEN
            {APPLY % ANSWERS_OF_QUESTION}
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER questions_lists_insert_delete AFTER INSERT OR DELETE ON questions_question
    FOR EACH ROW EXECUTE FUNCTION questions_question_lists();
CREATE TRIGGER questions_lists_update AFTER UPDATE ON questions_question FOR EACH ROW
    WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
          OR OLD.hidden_at IS DISTINCT FROM NEW.hidden_at
          OR OLD.is_answered IS DISTINCT FROM NEW.is_answered
          OR OLD.category_id IS DISTINCT FROM NEW.category_id
          OR OLD.author_id IS DISTINCT FROM NEW.author_id
          OR OLD.created_at IS DISTINCT FROM NEW.created_at
          OR OLD.last_activity_at IS DISTINCT FROM NEW.last_activity_at
          OR OLD.score IS DISTINCT FROM NEW.score)
    EXECUTE FUNCTION questions_question_lists();
"""

TAG_KEYS = f"""
    SELECT 'tag:' || %(row)s.tag_id || s.suffix, s.sort, s.bucket, %(d)s
    FROM questions_question q CROSS JOIN LATERAL ({SORTS}) AS s(suffix, sort, bucket)
    WHERE q.id = %(row)s.question_id AND {VISIBLE}
"""

TAGS = f"""
CREATE OR REPLACE FUNCTION questions_tag_lists() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        {APPLY % (TAG_KEYS % {"d": "-1", "row": "OLD"})}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {APPLY % (TAG_KEYS % {"d": "1", "row": "NEW"})}
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER questions_tag_lists AFTER INSERT OR UPDATE OR DELETE ON questions_question_tags
    FOR EACH ROW EXECUTE FUNCTION questions_tag_lists();
"""

# A member's shown answers and accepted answers (`AnswerQuerySet.visible`: the answer neither
# deleted nor hidden, its question not deleted).
ANSWER_KEYS = """
CREATE OR REPLACE FUNCTION answers_list_keys(a answers_answer)
RETURNS TABLE (list text, sort text, bucket bigint)
LANGUAGE sql STABLE AS $$
    SELECT k.list, 'count'::text, 0::bigint FROM (
        SELECT 'user:' || a.author_id || ':answers'
        UNION ALL SELECT 'user:' || a.author_id || ':accepted' WHERE a.is_accepted
    ) AS k(list)
    WHERE a.deleted_at IS NULL AND a.hidden_at IS NULL AND EXISTS (
        SELECT 1 FROM questions_question q WHERE q.id = a.question_id AND q.deleted_at IS NULL)
$$;
"""
OLD_ANSWER = "SELECT o.list, o.sort, o.bucket, -1 FROM answers_list_keys(OLD) o"
NEW_ANSWER = "SELECT n.list, n.sort, n.bucket, 1 FROM answers_list_keys(NEW) n"
ANSWERS = f"""
CREATE OR REPLACE FUNCTION answers_answer_lists() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {APPLY % NEW_ANSWER}
    ELSIF TG_OP = 'DELETE' THEN
        {APPLY % OLD_ANSWER}
    ELSE
        {APPLY % (OLD_ANSWER + " UNION ALL " + NEW_ANSWER)}
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER answers_lists_insert_delete AFTER INSERT OR DELETE ON answers_answer
    FOR EACH ROW EXECUTE FUNCTION answers_answer_lists();
CREATE TRIGGER answers_lists_update AFTER UPDATE ON answers_answer FOR EACH ROW
    WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
          OR OLD.hidden_at IS DISTINCT FROM NEW.hidden_at
          OR OLD.is_accepted IS DISTINCT FROM NEW.is_accepted
          OR OLD.author_id IS DISTINCT FROM NEW.author_id
          OR OLD.question_id IS DISTINCT FROM NEW.question_id)
    EXECUTE FUNCTION answers_answer_lists();
"""

FILL = f"""
SET LOCAL work_mem = '256MB';
DELETE FROM questions_listbucket;
INSERT INTO questions_listbucket (list, sort, bucket, n)
SELECT l.name || s.suffix, s.sort, s.bucket, count(*)
FROM questions_question q
CROSS JOIN LATERAL (
    SELECT 'all'::text
    UNION ALL SELECT 'category:' || q.category_id WHERE q.category_id IS NOT NULL
) AS l(name)
CROSS JOIN LATERAL ({SORTS}) AS s(suffix, sort, bucket)
WHERE {VISIBLE}
GROUP BY 1, 2, 3;
INSERT INTO questions_listbucket (list, sort, bucket, n)
SELECT 'tag:' || t.tag_id || s.suffix, s.sort, s.bucket, count(*)
FROM questions_question_tags t
JOIN questions_question q ON q.id = t.question_id
CROSS JOIN LATERAL ({SORTS}) AS s(suffix, sort, bucket)
WHERE {VISIBLE}
GROUP BY 1, 2, 3;
INSERT INTO questions_listbucket (list, sort, bucket, n)
SELECT 'user:' || q.author_id || ':questions', 'count', 0, count(*)
FROM questions_question q WHERE {VISIBLE}
GROUP BY 1;
INSERT INTO questions_listbucket (list, sort, bucket, n)
SELECT k.list, 'count', 0, count(*)
FROM answers_answer a
JOIN questions_question q ON q.id = a.question_id
JOIN LATERAL (
    SELECT 'user:' || a.author_id || ':answers'
    UNION ALL SELECT 'user:' || a.author_id || ':accepted' WHERE a.is_accepted
) AS k(list) ON true
WHERE a.deleted_at IS NULL AND a.hidden_at IS NULL AND q.deleted_at IS NULL
GROUP BY k.list;
"""

DROP = """
DROP TRIGGER IF EXISTS questions_lists_insert_delete ON questions_question;
DROP TRIGGER IF EXISTS questions_lists_update ON questions_question;
DROP TRIGGER IF EXISTS questions_tag_lists ON questions_question_tags;
DROP TRIGGER IF EXISTS answers_lists_insert_delete ON answers_answer;
DROP TRIGGER IF EXISTS answers_lists_update ON answers_answer;
DROP FUNCTION IF EXISTS answers_answer_lists();
DROP FUNCTION IF EXISTS answers_list_keys(answers_answer);
DROP FUNCTION IF EXISTS questions_question_lists();
DROP FUNCTION IF EXISTS questions_tag_lists();
DROP FUNCTION IF EXISTS questions_list_keys(questions_question);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in (KEYS, QUESTION, TAGS, ANSWER_KEYS, ANSWERS, FILL):
            schema_editor.execute(statement, params=None)
        # Planner statistics for the new rows and the new column's index.
        schema_editor.execute("ANALYZE questions_listbucket", params=None)
        schema_editor.execute("ANALYZE questions_question", params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0011_lists"),
        ("answers", "0005_answered_triggers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="question",
            index=models.Index(
                condition=models.Q(
                    ("deleted_at__isnull", True),
                    ("hidden_at__isnull", True),
                    ("is_answered", False),
                ),
                fields=["-created_at", "-id"],
                name="question_unanswered_vis",
            ),
        ),
        migrations.RunPython(create, drop),
    ]
