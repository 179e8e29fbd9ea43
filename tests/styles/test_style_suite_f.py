"""Issue 17 §5–6: generalisation measured, not assumed — variants f, g and h.

Variant f (tests/styles/<case>/<style>_f.txt, EXPECTED_f.md) was written blind to the engine and to the
earlier variants, for the 11 built-in cases; tests/styles/new-cases holds three cases written blind from the
seeds (with their own f scripts; calendar, needed_by, attributes and demand_yuan added for issue 17).
Variant g (tests/styles/<case>/<style>_g.txt, holdout-g/EXPECTED.md) is a second blind writer's six styles for
the 11 built-in cases; it was a hold-out for one landing and is asserted here since (tests/styles/README.md).
Variant h (holdout-h/EXPECTED.md), a third blind writer's, was the hold-out of the second round and is asserted
here since the third. Variants i (the third round's hold-out, spent) and j (holdout-i/, holdout-j/) are asserted
since the fourth round, with strict xfails for what they do not yet hold; variant m (holdout-m/), a fresh tuning
set of the fifth round, likewise; variant l (holdout-l/, the sixth round's hold-out, tuning material since) from the seventh;
variant o (holdout-o/), the tuning set of the eighth round, likewise, with p and r; n (holdout-n/), the eighth
round's hold-out, since its figure (150 of 154 at e34920c); t (holdout-t/), the ninth round's tuning set (144 of 154
on arrival), with writer t's three cases in new-cases/ (their scripts kept as _f); s (holdout-s/), the ninth round's
first hold-out, since its figure (137 -> 140 of 154), with writer s's three cases (36 of 42); u (holdout-u/), the
round's last hold-out, since its figure (148 -> 150 of 154), with writer u's cases (42 of 42; that writer ran its
scripts through the simulator, see tests/styles/README.md); v (holdout-v/), round 10's hold-out; w (holdout-w/), round
10's last hold-out (146 of 154 at its figure); x (holdout-x/), round 11's first hold-out (142 of 154 at its figure); y (holdout-y/), round 11's (148 -> 150 of 154 at its figure); z (holdout-z/), round 11's last (152 -> 154 of 154); aa and ab (round 13); ac (holdout-ac/), round 13's
last hold-out (146 of 154 at its figure), since round 14; ad (holdout-ad/), round 14's hold-out (148 -> 150 of 154 at its
figure), and af (holdout-af/), round 15's tuning set (134 of 154 on arrival), since round 15; ae (holdout-ae/), round 15's
hold-out (140 -> 144 of 154 at its figure), and ah and ai (holdout-ah/, holdout-ai/), round 16's tuning sets (150 and 142 of
154 on arrival), since round 16; ag (holdout-ag/), round 16's hold-out (144 -> 148 of 154 at its figure, 154 after round 17),
and ak, al and am (holdout-ak/, holdout-al/, holdout-am/), round 17's tuning sets (140, 142 and 146 of 154 on arrival),
since round 17; aj (holdout-aj/), round 17's hold-out (152 of 154 at its figure, 154 after round 18), an
(holdout-an/) and ap (holdout-ap/), round 18's tuning sets (144 and 150 of 154 on arrival), since round 18.
ar and au (round 19's and round 20's hold-outs, spent) and av (round 21's tuning set, 150 of 154 on arrival) since
round 21 (tests/styles/README.md).
The outcomes the issue asks for are asserted for both; where the simulator does not yet do what the expected
files say, the case is marked xfail(strict) with the reason, so the gap is visible and a fix is noticed.

Also here: every style script (all variants) in the other script gives the same conversation (§5), and no
customer says a line twice word for word (§5).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import opencc
import pytest

from simulator.content.library import load_library
from simulator.engine.lines import AGAIN
from simulator.engine.replay import parse_replies, play_script

HERE = Path(__file__).parent
NEW = HERE / "new-cases"
BUILTIN = sorted(p.name for p in HERE.iterdir() if p.is_dir() and (p / "model_f.txt").is_file())
NEW_CASES = sorted(p.name for p in NEW.iterdir() if p.is_dir() and p.name != "scenarios")
CASES = [*BUILTIN, *NEW_CASES]
VARIANTS = {"f": CASES, **{v: sorted(p.name for p in HERE.iterdir() if p.is_dir() and (p / f"model_{v}.txt").is_file())
                           for v in ("g", "h", "i", "j", "l", "m", "n", "o", "p", "r", "s", "t", "u", "v", "w", "x", "y", "z", "q", "ab", "aa", "ac", "ad", "af", "ae", "ah", "ai", "ag", "ak", "al", "am", "aj", "an", "ap", "ao", "aq", "at", "ar", "au", "av")}}
SEEDS = (0, 1)

# Where the simulator does not yet do what the expected files ask (reported in the issue note), by (variant, case).
_READER = "a reader gap (/work/briefs/requests-17d.txt): "
MODEL_GAPS: dict[tuple[str, str], str] = {
    ("v", "late-delivery-business-loss"): "round 10's hold-out (142 of 154 measured once at c50f155): the model trainee "
    "never gives an arrival time (具体几点到我不跟您打包票) and offers the same-city reship only as a fallback (如果今天派不出来，"
    "我们马上…补发): the customer, who needs the goods before 5 pm, asks for a firm answer (issue 17 §3: a conditional "
    "asks for a commitment; 004: arrival times as 预计) to the end — against the writer's expectation",
    ("al", "late-delivery-business-loss"): "round 17's tuning set (142 -> 151 of 154): as v's, the model trainee will not "
    "give an arrival time (具体几点到要看派送，俺不跟您打包票) and offers the same-city reship only if the parcel looks late "
    "(要是下午看着送不到…); after putting the choice it picks the wait for her (中，那俺先盯着加急派送): the customer, who "
    "needs the cups before 5 pm, asks for a time to the end (issue 17 §3) — against the writer's expectation",
}
RECOVERS_GAPS: dict[tuple[str, str], str] = {
    ("s", "lost-parcel"): "the round-9 hold-out's bad start is five minutes of silence ([+300s]) before the first word: "
    "the customer's patience is 120 seconds (personas/venting.yaml), so she leaves before the recovery — by design "
    "(003 禁区1 黄金30秒), against the writer's expectation",
    ("s", "shipping-fee-dispute"): "as for lost-parcel: five minutes of silence before a cold first reply; the "
    "stubborn customer (patience 120 s) has left",
    ("v", "hotel-sea-view"): "round 10's hold-out: four minutes of silence ([+240s]) before 在的 — the customer's "
    "patience is 120 seconds and she leaves first (003 禁区1), as for s's",
    ("v", "lost-parcel"): "round 10's hold-out: three minutes twenty of silence ([+200s]) before 在的; the venting "
    "customer (patience 120 s) has left, as for s's",
    ("x", "green-color-rant"): "round 11's hold-out (142 of 154 measured once at 5290fd7): the recovering trainee never "
    "answers the misleading picture (图片拍成深绿色，发来浅绿色，这不是骗人是什么？ is met with 好，我馬上幫妳處理): the script's, "
    "as m's and p's — the customer keeps asking",
    ("at", "green-color-rant"): "round 20's tuning set (147 -> 152 of 154): as x's, p's and m's, the recovering trainee "
    "never answers the misleading picture (图片拍成深绿色，发来浅绿色，这不是骗人是什么？ is met with 您決定後我馬上幫您辦): "
    "the customer keeps asking, and a close that names nothing of the case sets her back",
    ("p", "green-color-rant"): "the script's, as m's: the misleading-picture complaint (图片拍成深绿色，发来浅绿色，这不是骗人是"
    "什么？) is never answered — the recovering trainee owns the wrong colour and refunds, and the customer keeps asking",
}
NEVER_RESOLVE_GAPS: dict[tuple[str, str, str], str] = {}
RECOVERS_BELOW_GAPS: dict[tuple[str, str], str] = {
    ("r", "wig-wrong-color"): "round 13: the model trainee's close has no apology again and its questions are all closed "
    "(no apology.closing, no question.open), while the recovering trainee's 我會追蹤物流 now counts as following up "
    "(追蹤, round 13): 50 against the model's 46 — a better close outscores a better start",
    ("aa", "computer-crash-loss"): "round 13's hold-out (144 of 154 measured once, before and after the round): the model "
    "trainee takes 40 and 35 seconds over two replies (the case's limit is 30) and writes shorter than the customer four "
    "times (003 禁区1, 禁区4), and scores what the fast recovering trainee scores after its cold open (56 against 56 "
    "with seed 0)",
    ("ac", "canned-replies-urge"): "round 13's style hold-out (146 of 154 measured once; 152 after round 14): the model "
    "trainee never says it understands (empathy 0: 您问了三次…是我们做得不对 owns the fault, names no feeling) and thanks "
    "her mid-way, not at the close, while the recovering trainee's 换谁都会生气 earns both empathy items: 58 against 51",
    ("l", "computer-crash-loss"): "the cold opening (根据《售后服务条款》第7条，间接损失不在赔偿范围内，请知悉: a scope stated as "
    "a limit, no violation by the guide) now costs reply.cold_open (-8), but the model never says it understands "
    "(empathy 0) and the recovering trainee does: 55 against 54",
}
ABSOLUTES_BELOW_GAPS: dict[tuple[str, str], str] = {}
WRONG_BELOW_GAPS: dict[tuple[str, str], str] = {
    ("af", "hotel-sea-view"): "round 15's tuning set: the model trainee opens with no apology or sympathy (reply.cold_open, "
    "apology and empathy late) and takes 40, 45 and 35 seconds over three replies (003 禁区1: 30 s), while the wrong-substance "
    "trainee's process is clean and only its money is wrong (160元 for an 800-yuan loss: solution 12 of 25, unsettled -10): "
    "48 against 49 — the process items outweigh the one misfit, by the rubric's weights",
    ("aj", "computer-crash-loss"): "round 17's hold-out: the model trainee never says it understands (给您添麻烦了 is an "
    "apology; empathy 0 of 75) and is slow on two replies, while the wrong-substance trainee's process is clean and only its "
    "money is wrong (50元 for the late engineer: solution 8 of 17 twice, unsettled -10): 61 against 61, the same at the "
    "round's start (dad81d1)",
}


@lru_cache(maxsize=1)
def _library():
    return load_library([NEW], include_env=False)


def _script(case: str, name: str) -> Path:
    return (NEW / case if case in NEW_CASES else HERE / case) / name


@lru_cache(maxsize=None)
def play(case: str, style: str, seed: int = 0, variant: str = "f"):
    """(outcome, policy breach, total, overpromise flagged) of one script, played for real."""
    library = _library()
    scenario = library.scenarios[case]
    text = _script(case, f"{style}_{variant}.txt").read_text(encoding="utf-8")
    session = play_script(scenario, library.personas[scenario.persona], parse_replies(text.splitlines()),
                          seed=seed, quick_replies=[q.text for q in library.quick_replies]).session
    over = any(v.code.value == "overpromise" for t in session.record().turns for v in t.analysis.violations)
    return session.outcome, session.policy_breach, session.scorecard().total, over


def _cases(table: dict | None = None):
    """(variant, case) parameters of both variants; those in `table` are strict xfails with their reason."""
    out = []
    for variant, cases in VARIANTS.items():
        for case in cases:
            if table and (variant, case) in table:
                out.append(pytest.param(variant, case, marks=pytest.mark.xfail(strict=True, reason=table[variant, case])))
            else:
                out.append(pytest.param(variant, case))
    return out


def test_every_case_has_the_six_blind_styles():
    assert len(BUILTIN) == 11 and len(NEW_CASES) >= 3
    assert all(VARIANTS[v] == BUILTIN for v in ("g", "h", "i", "j", "l", "m", "n", "o", "p", "r"))
    for variant, cases in VARIANTS.items():
        for case in cases:
            for style in ("model", "wrong_substance", "recovers", "absolutes", "terse", "offtopic"):
                assert _script(case, f"{style}_{variant}.txt").is_file(), (variant, case, style)


def _styled_cases(styles: tuple[str, ...], table: dict):
    """(variant, case, style) parameters; those in `table` are strict xfails with their reason."""
    return [pytest.param(v, c, s, marks=pytest.mark.xfail(strict=True, reason=table[v, c, s])) if (v, c, s) in table
            else pytest.param(v, c, s) for v, cases in VARIANTS.items() for c in cases for s in styles]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("variant, case, style", _styled_cases(("wrong_substance", "terse", "offtopic"), NEVER_RESOLVE_GAPS))
def test_wrong_substance_terse_and_offtopic_never_resolve(variant, case, style, seed):
    assert play(case, style, seed, variant)[0] != "resolved"


@pytest.mark.parametrize("variant, case", _cases(MODEL_GAPS))
def test_the_model_resolves_with_no_breach(variant, case):
    for seed in SEEDS:
        outcome, breach, _, _ = play(case, "model", seed, variant)
        assert outcome == "resolved" and not breach, (case, seed, outcome, breach)


@pytest.mark.parametrize("variant, case", _cases(ABSOLUTES_BELOW_GAPS))
def test_absolutes_are_flagged_and_score_below_the_model(variant, case):
    _, _, total, over = play(case, "absolutes", 0, variant)
    assert over, case
    assert total < play(case, "model", 0, variant)[2]


@pytest.mark.parametrize("variant, case", _cases(RECOVERS_GAPS))
def test_the_trainee_who_recovers_resolves(variant, case):
    assert play(case, "recovers", 0, variant)[0] == "resolved"


@pytest.mark.parametrize("variant, case", _cases(RECOVERS_BELOW_GAPS))
def test_recovering_scores_below_the_model(variant, case):
    assert play(case, "recovers", 0, variant)[2] < play(case, "model", 0, variant)[2]


@pytest.mark.parametrize("variant, case", _cases(WRONG_BELOW_GAPS))
def test_wrong_substance_scores_clearly_below_the_model(variant, case):
    assert play(case, "wrong_substance", 0, variant)[2] < play(case, "model", 0, variant)[2]


# ---- §5: both scripts alike, no line twice ------------------------------------------------------------

_T2S, _S2T = opencc.OpenCC("t2s"), opencc.OpenCC("s2twp")


def _other_script(text: str) -> str:
    traditional = any(_T2S.convert(ch) != ch for ch in text)
    return _T2S.convert(text) if traditional else _S2T.convert(text)


def _scripts(case: str) -> list[Path]:
    folder = NEW / case if case in NEW_CASES else HERE / case
    return sorted(folder.glob("*.txt"))


def _session(case: str, text: str):
    library = _library()
    scenario = library.scenarios[case]
    return play_script(scenario, library.personas[scenario.persona], parse_replies(text.splitlines()), seed=0,
                       quick_replies=[q.text for q in library.quick_replies]).session


# Scripts that do not yet play alike in both scripts, by (case, file): a reader gap each (strict xfails below).
ALIKE_GAPS: dict[tuple[str, str], str] = {
}


def _plays_alike(case: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    a, b = _session(case, text), _session(case, _other_script(text))
    assert a.outcome == b.outcome, path.name
    assert set(a._customer.revealed) == set(b._customer.revealed), path.name
    assert abs(a.scorecard().total - b.scorecard().total) <= 2, path.name


@pytest.mark.parametrize("case", CASES)
def test_every_style_script_plays_alike_in_the_other_script(case):
    """Simplified and traditional replies: the same facts revealed, the same outcome, totals within 2."""
    for path in _scripts(case):
        if (case, path.name) not in ALIKE_GAPS:
            _plays_alike(case, path)


if ALIKE_GAPS:  # (a gap goes in ALIKE_GAPS and is a strict xfail here)
    @pytest.mark.parametrize("case, name", [pytest.param(c, n, marks=pytest.mark.xfail(strict=True, reason=why))
                                            for (c, n), why in ALIKE_GAPS.items()])
    def test_the_scripts_that_do_not_yet_play_alike(case, name):
        _plays_alike(case, _script(case, name))


@pytest.mark.parametrize("case", CASES)
def test_no_customer_line_twice_word_for_word(case):
    """A nudge in a very long wait may come back once its lead-ins are used up; nothing else repeats."""
    library = _library()
    scenario = library.scenarios[case]
    pools = {**library.personas[scenario.persona].lines, **scenario.lines}
    nudges = set(pools.get("nudge", [])) | {"人呢？", "还在吗？我已经等了很久了。", "再不回我就走了。"}
    for path in _scripts(case):
        session = _session(case, path.read_text(encoding="utf-8"))
        lines = [t.text for t in session.transcript if t.role == "customer"]
        plain = [t for t in lines if not any(t.endswith(n) for n in nudges)]
        repeated = {t for t in plain if plain.count(t) > 1 and any("\u4e00" <= ch <= "\u9fff" for ch in t)}
        assert not repeated, (path.name, repeated)
        assert not any(t.startswith(AGAIN) and t in repeated for t in lines)


def test_openings_differ_across_cases():
    library = load_library(include_env=False)
    seen: dict[str, str] = {}
    for case, scenario in library.scenarios.items():
        pools = {**library.personas[scenario.persona].lines, **scenario.lines}
        for line in (*pools.get("opening", []), *scenario.opening):
            assert seen.setdefault(line, case) == case, (line, seen[line], case)


@pytest.mark.parametrize("case, why", [
    ("wig-wrong-color", "too_late"),  # 国际小包 7到12个工作日, the wedding is on the 28th
    ("broken-ceramic", "too_late"),  # sent next Monday, the birthday is Sunday
    ("lost-parcel", "wrong_item"),  # 2段 formula for a baby on 3段 (traditional script)
    ("marathon-shoes-wrong-size", "too_late"),  # 3-5 working days after the return arrives
])
def test_the_wrong_substance_is_seen_for_what_it_is(case, why):
    """EXPECTED_f.md: what is wrong in these wrong_substance scripts is found, and the scorecard says it."""
    library = _library()
    scenario = library.scenarios[case]
    text = _script(case, "wrong_substance_f.txt").read_text(encoding="utf-8")
    session = play_script(scenario, library.personas[scenario.persona], parse_replies(text.splitlines())).session
    found = [m for t in session.record().turns for m in t.misfits]
    assert any(m.why == why for m in found), found
    assert any("不合适" in i.reason for i in session.scorecard().items)
