"""The grading rubric as data, and its Chinese rendering for trainees (`kefu rubric`).

One source of truth: scoring.session reads every weight, threshold and cap from here, and
render_rubric() prints the same numbers. The arithmetic of a Scorecard is:

    dimension score = sum of that dimension's items                  (each 0-100)
    base            = round(sum(weight * dimension score) / 100)     (weights sum to 100)
    deductions      = min(sum of rule-capped deduction points, DEDUCTION_CAP)
    total           = max(0, base - deductions)                      (0-100)

and the deduction items sum to -deductions (items past a cap are kept, with 0 points, so the
trainee still sees every mistake).
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.models import DIMENSIONS
from scoring.phrasebook import PHRASES

DIMENSION_NAMES: dict[str, str] = {
    "apology": "道歉",
    "empathy": "共情",
    "question": "提问",
    "solution": "方案",
    "deduction": "扣分",
}

# Weight of each dimension in the total, in percent (sum 100). Solving the problem weighs most (000).
DIMENSION_WEIGHTS: dict[str, int] = {"apology": 25, "empathy": 20, "question": 20, "solution": 35}

EARLY_REPLIES = 2  # "early" = within the first two trainee replies (001 平息怨气)
CLOSING_REPLIES = 2  # "closing" = within the last two trainee replies (001 感谢客户)
MIN_REPLY_RATIO = 1.1  # 003 禁区4: 答问比 at least 110%
QUICK_REPLY_LIMIT = 3  # 003 禁区6: no more than 3(-5) quick replies in one chat
DEDUCTION_CAP = 60  # the most all deductions together take off the total


@dataclass(frozen=True)
class Rule:
    """One rubric rule: how many points it gives (or takes), why, and what to say instead."""

    id: str
    dimension: str  # one of DIMENSIONS, or "deduction"
    title: str  # short Chinese name
    points: int  # full credit (dimension rules) or points off per occurrence (deduction rules)
    seed: str  # the seed passage the rule comes from
    what: str  # Chinese: what earns (or loses) the points; {points}, {weak}, {cap} are filled in
    tip: str  # Chinese: the advice given when the points are missed
    weak_points: int | None = None  # credit for a weak (level 1) or partial hit
    alternative_to: str | None = None  # a reduced form of another rule (late instead of early)
    cap: int | None = None  # deduction rules: the most this rule takes off in one session

    @property
    def description(self) -> str:
        """`what` with this rule's numbers filled in."""
        return self.what.format(points=self.points, weak=self.weak_points, cap=self.cap)

    @property
    def better(self) -> str:
        """The better phrasing from the phrasebook."""
        return PHRASES[self.id].text


RULES: tuple[Rule, ...] = (
    # ---- apology (001 平息怨气, 000 诚恳道歉; HEARD/HEAT: Apologize) ----
    Rule("apology.early", "apology", "及早道歉", 65, "001 平息怨气；000 诚恳道歉",
         "前两句回复内向顾客道歉：诚恳的道歉（如“很抱歉，给您添麻烦了”）得{points}分，"
         "轻描淡写的道歉（如“不好意思”）得{weak}分；多次道歉不额外加分",
         "开场先诚恳道歉，不要只说“不好意思”", weak_points=40),
    Rule("apology.late", "apology", "道歉来迟", 30, "001 平息怨气",
         "前两句回复都没有道歉、之后才道歉：诚恳{points}分，轻描淡写{weak}分（代替“及早道歉”）",
         "不要等顾客追问才道歉，第一句回复就要道歉", weak_points=20, alternative_to="apology.early"),
    Rule("apology.closing", "apology", "结束时再次致歉", 20, "001 感谢客户 第一句",
         "最后两句回复里再次为给顾客带来的不便致歉（与开场道歉不是同一句）",
         "结束时再道一次歉"),
    Rule("apology.sincere", "apology", "道歉不找借口", 15, "000 认错态度要诚恳，不找借口，不辩解",
         "道过歉，且整场对话没有推卸责任的借口（如“屏幕分辨率”“快递的问题”）",
         "道歉就认错，不找借口"),
    # ---- empathy (001 接受投诉/平息怨气; HEARD/HEAT: Empathize) ----
    Rule("empathy.early", "empathy", "及早共情", 50, "001 投诉处理流程 1；平息怨气",
         "顾客还在生气时，前两句回复内表达理解（如“我理解您的心情”）：明确共情{points}分，简单附和{weak}分",
         "顾客发火时先说“我理解您的心情”，再谈事情", weak_points=30),
    Rule("empathy.late", "empathy", "共情来迟", 30, "001 平息怨气",
         "前两句回复都没有共情、之后才表达理解：明确{points}分，简单{weak}分（代替“及早共情”）",
         "不要等顾客更生气了才表示理解", weak_points=20, alternative_to="empathy.early"),
    Rule("empathy.sustained", "empathy", "持续安抚", 25, "001 平息怨气：客户恢复理智后再分析解决问题",
         "顾客仍然不满时，在至少两句回复里表达理解（顾客只生气了一轮时，那一轮表达理解即可）",
         "顾客还没消气，就继续安抚，别急着讲道理"),
    Rule("empathy.thanks", "empathy", "感谢顾客", 25, "001 感谢客户 第二句",
         "最后两句回复里感谢顾客的信任、耐心或反馈",
         "结束时感谢顾客的信任和惠顾"),
    # ---- question (001 澄清问题; HEARD: Diagnose) ----
    Rule("question.first", "question", "先问清再给方案", 40, "001 澄清问题",
         "在给出方案之前（或同一句里）提出澄清问题：具体的问题{points}分，笼统的问题{weak}分",
         "给方案之前先问清情况", weak_points=30),
    Rule("question.late", "question", "提问来迟", 20, "001 澄清问题",
         "方案给出之后才提问：具体{points}分，笼统{weak}分（代替“先问清再给方案”）",
         "先问清情况，再给方案", weak_points=15, alternative_to="question.first"),
    Rule("question.open", "question", "开放式提问", 30, "001 澄清问题 1：开放式提问引导顾客讲述事实",
         "用开放式问题让顾客讲清经过（如“您能具体讲一下…吗？”）",
         "先用开放式问题请顾客讲清经过"),
    Rule("question.closed", "question", "封闭式确认", 15, "001 澄清问题 2：用封闭式问题引导出症结",
         "开放式提问之后（或同一句里），用封闭式问题确认症结（如“…，是吗？”）",
         "听完顾客讲述后，用“是吗？”一类封闭式问题确认症结"),
    Rule("question.specific", "question", "问到关键事实", 15, "004 投诉模板 c)：请顾客提供细节、拍照",
         "问到案情的关键事实（订单号、照片、收货时间等）",
         "问到能核实问题的细节：订单号、照片、时间"),
    # ---- solution (000, 001 协商解决, 004; HEARD: Resolve, HEAT: Take action) ----
    Rule("solution.issues", "solution", "每个问题都有具体方案", 50, "000 找出主要和次要问题；004 达成共识",
         "顾客提出的每个问题都在回复里对上一个具体方案（补发、换货、退款、代金券…），{points}分按问题平分；"
         "提到了问题但方案没有对上，或只说了核实、转主管、跟进，得一半",
         "每个问题都要对上一个具体方案，不要只回应一个"),
    Rule("solution.time_frame", "solution", "给出处理期限", 20, "000 24小时内重新发出；004 给出处理期限",
         "方案带有明确的时间（如“24小时内”“明天中午前”）",
         "方案要带上时间，如“24小时内为您重新发出”"),
    Rule("solution.consult", "solution", "协商解决", 15, "001 协商解决：先了解顾客希望的方案",
         "给方案之前（或同一句里）征求顾客意见、给出选择（如“您希望换货还是退款？”）：{points}分；方案之后才问：{weak}分",
         "用商量的口吻给方案，让顾客选择", weak_points=8),
    Rule("solution.follow_up", "solution", "承诺跟进和改进", 15, "001 感谢客户 第三句；000 一直跟进",
         "最后两句回复里承诺跟进处理进度或改进工作（如“发出后我会一直跟进”）：{points}分；只在前面承诺过：{weak}分",
         "结束时承诺跟进，并表示会改进工作", weak_points=8),
    # ---- deductions (subtracted from the total) ----
    Rule("violation.insult", "deduction", "人身攻击", 20, "001 四、1 语言不触及个人",
         "每句含有指责、嘲讽顾客的回复扣{points}分（最多扣{cap}分）",
         "就事论事，绝不指责顾客", cap=40),
    Rule("violation.refusal", "deduction", "生硬拒绝", 12, "001 礼貌的重复：不说“这是决不可能的”",
         "每句生硬拒绝的回复扣{points}分（最多扣{cap}分）",
         "做不到时用“礼貌的重复”：说明权限，并反映给主管", cap=24),
    Rule("violation.excuse", "deduction", "找借口", 12, "000 不找借口，不辩解",
         "每句推卸责任、找借口的回复扣{points}分（最多扣{cap}分）",
         "不找借口：先认错，再说怎么解决", cap=24),
    Rule("violation.contradict", "deduction", "反驳顾客", 10, "001 平息怨气：不说“事情不是您想的那样”",
         "每句反驳、纠正顾客的回复扣{points}分（最多扣{cap}分）",
         "不要反驳顾客，先安抚情绪", cap=20),
    Rule("violation.overpromise", "deduction", "过度承诺", 8, "003 禁区8 过分承诺",
         "每句绝对化的承诺（如“保证明天一定到”“绝对没有色差”）扣{points}分（最多扣{cap}分）",
         "不说绝对化的承诺，给预计时间", cap=16),
    Rule("violation.stall", "deduction", "拖延敷衍", 6, "001 接受投诉：迅速处理，不拖延",
         "每句拖延敷衍的回复（如“请等一下”“我们再看看”）扣{points}分（最多扣{cap}分）",
         "不说“请等一下”，马上处理", cap=12),
    Rule("reply.slow", "deduction", "回复太慢", 4, "003 禁区1 黄金30秒",
         "每句超过场景时限（默认30秒）才发出的回复扣{points}分（最多扣{cap}分）",
         "30秒内回复；要查询就先回一句说明", cap=16),
    Rule("reply.short", "deduction", "回复比顾客短", 2, "003 禁区4 字数最好不要低于客户",
         "每句比顾客上一句话还短的回复扣{points}分（最多扣{cap}分）",
         "回复不要比顾客的话短", cap=8),
    Rule("reply.ratio", "deduction", "答问比过低", 6, "003 禁区4 答问比110%-140%",
         f"整场回复字数不到顾客字数的{int(MIN_REPLY_RATIO * 100)}%，扣{{points}}分",
         f"整场回复字数至少是顾客的{int(MIN_REPLY_RATIO * 100)}%", cap=6),
    Rule("reply.repeat", "deduction", "重复回复", 5, "003 禁区6 快捷回复像在敷衍",
         "每句与之前回复（几乎）相同的回复扣{points}分（最多扣{cap}分）",
         "不要重复同一句话，针对顾客的新问题回复", cap=15),
    Rule("reply.quick", "deduction", "快捷回复过多", 3, "003 禁区6 一次对话不超过3-5个快捷回复",
         f"一次对话超过{QUICK_REPLY_LIMIT}个快捷回复，每多一个扣{{points}}分（最多扣{{cap}}分）",
         f"快捷回复一次对话不超过{QUICK_REPLY_LIMIT}个，其余手打", cap=9),
    Rule("issue.unanswered", "deduction", "问题没有回应", 10, "000 提了两个问题，只得到一个问题的回复",
         "顾客提出的问题整场都没有回应，每个扣{points}分（最多扣{cap}分）",
         "顾客提的每个问题都要回应", cap=30),
    Rule("policy.breach", "deduction", "越权承诺", 10, "002 确定界限；001 礼貌的重复",
         "每次超出店铺政策的承诺扣{points}分（最多扣{cap}分）",
         "超出权限的要求，反映给主管再答复", cap=30),
)

RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}

# The deduction rule of each violation code (scoring.models.ViolationCode).
VIOLATION_RULES: dict[str, str] = {
    "insult": "violation.insult",
    "refusal": "violation.refusal",
    "excuse": "violation.excuse",
    "contradict": "violation.contradict",
    "overpromise": "violation.overpromise",
    "stall": "violation.stall",
}


def rule(rule_id: str) -> Rule:
    """The rule with this id (KeyError if unknown)."""
    return RULES_BY_ID[rule_id]


def dimension_rules(dimension: str) -> list[Rule]:
    """Rules of one dimension (or 'deduction'), in rubric order."""
    return [r for r in RULES if r.dimension == dimension]


def dimension_max(dimension: str) -> int:
    """Full marks of a dimension: its rules' points, reduced forms (alternatives) not counted."""
    return sum(r.points for r in dimension_rules(dimension) if r.alternative_to is None)


def render_rubric() -> str:
    """The rubric in Chinese, with rule ids, for trainees (`kefu rubric`, the TUI preview)."""
    weights = "，".join(f"{DIMENSION_NAMES[d]}{DIMENSION_WEIGHTS[d]}%" for d in DIMENSIONS)
    lines = [
        "评分标准",
        "========",
        "",
        "每场对话按四个维度各打0-100分：道歉、共情、提问、方案。",
        f"总分 = 四个维度的加权平均（{weights}），再减去扣分（最多扣{DEDUCTION_CAP}分）；总分最低0分、最高100分。",
        "每一分的得失都会列出规则编号、你自己的原话和更好的说法。",
        "",
    ]
    for dim in (*DIMENSIONS, "deduction"):
        if dim == "deduction":
            lines.append(f"【扣分】（从总分中扣除，最多扣{DEDUCTION_CAP}分）")
        else:
            lines.append(f"【{DIMENSION_NAMES[dim]}】满分{dimension_max(dim)}，占总分{DIMENSION_WEIGHTS[dim]}%")
        for r in dimension_rules(dim):
            if dim == "deduction":
                head = f"  [{r.id}] {r.title}（-{r.points}）"
            elif r.alternative_to:
                head = f"  [{r.id}] {r.title}（代替 {r.alternative_to}，最多{r.points}分）"
            else:
                head = f"  [{r.id}] {r.title}（{r.points}分）"
            lines.append(head)
            lines.append(f"      {r.description}。")
            lines.append(f"      依据：{r.seed}")
            lines.append(f"      参考说法：“{r.better}”")
        lines.append("")
    lines += [
        "结束对话时用三句话（001 感谢客户）：",
        "  “真抱歉，给您添麻烦了。您对我们的产品这么信任，欢迎您再次惠顾。"
        "我们会不断提高产品和服务质量，希望您多提宝贵意见。”",
    ]
    return "\n".join(lines) + "\n"
