"""Small dumps in the documented Stack Exchange format, written for the tests."""

from pathlib import Path
from xml.sax.saxutils import quoteattr

BOM = "\ufeff"


def write_table(folder: Path, name: str, root: str, rows: list[dict], *, prolog: str = "") -> Path:
    """One dump file: a BOM, the XML declaration, `prolog` (a DOCTYPE), then the rows."""
    lines = [f'{BOM}<?xml version="1.0" encoding="utf-8"?>', prolog, f"<{root}>"]
    for row in rows:
        attributes = " ".join(f"{key}={quoteattr(str(value))}" for key, value in row.items())
        lines.append(f"  <row {attributes} />")
    lines.append(f"</{root}>")
    path = folder / name
    path.write_text("\n".join(line for line in lines if line) + "\n", encoding="utf-8")
    return path


HOSTILE = (
    '<p onclick="steal()">Reverse it in place.</p><script>alert(1)</script>'
    '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">click</a>'
    '<iframe src="https://evil.example/"></iframe>'
)

USERS = [
    {"Id": -1, "DisplayName": "Community", "CreationDate": "2010-07-19T06:55:26.860"},
    {
        "Id": 1,
        "DisplayName": "Jane Doe",
        "CreationDate": "2010-07-19T19:09:39.063",
        "Email": "jane@example.com",
        "AboutMe": "<p>I write <b>Python</b>.</p>",
        "Reputation": 101,
    },
    {"Id": 2, "DisplayName": "李雷", "CreationDate": "2010-07-20T08:00:00.000"},
    {"Id": 3, "DisplayName": "Bob", "CreationDate": "2010-07-21T08:00:00.000"},
]

TAGS = [
    {"Id": 1, "TagName": "python", "Count": 2, "ExcerptPostId": 100},
    {"Id": 2, "TagName": "中文", "Count": 1},
    {"Id": 3, "TagName": ".net", "Count": 1},
]

CODE = "<pre><code>items = [1, 2, 3]\nitems.reverse()  # &lt;- in place\n</code></pre>"

POSTS = [
    {
        "Id": 1,
        "PostTypeId": 1,
        "AcceptedAnswerId": 3,
        "CreationDate": "2010-07-22T10:00:00.000",
        "Score": 5,
        "Body": "<p>How do I reverse a list? See "
        f'<a href="https://docs.python.org/">the docs</a>.</p>{CODE}'
        '<p><img src="https://i.stack.imgur.com/abc.png" alt="a chart"></p>',
        "OwnerUserId": 1,
        "LastActivityDate": "2010-07-23T10:00:00.000",
        "Title": "How do I reverse a list in Python?",
        "Tags": "<python><.net>",
        "AnswerCount": 2,
        "CommentCount": 1,
    },
    {
        "Id": 2,
        "PostTypeId": 2,
        "ParentId": 1,
        "CreationDate": "2010-07-22T11:00:00.000",
        "Score": 2,
        "Body": HOSTILE,
        "OwnerUserId": 2,
    },
    {
        "Id": 3,
        "PostTypeId": 2,
        "ParentId": 1,
        "CreationDate": "2010-07-22T12:00:00.000",
        "Score": 7,
        "Body": "<p>Use <code>reversed()</code> for a new iterator.</p>",
        "OwnerUserId": 3,
        "CommentCount": 1,
    },
    {
        "Id": 4,
        "PostTypeId": 1,
        "CreationDate": "2010-07-24T10:00:00.000",
        "Score": -1,
        "Body": "<p>我想把一个列表反过来，应该怎么做？</p>",
        "OwnerUserId": 2,
        "Title": "如何在程序里反转一个列表？",
        "Tags": "|中文|python|",
        "ClosedDate": "2010-07-25T10:00:00.000",
    },
    {
        "Id": 5,
        "PostTypeId": 2,
        "ParentId": 99,
        "CreationDate": "2010-07-24T11:00:00.000",
        "Score": 0,
        "Body": "<p>An answer whose question is not in the dump.</p>",
        "OwnerUserId": 3,
    },
    {
        "Id": 6,
        "PostTypeId": 1,
        "CreationDate": "2010-07-26T10:00:00.000",
        "DeletionDate": "2010-07-27T10:00:00.000",
        "Score": 0,
        "Body": "<p>Deleted before the dump was made.</p>",
        "OwnerUserId": 1,
        "Title": "A deleted question about sorting",
        "Tags": "<python>",
    },
    {
        "Id": 7,
        "PostTypeId": 2,
        "ParentId": 6,
        "CreationDate": "2010-07-26T11:00:00.000",
        "Score": 1,
        "Body": "<p>Zanzibar sorting answers a deleted question.</p>",
        "OwnerUserId": 3,
    },
    {
        "Id": 8,
        "PostTypeId": 1,
        "CreationDate": "2010-07-28T10:00:00.000",
        "Score": 0,
        "Body": "<p>How can I get a list backwards?</p>",
        "OwnerUserId": 3,
        "Title": "Getting a Python list backwards",
        "Tags": "<python>",
        "ClosedDate": "2010-07-29T10:00:00.000",
    },
    {
        "Id": 9,
        "PostTypeId": 2,
        "ParentId": 1,
        "CreationDate": "yesterday",
        "Score": 0,
        "Body": "<p>A broken row.</p>",
    },
    {
        "Id": 100,
        "PostTypeId": 4,
        "CreationDate": "2010-07-19T10:00:00.000",
        "Score": 0,
        "Body": "<p>Python is a programming language.</p>",
    },
]

COMMENTS = [
    {
        "Id": 1,
        "PostId": 1,
        "Score": 1,
        "Text": "Have you tried `reversed`? It is quick.",
        "CreationDate": "2010-07-22T10:30:00.000",
        "UserId": 2,
    },
    {
        "Id": 2,
        "PostId": 3,
        "Score": 0,
        "Text": "谢谢，这个方法很好用！非常感谢你的帮助。",
        "CreationDate": "2010-07-22T12:30:00.000",
        "UserId": 1,
    },
    {
        "Id": 3,
        "PostId": 999,
        "Score": 0,
        "Text": "A comment on a post that is not in the dump.",
        "CreationDate": "2010-07-22T12:30:00.000",
        "UserId": 1,
    },
]


def _votes() -> list[dict]:
    votes = []
    for post, ups, downs in ((1, 5, 0), (3, 7, 0), (2, 3, 1), (4, 0, 1)):
        for value, count in ((2, ups), (3, downs)):
            for _ in range(count):
                votes.append(
                    {
                        "Id": len(votes) + 1,
                        "PostId": post,
                        "VoteTypeId": value,
                        "CreationDate": "2010-07-23T00:00:00.000",
                    }
                )
    favorite = {"Id": 50, "PostId": 1, "VoteTypeId": 5, "CreationDate": "2010-07-23T00:00:00.000"}
    votes.append(favorite)
    return votes


VOTES = _votes()

POST_LINKS = [
    {
        "Id": 1,
        "CreationDate": "2010-07-29T10:00:00.000",
        "PostId": 8,
        "RelatedPostId": 1,
        "LinkTypeId": 3,
    }
]

POST_HISTORY = [
    {
        "Id": 1,
        "PostHistoryTypeId": 2,
        "PostId": 3,
        "CreationDate": "2010-07-22T12:00:00.000",
        "UserId": 3,
        "Text": "Use `reversed()` for a new iterator.",
    },
    {
        "Id": 2,
        "PostHistoryTypeId": 10,
        "PostId": 4,
        "CreationDate": "2010-07-25T10:00:00.000",
        "Comment": "105",
    },
]


def write_posts(folder: Path, posts=POSTS, **kwargs) -> Path:
    return write_table(folder, "Posts.xml", "posts", posts, **kwargs)


def write_dump(folder: Path) -> Path:
    """The whole sample dump: members, tags, posts, history, links, comments, votes, badges."""
    folder.mkdir(parents=True, exist_ok=True)
    write_table(folder, "Users.xml", "users", USERS)
    write_table(folder, "Tags.xml", "tags", TAGS)
    write_posts(folder)
    write_table(folder, "PostHistory.xml", "posthistory", POST_HISTORY)
    write_table(folder, "PostLinks.xml", "postlinks", POST_LINKS)
    write_table(folder, "Comments.xml", "comments", COMMENTS)
    write_table(folder, "Votes.xml", "votes", VOTES)
    write_table(
        folder,
        "Badges.xml",
        "badges",
        [{"Id": 1, "UserId": 1, "Name": "Teacher", "Date": "2010-07-23T00:00:00.000"}],
    )
    return folder
