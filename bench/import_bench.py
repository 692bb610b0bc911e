"""Import speed of `manage.py import_stackexchange` for a generated dump. Not a test.

Writes a Stack Exchange dump of --posts posts (a third questions with 1-3 tags, the rest
answers spread over them, a third of the questions with an accepted answer; HTML bodies of
mixed English and Chinese text, every fifth with a code block) with members, comments
(--comments-per-post) and anonymous votes (--votes-per-post), then imports it into a fresh
scratch database with the same code as the command, and prints the time of each step, posts per
second and the peak memory of the process.

    python bench/import_bench.py --posts 100000                      # SQLite in /tmp
    python bench/import_bench.py --posts 100000 --postgres jokesite_import_bench

See bench/README.md.
"""

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _words(text: str) -> list[str]:
    return text.split()


ENGLISH = _words(
    "the list file line read write python django query index sort reverse bank payment card "
    "account transfer balance loan credit fund stock market data system network code password "
    "login search speed quality cache thread answer question vote tag error"
)
CHINESE = _words(
    "银行 支付 手机 账户 转账 余额 利息 贷款 信用卡 理财 基金 股票 市场 经济 数据 系统 问题 "
    "答案 方法 时间 文件 列表 排序 读取 写入 搜索 速度 缓存 错误 标签"
)
TAGS = _words("python django sql files sorting payments banks 支付 银行 理财 search cache")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--comments-per-post", type=float, default=0.5)
    parser.add_argument("--votes-per-post", type=float, default=2.0)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--postgres",
        metavar="NAME",
        help="import into this PostgreSQL database (dropped and re-created) instead of SQLite",
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--seed", type=int, default=12)
    return parser.parse_args()


def text(rng: random.Random, words: int) -> str:
    parts = []
    while len(parts) < words:
        if rng.random() < 0.5:
            parts.append(" ".join(rng.choices(ENGLISH, k=rng.randint(4, 9))) + ".")
        else:
            parts.append("".join(rng.choices(CHINESE, k=rng.randint(3, 7))) + "。")
    return " ".join(parts)


def body(rng: random.Random, n: int) -> str:
    html = f"<p>{text(rng, 4)}</p><p>{text(rng, 3)} <a href='https://example.org/{n}'>link</a></p>"
    if n % 5 == 0:
        html += "<pre><code>for line in open('f'):\n    print(line &lt; 2)\n</code></pre>"
    return html


def write_dump(folder: Path, args) -> dict[str, int]:
    from exchange.dump import DumpWriter

    rng = random.Random(args.seed)
    questions = max(1, args.posts // 3)
    answers = args.posts - questions
    members = max(10, args.posts // 10)
    parents = [rng.randint(1, questions) for _ in range(answers)]
    first_answer: dict[int, int] = {}
    for index, parent in enumerate(parents):
        first_answer.setdefault(parent, questions + 1 + index)
    date = "2015-03-{:02d}T{:02d}:{:02d}:00.000"

    def when(n: int) -> str:
        return date.format(1 + n % 28, n % 24, n % 60)

    with DumpWriter(folder / "Users.xml", "users") as out:
        out.row(Id=-1, DisplayName="Community", CreationDate=when(0))
        for n in range(1, members + 1):
            name = f"member {n}" if n % 2 else f"会员{n}"
            out.row(Id=n, DisplayName=name, CreationDate=when(n), Reputation=1)
    with DumpWriter(folder / "Tags.xml", "tags") as out:
        for n, tag in enumerate(TAGS, 1):
            out.row(Id=n, TagName=tag, Count=0)
    with DumpWriter(folder / "Posts.xml", "posts") as out:
        for q in range(1, questions + 1):
            tags = "".join(f"<{t}>" for t in rng.sample(TAGS, rng.randint(1, 3)))
            accepted = first_answer.get(q) if q % 3 == 0 else None
            out.row(
                Id=q,
                PostTypeId=1,
                AcceptedAnswerId=accepted,
                CreationDate=when(q),
                Score=rng.randint(-2, 20),
                Body=body(rng, q),
                OwnerUserId=rng.randint(1, members),
                Title=text(rng, 1)[:120] or "A question",
                Tags=tags,
            )
        for index, parent in enumerate(parents):
            n = questions + 1 + index
            out.row(
                Id=n,
                PostTypeId=2,
                ParentId=parent,
                CreationDate=when(n),
                Score=rng.randint(-2, 20),
                Body=body(rng, n),
                OwnerUserId=rng.randint(1, members),
            )
    with DumpWriter(folder / "Comments.xml", "comments") as out:
        for n in range(1, int(args.posts * args.comments_per_post) + 1):
            out.row(
                Id=n,
                PostId=rng.randint(1, args.posts),
                Text=text(rng, 1)[:500],
                CreationDate=when(n),
                UserId=rng.randint(1, members),
            )
    with DumpWriter(folder / "Votes.xml", "votes") as out:
        for n in range(1, int(args.posts * args.votes_per_post) + 1):
            out.row(
                Id=n,
                PostId=rng.randint(1, args.posts),
                VoteTypeId=2 if rng.random() < 0.85 else 3,
                CreationDate=when(n)[:10] + "T00:00:00.000",
            )
    return {"members": members, "questions": questions, "answers": answers}


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jokesite.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


def main():
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="import_bench_"))
    if args.postgres:
        import psycopg2

        conn = psycopg2.connect(f"{args.server}/postgres")
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{args.postgres}"')
            cursor.execute(f'CREATE DATABASE "{args.postgres}"')
        conn.close()
        url = f"{args.server}/{args.postgres}"
    else:
        url = f"sqlite:///{work / 'bench.sqlite3'}"
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    from exchange.importer import Importer

    call_command("migrate", verbosity=0)
    dump = work / "dump"
    dump.mkdir()
    started = time.monotonic()
    sizes = write_dump(dump, args)
    generated = time.monotonic() - started
    megabytes = sum(p.stat().st_size for p in dump.glob("*.xml")) / 1e6
    print(
        f"dump: {args.posts:,} posts ({sizes['questions']:,} questions, {sizes['answers']:,} "
        f"answers), {sizes['members']:,} members, {int(args.posts * args.comments_per_post):,} "
        f"comments, {int(args.posts * args.votes_per_post):,} votes; {megabytes:.0f} MB "
        f"written in {generated:.1f} s"
    )

    started = time.monotonic()
    report = Importer(dump, site="bench", batch_size=args.batch_size).run()
    seconds = time.monotonic() - started
    print(f"database: {connection.vendor}, batch size {args.batch_size}")
    for line in report.lines():
        print(f"  {line}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import: {seconds:.1f} s, {args.posts / seconds:,.0f} posts/s; "
        f"peak memory of the process {peak:.0f} MB"
    )
    shutil.rmtree(work)  # the dump and, on SQLite, the database


if __name__ == "__main__":
    main()
