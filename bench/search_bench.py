"""Search latency on PostgreSQL with many posts of mixed Chinese/English text. Not a test.

Fills a scratch database (dropped and re-created unless --reuse) with --posts posts (a third
questions, the rest answers) by bulk inserts, builds the search index through the same code as
`manage.py rebuild_search`, then times --queries searches (1-4 character Chinese words, English
words, mixed text, phrases, operators) exactly as the /search/ page runs them: the count, the
first page of 20 and its snippets. Prints p50/p90/p99 overall and per kind of query.

    python bench/search_bench.py --posts 100000
    python bench/search_bench.py --posts 1000000 --database jokesite_bench_1m

See bench/README.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _words(text: str) -> list[str]:
    return text.split()


CHINESE = _words(
    """
银行 支付 支付宝 快捷支付 手机 银行卡 账户 转账 余额 利息 贷款 信用卡 存款 取款 理财 基金
股票 市场 经济 金融 科技 互联网 公司 服务 用户 客户 问题 答案 方法 时间 今天 明天 昨天 我们
你们 他们 什么 为什么 怎么 可以 没有 因为 所以 但是 如果 已经 现在 以前 以后 中国 北京 上海
深圳 杭州 广州 香港 世界 国家 政府 监管 政策 法律 规定 安全 风险 技术 数据 系统 平台 应用
软件 电脑 网络 网站 信息 电话 短信 验证码 密码 登录 注册 微信 淘宝 阿里巴巴 腾讯 京东 美团
外卖 购物 商店 超市 价格 便宜 免费 费用 手续费 发票 工资 收入 支出 消费 投资 经营 管理 员工
老板 工作 学习 学校 老师 学生 朋友 家人 父母 孩子 生活 城市 农村 交通 地铁 公交 出租车 火车
飞机 机场 酒店 旅游 吃饭 喝茶 咖啡 早餐 午餐 晚餐 医院 医生 健康 天气 下雨 阳光 春天 夏天
秋天 冬天 开心 快乐 难过 担心 希望 相信 喜欢 觉得 知道 认为 发现 开始 结束 发展 变化 改革
开放 历史 文化 传统 现代 未来 创新 竞争 合作 关系 影响 作用 结果 原因 条件 机会 能力 经验
意见 建议 讨论 回答 提问 分享 评论 投票 标签 搜索 排名 速度 效率 质量 数量 银联 现金 硬币
纸币 钱包 二维码 扫码 收款 付款 退款 红包 余额宝 花呗 芝麻信用 人民币 美元 汇率 外汇 储蓄
保险 证券 期货 债券 央行 商业银行 储户 网点 柜台 自动取款机 排队 的 了 是 在 和 也 就 都 很
还 又 把 被 让 给 对 从 到 这 那 銀行 錢包 支付寶 網絡 資料 問題 電話 學習
"""
)

ENGLISH = _words(
    """
the of and to in is you that it he was for on are as with his they at be this have from or one
had by word but not what all were we when your can said there use an each which she do how
their if will up other about out many then them these so some her would make like him into time
has look two more write go see number no way could people my than first water been call who oil
its now find long down day did get come made may part bank banks payment payments alipay wechat
card cards account accounts transfer balance interest loan loans credit deposit withdraw
finance fund stock market economy technology internet company service user customer question
answer method today tomorrow yesterday why because but already now before after china beijing
shanghai shenzhen hangzhou world country government regulator regulation policy law rule safety
risk data system platform application software computer network website information phone
message code password login signup shopping shop supermarket price cheap free fee invoice
salary income expense consumption invest manage employee boss work study school teacher student
friend family parent child life city village traffic subway bus taxi train plane airport hotel
travel eat tea coffee breakfast lunch dinner hospital doctor health weather rain sun spring
summer autumn winter happy sad worry hope believe running runs ran fast quick slow method
methods history culture tradition modern future innovation competition cooperation relation
impact result reason condition chance ability experience opinion advice discussion share
comment vote tag search ranking speed efficiency quality quantity cash coin wallet scan refund
exchange rate savings insurance securities futures bonds central commercial branch counter
queue blockchain mobile online offline merchant settlement clearing ledger audit compliance
fraud dispute chargeback merchant api developer integration sdk latency throughput outage
incident migration postgres sqlite django python
"""
)

TAGS = _words(
    """
    alipay banks fintech payments wechat-pay credit-cards loans regulation security mobile
    django python postgresql sqlite search performance api travel food health
    支付宝 银行 理财 监管 生活 旅游 美食 健康 科技 金融
    """
)


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1 / (rank + 1) ** s for rank in range(n)]


class TextMaker:
    """Mixed Chinese/English sentences with Zipf-distributed words (fixed seed)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.zh = CHINESE[:]
        self.en = ENGLISH[:]
        rng.shuffle(self.zh)
        rng.shuffle(self.en)
        self.zh_weights = zipf_weights(len(self.zh))
        self.en_weights = zipf_weights(len(self.en))

    def chinese(self, low: int, high: int) -> str:
        words = self.rng.choices(self.zh, self.zh_weights, k=self.rng.randint(low, high))
        return "".join(words) + self.rng.choice("。，！？")

    def english(self, low: int, high: int) -> str:
        words = self.rng.choices(self.en, self.en_weights, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + self.rng.choice(".!?")

    def sentence(self) -> str:
        if self.rng.random() < 0.55:
            return self.chinese(3, 9)
        return self.english(5, 14)

    def title(self) -> str:
        parts = [self.chinese(2, 4), self.english(3, 6)]
        self.rng.shuffle(parts)
        return " ".join(parts)[:150]

    def body(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 7)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database", default="jokesite_bench")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run")
    parser.add_argument("--seed", type=int, default=4)
    return parser.parse_args()


def create_database(server: str, name: str, reuse: bool) -> bool:
    """(Re)create the scratch database; True when it already holds an index to reuse."""
    import psycopg2

    conn = psycopg2.connect(f"{server}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and reuse:
            return True
        if exists:
            cursor.execute(f'DROP DATABASE "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return False


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jokesite.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate(posts: int, rng: random.Random) -> None:
    """Users, tags, questions, answers and accepted marks, by bulk inserts (no services: the
    index is built afterwards, as rebuild_search would)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.html import escape

    from answers.models import Answer
    from questions.models import Question, Tag

    maker = TextMaker(rng)
    User = get_user_model()
    now = timezone.now()
    n_questions = max(1, posts // 3)
    n_answers = posts - n_questions
    batch = 5000

    def html(text: str) -> str:
        return f"<p>{escape(text)}</p>"

    started = time.monotonic()
    with transaction.atomic():
        User.objects.bulk_create(
            User(username=f"bench{n}", email=f"bench{n}@example.com", password="!")
            for n in range(2000)
        )
        user_ids = list(User.objects.values_list("pk", flat=True))
        Tag.objects.bulk_create(Tag(name=name) for name in TAGS)
        tag_ids = list(Tag.objects.values_list("pk", flat=True))
    Through = Question.tags.through
    made = 0
    while made < n_questions:
        size = min(batch, n_questions - made)
        with transaction.atomic():
            questions = []
            for _ in range(size):
                title = maker.title()
                body = maker.body()
                when = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
                questions.append(
                    Question(
                        author_id=rng.choice(user_ids),
                        title=title,
                        slug="q",
                        body=body,
                        body_html=html(body),
                        score=max(-3, int(rng.paretovariate(1.5)) - 2),
                        created_at=when,
                        last_activity_at=when,
                    )
                )
            Question.objects.bulk_create(questions)
            Through.objects.bulk_create(
                Through(question_id=q.pk, tag_id=tag_id)
                for q in questions
                for tag_id in rng.sample(tag_ids, rng.randint(1, 4))
            )
        made += size
        print(f"\r  questions {made}/{n_questions}", end="", flush=True)
    print()
    first_q, last_q = (
        Question.objects.order_by("pk").first().pk,
        Question.objects.order_by("pk").last().pk,
    )
    made = 0
    while made < n_answers:
        size = min(batch, n_answers - made)
        with transaction.atomic():
            Answer.objects.bulk_create(
                Answer(
                    author_id=rng.choice(user_ids),
                    question_id=rng.randint(first_q, last_q),
                    body=(body := maker.body()),
                    body_html=html(body),
                    score=max(-3, int(rng.paretovariate(1.5)) - 2),
                    created_at=now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
                )
                for _ in range(size)
            )
        made += size
        print(f"\r  answers {made}/{n_answers}", end="", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE questions_question q SET answer_count = c.n
               FROM (SELECT question_id, count(*) n FROM answers_answer GROUP BY question_id) c
               WHERE c.question_id = q.id"""
        )
        # Accept the first answer of about a third of the answered questions.
        cursor.execute(
            """UPDATE answers_answer SET is_accepted = true, accepted_at = now()
               WHERE id IN (SELECT min(id) FROM answers_answer
                            GROUP BY question_id HAVING question_id % 3 = 0)"""
        )
    print(f"  generated in {time.monotonic() - started:.0f}s")


def build_index() -> None:
    from django.db import connection

    from search.fulltext import rebuild

    started = time.monotonic()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 2 or done == total:
            last[0] = time.monotonic()
            print(f"\r  indexed {done}/{total}", end="", flush=True)

    rebuild(batch_size=1000, progress=progress)
    print(f"\n  index built in {time.monotonic() - started:.0f}s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would, in time, on a live site
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('questions_searchentry')),"
            " pg_size_pretty(pg_relation_size('questions_searchentry_vector_gin'))"
        )
        table, gin = cursor.fetchone()
    print(f"  questions_searchentry: {table} in all, GIN index {gin}")


def make_queries(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, query) pairs; words are drawn uniformly, so rare and common ones both appear."""
    chars = sorted({ch for word in CHINESE for ch in word})
    by_length = {n: [w for w in CHINESE if len(w) == n] for n in (2, 3, 4)}
    by_length[4] += ["快捷支付", "银行转账", "手机银行", "支付方法", "网络安全"]
    words = [w for w in ENGLISH if len(w) > 3]
    kinds = [
        ("zh-1", lambda: rng.choice(chars)),
        ("zh-2", lambda: rng.choice(by_length[2])),
        ("zh-3", lambda: rng.choice(by_length[3])),
        ("zh-4", lambda: rng.choice(by_length[4])),
        ("en-1", lambda: rng.choice(words)),
        ("en-2", lambda: f"{rng.choice(words)} {rng.choice(words)}"),
        ("mixed", lambda: f"{rng.choice(words)} {rng.choice(by_length[2] + by_length[3])}"),
        ("phrase", lambda: f'"{rng.choice(words)} {rng.choice(words)}"'),
        ("operators", lambda: f"{rng.choice(by_length[2])} [{rng.choice(TAGS)}] is:answer"),
        ("operators", lambda: f"{rng.choice(words)} score:3 is:question"),
    ]
    return [(kind, make()) for kind, make in (kinds[n % len(kinds)] for n in range(count))]


def run_query(q: str) -> tuple[float, int]:
    """One search as the page runs it: count, first page, snippets."""
    from search import fulltext as search

    started = time.perf_counter()
    query = search.parse_query(q)
    sort = "relevance" if query.parts else "votes"
    results = search.search(query, sort=sort)
    page = search.ResultPaginator(results, 20).get_page(1)
    search.with_snippets(page.object_list, query)
    return time.perf_counter() - started, page.paginator.count


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))
    return values[index]


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    reused = create_database(args.server, args.database, args.reuse)
    setup_django(f"{args.server}/{args.database}")
    from django.core.management import call_command
    from django.db import connection

    from search.fulltext import MAX_RESULTS

    if not reused:
        call_command("migrate", verbosity=0)
        print(f"Generating {args.posts} posts in {args.database} ...")
        generate(args.posts, rng)
        build_index()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM questions_searchentry")
        print(f"Index holds {cursor.fetchone()[0]} posts; PostgreSQL {connection.pg_version}")

    queries = make_queries(args.queries, random.Random(args.seed + 1))
    for _, q in queries[:20]:  # warm the cache and the connection
        run_query(q)
    timings: dict[str, list[float]] = {}
    slowest = []
    for kind, q in queries:
        seconds, hits = run_query(q)
        timings.setdefault(kind, []).append(seconds)
        slowest.append((seconds, hits, q))
    every = [t for values in timings.values() for t in values]

    def line(name, values):
        ms = [v * 1000 for v in values]
        return (
            f"{name:<10} {len(ms):>5} {statistics.median(ms):>9.1f} "
            f"{percentile(ms, 90):>9.1f} {percentile(ms, 99):>9.1f} {max(ms):>9.1f}"
        )

    print(f"\n{'queries':<10} {'n':>5} {'p50 ms':>9} {'p90 ms':>9} {'p99 ms':>9} {'max ms':>9}")
    for kind, values in timings.items():
        print(line(kind, values))
    print(line("all", every))
    print(f"\nslowest (results are capped at {MAX_RESULTS}):")
    for seconds, hits, q in sorted(slowest, reverse=True)[:5]:
        print(f"  {seconds * 1000:8.1f} ms  {hits:>8} results  {q}")


if __name__ == "__main__":
    main()
