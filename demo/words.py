"""Words and sentences for generated content: mixed Chinese and English, Zipf-distributed.

Shared by `manage.py loadbench` and `bench/search_bench.py`, so both measure the same kind of
text: common words in half the posts, rare ones in very few, Chinese run together as it is
written.
"""

import random


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

    def paragraphs(self, low: int, high: int) -> list[str]:
        """Paragraphs of 2-7 sentences each: a long post, as plain Markdown (no markup)."""
        return [self.body() for _ in range(self.rng.randint(low, high))]

    def comment(self) -> str:
        text = self.sentence()
        while len(text) < 20:
            text = f"{text} {self.sentence()}"
        return text[:500]
