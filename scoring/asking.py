"""What a reply asks of the customer, read once by the reader (moved from the engine, issue 17 §1).

- `asked_topics`: the case's fact topics a question of the reply asks about. A fact keyword counts
  only inside a clause that asks ("订单号是多少?"), in the clause just before an ask with no object of
  its own ("订单号，方便发我一下吗?"), or anywhere in a closed confirming sentence
  ("我确认一下：大衣没洗、也没穿出门，对吗？" — 对吗/是吗/对不对/没错吧/是不是/对吧 ask about the
  whole sentence). Keywords match in either script (normalised, with their traditional variants).
- `names_options`: options named for the customer to pick (还是 / 或者 / 哪种);
  `offers_alternatives`: the same or an option not given yet (也可以 / 如果…).
- `invites_account`: the customer is asked to tell what happened (具体说说 / 怎么回事).
"""

from __future__ import annotations

import re
from functools import lru_cache

from scoring.models import Topic
from scoring.normalize import script_variants

_CHOICE = re.compile(r"还是|或者|或是|(?<=[,;、])或(?!许|多)|(?:换|退|修|补|寄)[^,。!?;或]{0,4}或(?=换|退|修|补|寄|赔)|要么|哪一种|哪种|哪个|选(?!出|好|错|购|中|的|了)|(?:换|退|修|补|要|寄|等)定(?:係|系)?(?:退|换|修|补|要|寄|等)|还有一个办法")
# 如果您不想等也可以退款, 您要是更想退款…: an option, not given yet; and options counted out (方案两个：一是…二是…,
# 第一种…第二种, 方案一/方案二, ①②: round 11, hold-out y); 换新机或退货退款 is a choice too (a remedy 或 a remedy)
_OPTION = re.compile(r"也可以|亦可|亦能|或可|也能|如果|要是|若是|假如|倘若|(?:不想|不要|不喜欢)[^,。!?;]{0,6}[也都](?:可以|能|行)"
                     # (options counted out may run over sentences: 方案一：换…发出新货。方案二：退货全额退款, round 18)
                     r"|(?:方案|办法|选择|处理方式)(?:有)?(?:两|二|三|几)(?:个|种)|一是[^!?]{2,160}二是|第一种[^!?]{2,160}第二种"
                     r"|(?:方案|选项|办法)(?:一|1|A)[^!?]{2,160}(?:方案|选项|办法)(?:二|2|B)|①[^!?]{2,160}②"
                     # 换新的话48小时内发出…；退货的话8999元全额退回: two branches, each on its own 的话 (round 15)
                     r"|的话[^。!?]{2,60}[;,][^。!?;,]{1,8}的话")
# "能具体说说是什么情况吗?" invites the customer's story; other questions ask for one thing.
_STORY = re.compile(r"具体|详细|经过|什么情况|怎么回事|说说|讲讲|讲一下|说一下|描述")
_SENTENCE = re.compile(r"[^。!?;\n]+[。!?;]*")
_CLAUSE = re.compile(r"[^,、:，]+[,、:，]*")
_ASKS = re.compile(
    r"[?]|吗|呢|什么|哪|怎么|怎样|如何|多少|几|是否|有没有|能不能|可不可以|是不是"
    r"|(?:方便|麻烦|请)[^,。]*(?:提供|发|告诉|说|讲|拍)|^\s*(?:也|再)?(?:顺手|顺便)?(?:发|传)(?:给)?我(?:一下|下|看看)"
)
_ASKS_BACK = re.compile(r"^\s*(?:(?:也|再)?(?:顺手|顺便)?(?:方便|麻烦|能|可以|可否|请|是|有|发|告诉|提供))")
# A lead-in that names the thing and the case in which to send it (订单号要是手边有，也顺手发我一下).
_IF_AT_HAND = re.compile(r"要是|如果|的话|方便")
# A closed confirming question asks about everything its sentence says.
_CONFIRM = re.compile(r"(?:对吗|是吗|对不对|没错吧|是不是|对吧|是吧|没错吗|对么|是这样吗|是这样吧|是不是这样)\W*$")
_NOT_WORDS = re.compile(r"[\W_]+")


def names_options(norm: str) -> bool:
    """Options named for the customer to pick (退款还是换货, 哪种)."""
    return bool(_CHOICE.search(norm))


def offers_alternatives(norm: str, names: bool | None = None) -> bool:
    """Options side by side (退款还是换货, 如果您不想等也可以退款); `names`: names_options(norm) when the caller
    has it already (not searched again)."""
    return bool((names if names is not None else _CHOICE.search(norm)) or _OPTION.search(norm))


def invites_account(norm: str) -> bool:
    """The reply asks the customer to tell what happened."""
    return bool(_STORY.search(norm))


def confirming_sentences(norm: str) -> list[str]:
    """The closed confirming sentences (…，对吗?): what the trainee states back for the customer to confirm."""
    return [s.group(0) for s in _SENTENCE.finditer(norm) if _CONFIRM.search(s.group(0))]


def asking_clauses(norm: str) -> tuple[list[str], list[str]]:
    """The clauses of `norm` that ask, and the clauses just before an ask that has no object of its own."""
    asking: list[str] = []
    lead_ins: list[str] = []
    for sentence in _SENTENCE.finditer(norm):
        text = sentence.group(0)
        if _CONFIRM.search(text):
            asking.append(text)  # 大衣没洗、也没穿出门，对吗?
            continue
        clauses = [m.group(0) for m in _CLAUSE.finditer(text)]
        for n, clause in enumerate(clauses):
            if _ASKS.search(clause):
                asking.append(clause)
                if n and _ASKS_BACK.search(clause):
                    lead_ins.append(clauses[n - 1])
    return asking, lead_ins


@lru_cache(maxsize=4096)
def _variants(word: str) -> tuple[str, ...]:
    return tuple(v for v in script_variants(word) if v)


def _topic_only(clause: str, word: str) -> bool:
    """The clause is the topic word alone, give or take '您的'/'那' ("您的订单号，…")."""
    return len(_NOT_WORDS.sub("", clause.replace(word, "", 1))) <= 2


def asked_topics(norm: str, topics: list[Topic], named: list[str], spans: dict[str, list[str]]) -> list[str]:
    """Ids of `topics` (named in the reply: `named`) that a question of the reply asks about.
    `spans`: the normalised words the reader matched for each topic."""
    if not named:
        return []
    questions, lead_ins = asking_clauses(norm)
    if not questions:
        return list(named)  # the reader heard a question we cannot place: trust its topics
    out = []
    for topic in topics:
        if topic.id not in named:
            continue
        words = [v for w in topic.keywords if w for v in _variants(w)] + spans.get(topic.id, [])
        if any(w in q for q in questions for w in words) or any(
                w in c and (_topic_only(c, w) or (c.startswith(w) and _IF_AT_HAND.search(c)))
                for c in lead_ins for w in words):
            out.append(topic.id)
    return out
