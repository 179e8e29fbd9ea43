"""How the customer takes the remedies of a reply (the wish) and what the shop allows (the policy, 002 确定界限)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.models import Remedy, RemedyKind
from simulator.content.models import Policy, Scenario, Wish

# Actions that give nothing away: always within policy, whatever `policy.allowed` lists.
ALWAYS_ALLOWED = frozenset(
    {RemedyKind.follow_up, RemedyKind.escalate, RemedyKind.contact_courier, RemedyKind.instructions}
)
MONEY_KINDS = frozenset({RemedyKind.compensation, RemedyKind.voucher, RemedyKind.refund})
# (shipping_cost is capped by policy.max_shipping_cost_yuan, not by max_compensation_yuan.)

# Facts that state what the customer paid (the order value) or what the shop's rule refunds.
ORDER_VALUE_TOPICS = ("order_value", "price", "amount")
REFUND_DUE_TOPICS = ("refund_due",)
_YUAN = re.compile(r"(\d+(?:\.\d+)?)\s*(?:元|块)")

KIND_NAMES = {
    RemedyKind.refund: "退款",
    RemedyKind.exchange: "换货",
    RemedyKind.reship: "补发",
    RemedyKind.compensation: "赔偿",
    RemedyKind.voucher: "代金券",
    RemedyKind.shipping_cost: "承担运费",
    RemedyKind.contact_courier: "联系快递",
    RemedyKind.escalate: "转交主管",
    RemedyKind.follow_up: "跟进回复",
    RemedyKind.instructions: "使用指导",
    RemedyKind.repair: "维修",
}


@dataclass(frozen=True)
class RemedyVerdict:
    """The customer's and the shop's view of the remedies in one reply."""

    accepted: bool  # some remedy is in wish.accepts
    reluctant: bool  # some remedy is in wish.reluctant
    refused: bool  # every remedy the wish mentions is refused, and none is accepted
    concrete: bool  # at least one remedy
    handoff: bool  # a supervisor hand-off (remedy 'escalate')
    breaches: tuple[str, ...]  # human-readable policy breaches (Chinese)


@dataclass(frozen=True)
class Amounts:
    """The money a scenario's facts state: the order value and the refund the shop's rule gives."""

    order_value: float | None = None
    refund_due: float | None = None


def scenario_amounts(scenario: Scenario) -> Amounts:
    """The first amount in yuan of the first fact on `order_value`/`price`/`amount`, and on `refund_due`."""
    return Amounts(_fact_yuan(scenario, ORDER_VALUE_TOPICS), _fact_yuan(scenario, REFUND_DUE_TOPICS))


def _fact_yuan(scenario: Scenario, topics: tuple[str, ...]) -> float | None:
    for fact in scenario.facts:
        if fact.topic in topics:
            found = _YUAN.search(fact.value)
            if found:
                return float(found.group(1))
    return None


def judge_remedies(
    remedies: list[Remedy], wish: Wish, policy: Policy, amounts: Amounts | None = None,
    alternatives: bool = False, on_table: float | None = None,
) -> RemedyVerdict:
    """Judge the remedies of one reply against the customer's wish and the shop's policy.

    `alternatives`: the reply offers its remedies as a choice (退款还是换货), not all together.
    `on_table`: money an earlier reply offered (补偿1000元): a later refund with no amount pays that back."""
    amounts = amounts or Amounts()
    # An exchange's outgoing parcel (换货，新的今天寄出) is the exchange itself, not a second remedy.
    if any(r.kind == RemedyKind.exchange for r in remedies):
        remedies = [r for r in remedies if r.kind != RemedyKind.reship]
    kinds = [r.kind for r in remedies]
    # A refund of part of a known order value is less than the refund the customer wishes for.
    partial = [r.kind == RemedyKind.refund and _partial_refund(r, amounts) for r in remedies]
    accepted = any(k in wish.accepts and not p for k, p in zip(kinds, partial))
    reluctant = any(k in wish.reluctant or (p and k in wish.accepts) for k, p in zip(kinds, partial))
    refused = bool(kinds) and not accepted and not reluctant and any(k in wish.refuses for k in kinds)
    breaches: list[str] = []
    # "补偿您1000元，24小时内退回您的支付账户": a refund with no amount of its own, beside a money remedy
    # that states one, is how that money is paid back — not the whole order refunded.
    stated = [r.amount_yuan for r in remedies if r.kind != RemedyKind.refund and r.amount_yuan]
    # (这1000元退回原账户还是换成券？… 24小时内退回您的账户: the money already offered, not the whole order)
    if not stated and on_table and not any(r.kind == RemedyKind.refund and (r.amount_yuan or r.percent or r.full)
                                           for r in remedies):
        stated = [on_table]
    # The whole money back AND the goods again (补发/换货) is more than the loss (002 确定界限).
    whole = amounts.order_value if amounts else None
    if not alternatives and any(r.kind == RemedyKind.refund and _is_full_refund(r)
                                and not (stated and r.amount_yuan is None and r.percent is None and not r.full)
                                # 30元加急费全额退给您 is a fee, not the order: below the goodwill cap
                                and not (r.amount_yuan is not None and (r.amount_yuan < whole if whole is not None
                                         else r.amount_yuan <= policy.max_compensation_yuan))
                                for r in remedies) \
            and any(r.kind in (RemedyKind.reship, RemedyKind.exchange) for r in remedies):
        breaches.append("超出权限：既全额退款又补发或换货")
    for remedy in remedies:
        if (stated and remedy.kind == RemedyKind.refund and remedy.amount_yuan is None
                and remedy.percent is None and not remedy.full):
            remedy = remedy.model_copy(update={"amount_yuan": max(stated)})
        breach = policy_breach(remedy, policy, amounts)
        if breach and breach not in breaches:
            breaches.append(breach)
    return RemedyVerdict(
        accepted=accepted,
        reluctant=reluctant,
        refused=refused,
        concrete=bool(kinds),
        handoff=RemedyKind.escalate in kinds,
        breaches=tuple(breaches),
    )


def policy_breach(remedy: Remedy, policy: Policy, amounts: Amounts | None = None) -> str | None:
    """Why `remedy` goes beyond `policy`, in Chinese; None when the shop allows it.

    `max_compensation_yuan` limits goodwill money: compensation, vouchers and partial refunds. A
    refund is money the customer paid coming back: where `full_refund` is allowed, a refund of any
    amount up to the order value (when a fact states it) is within policy; where it is not, a refund
    may state at most the limit or the refund the shop's rule gives (fact `refund_due`), and never
    the whole order value.
    """
    amounts = amounts or Amounts()
    kind = remedy.kind
    name = KIND_NAMES.get(kind, kind.value)
    if kind in ALWAYS_ALLOWED:
        return None
    if kind not in policy.allowed:
        if kind == RemedyKind.refund and _goodwill_money_back(remedy, policy, amounts):
            return None  # 30元今天退回: goodwill money paid back, which the shop allows as compensation
        return f"超出权限：本案不允许{name}"
    if kind == RemedyKind.refund:
        return _refund_breach(remedy, policy, amounts)
    if kind == RemedyKind.shipping_cost:
        # 004: compensation by shipping cost has its own cap, separate from goodwill money.
        cap = policy.max_shipping_cost_yuan
        if cap is not None and remedy.amount_yuan is not None and remedy.amount_yuan > cap:
            return f"超出权限：承担运费{remedy.amount_yuan:g}元，超过运费上限{_yuan(cap)}元"
        return None
    if kind in MONEY_KINDS and remedy.amount_yuan is not None and remedy.amount_yuan > policy.max_compensation_yuan:
        return f"超出权限：{name}{remedy.amount_yuan:g}元，超过上限{_yuan(policy.max_compensation_yuan)}元"
    if kind in (RemedyKind.compensation, RemedyKind.voucher) and remedy.full and not policy.full_refund:
        return f"超出权限：全额{name}"
    return None


def _refund_breach(remedy: Remedy, policy: Policy, amounts: Amounts) -> str | None:
    value = amounts.order_value
    amount = remedy.amount_yuan
    if amount is None and remedy.percent is not None and value is not None and remedy.percent < 100:
        amount = value * remedy.percent / 100  # 退50% of a known order value
    # 30元加急费全额退给您: 全额 of a stated amount below the order is that amount, not the whole order.
    full = (_is_full_refund(remedy) and not (remedy.amount_yuan is not None and (value is None or remedy.amount_yuan < value))) \
        or (amount is not None and value is not None and amount >= value)
    if policy.full_refund:
        if amount is not None and value is not None and amount > value:
            return f"超出权限：退款{amount:g}元，超过订单金额{_yuan(value)}元"
        return None
    if full:
        return "超出权限：本案不允许全额退款"
    # One refund may carry the shipping cost the shop bears plus the goodwill money (30元加急费 + 50元 = 80元).
    carried = (policy.max_shipping_cost_yuan or 0) if RemedyKind.shipping_cost in policy.allowed else 0
    ceiling = max(policy.max_compensation_yuan + carried, amounts.refund_due or 0)
    if amount is not None and amount > ceiling:
        return f"超出权限：退款{amount:g}元，超过上限{_yuan(ceiling)}元"
    return None


def _goodwill_money_back(remedy: Remedy, policy: Policy, amounts: Amounts) -> bool:
    """A partial refund of a stated amount within the goodwill cap, where refunds are not allowed but compensation
    is: the same money paid back (先给您30元补偿…30元今天退回), not the order's price."""
    amount, value = remedy.amount_yuan, amounts.order_value
    return (RemedyKind.compensation in policy.allowed and amount is not None and not _is_full_refund(remedy)
            and amount <= policy.max_compensation_yuan and (value is None or amount < value))


def whole_refund(remedy: Remedy, policy: Policy, amounts: Amounts | None = None) -> bool:
    """The order's money back in full (not a fee: a stated amount below the order, or within the
    goodwill cap when the order value is unknown, is that amount)."""
    if remedy.kind != RemedyKind.refund or not _is_full_refund(remedy):
        return False
    value = (amounts or Amounts()).order_value
    if remedy.amount_yuan is not None:
        return remedy.amount_yuan >= value if value is not None else remedy.amount_yuan > policy.max_compensation_yuan
    return True


DOUBLE_BREACH = "超出权限：既全额退款又补发或换货"


def _partial_refund(remedy: Remedy, amounts: Amounts) -> bool:
    value = amounts.order_value
    if value is None or remedy.full:
        return False
    if remedy.amount_yuan is not None:
        return remedy.amount_yuan < value
    return remedy.percent is not None and remedy.percent < 100


def _yuan(amount: float) -> str:
    return f"{amount:g}"


def _is_full_refund(remedy: Remedy) -> bool:
    # "给您退款" with no amount or percentage means the whole order.
    if remedy.full or (remedy.percent is not None and remedy.percent >= 100):
        return True
    return remedy.amount_yuan is None and remedy.percent is None
