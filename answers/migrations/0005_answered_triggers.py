"""Keep `Question.is_answered` in the database: after any write to an answer that changes
whether it makes its question answered (not deleted, and accepted or scoring above 0), the
question's flag is set again from its answers. Triggers, so every write path (services, the
admin, `update()`, imports) keeps it; then the flag is filled from the existing answers."""

from django.db import migrations

# An answer that makes its question answered (the unanswered list's rule, contract v1.3).
ANSWERS = "(%(row)s.deleted_at IS NULL AND (%(row)s.is_accepted OR %(row)s.score > 0))"
RECOMPUTE = """
    UPDATE questions_question SET is_answered = NOT is_answered
    WHERE id IN (%(ids)s) AND is_answered <> EXISTS (
        SELECT 1 FROM answers_answer a
        WHERE a.question_id = questions_question.id AND a.deleted_at IS NULL
          AND (a.is_accepted OR a.score > 0));
"""

POSTGRES = f"""
CREATE OR REPLACE FUNCTION answers_answer_answered() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {RECOMPUTE % {"ids": "NEW.question_id"}}
    ELSIF TG_OP = 'DELETE' THEN
        {RECOMPUTE % {"ids": "OLD.question_id"}}
    ELSE
        {RECOMPUTE % {"ids": "OLD.question_id, NEW.question_id"}}
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER answers_answered_insert AFTER INSERT ON answers_answer FOR EACH ROW
    WHEN {ANSWERS % {"row": "NEW"}} EXECUTE FUNCTION answers_answer_answered();
CREATE TRIGGER answers_answered_delete AFTER DELETE ON answers_answer FOR EACH ROW
    WHEN {ANSWERS % {"row": "OLD"}} EXECUTE FUNCTION answers_answer_answered();
CREATE TRIGGER answers_answered_update AFTER UPDATE ON answers_answer FOR EACH ROW
    WHEN ({ANSWERS % {"row": "OLD"}} IS DISTINCT FROM {ANSWERS % {"row": "NEW"}}
          OR OLD.question_id <> NEW.question_id)
    EXECUTE FUNCTION answers_answer_answered();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS answers_answered_insert ON answers_answer;
DROP TRIGGER IF EXISTS answers_answered_delete ON answers_answer;
DROP TRIGGER IF EXISTS answers_answered_update ON answers_answer;
DROP FUNCTION IF EXISTS answers_answer_answered();
"""

SQLITE = [
    f"""CREATE TRIGGER answers_answered_insert AFTER INSERT ON answers_answer
        WHEN {ANSWERS % {"row": "NEW"}}
        BEGIN {RECOMPUTE % {"ids": "NEW.question_id"}} END""",
    f"""CREATE TRIGGER answers_answered_delete AFTER DELETE ON answers_answer
        WHEN {ANSWERS % {"row": "OLD"}}
        BEGIN {RECOMPUTE % {"ids": "OLD.question_id"}} END""",
    f"""CREATE TRIGGER answers_answered_update AFTER UPDATE ON answers_answer
        WHEN {ANSWERS % {"row": "OLD"}} IS NOT {ANSWERS % {"row": "NEW"}}
          OR OLD.question_id <> NEW.question_id
        BEGIN {RECOMPUTE % {"ids": "OLD.question_id, NEW.question_id"}} END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS answers_answered_insert",
    "DROP TRIGGER IF EXISTS answers_answered_delete",
    "DROP TRIGGER IF EXISTS answers_answered_update",
]

FILL = """
UPDATE questions_question SET is_answered = NOT is_answered
WHERE is_answered <> EXISTS (
    SELECT 1 FROM answers_answer a
    WHERE a.question_id = questions_question.id AND a.deleted_at IS NULL
      AND (a.is_accepted OR a.score > 0))
"""


def create(apps, schema_editor):
    statements = [POSTGRES] if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in [*statements, FILL]:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    statements = [POSTGRES_DROP] if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("answers", "0004_profile_and_unanswered_indexes"),
        ("questions", "0011_lists"),
    ]

    operations = [migrations.RunPython(create, drop)]
