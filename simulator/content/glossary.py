"""Chinese descriptions of every name a content file may use: predicates, triggers, pools, remedies, outcomes.

The JSON Schema (`kefu schema`) shows them as hover text on its enums, and docs/authoring.md lists
the same names. The names themselves come from the engine's registry (simulator.content.vocabulary);
a name added there without a description here still gets its enum entry (tests list the gaps).
"""

from __future__ import annotations

PREDICATES: dict[str, str] = {
    "calm": "心情 ≤ mood.calm：顾客平静下来，听得进去",
    "upset": "心情 > mood.calm：还在生气（和 calm 相反）",
    "furious": "心情 ≥ mood.escalate：要投诉、差评、找经理",
    "lost_patience": "这条回复是一次“打击”（让顾客气到 mood.escalate 以上，既没让她消气也不是认错），而且之前已经有 patience.warnings 次打击只是警告：内置顾客类型用它升级投诉（坏开头认错了还有机会挽回）",
    "calmer": "这条回复让心情下降了",
    "angrier": "这条回复让心情上升了",
    "violated": "回复里有禁忌：辱骂、拒绝、找借口、反驳、乱承诺、拖延（001 四）",
    "insulted": "回复辱骂或责怪顾客",
    "refused": "回复一口回绝（“不可能”“没办法”）",
    "apologized": "回复道歉了",
    "empathized": "回复理解顾客的感受",
    "acknowledged": "回复道歉或共情，且没有禁忌",
    "asked_question": "回复问了一个澄清问题（001 澄清问题）",
    "asked_open_question": "回复问了一个开放式问题（“能具体说说吗？”）",
    "revealed_fact": "回复的提问让顾客说出了一个新事实",
    "canned": "回复和之前的（几乎）一样：像复制粘贴的快捷回复（003 禁区6）",
    "slow": "回复比案例的 response_limit_seconds 慢（003 禁区1）",
    "apology_only": "第三次及以后的道歉，却没有共情、提问、方案、感谢或承诺（道歉会“用旧”）",
    "breezy": "回复嬉皮笑脸（哈哈、么么哒；有禁忌时的“亲~”“哦~”）——需要读者动作 breezy（问题 18）",
    "brushed_off": "回复一句话打发顾客（多大点事、您别激动、这很正常）——需要读者动作 brush_off（问题 18）",
    "doubted_customer": "回复怀疑顾客（您确定没穿过吗？是不是您自己……）——需要读者动作 doubts_customer（问题 18）",
    "asked_review": "回复向顾客要好评（五星好评、晒图）——需要读者动作 asks_review（问题 18）",
    "respectful_address": "回复郑重地称呼顾客（您、郑女士、先生），没有随便的称呼——需要读者动作 address（问题 18）",
    "casual_address": "回复随便地称呼顾客（亲、你、宝宝），一次“您”都没有——需要读者动作 address（问题 18）",
    "short_reply": "回复太短：短于 wear_out.short_reply_chars，也不到顾客那句话的一半（003 禁区4）",
    "heard": "顾客觉得被听见了：至少被道歉或共情过一次，而且现在 calm（001 平息怨气）",
    "premature_solution": "发泄型顾客还没被听见，就先给了方案或解释",
    "offered_solution": "回复给出了方案（任何补救方式）",
    "accepted_remedy": "回复给出了 wish.accepts 里的补救方式",
    "reluctant_remedy": "回复给出了 wish.reluctant 里的补救方式（且没有 accepts 里的）",
    "acceptable_remedy": "accepted_remedy 或 reluctant_remedy：顾客能接受的方案",
    "refused_remedy": "回复只给了 wish.refuses 里的补救方式",
    "beyond_policy": "回复给的超出了案例 policy 的权限：超出权限",
    "conceded": "回复越过权限让步了（故意刁难的顾客会加码）",
    "within_policy_solution": "回复给出具体方案，而且没有超出权限",
    "supervisor_handoff": "回复把问题转交主管（补救方式 escalate），且没有禁忌",
    "polite_limit": "礼貌地守住界限：道歉或共情 + 权限内的方案，没有禁忌（001 礼貌的重复）",
    "held_line": "这次和之前至少一次都是 polite_limit（002 确定界限）",
    "offered_choice": "把权限内的方案当作选择给顾客（“您看是…还是…？”），没有禁忌（001 协商解决）",
    "all_issues_addressed": "案例的每个问题都已经回应过（000）",
    "issue_left": "至少还有一个问题没回应",
    "agreed": "这条回复之前，顾客处在“同意状态”（等收尾）",
    "said_yes_before": "顾客在之前的回复里已经答应了某个方案（“好吧，那就退款吧”）",
    "carries_on": "顾客之前已经答应了方案，这条回复照着办或跟进，没有禁忌（“好的，那就顺丰发出，我每天帮您看物流”）",
    "closed_properly": "好好收尾：道歉、感谢、承诺（改进/跟进）三者有其二，没有禁忌（001 感谢客户）",
    "thanked": "回复感谢了顾客",
    "out_of_turns": "客服已经用完了 patience.turns 条回复",
    "all_issues_resolved": "每个问题都有顾客接受的具体方案，或说清谁、什么时候处理的转交：结案要的就是这个",
    "concrete_commitment": "方案不空泛：说清做什么，再加上时间、金额或确定的“马上”（000：24小时内补发）",
    "demand_granted": "给了顾客想要的具体方案（wish.accepts 里的），而且在权限内",
    "generic_reply": "回复是套话模板，没提到这个案例的任何东西",
    "limit_with_handoff": "礼貌地说明界限并转交，说清谁、什么时候答复（“反映给主管，2天内给您答复”），没有禁忌（001 四.4）",
    "handed_over": "这条回复或之前的回复已经转交主管，说清了谁、什么时候答复：讨价还价到此为止（001 四.4）",
    "nonsense": "回复是堆关键词：只有提示词，不成句子（“抱歉理解心情退款24小时内吗”）",
    "time_frame_given": "回复的方案带了时间（“24小时内”“明天上午”）",
    "weak_action": "回复只有空泛的承诺，没有谁、没有什么时候（“我帮您反馈一下”“帮您看看”）",
    **{f"offered_{kind}": f"回复给出了补救方式 {kind}（{words}）" for kind, words in (
        ("refund", "退款"), ("exchange", "换货"), ("reship", "补发"), ("compensation", "赔偿"),
        ("voucher", "代金券"), ("shipping_cost", "承担运费"), ("contact_courier", "联系快递"),
        ("escalate", "转交主管"), ("follow_up", "跟进回复"), ("instructions", "使用指导"), ("repair", "维修"))},
}
"""What each predicate of `conditions:` / `unless:` means."""

TRIGGERS: dict[str, str] = {
    "reply": "客服每发一条回复后触发",
    "timeout": "顾客等得超过 patience.seconds 时触发（顾客离开）",
}

POOLS: dict[str, str] = {
    "opening": "顾客类型的开场：在案例的 opening 之前的第一句爆发",
    "nudge": "客服回复慢于 response_limit_seconds 时的催促（“人呢？”）",
    "leave": "顾客等不及离开时说的话（也是 give_up 的后备）",
    "slow": "回复慢了时，回答前面加的一句",
    "thanks_close": "结局 resolved（问题解决）时的最后一句",
    "escalate": "结局 escalated（投诉升级）时的最后一句",
    "give_up": "平静下来却聊满 patience.turns 条后放弃时说的话",
    "canned": "回复像复制粘贴时的回答",
    "violated": "回复有禁忌（辱骂、拒绝、找借口…）时的回答",
    "not_heard": "发泄型顾客还没被听见时的回答",
    "raise_demand": "客服越权让步后，顾客加码时说的话",
    "refuse_remedy": "给了顾客拒绝的补救方式时的回答",
    "apology_only": "只会道歉、没有行动时的回答",
    "want_close": "停在同意状态（等收尾）时的回答",
    "repeat_demand": "给了方案但顾客还不满意时，重复自己的要求（{demand}）",
    "idle": "其他情况都不适用时的回答",
    "reminder": "有问题被晾着时，回头追问（案例的 issues[].reminder 优先）",
    "warning": "一次打击之后、还没升级（patience.warnings）时的警告（“你要是还这个态度，我马上投诉”）；认错之后不警告",
    "reveal_fact": "说出一个事实、而事实没有写 reveal 时用（{value}）",
    "nonsense": "回复是堆关键词、不成句子时的回答（“你到底在说什么？”）",
    "generic": "回复是套话模板、没提到案例任何东西时的回答",
    "wrong_fact": "客服说错了案例的事实（订单金额、买的是什么）时，顾客纠正；{said} 是客服说的，{wanted} 是对的",
    "too_late": "客服承诺的时间晚于顾客的 needed_by 时的回答；{said} 是客服说的时间，{wanted} 是顾客要的时间（“那赶不上了”）",
    "incomplete": "客服要寄的东西只包括顾客要的几件中的一部分（parts）时的追问；{said} 是客服说的那几件，{wanted} 是还缺的（“那{wanted}呢？”）",
    "wrong_item": "客服要寄的东西颜色、尺码或型号不对，或把退款说成店铺购物金时的纠正；{said} 是客服说的，{wanted} 是顾客要的（“我要的是{wanted}，不是{said}”）",
    "too_little": "给的钱（或券、积分）比顾客的实际损失（wish.least_yuan）少时的回答；{said} 是给的，{wanted} 是损失（“{said}？我光差价就{wanted}”）",
    "impossible": "客服的方案要顾客先提供或先做她做不到的事（wish.cannot_provide）时的回答；{said} 是那件事（“{said}我上哪儿去弄？”）",
    "customer_pays": "客服让顾客自己出她说过不出的钱（wish.not_paying，例如运费、差价）时的回答；{said} 是那笔钱（“{said}凭什么要我出？”）",
    "want_firm": "客服的方案带条件（“如果确认丢件就补发”）时，顾客要一个准话",
    "counter": "给的钱比顾客要的（demand_yuan）少时，固执或刁难的顾客还价；{said} 是给的，{wanted} 是要的",
    "granted": "顾客得到了想要的方案时说的话",
    "limit_handoff": "客服礼貌地说明界限并转交时的回答",
    "accept_reluctant": "勉强接受一个方案时说的话（“那……也只能这样了”）",
    "choose": "问顾客选哪种方案时，顾客挑一个说的话；{remedy} 换成所选方案（“那就{remedy}吧”）",
    "weak_action": "客服只给空泛承诺（“我帮您反馈一下”）时的回答",
    "asked_again": "客服问了顾客已经回答过的问题时的回答（“我刚不是说了吗？”）",
    "unknown_question": "客服问的问题没有事实能回答时的回答",
    "violated_insult": "回复辱骂或责怪顾客时的回答（比 violated 先用）",
    "violated_refusal": "回复一口回绝时的回答（比 violated 先用）",
    "violated_excuse": "回复找借口时的回答（比 violated 先用；案例的 excuses 更先）",
    "violated_contradict": "回复反驳顾客时的回答（比 violated 先用）",
    "violated_overpromise": "回复乱承诺时的回答（比 violated 先用）",
    "violated_stall": "回复拖延、让顾客等时的回答（比 violated 先用）",
}
"""What each event line pool is for; any state name is a pool too (said while in that state)."""

REMEDY_NAMES: dict[str, str] = {
    "refund": "退款",
    "exchange": "换货",
    "reship": "补发",
    "compensation": "补偿",
    "voucher": "优惠券",
    "shipping_cost": "包运费",
    "contact_courier": "联系快递",
    "escalate": "转主管",
    "follow_up": "跟进",
    "instructions": "教操作",
    "repair": "维修",
}
"""Short Chinese names of scoring.models.RemedyKind values, as a trainee or a customer says them."""

REMEDY_MENTIONS: dict[str, str] = {
    "refund": r"退款|退钱|钱退|退货退款|肯退",
    "exchange": r"新机|换新|换一台|换个新的|换货",
    "reship": r"补发|重发|再发一",
    "repair": r"维修|修好|返修",
    "escalate": r"主管|上级|经理|领导|能做主的人",
}
"""How a customer line names a remedy (regular expressions by scoring.models.RemedyKind value): a line that takes
or waits for one (新机什么时候能到？ 我等你们主管的答复) fits only a conversation in which it was offered."""

REMEDIES: dict[str, str] = {
    "refund": "退款（全额或部分）",
    "exchange": "换货",
    "reship": "补发 / 重新发出",
    "compensation": "赔偿 / 现金补偿",
    "voucher": "代金券 / 优惠券 / 红包",
    "shipping_cost": "运费由我们承担",
    "contact_courier": "联系快递 / 仓库 / 物流查询",
    "escalate": "反映给主管 / 上级 / 经理",
    "follow_up": "跟进 / 回访 / 给您回复",
    "instructions": "教顾客怎么做（“您可以试试…”）",
    "repair": "维修 / 上门 / 检测",
}

OUTCOMES: dict[str, str] = {
    "resolved": "问题解决",
    "escalated": "投诉升级（投诉、差评、找经理）",
    "abandoned": "顾客离开（等不及或聊不下去）",
    "unfinished": "没聊完（客服停止，或示例的回复用完了）",
}

PERSONA_TYPES: dict[str, str] = {
    "disappointed": "失望型",
    "venting": "发泄型",
    "stubborn": "固执型",
    "extortion": "故意刁难型",
}
