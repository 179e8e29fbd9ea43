"""Who the customer is, for pronouns: a scenario's customer_gender against its customer_name,
its own text and the persona's shared description (lint warnings).

Rules a trainer can check by eye:
- a name with a title says the sex: 女士 小姐 太太 妈妈 阿姨 大姐 … are female; 先生 爸爸 叔叔
  大哥 老爷子 … are male; other names (吴总, 陈老板, 暴躁的小鹿) say nothing;
- the scenario's summary and wish are about the customer: 他 for a woman (or 她 for a man) is a
  slip, unless the right pronoun is there too (then the other may be someone else: 父亲…他);
- a persona's description is shared by scenarios whose customers differ, so it should say
  顾客 or 对方; 他 or 她 there contradicts any scenario whose customer is of the other sex.
"""

from __future__ import annotations

from collections.abc import Iterable

from simulator.content.loader import LoadedFile
from simulator.content.models import PRONOUNS, Persona, Scenario
from simulator.content.problems import Problem
from simulator.i18n import N_, _

FEMALE_TITLES = ("女士", "小姐", "太太", "夫人", "妈妈", "宝妈", "阿姨", "大姐", "姐姐", "奶奶", "大妈", "婶")
MALE_TITLES = ("先生", "爸爸", "宝爸", "叔叔", "大哥", "哥哥", "爷爷", "大爷", "老爷子", "大叔", "师傅")
GENDER_WORDS = {"female": N_("女性"), "male": N_("男性")}
"""How a message names each sex (translated where shown)."""


def gender_from_name(name: str) -> str | None:
    """'female' or 'male' when the name ends with (or holds) a title that says so, else None."""
    female = any(t in name for t in FEMALE_TITLES)
    male = any(t in name for t in MALE_TITLES)
    if female != male:
        return "female" if female else "male"
    return None


def customer_gender(scenario: Scenario) -> str | None:
    """The customer's sex: the customer_gender field, else what the name says, else None."""
    if scenario.customer_gender != "unknown":
        return scenario.customer_gender
    return gender_from_name(scenario.customer_name)


def _other(gender: str) -> str:
    return PRONOUNS["male" if gender == "female" else "female"]


def scenario_gender_problems(loaded: LoadedFile) -> list[Problem]:
    """customer_gender against customer_name; the summary and wish against the customer's sex."""
    scenario: Scenario = loaded.model  # type: ignore[assignment]
    problems: list[Problem] = []
    by_name = gender_from_name(scenario.customer_name)
    if scenario.customer_gender != "unknown" and by_name and by_name != scenario.customer_gender:
        problems.append(loaded.problem(
            ("customer_gender",),
            _("customer_gender 写的是 {gender}（{gender_word}），但顾客称呼“{name}”是{name_word}").format(
                gender=scenario.customer_gender, gender_word=_(GENDER_WORDS[scenario.customer_gender]),
                name=scenario.customer_name, name_word=_(GENDER_WORDS[by_name])),
            "warning",
        ))
    gender = customer_gender(scenario)
    if gender is None:
        return problems
    right, wrong = PRONOUNS[gender], _other(gender)
    for loc, text in ((("summary",), scenario.summary), (("wish", "summary"), scenario.wish.summary)):
        if wrong in text and right not in text:
            problems.append(loaded.problem(
                loc,
                _("这里用“{wrong}”称呼顾客，但{name}是{gender_word}（见 customer_gender 或称呼）：请写“{right}”").format(
                    wrong=wrong, name=scenario.customer_name, gender_word=_(GENDER_WORDS[gender]), right=right),
                "warning",
            ))
    return problems


def persona_pronoun_problems(loaded: LoadedFile, scenarios: Iterable[tuple[LoadedFile, Scenario]]) -> list[Problem]:
    """A persona's description that says 他 (她) while one of its scenarios' customers is a woman (man)."""
    persona: Persona = loaded.model  # type: ignore[assignment]
    problems: list[Problem] = []
    for pronoun in sorted({p for p in PRONOUNS.values() if p in persona.description}):
        clash = [s for _, s in scenarios if (g := customer_gender(s)) is not None and PRONOUNS[g] != pronoun]
        if clash:
            names = "、".join(f"{s.id}（{s.customer_name}）" for s in clash)
            problems.append(loaded.problem(
                ("description",),
                _("description 用“{pronoun}”称呼顾客，但这个顾客类型也用在 {names}：请写“顾客”或“对方”").format(
                    pronoun=pronoun, names=names),
                "warning",
            ))
    return problems
