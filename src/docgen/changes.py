"""What changed in a document's inputs, in the reader's terms: "扣款标准 · 迟到 · 金额：500.00 → 800.00 元".

Why: a hash says that a policy section changed, not what legal must check. The manifest keeps the
hash of each input a document was made from; the output folder's history keeps the value behind
each hash (history.values.json), and any hash the current data still has (an older policy version
kept in data/) is found there too. Two values are compared field by field; records in a list are
matched by their code or id, so a changed amount is one change, not a removed and an added rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from .manifest import _plain, fingerprint

# field names in the words of the documents
LABELS = {
    "version": "版本", "effective_date": "生效日期", "title": "名称",
    "deductions": "考勤违约金", "rules": "", "name": "名称", "amount": "金额", "unit": "计量单位",
    "basis": "认定标准", "windows": "适用服务窗口", "monthly_cap_pct": "月度合计上限",
    "leave": "请销假规则", "form_max_hours": "填表请假上限", "letter_over_hours": "需书面请假超过",
    "substitute_over_hours": "需顶岗超过", "change": "人员变更规则", "notice_workdays": "提前通知工作日",
    "assessment": "考核办法", "weights": "考核维度", "weight": "权重", "grades": "考核等级",
    "min_score": "最低分", "fail_grade": "不合格等级", "terminate_after_consecutive_fails": "连续不合格解约次数",
    "annual_quarters_pct": "季度考核占年度比例", "grade_caps": "等级上限", "max_grade": "最高等级",
    "performance_payout_pct": "绩效支付比例", "problems": "问题管理规则", "calendar": "工作日历",
    "holidays": "节假日", "workdays": "调休上班日", "bond_max_pct": "履约保证金上限",
    "contract_no": "合同编号", "project_name": "项目名称", "signing_date": "签订日期", "signing_place": "签订地点",
    "start": "服务开始日期", "end": "服务结束日期", "scope": "服务范围", "description": "说明",
    "inventory": "服务清单", "kind": "类别", "location": "位置", "quantity": "数量", "note": "备注",
    "service_mode": "服务方式", "fees": "费用", "total": "合同总价", "monthly": "月度服务费",
    "tax_rate_pct": "税率", "performance_share_pct": "绩效部分比例", "payment": "付款安排", "stage": "阶段",
    "percent": "比例", "months": "月数", "condition": "条件", "invoice_type": "发票类型",
    "assessment_workdays": "考核确认期限", "payment_days": "付款期限", "late_interest_daily_pct": "逾期利息（每日）",
    "extra_rates": "范围外服务单价", "price": "单价", "total_basis": "总价说明",
    "performance_bond_pct": "履约保证金比例", "exit_transition_months": "退出交接期", "sla": "服务等级",
    "service_window": "服务窗口", "service_hours": "服务时间", "levels": "故障等级", "level": "等级",
    "definition": "定义", "response": "响应时限", "arrival": "到场时限", "restore": "恢复时限",
    "closure": "关闭时限", "restore_credit_pct": "恢复超时抵扣", "availability_target_pct": "可用率目标",
    "availability_systems": "计入可用率的系统", "credits": "可用率抵扣", "below_pct": "低于",
    "credit_pct": "抵扣比例", "credit_cap_pct": "抵扣上限", "attainment_target_pct": "时限达成目标",
    "nda": "保密条款", "years_after_term": "期满后保密年限", "liquidated_damages": "违约金",
    "incident_report_hours": "泄密报告时限", "disputes": "争议解决", "method": "方式",
    "arbitration_commission": "仲裁机构", "counterparts": "份数", "policy_version": "管理办法版本",
    "vendor": "乙方", "short_name": "简称", "address": "地址", "legal_rep": "法定代表人",
    "credit_code": "统一社会信用代码", "bank": "开户银行", "account": "账号", "contacts": "联系人",
    "phone": "电话", "email": "电子邮箱", "city": "城市", "tier": "级别", "categories": "服务类别",
    "qualifications": "资质", "sme": "中小企业",
}
SECTIONS = {
    "client.yaml": "甲方信息", "vendors.yaml": "乙方信息", "agreements.yaml": "合同条款", "staff.yaml": "驻场人员",
    "leave.yaml": "请假记录", "changes.yaml": "人员变更记录", "tickets.csv": "工单记录", "attendance.csv": "考勤记录",
    "reviews.yaml": "重大故障复盘", "improvements.yaml": "改进措施", "bundle spec": "汇编设置",
}
MONEY = {"amount", "total", "monthly", "liquidated_damages", "price"}
UNITS = {"notice_workdays": "个工作日", "assessment_workdays": "个工作日", "payment_days": "日",
         "exit_transition_months": "个月", "years_after_term": "年", "incident_report_hours": "小时",
         "form_max_hours": "小时", "letter_over_hours": "小时", "substitute_over_hours": "小时"}
ITEM_KEYS = ("code", "id", "key", "level", "name", "stage", "year", "when", "below_pct", "item")
MAX_LINES = 30  # per document; the rest are counted


@dataclass(frozen=True)
class Change:
    """One changed value of one input of a document."""

    what: str  # in the reader's terms: "管理办法 · 扣款标准 · 迟到 · 金额"
    old: str  # "" when added
    new: str  # "" when removed
    input: str  # the input's label: "policy/2026.2.yaml:deductions"
    note: str = ""  # instead of values: "已更新", "已变更（旧值未记录）"

    def text(self) -> str:
        if self.note:
            return f"{self.what}：{self.note}"
        if not self.old:
            return f"{self.what}：新增 {self.new}"
        if not self.new:
            return f"{self.what}：删除 {self.old}"
        return f"{self.what}：{self.old} → {self.new}"


def section_key(label: str) -> str:
    """The label without the file of the policy version: "policy/2026.2.yaml:deductions" and
    "policy.yaml:deductions" are the same section of two versions."""
    return re.sub(r"^policy(?:/[^:]+)?\.yaml:", "policy:", label)


def _section_name(label: str) -> str:
    key = section_key(label)
    if key.startswith("policy:"):
        part = key.split(":", 1)[1]
        return "管理办法" + (f" · {LABELS.get(part, part)}" if part != "version" else "")
    if key.startswith("template:"):
        return f"模板 {key.split(':', 1)[1]}"
    if key.startswith("tool:"):
        return "docgen 程序"
    file, _, rest = key.partition(":")
    if rest.endswith(":limits"):
        return f"工单时限结果（{rest.removesuffix(':limits')}）"
    name = SECTIONS.get(file, file)
    return f"{name}（{rest}）" if rest and file not in ("agreements.yaml", "vendors.yaml") else name


def _money(value: Any) -> str:
    try:
        return f"{float(value):,.2f} 元"
    except (TypeError, ValueError):
        return str(value)


def show(value: Any, field: str = "", unit: str = "") -> str:
    """A value as a document prints it (an amount with the unit of its rule: "500.00 元/人/次")."""
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field in MONEY:
        return _money(value) + (f"/{unit}" if unit else "")
    if field.endswith("_pct"):
        return f"{value}%"
    if field in UNITS:
        return f"{value}{UNITS[field]}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return "、".join(str(v) for v in value) or "无"
        return "、".join(_item_name(v) for v in value)
    if isinstance(value, dict):
        return _item_name(value)
    return str(value)


def _item_name(item: Any) -> str:
    if not isinstance(item, dict):
        return show(item)
    for key in ("name", "stage", "item", "code", "id", "key", "level", "when"):
        if item.get(key) not in (None, ""):
            return str(item[key])
    return json.dumps(item, ensure_ascii=False)[:60]


def _item_key(item: Any, key: str | None) -> Any:
    return item.get(key) if key is not None and isinstance(item, dict) else None


def _list_key(old: list[Any], new: list[Any]) -> str | None:
    """The field that identifies the records of two lists, if every record has a distinct one."""
    items = old + new
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in ITEM_KEYS:
        if all(key in i for i in items) and len({json.dumps(i[key]) for i in old}) == len(old) \
                and len({json.dumps(i[key]) for i in new}) == len(new):
            return key
    return None


def diff(old: Any, new: Any, path: tuple[str, ...] = (), field: str = "", unit: str = "") -> list[tuple[str, str, str]]:
    """(where, old, new) for each leaf that differs between two plain values.

    A field that only one side has is not a change of the data: a newer docgen added (or an
    older one lacked) the field, and the records are dumped with every field."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[tuple[str, str, str]] = []
        for k in old:
            if k not in new:
                continue
            label = LABELS.get(k, k)
            sub = (*path, label) if label else path
            if k == "unit":
                out += diff(old[k], new[k], sub, k)
                continue
            out += diff(old[k], new[k], sub, k, unit=str(new.get("unit") or ""))
        return out
    if isinstance(old, list) and isinstance(new, list):
        key = _list_key(old, new)
        if key is None or all(not isinstance(i, dict) for i in old + new):
            return [(" · ".join(path), show(old, field), show(new, field))]
        before = {json.dumps(_item_key(i, key)): i for i in old}
        after = {json.dumps(_item_key(i, key)): i for i in new}
        out = []
        for k, item in before.items():
            name = (*path, _item_name(item))
            if k not in after:
                out.append((" · ".join(name), "有", ""))
            else:
                out += diff(item, after[k], (*path, _item_name(after[k])))
        for k, item in after.items():
            if k not in before:
                out.append((" · ".join((*path, _item_name(item))), "", "有"))
        return out
    return [(" · ".join(path), show(old, field, unit), show(new, field, unit))]


def _records_change(label: str, old: Any, new: Any) -> list[Change]:
    """Record lists (tickets, attendance, forms) are counted, with the ids of what changed."""
    name = _section_name(label)
    if not (isinstance(old, list) and isinstance(new, list)):
        return [Change(name, "", "", label, note="已变更")]
    key = _list_key(old, new)
    if key is None:
        return [Change(name, f"{len(old)} 条", f"{len(new)} 条（内容有变化）", label)]
    before = {json.dumps(i[key], ensure_ascii=False): i for i in old}
    after = {json.dumps(i[key], ensure_ascii=False): i for i in new}
    groups = (("新增", [k for k in after if k not in before]), ("删除", [k for k in before if k not in after]),
              ("修改", [k for k in before if k in after and before[k] != after[k]]))
    parts = []
    for verb, keys in groups:
        if keys:
            shown = "、".join(str(json.loads(k)) for k in keys[:5]) + ("等" if len(keys) > 5 else "")
            parts.append(f"{verb} {len(keys)} 条：{shown}")
    return [Change(name, f"{len(old)} 条", f"{len(new)} 条（{'；'.join(parts)}）", label)]


def input_changes(label: str, old: Any, new: Any) -> list[Change]:
    """The changes of one input, or one line saying it changed when its old value is unknown."""
    name = _section_name(label)
    if label.startswith(("template:", "tool:")):
        return [Change(name, "", "", label, note="已更新")]
    if old is _UNKNOWN:
        return [Change(name, "", "", label, note="已变更（旧值未记录）")]
    if new is _UNKNOWN:
        return [Change(name, "", "", label, note="已不再使用")]
    if label.startswith(("records", "month", "reports")) or label.split(":", 1)[0] in (
            "tickets.csv", "attendance.csv", "leave.yaml", "changes.yaml", "reviews.yaml", "improvements.yaml",
            "staff.yaml"):
        return _records_change(label, old, new)
    if section_key(label) == "policy:version" and isinstance(old, list) and isinstance(new, list):
        return [Change("管理办法 · 版本", f"{old[0]}（{old[1]}起施行）", f"{new[0]}（{new[1]}起施行）", label)]
    return [Change(f"{name} · {w}" if w else name, o, n, label) for w, o, n in diff(old, new)]


_UNKNOWN = object()


class Values:
    """The value behind an input hash: from the output folder's history, else from the current data."""

    def __init__(self, stored: Mapping[str, Any] | Callable[[], Mapping[str, Any]],
                 current: Iterable[Any] = ()) -> None:
        self._load = stored if callable(stored) else (lambda: stored)
        self._stored: dict[str, Any] | None = None
        self._current = current
        self._indexed = False

    @property
    def stored(self) -> dict[str, Any]:
        """The kept values, read when first asked for (a plan with nothing changed never reads them)."""
        if self._stored is None:
            self._stored = dict(self._load())
        return self._stored

    def get(self, digest: str | None) -> Any:
        if digest is None:
            return _UNKNOWN
        if digest in self.stored:
            return self.stored[digest]
        if not self._indexed:
            self._indexed = True
            for value in self._current:
                self.stored.setdefault(fingerprint(value), _plain(value))
        return self.stored.get(digest, _UNKNOWN)


def changes_between(old_inputs: Mapping[str, str], new_inputs: Mapping[str, str], new_values: Mapping[str, Any],
                    values: Values) -> list[Change]:
    """Every change from the inputs an output was made from to the ones it would be made from now.
    `new_values`: the current value of each input by label (what the document is made from)."""
    old_by = {section_key(k): k for k in old_inputs}
    new_by = {section_key(k): k for k in new_inputs}
    out: list[Change] = []
    for key in sorted(old_by.keys() | new_by.keys()):
        old_label, new_label = old_by.get(key), new_by.get(key)
        old_hash = old_inputs.get(old_label) if old_label else None
        new_hash = new_inputs.get(new_label) if new_label else None
        if old_hash == new_hash:
            continue
        label = new_label or old_label or key
        if key.startswith(("template:", "tool:", "member:", "bundle spec", "draft")):  # no values to show
            if not any(c.input.split(":", 1)[0] == key.split(":", 1)[0] for c in out) or key.startswith("template:"):
                out += input_changes(label, None, None)
            continue
        old = values.get(old_hash)
        new = _plain(new_values[new_label]) if new_label is not None and new_label in new_values else (
            _UNKNOWN if new_hash is None else values.get(new_hash))
        if old is not _UNKNOWN and new is not _UNKNOWN and old == new:
            continue  # the same value under another version's file name
        out += input_changes(label, old, new)
    return out


def as_lines(changes: list[Change], limit: int = MAX_LINES) -> list[str]:
    lines = [c.text() for c in changes[:limit]]
    if len(changes) > limit:
        lines.append(f"……另有 {len(changes) - limit} 项变更")
    return lines


def as_json(changes: list[Change]) -> list[dict[str, str]]:
    return [asdict(c) for c in changes]


def write_change_list(plan: Any, listed: Mapping[str, list[Change]], result: Any, build_id: str) -> list[Any]:
    """Write 变更说明.md and 变更说明.json into the output folder: per document, what changed in
    its inputs, its redline, and the 补充协议 drafted for signed agreements. Returns the paths."""
    from .outputs import write_atomic

    out_dir = plan.out_dir
    titles = {o.id: o for o in plan.outputs}
    held = {o.id for o in plan.held}
    entries = []
    for output_id, changes in listed.items():
        output = titles[output_id]
        entries.append({
            "id": output_id, "title": output.title, "path": output.path,
            "status": "held" if output_id in held else "made",
            "redline": result.redlines.get(output_id, []),
            "changes": as_json(changes),
        })
    supplements = [{"id": o.id, "path": o.path, "agreement": o.agreement} for o in plan.outputs
                   if o.kind == "supplement" and o.id in result.made]
    body = {"build": build_id, "documents": entries, "supplements": supplements}
    lines = [f"# 变更说明（{build_id}）", ""]
    if supplements:
        lines += ["## 已起草的补充协议", ""]
        lines += [f"- {s['path']}.docx（{s['agreement']}：已签合同保持原样，变更以补充协议约定）"
                  for s in supplements]
        lines.append("")
    for status, heading in (("made", "## 已重新生成的文件"), ("held", "## 已签合同文件（保持原样）")):
        group = [e for e in entries if e["status"] == status]
        if not group:
            continue
        lines += [heading, ""]
        for e in group:
            lines.append(f"### {e['title']}：{e['path']}")
            lines.append("")
            lines += [f"- {line}" for line in as_lines(listed[e["id"]], limit=10_000)]
            if e["redline"]:
                lines.append(f"- 修订对照：{'、'.join(e['redline'])}")
            lines.append("")
    md, js = out_dir / "变更说明.md", out_dir / "变更说明.json"
    write_atomic(md, "\n".join(lines).encode("utf-8"))
    write_atomic(js, (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return [md, js]
