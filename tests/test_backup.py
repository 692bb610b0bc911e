"""The backup routine in the README works: `pg_dump -Fc` of a live database, `pg_restore` into
a fresh one, and a server pointed at the copy serves the same threads (titles, answers,
scores, the accepted answer, comments) and finds them in search. PostgreSQL only."""

import json
import subprocess

import pytest
from django.db import connection
from django.test import Client

from answers.services import post_answer
from comments.services import add_comment
from questions import services
from tests import processes
from tests.factories import CategoryFactory, UserFactory
from tests.processes import Gunicorn, get
from votes.services import accept_answer, cast_vote

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

BODY = "A body long enough for every form: thirty characters and then some more."


def threads() -> list[int]:
    """Two threads with answers, votes, an accepted answer and comments; their ids."""
    category = CategoryFactory()
    asker, answerer, voter = UserFactory(), UserFactory(), UserFactory(reputation=5000)
    ids = []
    for title in ("Why did the backup cross the road?", "什么笑话在恢复之后还好笑？"):
        question = services.ask_question(
            author=asker, title=title, body=BODY, tags=["backups"], category=category
        )
        first = post_answer(author=answerer, question=question, body=f"{BODY} First answer.")
        second = post_answer(author=voter, question=question, body=f"{BODY} Second answer.")
        cast_vote(voter=voter, post=question, value=1)
        cast_vote(voter=voter, post=first, value=1)
        cast_vote(voter=asker, post=second, value=-1)
        accept_answer(answer=first)
        add_comment(author=voter, post=first, body="A comment that must survive the restore.")
        ids.append(question.pk)
    return ids


def shown(data: dict) -> dict:
    """What a reader sees of a thread in the API, without the host-dependent URLs."""
    return {
        "title": data["title"],
        "score": data["score"],
        "answer_count": data["answer_count"],
        "tags": data["tags"],
        "answers": [
            (a["body"], a["score"], a["is_accepted"], [c["body"] for c in a["comments"]])
            for a in data["answers"]
        ],
    }


@pytest.fixture
def restored_database():
    """A fresh database's name, dropped afterwards (with any connection left to it)."""
    name = f"{connection.settings_dict['NAME']}_restore"
    args = processes.database_args(connection.settings_dict)
    dropdb = [processes.postgres_bin("dropdb"), *args, "--if-exists", "--force", name]
    subprocess.run(dropdb, check=True, capture_output=True)
    yield name
    subprocess.run(dropdb, check=True, capture_output=True)


def test_a_dump_restored_into_a_fresh_database_serves_the_same_threads(restored_database, tmp_path):
    ids = threads()
    before = {pk: shown(Client().get(f"/api/v1/questions/{pk}/").json()) for pk in ids}
    assert all(len(thread["answers"]) == 2 for thread in before.values())
    hit = f'id="result-question-{ids[0]}"'  # the title is shown with the match marked
    assert hit in Client().get("/search/?q=backup").content.decode()

    source = connection.settings_dict
    host, port = source["HOST"] or "127.0.0.1", source["PORT"] or 5432
    dump = tmp_path / "jokesite.dump"
    processes.dump_and_restore(source, host, port, restored_database, dump)
    assert dump.stat().st_size > 0

    static = tmp_path / "static"
    processes.collect_static(static)
    password = f":{source['PASSWORD']}" if source.get("PASSWORD") else ""
    url = f"postgres://{source['USER']}{password}@{host}:{port}/{restored_database}"
    env = processes.production_env(DATABASE_URL=url, STATIC_ROOT=str(static), DB_CONN_MAX_AGE="0")
    server = Gunicorn(env, log=tmp_path / "gunicorn.log")
    try:
        for pk in ids:
            status, _headers, body = get(f"{server.base}/api/v1/questions/{pk}/")
            assert status == 200
            assert shown(json.loads(body)) == before[pk]
            status, _headers, page = get(f"{server.base}/questions/{pk}/")
            assert status == 200 and before[pk]["title"] in page  # (after the 301 to the slug)
        status, _headers, page = get(f"{server.base}/search/?q=backup")
        assert status == 200 and hit in page
    finally:
        server.stop()
