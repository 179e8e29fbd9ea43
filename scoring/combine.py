"""How the learned reader's decisions combine with the rules' (docs/scoring.md §11).

The rules decide first; the model can only move a decision where it is confident and the rules
did not decide it on purpose (rule_vetoes: a remedy under a stated limit stays no offer, a
rhetorical question stays no question):

- a dimension the rules found nothing for (level 0) becomes level 1 when the model's probability
  reaches ``add.<dimension>``; a level the rules gave is taken back when the model's probability is
  at most ``drop.<dimension>`` (for apology and empathy, given on a keyword, also without the features
  inside the rule's own evidence, and only when the rest of the reply pushes against it: the model
  doubts such a rule on the context, never on its keyword alone);
- a reply with no rule violation gets one when the model's "violation" probability reaches
  ``add.violation``, counting phrases only (features of two characters or more: a lone 不 or 吧
  never carries a violation): the code is the code head with the highest probability; a reply whose rule
  violations the model puts at most ``drop.violation`` keeps none; beside the rules' violations,
  another code whose probability (phrases only) reaches ``add.code`` is added (the rules saw a violation, the
  model names it better);
- everything the model adds quotes the n-grams that carried it (Evidence rule ``model:…``), and
  everything it takes back leaves an Evidence of kind ``model_veto`` naming what it was.

With a trainer's own lexicon files ($KEFU_LEXICON, --lexicon) the learned reader is off: it learned
the built-in rules, and a trainer's rule (an entry switched off, a new phrase) must decide.

Thresholds live in the model file (chosen by leave-one-writer-out in tools/train_reader.py); a
threshold that is absent means the model never moves that decision.
"""

from __future__ import annotations

from scoring.clauses import NOT_OFFERED
from scoring.forbidden import HOSTILE
from scoring.learned import CODE_HEADS, DIMENSION_HEADS, Reading
from scoring.models import Evidence, Violation, ViolationCode

__all__ = ["combine", "explain", "rule_vetoes", "KEYWORD_HEADS", "KEEP_QUESTION", "OWN_FAULT"]

NEVER_ADD = 2.0  # probabilities never reach it
# Dimensions a rule gives on its own keyword (道歉, 理解您的心情): the model takes such a level back only
# on what the rest of the reply says (Reading.beside). Question and solution levels come from the
# reply's structure, where the model's whole reading stands.
KEYWORD_HEADS = ("apology", "empathy")
NEVER_DROP = -1.0
# A level the rules read from the reply's form, which the model may not take back: a closed confirming question
# (…，对吧？ 001 澄清问题 实例二 "是吗?") asks whatever else the reply says.
KEEP_QUESTION = frozenset({"keep.question"})
STEP_RULE = "remedy.instructions_step"  # a concrete step on the device or page (下拉刷新一下): guide §5, level 1
LET_DOWN = "empathy.let_down"  # 让您失望了 / 让您着急了: her feeling named as what the shop did to her (001 四.2)
OWN_FAULT = "apology.own_fault"  # the rule that owns the fault (是我们发错了, 责任在我们): ReplyAnalysis.owns_fault
SENT_AWAY = "excuse.sent_away"  # the customer sent to the courier or the maker to claim (建议您跟快递那边申请理赔): 000, 003 禁区9
SARCASM = "insult.sarcastic_surrender"  # 好好好，您说了算 / 那您想怎么样嘛: contempt in polite words (round 16)
KEPT_RULES = frozenset({SENT_AWAY, SARCASM})  # violations the model may not take back, beside the doubt category


def explain(reading: Reading, head: str, toward: bool = True) -> tuple[str, tuple[int, int] | None]:
    """The rule name quoting the features behind a decision, and the span of the strongest one."""
    carried = reading.because(head, toward)
    names = "|".join(name.split(":", 1)[1] for name, _ in carried)
    return f"model:{names}", (carried[0][1] if carried else None)


def rule_vetoes(hits, marks, segs, violations, reviews) -> frozenset[str]:
    """What the rules decided on purpose, which the model may not add back:

    - solution: a remedy named where it is not offered (a stated limit, a quote, history, the
      customer's demand, what happened: docs/scoring.md §10), or no remedy or action word at all (the model
      may judge an offer the rules did not take, never invent one);
    - question: a rhetorical or hostile question, a review request;
    - empathy: understanding asked of the customer (希望您能理解, 感谢您的理解) and no sympathy cue;
    - contradict: the reply clears the customer (不是您的问题, 不怪您): the model adds no contradiction;
    - excuse: the reply owns the fault (是我们的问题, 是我们仓库发错了): a cause told beside it is no excuse (§6); or it
      states a limit and offers a remedy outside it (a rule with a way forward: §6 near misses);
    - overpromise: the reply promises its own conduct (不会再让您白等, 由我本人跟进: 001 承诺改进);
    - solution: `keep.solution` when a rule read a concrete step to try (下拉刷新一下, 重启一下路由器: §5);
    - empathy: `keep.empathy` when a rule read her feeling named as the shop's doing (真的让您失望了: 001 四.2);
    - violation: nothing (the model adds violations only past its own threshold); and `keep.violation` when a
      rule found the customer doubted (您确定…吗, 谁告诉您可以退的: §10) or sent away to claim from a third party
      (建议您直接跟快递那边申请理赔: 000), or surrendered to with sarcasm (好好好，您说了算) — the model may not take
      that back.
    The analyzer adds `keep.question` (KEEP_QUESTION) for a closed confirming question: a level the model may not
    take back.
    """
    out = set()
    remedies = hits.find("remedy")
    remedy_words = remedies + hits.find("action")
    demands = {x.start for x in hits.find("remedy_demand")}  # 退款的要求: the customer's demand
    described = {x.end for x in hits.find("remedy_described")}  # 晚了两天才上门: what happened
    if not remedy_words or any(marks.of(segs.clause(h.start)) & NOT_OFFERED for h in remedies) or (
            remedies and all(h.end in demands or h.start in described for h in remedies)):
        out.add("solution")
    if hits.find("rhetorical") or reviews or any(v.entry.code in HOSTILE for v in violations):
        out.add("question")
    if hits.find("understanding_asked") and not hits.find("empathy"):
        out.add("empathy")  # 希望您能理解 asks for understanding: no sympathy to add
    if hits.find("clears_customer"):
        out.add("contradict")  # 不是您眼睛的问题 clears the customer: no contradiction to add
    if any(h.entry.rule == OWN_FAULT for h in hits.find("apology")):
        out.add("excuse")  # 这是仓库捡错，完全是我们的问题: a cause told while owning it is no excuse (§6)
    if any(h.entry.rule == LET_DOWN for h in hits.find("empathy")):
        out.add("keep.empathy")  # 真的让您失望了: her feeling named as the shop's doing, 001's own empathy sentence
    if any(h.entry.rule == STEP_RULE for h in remedies):
        out.add("keep.solution")  # 您下拉刷新一下页面: a step to try is a solution (§5) whatever the words around it
    if any(v.entry.category == "doubt" or v.entry.rule in KEPT_RULES for v in violations):
        # 谁告诉您可以退的？ doubts her, also as a question (§10); 建议您跟快递那边申请理赔 sends her away to claim from
        # a third party however politely (000: 踢皮球); 好好好，您说了算 surrenders with contempt, its polite words
        # being the sarcasm (§10): the model may not take these back
        out.add("keep.violation")
    if hits.find("own_conduct"):
        out.add("overpromise")  # 不会再让您白等，由我本人跟进: a promise of the shop's own conduct (001 承诺改进)
    if hits.find("clause_limit") and any(not (marks.of(segs.clause(h.start)) & NOT_OFFERED) for h in remedies):
        out.add("excuse")  # 按规定我这边能做的是赔560元，2000元超出权限: a limit with a way forward (§6 near misses)
    return frozenset(out)


def combine(levels: dict[str, int], violations: list[Violation], evidence: list[Evidence], reading: Reading,
            thresholds: dict[str, float], span, vetoes: frozenset[str] = frozenset(),
            ) -> tuple[dict[str, int], list[Violation], list[Evidence]]:
    """The combined levels, violations and evidence (inputs are not modified)."""
    levels = dict(levels)
    evidence = list(evidence)
    for head in DIMENSION_HEADS:
        p = reading[head]
        if levels[head] == 0 and head not in vetoes and p >= thresholds.get(f"add.{head}", NEVER_ADD):
            rule, where = explain(reading, head)
            if where is not None:
                levels[head] = 1
                evidence.append(Evidence(kind=head, rule=rule, span=span(*where)))
        elif levels[head] > 0 and f"keep.{head}" not in vetoes and p <= thresholds.get(f"drop.{head}", NEVER_DROP) and (
                head not in KEYWORD_HEADS or reading.beside(
                    head, [(e.span.start, e.span.end) for e in evidence if e.kind == head and e.span]
                ) <= thresholds.get(f"drop.{head}", NEVER_DROP)):  # on the reply's context, not the rule's own words
            rule, where = explain(reading, head, toward=False)
            levels[head] = 0
            evidence = [e for e in evidence if e.kind != head]
            if where is not None:
                evidence.append(Evidence(kind="model_veto", rule=f"{head}:{rule}", span=span(*where)))
    p = reading["violation"]
    if (not violations and p >= thresholds.get("add.violation", NEVER_ADD)
            and reading.from_phrases("violation") >= thresholds.get("add.violation", NEVER_ADD)):
        code = max(CODE_HEADS, key=lambda c: (reading[c], -CODE_HEADS.index(c)))  # the likeliest code
        rule, where = explain(reading, code)
        if where is not None and code not in vetoes:
            s = span(*where)
            violations = [Violation(code=ViolationCode(code), rule=rule, span=s)]
            evidence.append(Evidence(kind=code, rule=rule, span=s))
    elif violations and p > thresholds.get("drop.violation", NEVER_DROP):
        found = {v.code.value for v in violations}
        for code in CODE_HEADS:  # the rules saw a violation; the model is sure of another code too
            if code not in found and code not in vetoes and reading.from_phrases(code) >= thresholds.get("add.code", NEVER_ADD):
                rule, where = explain(reading, code)
                if where is not None:
                    s = span(*where)
                    violations = [*violations, Violation(code=ViolationCode(code), rule=rule, span=s)]
                    evidence.append(Evidence(kind=code, rule=rule, span=s))
    elif violations and "keep.violation" not in vetoes:
        codes = {v.code.value for v in violations}
        rule, where = explain(reading, "violation", toward=False)
        evidence = [e for e in evidence if e.kind not in codes]
        if where is not None:
            evidence.append(Evidence(kind="model_veto", rule=f"violation:{rule}", span=span(*where)))
        violations = []
    return levels, violations, evidence
