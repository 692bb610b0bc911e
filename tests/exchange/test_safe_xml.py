"""A dump is read without a DTD, an entity or a network access, whatever it declares."""

import socket
from io import StringIO

import pytest
from django.core.management import call_command

from questions.models import Question

from .dumps import BOM, POSTS, USERS, write_posts, write_table


class Listener:
    """A TCP port on this machine that records whether anything connected to it."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(5)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]

    def connected(self) -> bool:
        try:
            connection, _ = self.server.accept()
        except TimeoutError:
            return False
        connection.close()
        return True


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.server.close()


def run_import(folder) -> str:
    out = StringIO()
    call_command("import_stackexchange", str(folder), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_doctype_with_an_external_dtd_is_read_without_fetching_it(db, tmp_path, listener):
    port = listener.port
    path = write_posts(tmp_path, prolog=f'<!DOCTYPE posts SYSTEM "http://127.0.0.1:{port}/p.dtd">')
    assert path.read_text(encoding="utf-8").startswith(BOM)
    run_import(tmp_path)
    assert Question.objects.filter(pk=1).exists()
    assert not listener.connected()


def test_an_external_entity_is_neither_fetched_nor_expanded(db, tmp_path, listener):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    port = listener.port
    prolog = (
        f'<!DOCTYPE posts [<!ENTITY xxe SYSTEM "file://{secret}">'
        f'<!ENTITY net SYSTEM "http://127.0.0.1:{port}/steal">]>'
    )
    posts = [{**POSTS[0], "Title": "Entity &xxe; inside a title"}]
    text = write_posts(tmp_path, posts, prolog=prolog).read_text(encoding="utf-8")
    (tmp_path / "Posts.xml").write_text(
        text.replace("&amp;xxe;", "&xxe;").replace("</posts>", "<row>&net;</row></posts>"),
        encoding="utf-8",
    )
    write_table(tmp_path, "Users.xml", "users", USERS)
    out = run_import(tmp_path)
    assert out.count("Posts.xml: refused, it declares an entity") == 1  # said once, not per pass
    assert not Question.objects.exists()
    assert not Question.objects.filter(title__contains="TOP-SECRET").exists()
    assert not listener.connected()
    assert "Users.xml: 4 rows read, 4 created" in out  # the other files still import


def test_billion_laughs_is_refused_before_it_expands(db, tmp_path):
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    prolog = f"<!DOCTYPE posts [{''.join(entities)}]>"
    path = write_posts(tmp_path, POSTS[:1], prolog=prolog)
    text = path.read_text(encoding="utf-8").replace('Score="5"', 'Score="5" Body2="&lol9;"')
    path.write_text(text, encoding="utf-8")
    out = run_import(tmp_path)
    assert "refused, it declares an entity" in out
    assert not Question.objects.exists()
