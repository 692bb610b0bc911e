"""The session engine: Django's database sessions, read with one prepared statement.

Every signed-in request reads its session row. Django's store reads it through the ORM, which
compiles the same query on every request: about a third of what a signed-in request to the
bare benchmark view cost in process (bench/README.md, session 10). On PostgreSQL this store
reads it with a statement prepared once per connection (`core.statements.PreparedSQL`);
elsewhere, or with `DB_PREPARED_STATEMENTS=0`, as Django does. Writing, expiry and the row
format are Django's own, so switching engines signs nobody out.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from core.statements import PreparedSQL

_READ = PreparedSQL(
    'SELECT "session_data" FROM "django_session" WHERE "session_key" = %s AND "expire_date" > %s'
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        using = router.db_for_read(self.model, instance=None) or "default"
        if connections[using].vendor != "postgresql" or not settings.JOKESITE_PREPARED_STATEMENTS:
            return super()._get_session_from_db()
        key = self.session_key
        rows = _READ.fetch(using, [key, timezone.now()]) if key else []
        if not rows:
            self._session_key = None
            return None
        return self.model(session_key=key, session_data=rows[0][0])
