"""Better phrasings shown next to each graded point, drawn from the seeds' model sentences.

Keyed by rubric rule id (see scoring.rubric). Each entry keeps the seed it comes from so that
trainers can check the wording against the source; seeds 000/003/004 are quoted in simplified form.
"""

from __future__ import annotations

from typing import NamedTuple


class Phrase(NamedTuple):
    """A model sentence and the seed passage it is taken from."""

    text: str
    source: str


# The three closing sentences of 001 (五)感谢客户 实例三: apologise again, thank, commit to improve.
CLOSING = (
    "真抱歉，给您添麻烦了。",
    "您对我们的产品这么信任，欢迎您再次惠顾。",
    "我们会不断提高产品和服务质量，希望您多提宝贵意见。",
)

PHRASES: dict[str, Phrase] = {
    # apology
    "apology.early": Phrase("很抱歉，这件事我们处理得不够周全，给您添麻烦了。", "001 平息怨气"),
    "apology.late": Phrase("很抱歉，这件事我们处理得不够周全，给您添麻烦了。", "001 平息怨气"),
    "apology.closing": Phrase(CLOSING[0], "001 感谢客户 第一句"),
    "apology.sincere": Phrase("真的很抱歉，是我们仓库发错了，这是我们的责任。", "000 认错态度要诚恳，不找借口"),
    # empathy
    "empathy.early": Phrase("我理解您的心情，发生这种情况的确很令人生气。", "001 投诉处理流程 1、2"),
    "empathy.late": Phrase("我理解您的心情，发生这种情况的确很令人生气。", "001 投诉处理流程 1、2"),
    "empathy.sustained": Phrase("我理解您的心情，我们一定想办法帮您解决。", "001 就事论事"),
    "empathy.thanks": Phrase(CLOSING[1], "001 感谢客户 第二句"),
    # question
    "question.first": Phrase("您能具体讲一下是什么时候买的、怎么使用的吗？", "001 澄清问题 实例二"),
    "question.late": Phrase("您能具体讲一下是什么时候买的、怎么使用的吗？", "001 澄清问题 实例二"),
    "question.open": Phrase("您能具体讲一下是什么时候买的、怎么使用的吗？", "001 澄清问题 开放式提问"),
    "question.closed": Phrase("我了解您的状况了。您是*月*日买的，用了一星期，是吗？", "001 澄清问题 封闭式提问"),
    "question.specific": Phrase("您能拍张照片发给我们确认一下吗？方便的话也请告诉我订单号。", "004 投诉模板 c)"),
    # solution
    "solution.issues": Phrase(
        "我们在24小时内为您重新发出正确的产品，并承诺在X月X日前送达；再送您一张代金券，弥补这次不好的购物体验。",
        "000 补发 + 代金券",
    ),
    "solution.time_frame": Phrase("我们在24小时内为您重新发出，发出后把单号告诉您。", "004 给出处理期限（24小时内）"),
    "solution.consult": Phrase("您希望换货还是退款？您看这样解决还满意吗？", "001 协商解决 / 征求对方意见"),
    "solution.follow_up": Phrase(CLOSING[2], "001 感谢客户 第三句；000 一直跟进"),
    # deductions
    "violation.insult": Phrase("我理解您的心情，我们一定想办法帮您解决。", "001 语言不触及个人"),
    "violation.refusal": Phrase(
        "很抱歉，因为职权所限，我无法满足您的要求，我会把您的情况反映给主管，2天内给您答复。",
        "001 礼貌的重复",
    ),
    "violation.excuse": Phrase("真的很抱歉，是我们发错了颜色，我们马上为您处理。", "000 不找借口，不辩解"),
    "violation.contradict": Phrase("对不起，您先别生气，请您听听我们的建议和方案好吗？", "001 平息怨气；就事论事"),
    "violation.overpromise": Phrase(
        "到货时间受物流影响，预计X月X日前送达，有更新我会第一时间告诉您。",
        "003 禁区8 不要回答得太绝对",
    ),
    "violation.stall": Phrase("您反映的问题我马上为您处理，现在就帮您查询。", "001 接受投诉：迅速处理，不说“请等一下”"),
    "reply.slow": Phrase("很抱歉让您久等了，我正在为您查询，马上回复您。", "003 禁区1 黄金30秒；慢了要解释原因"),
    "reply.short": Phrase(
        "很抱歉，这件事我们处理得不够周全，给您添麻烦了。我们在24小时内为您重新发出正确的产品。",
        "003 禁区4 字数不要低于客户",
    ),
    "reply.ratio": Phrase(
        "我理解您的心情。您提到的颜色和物流问题我都记下了，我们在24小时内为您补发，并送您一张代金券。",
        "003 禁区4 答问比110%-140%",
    ),
    "reply.repeat": Phrase("针对顾客这句话的具体内容手打回复，不要重复上一句。", "003 禁区6 快捷回复像在敷衍"),
    "reply.quick": Phrase("快捷回复只用于快递、发货、欢送，其他都手打回复。", "003 禁区6 一次对话不超过3-5个快捷回复"),
    "issue.unanswered": Phrase(
        "您提到的两个问题我都记下了：颜色发错了，我们24小时内为您补发；包裹晚了三天，我们送您一张代金券表示歉意。",
        "000 提了两个问题，只得到一个回复",
    ),
    "policy.breach": Phrase(
        "很抱歉，这超出了我的权限，我会把您的要求反映给主管，2天内给您答复。",
        "001 礼貌的重复；002 确定界限",
    ),
}
