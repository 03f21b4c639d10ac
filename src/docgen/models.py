"""Typed data model of clients, vendors, agreements, staff, records and the policy."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    FieldSerializationInfo,
    PrivateAttr,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationInfo,
    WithJsonSchema,
    field_serializer,
    field_validator,
    model_validator,
)

from .i18n import _

# --------------------------------------------------------------------------- scalar types

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


_RESERVED = re.compile("[\ufdd0-\ufdef]")  # Unicode noncharacters: docgen marks data braces with two of them
_DEVICE_NAMES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def _no_control_chars(value: str) -> str:
    match = _CONTROL.search(value)
    if match:
        code = f"U+{ord(match.group()):04X}"
        raise ValueError(_("contains the control character {code} at position {position}; remove it").format(
            code=code, position=match.start() + 1))
    reserved = _RESERVED.search(value)
    if reserved:
        raise ValueError(_("contains U+{code:04X} at position {position}, a character reserved for programs' "
                           "internal use; remove it").format(code=ord(reserved.group()), position=reserved.start() + 1))
    if not value.strip():
        raise ValueError(_("must not be blank"))
    return value


def _safe_id(value: str) -> str:
    if value.upper() in _DEVICE_NAMES:
        raise ValueError(_("{value} is a reserved device name on Windows; choose another id").format(value=repr(value)))
    return value


Text = Annotated[StrictStr, AfterValidator(_no_control_chars)]
"""Non-blank text without XML-illegal control characters."""

Id = Annotated[
    StrictStr,
    Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", description="ASCII letters, digits, '-' and '_'"),
    AfterValidator(_safe_id),
]
"""An identifier that is safe to use in file names."""

def _plain_number(value: Any) -> Any:
    """Refuse amounts written in hex, octal, binary or exponent notation: YAML reads `0x10` as 16,
    and nobody writing a fee means that."""
    from ruamel.yaml.scalarfloat import ScalarFloat
    from ruamel.yaml.scalarint import BinaryInt, HexInt, OctalInt

    if isinstance(value, HexInt):
        raise ValueError(_("write amounts as plain decimal numbers such as 120000.00, not hex notation"))
    if isinstance(value, OctalInt):
        raise ValueError(_("write amounts as plain decimal numbers such as 120000.00, not octal notation"))
    if isinstance(value, BinaryInt):
        raise ValueError(_("write amounts as plain decimal numbers such as 120000.00, not binary notation"))
    from .load import ExponentDecimal

    if isinstance(value, ExponentDecimal) or isinstance(value, ScalarFloat) and getattr(value, "_exp", None):
        raise ValueError(_("write amounts as plain decimal numbers such as 140000.00, not in exponent notation "
                           "(1.4e5)"))
    return value


Money = Annotated[Decimal, BeforeValidator(_plain_number),
                  Field(ge=0, max_digits=16, decimal_places=2, allow_inf_nan=False)]
Percent = Annotated[Decimal, BeforeValidator(_plain_number), Field(ge=0, le=100, decimal_places=2, allow_inf_nan=False)]


def _date_text_only(value: Any) -> Any:
    if isinstance(value, (bool, int, float, Decimal)):
        raise ValueError(_("write dates as YYYY-MM-DD"))
    return value


CHINA_TIME = timezone(timedelta(hours=8), "UTC+8")


def _china_time(value: datetime) -> datetime:
    """Times with an offset (`2026-07-01T09:10+08:00`, `…Z`) as China time without one, so that
    exports that carry offsets and exports that do not can be compared."""
    if value.tzinfo is None:
        return value
    return value.astimezone(CHINA_TIME).replace(tzinfo=None)


Date = Annotated[date, BeforeValidator(_date_text_only)]
DateTime = Annotated[datetime, BeforeValidator(_date_text_only), AfterValidator(_china_time)]
_EXCEL_MOMENT = re.compile(r"^\s*(\d{4})[/-](\d{1,2})[/-](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_EXCEL_DATE = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})\s*$")


def _excel_moment(value: Any) -> Any:
    """A time as Excel writes it in a CSV ('2026/11/2 11:05', '2026-11-2 9:05:30') read as ISO."""
    if isinstance(value, str) and (m := _EXCEL_MOMENT.match(value)):
        y, mo, d, h, mi, sec = (int(g) if g else 0 for g in m.groups())
        try:
            return datetime(y, mo, d, h, mi, sec)
        except ValueError:
            return value  # not a real date: the ISO parser says why
    return value


def _excel_date(value: Any) -> Any:
    """A date as Excel writes it in a CSV ('2026/11/2') read as ISO."""
    if isinstance(value, str) and (m := _EXCEL_DATE.match(value)):
        try:
            return date(*(int(g) for g in m.groups()))
        except ValueError:
            return value
    return value


Moment = Annotated[datetime, BeforeValidator(_excel_moment), AfterValidator(_china_time)]
"""A time in an export: China time (UTC+8), written with or without an offset, or as Excel
writes it ('2026/11/2 11:05')."""
ExportDate = Annotated[date, BeforeValidator(_excel_date)]
"""A date in an export: ISO, or as Excel writes it ('2026/11/2')."""

_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|d)\s*$")
_UNIT_MINUTES = {"m": 1, "min": 1, "h": 60, "d": 1440}


def _parse_duration(value: Any) -> Any:
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(_("write durations like '30m', '2h' or '3d'"))
        return int(match.group(1)) * _UNIT_MINUTES[match.group(2)]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(_("write durations like '30m', '2h' or '3d'"))
    return value


Minutes = Annotated[int, BeforeValidator(_parse_duration), Field(ge=0), WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": r"^\s*\d+\s*(m|min|h|d)\s*$"}, {"type": "integer", "minimum": 0}],
    "description": "时限：数字加单位，m 分钟、h 小时、d 天，如 30m、2h、3d"})]
"""A duration in minutes, written in the data as '30m', '2h' or '3d'."""

LIMITS = ("response", "arrival", "restore", "closure")
_UNIT_WORDS = {"d": ("天", 1440), "h": ("小时", 60), "m": ("分钟", 1), "min": ("分钟", 1)}


def as_written(minutes: int, unit: str | None) -> str:
    """`minutes` in the unit the data used ('h' → 小时), else in the largest unit that divides it."""
    if unit is None or minutes % _UNIT_WORDS[unit][1]:
        unit = next(u for u in ("d", "h", "m") if minutes % _UNIT_WORDS[u][1] == 0 and (minutes or u == "m"))
    word, size = _UNIT_WORDS[unit]
    return f"{minutes // size}{word}"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters of a USCC."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _valid_uscc(value: str) -> str:
    if len(value) != 18:
        raise ValueError(_("the unified social credit code must have 18 characters, got {count}").format(
            count=len(value)))
    bad = [c for c in value if c not in USCC_ALPHABET]
    if bad:
        raise ValueError(_("the unified social credit code contains {char}, not allowed (no I, O, Z, S, V or lower "
                           "case)").format(char=repr(bad[0])))
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        raise ValueError(_("the unified social credit code check character is {got}, expected {expected}").format(
            got=repr(value[17]), expected=repr(expected)))
    return value


USCC = Annotated[StrictStr, AfterValidator(_valid_uscc)]


class Model(BaseModel):
    """Base of every model: unknown keys are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


# --------------------------------------------------------------------------- parties

class Contact(Model):
    name: Text
    phone: Text
    email: Text | None = None


class BankAccount(Model):
    bank: Text = Field(description="开户银行")
    account: Annotated[StrictStr, Field(pattern=r"^[0-9 ]{8,40}$")] = Field(description="银行账号")


class Party(Model):
    name: Text = Field(description="名称")
    uscc: USCC = Field(description="统一社会信用代码 (GB 32100-2015)")
    legal_rep: Text = Field(description="法定代表人")
    address: Text = Field(description="住所")
    contact: Contact
    bank: BankAccount


class Client(Party):
    """甲方."""

    short_name: Text
    city: Text = Field(description="甲方所在地, used for court jurisdiction")
    department: Text = Field(description="the unit that manages the vendors, e.g. 信息中心")
    arbitration_commissions: list[Text] = Field(
        default_factory=list, description="仲裁委员会的登记名称（补充 docgen 已知的名单）")


VendorTier = Literal["战略级", "常规级", "临时级"]


class Vendor(Party):
    """乙方."""

    id: Id
    short_name: Text
    tier: VendorTier
    categories: list[Text] = Field(min_length=1, description="服务类别，管理办法的 vocabulary.service_categories 之一")
    qualifications: list[Text] = Field(default_factory=list)
    sme: StrictBool = Field(default=False, description="中小企业（适用《保障中小企业款项支付条例》）")


# --------------------------------------------------------------------------- agreements

Severity = Literal["P1", "P2", "P3", "P4"]


class SlaLevel(Model):
    level: Severity
    name: Text = Field(description="e.g. 一级故障")
    definition: Text
    response: Minutes
    arrival: Minutes | None = Field(description="null when on-site arrival is not required (按需)")
    restore: Minutes
    closure: Minutes
    restore_credit_pct: Percent | None = Field(
        default=None, description="每张恢复超时的工单抵扣当月服务费的百分比（计入抵扣上限）；不写则恢复超时不抵扣")
    _units: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_units(cls, data: Any, handler: Any) -> SlaLevel:
        """Remember the unit each time limit was written in, so documents print it so."""
        level: SlaLevel = handler(data)
        if isinstance(data, dict):
            for key in LIMITS:
                match = _DURATION.match(data[key]) if isinstance(data.get(key), str) else None
                if match:
                    level._units[key] = match.group(2)
        return level

    @field_serializer(*LIMITS, when_used="json")
    def _as_written(self, minutes: int | None, info: FieldSerializationInfo) -> str | None:
        """In JSON (the dataset cache, input hashes) a limit keeps the unit it was written in."""
        if minutes is None:
            return None
        unit = self._units.get(info.field_name or "")
        if unit is None or minutes % _UNIT_WORDS[unit][1]:
            unit = next(u for u in ("d", "h", "m") if minutes % _UNIT_WORDS[u][1] == 0 and (minutes or u == "m"))
        return f"{minutes // _UNIT_WORDS[unit][1]}{unit}"

    # properties the templates may read (context.agreement_context puts them in the context)
    TEMPLATE_PROPERTIES: ClassVar[tuple[str, ...]] = ("written",)

    @property
    def written(self) -> dict[str, str]:
        """Each time limit as the data writes it: '72h' → '72小时', '3d' → '3天', '30m' → '30分钟'
        (a limit given as a number of minutes: in the largest whole unit)."""
        out = {}
        for key in LIMITS:
            minutes = getattr(self, key)
            if minutes is not None:
                out[key] = as_written(minutes, self._units.get(key))
        return out


class CreditTier(Model):
    below_pct: Percent = Field(description="availability below this value ...")
    credit_pct: Percent = Field(description="... credits this share of the monthly fee")


_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$")


def _service_hours(value: str) -> str:
    found = _HOURS.match(value)
    if found is None:
        raise ValueError(_("write the service hours as HH:MM-HH:MM, e.g. 09:00-17:00, not {value}").format(
            value=repr(value)))
    start, end = found.group(1) + found.group(2), found.group(3) + found.group(4)
    if end <= start:
        raise ValueError(_("the service hours {value} end before they start").format(value=value))
    return value


class ServiceWindow(Model):
    """A service window an agreement may name (policy.yaml's vocabulary): on which days and in
    which hours the vendor serves. "每天" with 00:00-24:00 is round the clock."""

    name: Text = Field(description="服务窗口的名称，如 5×8、7×24、5×12")
    days: Literal["工作日", "每天"] = Field(description="工作日（依国家法定节假日及调休安排）或每天（含节假日）")
    hours: Annotated[StrictStr, AfterValidator(_service_hours)] = Field(
        description="每天的服务时间，如 09:00-17:00；全天为 00:00-24:00")

    @property
    def round_the_clock(self) -> bool:
        return self.days == "每天" and self.hours == "00:00-24:00"


DEFAULT_HOURS = "09:00-17:00"
DEFAULT_WINDOWS = (ServiceWindow(name="5×8", days="工作日", hours=DEFAULT_HOURS),
                   ServiceWindow(name="7×24", days="每天", hours="00:00-24:00"))
DEFAULT_CATEGORIES = ("硬件维护", "软件支持", "网络安全", "网络运维", "数据库运维", "桌面运维", "机房运维", "应用运维")


def resolve_window(sla: Sla, defined: ServiceWindow | None) -> ServiceWindow:
    """The window an SLA applies: `defined` (from the policy's vocabulary), with the SLA's own
    service_hours when it sets others than the default."""
    if defined is None:  # validation refuses an unknown window; a data set built in code may still have one
        defined = next((w for w in DEFAULT_WINDOWS if w.name == sla.service_window),
                       ServiceWindow(name=sla.service_window, days="工作日", hours=sla.service_hours))
    if sla.service_hours != DEFAULT_HOURS and not defined.round_the_clock:
        return defined.model_copy(update={"hours": sla.service_hours})
    return defined


class Sla(Model):
    service_window: Text = Field(description="服务窗口，管理办法的 vocabulary.service_windows 之一（默认 5×8、7×24）")
    # the hours of each day the window is open (the SLA annex states them); left at the default,
    # the window's own hours apply (5×8: 09:00-17:00; a 5×12 defined as 08:00-20:00: those)
    service_hours: Annotated[StrictStr, AfterValidator(_service_hours)] = Field(
        default=DEFAULT_HOURS, description="服务窗口每个服务日的服务时间，如 09:00-17:00；不写则用服务窗口的定义")
    levels: list[SlaLevel] = Field(min_length=1)
    availability_target_pct: Percent
    availability_systems: list[Text] = Field(min_length=1)
    credits: list[CreditTier] = Field(default_factory=list)
    credit_cap_pct: Percent = Decimal("50")
    attainment_target_pct: Percent = Field(default=Decimal("95"),
                                           description="share of tickets that must meet each time limit")

    @field_validator("levels")
    @classmethod
    def _unique_levels(cls, levels: list[SlaLevel]) -> list[SlaLevel]:
        seen = [lv.level for lv in levels]
        dupes = sorted({s for s in seen if seen.count(s) > 1})
        if dupes:
            raise ValueError(_("severity level {level} is defined twice").format(level=dupes[0]))
        return levels


class Installment(Model):
    stage: Text = Field(description="e.g. 第一季度服务费")
    percent: Percent | None = Field(default=None, description="占合同总价的比例（%）；与 months 二选一")
    months: StrictInt | None = Field(default=None, ge=1, le=120,
                                     description="按服务月数计：金额 = 月度服务费 × 月数；与 percent 二选一")
    condition: Text

    @model_validator(mode="after")
    def _percent_or_months(self) -> Installment:
        if (self.percent is None) == (self.months is None):
            raise ValueError(_("give an instalment either percent (of the total) or months (of the monthly fee)"))
        return self


class Rate(Model):
    """A unit price for work outside the scope (附件六《报价明细》)."""

    item: Text = Field(description="服务项目，如 现场应急支持")
    unit: Text = Field(description="计价单位，如 人·天")
    price: Money = Field(description="含税单价（元）")
    note: Text | None = Field(default=None, description="说明")


InvoiceType = Literal["增值税专用发票", "增值税普通发票"]


class Fees(Model):
    total: Money = Field(description="含税合同总价 for the whole term")
    monthly: Money = Field(description="monthly service fee, basis of credits and deduction caps")
    tax_rate_pct: Percent = Decimal("6")
    performance_share_pct: Percent = Field(default=Decimal("20"), description="share of the fee tied to assessment")
    payment: list[Installment] = Field(min_length=1)
    invoice_type: InvoiceType = Field(default="增值税专用发票", description="发票类型")
    assessment_workdays: StrictInt = Field(
        default=10, ge=1, le=30,
        description="甲方在每季度结束后多少个工作日内出具季度考核结果；逾期未出具的视为确认")
    payment_days: StrictInt = Field(
        default=30, ge=1, le=120,
        description="甲方在收到发票且考核结果确认后多少日内付款（中小企业乙方不超过 60 日）")
    late_interest_daily_pct: Percent = Field(
        default=Decimal("0.05"), description="甲方逾期付款的利息，每日按逾期金额的百分比（默认万分之五）")
    extra_rates: list[Rate] = Field(default_factory=list, description="附件六：范围外服务的单价")
    total_basis: Text | None = Field(
        default=None, description="合同总价不等于月度服务费 × 月数时的说明（如 含一次性实施费 50,000.00 元）")

    @model_validator(mode="after")
    def _payment_adds_up(self) -> Fees:
        """By percent, the instalments add up to 100; by months, to the total price."""
        by_months = [p.months is not None for p in self.payment]
        if any(by_months) and not all(by_months):
            raise ValueError(_("payment: give every instalment by percent or every one by months, not both"))
        if all(by_months):
            months = sum(p.months or 0 for p in self.payment)
            if self.monthly * months != self.total:
                raise ValueError(_("payment: {months} months × monthly {monthly} = {product}, not the total "
                                   "{total}").format(months=months, monthly=self.monthly,
                                                     product=self.monthly * months, total=self.total))
        else:
            total = sum((p.percent or Decimal(0) for p in self.payment), Decimal(0))
            if total != 100:
                raise ValueError(_("payment percentages add up to {total}, not 100").format(total=total))
        return self


class ScopeItem(Model):
    name: Text
    description: Text


class InventoryItem(Model):
    """A system or device under service (附件一《服务清单》)."""

    name: Text = Field(description="系统或设备名称")
    kind: Text = Field(description="类别，如 业务系统、服务器、网络设备、UPS")
    location: Text | None = Field(default=None, description="所在位置")
    quantity: StrictInt = Field(default=1, ge=1, le=100000, description="数量")
    note: Text | None = Field(default=None, description="说明，如 型号、版本")


class NdaTerms(Model):
    years_after_term: StrictInt = Field(default=3, ge=0, le=30)
    liquidated_damages: Money
    incident_report_hours: StrictInt = Field(default=24, ge=1, le=168)


class Disputes(Model):
    method: Literal["诉讼", "仲裁"]
    arbitration_commission: Text | None = None

    @model_validator(mode="after")
    def _one_forum(self) -> Disputes:
        if self.method == "仲裁" and not self.arbitration_commission:
            raise ValueError(_("arbitration needs arbitration_commission (the name of the arbitration commission)"))
        if self.method == "诉讼" and self.arbitration_commission:
            raise ValueError(_("choose 诉讼 or 仲裁, not both: remove arbitration_commission"))
        return self


class Termination(Model):
    """When and why a signed agreement ended early."""

    date: Date = Field(description="终止日期")
    reason: Text = Field(description="终止原因")


class SignedSupplement(Model):
    """A 补充协议 both parties signed that brings a later version of the policy into a signed
    agreement (clause 1.5 of the contract: a revision applies only once a supplement is signed)."""

    policy_version: Text = Field(description="补充协议引入的管理办法版本")
    signed: Date = Field(description="补充协议的签署日期（双方签署日期不一致的，以后签署一方的日期为准）")
    number: Text | None = Field(default=None, description="补充协议编号，如 CH-YW-2026-001-BC-2026.2")


def supplement_applies_from(effective: date, signed: date) -> date:
    """The first day a period must start on for a signed supplement to apply to it: the version's
    effective date, or the first day of the month after the signing when it is signed later."""
    if signed <= effective:
        return effective
    return date(signed.year + signed.month // 12, signed.month % 12 + 1, 1)


AgreementStatus = Literal["draft", "signed", "terminated"]


class Agreement(Model):
    id: Id
    contract_no: Annotated[StrictStr, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{2,40}$")]
    vendor: Id
    project_name: Text
    signing_date: Date
    signing_place: Text
    start: Date
    end: Date
    scope: list[ScopeItem] = Field(min_length=1)
    inventory: list[InventoryItem] = Field(default_factory=list, description="附件一：纳入服务的系统与设备")
    service_mode: Literal["驻场", "远程", "驻场+远程"]
    fees: Fees
    performance_bond_pct: Percent = Field(default=Decimal("10"), le=10)
    exit_transition_months: StrictInt = Field(default=3, ge=0, le=24)
    sla: Sla
    nda: NdaTerms
    disputes: Disputes
    counterparts: StrictInt = Field(default=4, ge=2, le=10)
    # draft: the documents follow the current data and policy; signed, terminated: the documents
    # made when it was signed are kept as they are (`docgen reissue` makes them again)
    status: AgreementStatus = Field(default="draft", description="草稿 draft / 已签 signed / 已终止 terminated")
    terminated: Termination | None = Field(default=None, description="终止日期与原因（status: terminated）")
    policy_version: Text | None = Field(default=None, description="起草时依据的管理办法版本")
    supplements: list[SignedSupplement] = Field(
        default_factory=list,
        description="已签署的补充协议（引入管理办法新版本）；报告自其生效后开始的月份起适用该版本")

    @property
    def frozen(self) -> bool:
        """Signed (or signed and since terminated): its contract documents are not made again."""
        return self.status != "draft"

    @model_validator(mode="after")
    def _termination_goes_with_status(self) -> Agreement:
        if self.status == "terminated" and self.terminated is None:
            raise ValueError(_("status terminated needs `terminated` with its date and reason"))
        if self.terminated is not None and self.status != "terminated":
            raise ValueError(_("`terminated` is given, but status is {status}; write status: terminated").format(
                status=repr(self.status)))
        if self.terminated is not None and not self.signing_date <= self.terminated.date <= self.end:
            raise ValueError(_("terminated.date {date} is not between signing_date {signing_date} and end "
                               "{end}").format(date=self.terminated.date, signing_date=self.signing_date,
                                               end=self.end))
        return self

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(_("end {end} is not after start {start}").format(end=end, start=start))
        return end


# --------------------------------------------------------------------------- staff and records

# the service window of an on-site post: one of the policy's vocabulary.service_windows (5×8, 7×24 …)
PostType = Annotated[Text, Field(
    description="岗位的服务窗口，管理办法 vocabulary.service_windows 之一（默认 5×8、7×24）")]


class StaffMember(Model):
    id: Id
    name: Text
    vendor: Id
    agreement: Id
    role: Text = Field(description="岗位")
    post_type: PostType
    start_date: Date
    phone: Text
    pledge_signed: StrictBool = Field(description="个人保密承诺书已签")
    certificates: list[Text] = Field(default_factory=list)
    years_experience: StrictInt = Field(ge=0, le=60)


class Ticket(Model):
    """One incident from the ticket system export (CSV)."""

    id: Id
    agreement: Id
    severity: Severity
    category: Text
    system: Text
    summary: Text
    opened: Moment
    responded: Moment | None = None
    arrived: Moment | None = None
    restored: Moment | None = None
    closed: Moment | None = None
    assignee: Id | None = None
    satisfaction: int | None = Field(default=None, ge=1, le=5)
    downtime_minutes: int = Field(default=0, ge=0, description="unavailability of a covered system")

    @field_validator("responded", "arrived", "restored", "closed")
    @classmethod
    def _not_before_opened(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        opened = info.data.get("opened")
        if value is not None and opened is not None and value < opened:
            raise ValueError(_("{field} {value:%Y-%m-%d %H:%M} is before opened {opened:%Y-%m-%d %H:%M}").format(
                field=info.field_name, value=value, opened=opened))
        return value

    @field_validator("closed")
    @classmethod
    def _closed_after_restored(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        restored = info.data.get("restored")
        if value is not None and restored is None:
            raise ValueError(_("a closed ticket needs a restored time"))
        if value is not None and restored is not None and value < restored:
            raise ValueError(_("closed {closed:%Y-%m-%d %H:%M} is before restored {restored:%Y-%m-%d %H:%M}").format(
                closed=value, restored=restored))
        return value


class AttendanceEvent(Model):
    """One non-conformity from the attendance export (CSV); `kind` names a policy deduction."""

    id: Id
    date: ExportDate
    staff: Id
    kind: Id
    count: int = Field(default=1, ge=1, le=31, description="occurrences, or days for 旷工")
    note: str = ""


# one of the policy's vocabulary.leave_types (by default the seven below)
LeaveType = Annotated[Text, Field(
    description="假别，管理办法 vocabulary.leave_types 之一（默认事假、病假、年假、调休、婚假、丧假、产假）")]
DEFAULT_LEAVE_TYPES = ("事假", "病假", "年假", "调休", "婚假", "丧假", "产假")


class LeaveRequest(Model):
    id: Id
    staff: Id
    type: LeaveType
    start: DateTime
    end: DateTime
    hours: Annotated[Decimal, Field(gt=0, le=2000, decimal_places=1)]
    reason: Text
    substitute: Id | None = Field(default=None, description="staff id of the 替岗人员")
    handover: Text | None = None
    vendor_letter_no: Text | None = Field(default=None, description="乙方函件编号")
    approved_by: Text
    returned: DateTime | None = Field(default=None, description="销假 time")

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(_("end {end:%Y-%m-%d %H:%M} is not after start {start:%Y-%m-%d %H:%M}").format(
                end=end, start=start))
        return end


class NewPerson(Model):
    name: Text
    role: Text
    certificates: list[Text] = Field(default_factory=list)
    years_experience: StrictInt = Field(ge=0, le=60)


class PersonnelChange(Model):
    id: Id
    agreement: Id
    type: Literal["新增", "替换", "撤离"]
    old_staff: Id | None = None
    new_person: NewPerson | None = None
    reason: Text
    requested: Date
    effective: Date
    handover: list[Text] = Field(default_factory=list)
    access_revoked: StrictBool
    pledge_signed: StrictBool
    vendor_letter_no: Text

    @field_validator("effective")
    @classmethod
    def _effective_after_request(cls, effective: date, info: ValidationInfo) -> date:
        requested = info.data.get("requested")
        if requested is not None and effective < requested:
            raise ValueError(_("effective {effective} is before requested {requested}").format(
                effective=effective, requested=requested))
        return effective

    @model_validator(mode="after")
    def _people_match_type(self) -> PersonnelChange:
        if self.type in ("替换", "撤离") and self.old_staff is None:
            raise ValueError(_("a {type} change needs old_staff").format(type=self.type))
        if self.type in ("新增", "替换") and self.new_person is None:
            raise ValueError(_("a {type} change needs new_person").format(type=self.type))
        if self.type == "新增" and self.old_staff is not None:
            raise ValueError(_("a {type} change has no old_staff").format(type=self.type))
        if self.type == "撤离" and self.new_person is not None:
            raise ValueError(_("a {type} change has no new_person").format(type=self.type))
        return self


# --------------------------------------------------------------------------- policy

class DeductionRule(Model):
    code: Id
    name: Text
    amount: Money
    unit: Text = Field(description="e.g. 人/次 or 人/次/天")
    basis: Text = Field(description="the rule in words, quoted in the SLA annex")
    windows: list[Text] = Field(
        default_factory=list,
        description="只适用于这些服务窗口的协议（如值守、交接班只适用于 7×24）；不写则适用于全部协议")


class DeductionPolicy(Model):
    rules: list[DeductionRule] = Field(min_length=1)
    monthly_cap_pct: Percent = Field(description="cap of a month's deductions, as % of the monthly fee")

    @field_validator("rules")
    @classmethod
    def _unique_codes(cls, rules: list[DeductionRule]) -> list[DeductionRule]:
        codes = [r.code for r in rules]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(_("deduction code {code} is defined twice").format(code=repr(dupes[0])))
        return rules


class LeaveRules(Model):
    form_max_hours: Annotated[Decimal, Field(gt=0)] = Decimal("4")
    letter_over_hours: Annotated[Decimal, Field(gt=0)] = Decimal("4")
    substitute_over_hours: Annotated[Decimal, Field(gt=0)] = Decimal("8")


class ChangeRules(Model):
    notice_workdays: StrictInt = Field(default=15, ge=0)


class Weight(Model):
    key: Literal["sla", "staffing", "security", "process", "satisfaction", "improvement"]
    name: Text
    weight: Percent


class GradeBand(Model):
    name: Literal["优秀", "良好", "合格", "不合格"]
    min_score: Annotated[Decimal, Field(ge=0, le=100)]


GradeName = Literal["优秀", "良好", "合格", "不合格"]
CAP_CONDITIONS = {"sla_below_target": "按工单计的时限达成率低于合同约定的达成率目标",
                  "availability_missed": "可用率未达到合同约定的目标"}


class GradeCap(Model):
    """A result that caps a month's grade: `when` is sla_below_target, availability_missed, or
    the code of a deduction rule (any such attendance event in the month)."""

    when: Id
    max_grade: GradeName


DEFAULT_PAYOUT: dict[str, Decimal] = {"优秀": Decimal(100), "良好": Decimal(100), "合格": Decimal(80),
                                     "不合格": Decimal(0)}


class Assessment(Model):
    weights: list[Weight] = Field(min_length=1)
    grades: list[GradeBand] = Field(min_length=2)
    fail_grade: Literal["不合格"] = "不合格"
    terminate_after_consecutive_fails: StrictInt = Field(default=2, ge=1)
    annual_quarters_pct: Percent = Decimal("70")
    grade_caps: list[GradeCap] = Field(default_factory=list,
                                       description="results that cap a month's grade whatever its score")
    performance_payout_pct: dict[Text, Percent] = Field(
        default_factory=lambda: dict(DEFAULT_PAYOUT),
        description="grade → share of the performance fee paid (default: 优秀、良好 100, 合格 80, 不合格 0); "
                    "the contract states it and reports settle by it")

    @field_validator("weights")
    @classmethod
    def _weights_sum_to_100(cls, weights: list[Weight]) -> list[Weight]:
        total = sum((w.weight for w in weights), Decimal(0))
        if total != 100:
            raise ValueError(_("weights add up to {total}, not 100").format(total=total))
        return weights

    @field_validator("grades")
    @classmethod
    def _grades_descending(cls, grades: list[GradeBand]) -> list[GradeBand]:
        scores = [g.min_score for g in grades]
        if scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
            raise ValueError(_("grade bands must be listed from the highest min_score down, without ties"))
        if scores[-1] != 0:
            raise ValueError(_("the last grade band must start at min_score 0"))
        return grades


class CalendarYear(Model):
    """A year's statutory holidays and adjusted working days (调休), for a year the built-in
    calendar does not know yet, or to correct it."""

    year: StrictInt = Field(ge=2000, le=2100)
    holidays: list[Date] = Field(default_factory=list, description="法定节假日（含调休放假日）")
    workdays: list[Date] = Field(default_factory=list, description="调休上班的周末")

    @model_validator(mode="after")
    def _days_in_year(self) -> CalendarYear:
        for day in [*self.holidays, *self.workdays]:
            if day.year != self.year:
                raise ValueError(_("{day} is not in {year}").format(day=day, year=self.year))
        both = set(self.holidays) & set(self.workdays)
        if both:
            raise ValueError(_("{day} is listed as a holiday and as a working day").format(day=min(both)))
        return self


class IncidentReview(Model):
    """The review of a major incident (重大故障复盘), keyed by its ticket (reviews.yaml)."""

    ticket: Id
    cause: Text
    impact: Text
    fix: Text
    prevention: Text
    owner: Text
    reviewed: Date


class ImprovementAction(Model):
    """An improvement action (改进措施) followed from month to month until closed (improvements.yaml)."""

    id: Id
    agreement: Id
    action: Text
    owner: Text
    raised: Date
    due: Date
    closed: Date | None = None
    source: Text | None = Field(default=None, description="what it answers: a ticket, a problem or an audit")

    @model_validator(mode="after")
    def _dates_in_order(self) -> ImprovementAction:
        if self.due < self.raised:
            raise ValueError(_("due {due} is before raised {raised}").format(due=self.due, raised=self.raised))
        if self.closed is not None and self.closed < self.raised:
            raise ValueError(_("closed {closed} is before raised {raised}").format(closed=self.closed,
                                                                                   raised=self.raised))
        return self


class ProblemRules(Model):
    """When repeated incidents are listed as a candidate problem (问题管理)."""

    window_days: StrictInt = Field(default=30, ge=1, le=366)
    min_count: StrictInt = Field(default=3, ge=2, le=100)
    similarity: Annotated[Decimal, Field(ge=0, le=1)] = Decimal("0.8")


class Vocabulary(Model):
    """Lists legal may extend without a new docgen: service windows (which also name the posts of
    on-site staff), service categories and leave types."""

    service_windows: list[ServiceWindow] = Field(default_factory=lambda: list(DEFAULT_WINDOWS), min_length=1)
    service_categories: list[Text] = Field(default_factory=lambda: list(DEFAULT_CATEGORIES), min_length=1)
    leave_types: list[Text] = Field(default_factory=lambda: list(DEFAULT_LEAVE_TYPES), min_length=1,
                                    description="请假登记可用的假别（默认：事假、病假、年假、调休、婚假、丧假、产假）")

    def window(self, name: str) -> ServiceWindow | None:
        return next((w for w in self.service_windows if w.name == name), None)


class Policy(Model):
    version: Text
    effective_date: Date
    title: Text
    deductions: DeductionPolicy
    leave: LeaveRules = LeaveRules()
    change: ChangeRules = ChangeRules()
    assessment: Assessment
    problems: ProblemRules = ProblemRules()
    calendar: list[CalendarYear] = Field(default_factory=list, description="工作日历的补充或更正（按年）")
    vocabulary: Vocabulary = Field(default_factory=Vocabulary,
                                   description="服务窗口与服务类别的名单（默认：5×8、7×24 与八个服务类别）")
    bond_max_pct: Percent = Field(default=Decimal("10"), le=10,
                                  description="履约保证金占合同总价的上限（%）；协议的 performance_bond_pct 不得超过")

    @model_validator(mode="after")
    def _caps_name_known_results(self) -> Policy:
        codes = {r.code for r in self.deductions.rules}
        for cap in self.assessment.grade_caps:
            if cap.when not in CAP_CONDITIONS and cap.when not in codes:
                *others, last = CAP_CONDITIONS
                raise ValueError(_("grade cap on {when}: not {conditions} or {last} nor a deduction code "
                                   "({codes})").format(when=repr(cap.when), conditions=", ".join(others), last=last,
                                                       codes=", ".join(sorted(codes))))
        return self


def version_on(versions: list[Policy], day: date) -> Policy | None:
    """The policy version in force on `day`: the latest whose effective_date is not after it (the
    earliest when `day` comes before every version); None without versions. `versions` sorted by
    effective_date."""
    in_force = [p for p in versions if p.effective_date <= day]
    if in_force:
        return in_force[-1]
    return versions[0] if versions else None


# --------------------------------------------------------------------------- bundles

class BundleSpec(Model):
    """A PDF bundle: documents of some kinds, one bundle per agreement, month or year."""

    name: Id
    title: Text
    per: Literal["agreement", "month", "year"]
    kinds: list[Id] = Field(min_length=1)


DEFAULT_BUNDLES = (
    BundleSpec(name="contract-pack", title="合同文本汇编", per="agreement",
               kinds=["contract", "scope", "sla", "nda", "assessment", "staffing", "pricing"]),
    BundleSpec(name="monthly-pack", title="月度运维服务报告汇编", per="month", kinds=["monthly"]),
    BundleSpec(name="annual-pack", title="年度运维服务报告汇编", per="year", kinds=["annual"]),
)


# --------------------------------------------------------------------------- the whole data set

class Dataset(Model):
    """Everything docgen knows, after validation and cross-file checks."""

    client: Client
    policy: Policy
    vendors: list[Vendor]
    agreements: list[Agreement]
    staff: list[StaffMember]
    tickets: list[Ticket]
    attendance: list[AttendanceEvent]
    leave: list[LeaveRequest]
    changes: list[PersonnelChange]
    bundles: list[BundleSpec] = Field(default_factory=lambda: list(DEFAULT_BUNDLES))
    reviews: list[IncidentReview] = Field(default_factory=list)  # reviews.yaml (optional)
    # things that are valid but worth a look, as FILE:LINE:COL: FIELD: MESSAGE with FILE inside the
    # data folder (validate prints them)
    warnings: list[str] = Field(default_factory=list)
    encodings: dict[str, str] = Field(default_factory=dict)  # CSV export → the encoding it was read in
    improvements: list[ImprovementAction] = Field(default_factory=list)  # improvements.yaml (optional)
    # every revision of the policy, by effective date (one without data/policy/); `policy` is the newest
    policies: list[Policy] = Field(default_factory=list)
    policy_files: dict[str, str] = Field(default_factory=dict)  # version → "policy.yaml" or "policy/<v>.yaml"
    # figures computed from this data set, kept with it (metrics.month_metrics): it never changes
    _memo: dict[Any, Any] = PrivateAttr(default_factory=dict)
    # validate.data_digest of the files this data set was read from (None: not read from files)
    _source_digest: str | None = PrivateAttr(default=None)
    # agreement id → the policy version its kept contract documents quote (from the output folder's
    # manifest, see record_signed_versions): what a signed agreement without policy_version is bound to
    _signed_under: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def source_digest(self) -> str | None:
        return self._source_digest

    def record_signed_versions(self, versions: dict[str, str]) -> None:
        """Tell the data set which policy version the kept contract documents of its signed
        agreements quote (agreement id → version), so they are bound to what was signed."""
        known = {p.version for p in self.policies}
        self._signed_under = {k: v for k, v in versions.items() if v in known}
        self._memo.clear()  # figures computed before may have applied another version

    def __eq__(self, other: object) -> bool:
        """The same data: the fields, not the figures kept with them or where they were read."""
        return type(other) is type(self) and self.__dict__ == other.__dict__

    def policy_on(self, day: date) -> Policy:
        """The policy version in force on `day` (see version_on)."""
        return version_on(self.policies, day) or self.policy

    def policy_for_agreement(self, agreement: Agreement) -> Policy:
        """The version an agreement's contract documents quote: the one it pins (policy_version),
        else the newest (a draft follows the current policy; a signed one is kept as made)."""
        return self.policy_version(agreement.policy_version) if agreement.policy_version else self.policy

    def bound_version(self, agreement: Agreement) -> Policy:
        """The policy version a signed agreement was signed under: the one it pins
        (policy_version), else the one its kept contract documents quote (when the output
        folder's manifest says so, see record_signed_versions), else the one in force on its
        signing date (the first version when none was in force yet)."""
        if agreement.policy_version:
            return self.policy_version(agreement.policy_version)
        if agreement.id in self._signed_under:
            return self.policy_version(self._signed_under[agreement.id])
        return version_on(self.policies, agreement.signing_date) or self.policy

    def policy_applied(self, agreement: Agreement, day: date) -> Policy:
        """The policy version whose terms (deductions, cap, assessment) an agreement's figures
        apply for a period starting on `day`. A draft: the version in force on `day`. A signed
        agreement: what its contract says (clause 1.5): the version it was signed under, and a
        later version only as the 补充协议 that brings it in says (第二条): from the periods
        that start on or after that version's effective date, or, when the supplement is signed
        after that date, from the month after the month of its signing. No version applies to a
        period that starts before its own effective date: those apply the version then in force."""
        if not agreement.frozen:
            return self.policy_on(day)
        applied = self.bound_version(agreement)
        if applied.effective_date > day:
            # a version applies to no period before it takes effect (a contract reissued under a
            # later version leaves the months before it as they were)
            applied = self.policy_on(day)
        for supplement in sorted(agreement.supplements, key=lambda s: s.signed):
            version = self.policy_version(supplement.policy_version)
            if day >= supplement_applies_from(version.effective_date, supplement.signed):
                applied = version
        return applied

    def window_of(self, agreement: Agreement) -> ServiceWindow:
        """The service window an agreement's documents and clocks apply: its window as the policy it
        is bound to defines it, with the agreement's own service_hours when it sets others."""
        sla = agreement.sla
        found = self.policy_for_agreement(agreement).vocabulary.window(sla.service_window) or next(
            (w for p in reversed(self.policies) if (w := p.vocabulary.window(sla.service_window))), None)
        return resolve_window(sla, found)

    def post_window(self, person: StaffMember, policy: Policy | None = None) -> ServiceWindow:
        """The service window of a person's post as `policy` (default: the current one) defines
        it, else the newest version that does, else the shipped default of that name."""
        name = person.post_type
        found = (policy or self.policy).vocabulary.window(name) or next(
            (w for p in reversed(self.policies) if (w := p.vocabulary.window(name))), None)
        if found is None:  # validation refuses an unknown post type; a data set built in code may still have one
            found = next((w for w in DEFAULT_WINDOWS if w.name == name),
                         ServiceWindow(name=name, days="工作日", hours=DEFAULT_HOURS))
        return found

    def policy_version(self, version: str) -> Policy:
        return next((p for p in self.policies if p.version == version), self.policy)

    def policy_file(self, policy: Policy) -> str:
        return self.policy_files.get(policy.version, "policy.yaml")

    def vendor(self, vendor_id: str) -> Vendor:
        return next(v for v in self.vendors if v.id == vendor_id)

    def agreement(self, agreement_id: str) -> Agreement:
        return next(a for a in self.agreements if a.id == agreement_id)

    def staff_member(self, staff_id: str) -> StaffMember:
        return next(s for s in self.staff if s.id == staff_id)
