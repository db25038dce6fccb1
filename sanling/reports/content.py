"""What a 三零播报, 月度小结 or 季度分析 says, as one ``sanling.documents.Document``.

Every number is read from the engine and the apps' own figures, never computed here a second way:
达标率 from ``assessment.selectors`` (the towns in the order of ``sanling rates --by child``), targets from
``targets.selectors.target_value``, the red and orange lists from ``alerts.selectors.subject_warnings``,
casework from ``work.figures.case_figures`` (its 化解率 is ``dispute_rate``), hazards from
``hazards.figures`` (as ``fieldwork/figures.py`` reads them), 交办 from ``assignments.selectors`` and the
四函 from ``supervision.selectors``.

The document is Chinese official prose: it is what a 区委/区政府 leader reads, whatever language the
reader's screen is in. The Word file, the PDF and the web page all show the same outline.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from sanling.alerts.selectors import subject_warnings
from sanling.assessment.periods import Period, earliest_date
from sanling.assessment.selectors import RateRow, department_rows, rate_percent, rates_for, scoped_rates
from sanling.assignments.selectors import assignment_figures
from sanling.documents import Document
from sanling.documents.charts import line_chart
from sanling.hazards.figures import hazard_figures
from sanling.regions.models import Region
from sanling.regions.selectors import region_children
from sanling.subjects.models import Group
from sanling.supervision.selectors import LETTER_KINDS, letter_figures
from sanling.targets.selectors import target_value
from sanling.work.figures import case_figures

from .charts import map_chart

KIND_TITLES = {
    "bulletin": "“三零”创建工作播报",
    "monthly": "“三零”创建工作月度小结",
    "quarterly": "“三零”创建工作季度分析",
}
KIND_NAMES = {"bulletin": "三零播报", "monthly": "月度小结", "quarterly": "季度分析"}
# The period each kind covers: a 播报 any, a 小结 a month, an 分析 a quarter.
KIND_PERIODS = {"bulletin": ("year", "quarter", "month"), "monthly": ("month",), "quarterly": ("quarter",)}
GROUP_LABELS = {Group.VILLAGE: "村（社区）", Group.UNIT: "企事业单位"}
CHILD_LABELS = {"province": "市", "city": "县（区）", "county": "乡镇（街道）", "town": "村（社区）"}
LETTER_LABELS = {"reminder": "提醒函", "notice": "通报", "interview": "约谈函", "accountability": "问责函"}
QUARTER_NAMES = {"1": "一", "2": "二", "3": "三", "4": "四"}
NONE = "无"


def period_label(period: Period) -> str:
    """2025年, 2025年第一季度, 2025年3月."""
    if period.kind == "year":
        return f"{period.year}年"
    if period.kind == "quarter":
        return f"{period.year}年第{QUARTER_NAMES[period.key[-1]]}季度"
    return f"{period.year}年{period.start.month}月"


def same_period_last_year(period: Period) -> Period | None:
    """The same month, quarter or year one year earlier; None before the earliest year on record."""
    earlier = Period.parse(f"{period.year - 1}{period.key[4:]}")
    return earlier if earlier.start >= earliest_date() else None


def previous_period(period: Period) -> Period | None:
    """The month or quarter before (a year's is last year); None before the earliest year on record."""
    if period.kind == "month":
        day = period.start - datetime.timedelta(days=1)
        earlier = Period.month(day.year, day.month)
    elif period.kind == "quarter":
        quarter = int(period.key[-1])
        earlier = Period.quarter(period.year - (quarter == 1), 4 if quarter == 1 else quarter - 1)
    else:
        earlier = Period.of_year(period.year - 1)
    return earlier if earlier.start >= earliest_date() else None


def events_recorded(region: Region, period: Period) -> bool:
    """Whether any event was recorded in ``region``'s subtree in ``period``: a year with none is not compared
    with (its 100% says nothing was entered, not that nothing happened)."""
    from sanling.events.models import Event

    return Event.objects.filter(
        subject__region__path__startswith=region.path, occurred_on__range=(period.start, period.end)
    ).exists()


def date_text(day: datetime.date) -> str:
    """2025年6月30日 (no leading zeros, as official documents write it)."""
    return f"{day.year}年{day.month}月{day.day}日"


def percent(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{rate}%"


def rate_text(row: RateRow | None, group: str) -> str:
    """村（社区）166/183，达标率90.71%."""
    if row is None or not row.active:
        return f"{GROUP_LABELS[group]}无参评主体"
    return f"{GROUP_LABELS[group]}{row.compliant}/{row.active}，达标率{percent(row.rate)}"


def points(now: Decimal | None, before: Decimal | None) -> str:
    """The change in percentage points, in words: 上升1.20个百分点, 下降0.35个百分点, 持平."""
    if now is None or before is None:
        return "无可比数据"
    change = now - before
    if change > 0:
        return f"上升{change}个百分点"
    if change < 0:
        return f"下降{-change}个百分点"
    return "持平"


def target_text(rate: Decimal | None, target: Decimal | None) -> str:
    if target is None:
        return "未设目标"
    target = target.normalize()  # a target is stored with two places: 80.00 reads "目标80%"
    target = target.quantize(Decimal(1)) if target == target.to_integral() else target
    if rate is None:
        return f"目标{target}%，本期无参评主体"
    gap = rate - target
    if gap >= 0:
        return f"目标{target}%，高于目标{gap}个百分点"
    return f"目标{target}%，低于目标{-gap}个百分点"


def combined(rows: list[RateRow | None]) -> tuple[int, int, Decimal | None]:
    """(compliant, active, rate) of both groups together: the ranking's 综合达标率 (ours)."""
    compliant = sum(row.compliant for row in rows if row)
    active = sum(row.active for row in rows if row)
    return compliant, active, rate_percent(compliant, active)


@dataclass
class Headline:
    group: str
    row: RateRow | None
    target: Decimal | None
    last_year: RateRow | None
    previous: RateRow | None

    @property
    def text(self) -> str:
        return rate_text(self.row, self.group)

    @property
    def label(self) -> str:
        return GROUP_LABELS[self.group]


@dataclass
class ChildLine:
    region: Region
    village: RateRow | None
    unit: RateRow | None
    village_last_year: RateRow | None = None
    unit_last_year: RateRow | None = None
    village_previous: RateRow | None = None
    unit_previous: RateRow | None = None

    @property
    def combined(self) -> tuple[int, int, Decimal | None]:
        return combined([self.village, self.unit])

    @property
    def combined_last_year(self) -> tuple[int, int, Decimal | None]:
        return combined([self.village_last_year, self.unit_last_year])


@dataclass
class ReportContent:
    """The figures of one report, read once; ``document()`` writes them out."""

    kind: str
    region: Region
    period: Period
    on: datetime.date
    generated_on: datetime.date
    last_year: Period | None
    previous: Period | None
    headlines: list[Headline]
    children: list[ChildLine]
    departments: list[RateRow]
    trend_labels: list[str]
    trend: dict[str, list[Decimal | None]]
    red: list = field(default_factory=list)
    orange: list = field(default_factory=list)
    cases: object = None
    hazards: object = None
    assignments: object = None
    letters: dict = field(default_factory=dict)
    child_details: dict = field(default_factory=dict)  # region id -> (cases, hazards, red, orange)
    map_png: bytes = b""

    @property
    def child_label(self) -> str:
        return CHILD_LABELS.get(self.region.level, "下级区划")

    @property
    def title(self) -> str:
        return f"{self.region.name}{KIND_TITLES[self.kind]}"

    @property
    def subtitle(self) -> str:
        return f"统计期间：{period_label(self.period)}　　生成日期：{date_text(self.generated_on)}"

    def document(self, *, charts: bool = True) -> Document:
        return write_document(self, charts=charts)


def _months_of(period: Period, today: datetime.date) -> list[Period]:
    """The months of ``period``'s year up to its end, none that has not begun."""
    last = min(period.end, today)
    if last.year != period.year:
        return []
    return [Period.month(period.year, month) for month in range(1, last.month + 1)]


def report_content(
    *, kind: str, region: Region, period: Period, today: datetime.date | None = None, charts: bool = True
) -> ReportContent:
    """The figures of a ``kind`` report of ``region`` for ``period`` (the whole region: whoever generates it
    covers the region, so no figure is narrowed to a department)."""
    today = today or timezone.localdate()
    on = min(period.end, today)
    last_year, previous = same_period_last_year(period), previous_period(period)
    # A comparison period with no event entered at all is not compared with (see ``events_recorded``).
    if last_year is not None and not events_recorded(region, last_year):
        last_year = None
    if previous is not None and not events_recorded(region, previous):
        previous = None
    children = list(region_children(region))
    months = _months_of(period, today)
    periods = [p for p in {period, last_year, previous, *months} if p is not None]
    rows = scoped_rates(scope=None, regions=[region, *children], periods=periods)

    def row(node: Region, chosen: Period | None, group: str) -> RateRow | None:
        return rows.get((node.pk, chosen.key, group)) if chosen is not None else None

    headlines = [
        Headline(
            group=group,
            row=row(region, period, group),
            target=target_value(region=region, year=period.year, group=group),
            last_year=row(region, last_year, group),
            previous=row(region, previous, group) if kind != "bulletin" else None,
        )
        for group in (Group.VILLAGE, Group.UNIT)
    ]
    # The order of ``sanling rates --by child``: the engine's own list, read here as the CLI reads it.
    engine_order = rates_for(scope=None, region=region, period=period, by="child")
    by_code = {node.code: node for node in children}
    ordered = list(dict.fromkeys(line.region_code for line in engine_order))
    lines = []
    for code in ordered:
        node = by_code[code]
        lines.append(
            ChildLine(
                region=node,
                village=row(node, period, Group.VILLAGE),
                unit=row(node, period, Group.UNIT),
                village_last_year=row(node, last_year, Group.VILLAGE),
                unit_last_year=row(node, last_year, Group.UNIT),
                village_previous=row(node, previous, Group.VILLAGE),
                unit_previous=row(node, previous, Group.UNIT),
            )
        )
    trend = {
        GROUP_LABELS[group]: [
            (row(region, month, group).rate if row(region, month, group) else None) for month in months
        ]
        for group in (Group.VILLAGE, Group.UNIT)
    }
    warnings = subject_warnings(region=region, on=on)
    content = ReportContent(
        kind=kind,
        region=region,
        period=period,
        on=on,
        generated_on=today,
        last_year=last_year,
        previous=previous,
        headlines=headlines,
        children=lines,
        departments=department_rows(region=region, period=period, by="department"),
        trend_labels=[f"{month.start.month}月" for month in months],
        trend=trend,
        red=[warning for warning in warnings if warning.colour == "red"],
        orange=[warning for warning in warnings if warning.colour == "orange"],
        cases=case_figures(region=region, period=period, today=today),
        hazards=hazard_figures(region=region, period=period, today=today),
        assignments=assignment_figures(region=region, period=period),
        letters=letter_figures(region=region, period=period),
    )
    if kind != "bulletin":
        paths = {node.pk: node.path for node in Region.objects.filter(pk__in={w.region_id for w in warnings})}
        for line in lines:
            inside = [w for w in warnings if paths.get(w.region_id, "").startswith(line.region.path)]
            content.child_details[line.region.pk] = (
                case_figures(region=line.region, period=period, today=today),
                hazard_figures(region=line.region, period=period, today=today),
                sum(1 for w in inside if w.colour == "red"),
                sum(1 for w in inside if w.colour == "orange"),
            )
    if charts:
        content.map_png = map_chart(region, lines, on=on)
    return content


# -- writing ----------------------------------------------------------------------------------------------


def _rate_cell(row: RateRow | None) -> tuple[str, str]:
    if row is None or not row.active:
        return "—", "—"
    return f"{row.compliant}/{row.active}", percent(row.rate)


def _warning_rows(warnings: list) -> list[list[str]]:
    return [
        [
            str(number),
            w.subject_code,
            w.subject_name,
            GROUP_LABELS.get(w.group, w.group),
            "；".join(w.reasons),
        ]
        for number, w in enumerate(warnings, start=1)
    ]


def _summary(content: ReportContent) -> str:
    village, unit = content.headlines
    parts = []
    for headline in (village, unit):
        if headline.row is None or not headline.row.active:
            parts.append(f"{GROUP_LABELS[headline.group]}无参评主体")
            continue
        noun = "个" if headline.group == Group.VILLAGE else "家"
        parts.append(
            f"参评{GROUP_LABELS[headline.group]}{headline.row.active}{noun}，达标{headline.row.compliant}{noun}，"
            f"达标率{percent(headline.row.rate)}"
        )
    return f"{period_label(content.period)}，{content.region.name}" + "；".join(parts) + "。"


def write_document(content: ReportContent, *, charts: bool = True) -> Document:
    doc = Document(content.title, content.subtitle)
    doc.paragraph(_summary(content))
    label = content.child_label

    # 一、总体达标情况
    doc.heading("一、总体达标情况")
    for headline in content.headlines:
        rate = headline.row.rate if headline.row else None
        last = headline.last_year.rate if headline.last_year else None
        text = f"{headline.text}；{target_text(rate, headline.target)}"
        if content.last_year is not None:
            text += f"；去年同期{_rate_plain(headline.last_year)}，{points(rate, last)}"
        else:
            text += "；去年同期未录入事件，不作比较"
        if content.kind != "bulletin" and content.previous is not None:
            previous = headline.previous.rate if headline.previous else None
            text += f"；上期（{period_label(content.previous)}）{_rate_plain(headline.previous)}，{points(rate, previous)}"
        doc.paragraph(text + "。")

    # 二、各乡镇（街道）达标情况
    doc.heading(f"二、各{label}达标情况")
    village_label, unit_label = GROUP_LABELS[Group.VILLAGE], GROUP_LABELS[Group.UNIT]
    table_rows = []
    for number, line in enumerate(content.children, start=1):
        table_rows.append([str(number), line.region.name, *_rate_cell(line.village), *_rate_cell(line.unit)])
    if table_rows:
        doc.table(
            [
                "序号",
                label,
                f"{village_label}达标",
                f"{village_label}达标率",
                f"{unit_label}达标",
                f"{unit_label}达标率",
            ],
            table_rows,
            widths=[0.6, 2, 1.3, 1.2, 1.4, 1.3],
        )
    else:
        doc.paragraph(f"本区划无下级{label}。")

    # 三、排名
    doc.heading("三、排名情况")
    doc.paragraph(f"（一）{label}排名（按两类主体合计的综合达标率，由高到低）")
    ranked = sorted(
        content.children,
        key=lambda line: (
            -(line.combined[2] if line.combined[2] is not None else Decimal(-1)),
            line.region.code,
        ),
    )
    ranking = []
    for number, line in enumerate(ranked, start=1):
        compliant, active, rate = line.combined
        change = points(rate, line.combined_last_year[2]) if content.last_year else "无可比数据"
        ranking.append([str(number), line.region.name, f"{compliant}/{active}", percent(rate), change])
    if ranking:
        doc.table(
            ["名次", label, "综合达标", "综合达标率", "较去年同期"], ranking, widths=[0.6, 2, 1.3, 1.2, 2]
        )
    else:
        doc.paragraph(NONE)
    doc.paragraph("（二）行业部门排名（按所管企事业单位达标率，由高到低）")
    departments = sorted(
        content.departments,
        key=lambda row: (-(row.rate if row.rate is not None else Decimal(-1)), row.department_code or ""),
    )
    if departments:
        doc.table(
            ["名次", "行业部门", "达标", "达标率"],
            [
                [str(number), row.department_name, f"{row.compliant}/{row.active}", percent(row.rate)]
                for number, row in enumerate(departments, start=1)
            ],
            widths=[0.6, 2.6, 1.4, 1.2],
        )
    else:
        doc.paragraph(NONE)

    # 四、图表
    if charts and (content.map_png or content.trend_labels):
        doc.heading("四、分布与趋势")
        if content.map_png:
            doc.picture(content.map_png, width_mm=150, caption=f"图1　各{label}达标情况分布图")
        if content.trend_labels:
            target = content.headlines[0].target
            doc.picture(
                line_chart(
                    content.trend_labels,
                    content.trend,
                    title=f"{content.period.year}年各月达标率（%）",
                    target=float(target) if target is not None else None,
                ),
                width_mm=150,
                caption="图2　本年度各月达标率走势",
            )
    number = "五" if charts else "四"

    # 五、红色、橙色预警
    doc.heading(f"{number}、红色、橙色预警主体")
    for colour_name, warnings in (("红色预警", content.red), ("橙色预警", content.orange)):
        doc.paragraph(f"{colour_name}：{len(warnings)}个" if warnings else f"{colour_name}：{NONE}")
        if warnings:
            doc.table(
                ["序号", "主体代码", "主体名称", "类别", "预警原因"],
                _warning_rows(warnings),
                widths=[0.6, 1.6, 2.4, 1.2, 3],
            )
    number = _next(number)

    # 六、案件、隐患与逾期工作
    cases, hazards = content.cases, content.hazards
    doc.heading(f"{number}、矛盾纠纷、隐患与逾期工作")
    doc.paragraph(
        f"矛盾纠纷登记{cases.disputes_registered}件，化解{cases.disputes_resolved}件，化解率{percent(cases.dispute_rate)}；"
        f"受理信访{cases.petitions_received}件，办结{cases.petitions_concluded}件，办结率{percent(cases.conclusion_rate)}；"
        f"积案存量{cases.backlog_stock}件。"
    )
    doc.paragraph(
        f"截至{date_text(cases.overdue_on)}，逾期未办结{cases.overdue}件"
        f"（矛盾纠纷{cases.overdue_disputes}件、信访{cases.overdue_petitions}件、信访代理{cases.overdue_agency}件）；"
        f"本期新增{cases.increment}件，存量{cases.stock}件。"
    )
    doc.paragraph(
        f"排查隐患{hazards.found}处（其中重大隐患{hazards.major}处），已整改{hazards.rectified}处，"
        f"整改率{percent(hazards.rectify_rate)}，逾期未整改{hazards.overdue}处。"
    )
    number = _next(number)

    # 七、交办与四函
    doc.heading(f"{number}、交办和“四函”落实情况")
    figures = content.assignments
    if figures.total:
        doc.paragraph(
            f"本期交办{figures.total}件，已办结{figures.done}件，未办结{figures.open}件，其中逾期{figures.overdue}件。"
        )
    else:
        doc.paragraph("本期交办：无。")
    letters = [
        [
            LETTER_LABELS.get(kind, kind),
            *(str(content.letters.get(kind, {}).get(key, 0)) for key in LETTER_COLUMNS),
        ]
        for kind in LETTER_KINDS
    ]
    if any(int(cell) for row in letters for cell in row[1:]):
        doc.table(
            ["函件", "拟发", "已发", "不予发出", "已签收", "逾期未回复"],
            letters,
            widths=[1.4, 1, 1, 1.2, 1, 1.4],
        )
    else:
        doc.paragraph("本期“四函”（提醒函、通报、约谈函、问责函）：无。")

    if content.kind != "bulletin":
        number = _next(number)
        _per_child_sections(doc, content, number)
    return doc


LETTER_COLUMNS = ("proposed", "issued", "declined", "acknowledged", "overdue")
NUMBERS = "一二三四五六七八九十"


def _next(number: str) -> str:
    return NUMBERS[NUMBERS.index(number) + 1]


def _rate_plain(row: RateRow | None) -> str:
    if row is None or not row.active:
        return "无参评主体"
    return f"{row.compliant}/{row.active}（{percent(row.rate)}）"


def _per_child_sections(doc: Document, content: ReportContent, number: str) -> None:
    """The 小结 and the 分析 go town by town: each one's rates against the previous period and last year,
    its casework and hazards, and how many of its subjects are red or orange."""
    doc.heading(f"{number}、分{content.child_label}情况")
    if not content.children:
        doc.paragraph(NONE)
        return
    previous = period_label(content.previous) if content.previous else ""
    for index, line in enumerate(content.children, start=1):
        doc.heading(f"（{_chinese_number(index)}）{line.region.name}", level=2)
        for group, now, before, last in (
            (Group.VILLAGE, line.village, line.village_previous, line.village_last_year),
            (Group.UNIT, line.unit, line.unit_previous, line.unit_last_year),
        ):
            text = rate_text(now, group)
            if now is not None and now.active:
                if content.previous is not None:
                    text += f"，较上期（{previous}）{points(now.rate, before.rate if before else None)}"
                if content.last_year is not None:
                    text += f"，较去年同期{points(now.rate, last.rate if last else None)}"
            doc.paragraph(text + "。")
        cases, hazards, red, orange = content.child_details[line.region.pk]
        doc.paragraph(
            f"矛盾纠纷登记{cases.disputes_registered}件，化解率{percent(cases.dispute_rate)}；"
            f"逾期未办结{cases.overdue}件；隐患{hazards.found}处，整改率{percent(hazards.rectify_rate)}，"
            f"逾期未整改{hazards.overdue}处；红色预警{red}个，橙色预警{orange}个。"
        )


def _chinese_number(number: int) -> str:
    if number <= 10:
        return NUMBERS[number - 1]
    if number < 20:
        return "十" + (NUMBERS[number - 11] if number > 10 else "")
    tens, ones = divmod(number, 10)
    return NUMBERS[tens - 1] + "十" + (NUMBERS[ones - 1] if ones else "")


def report_document(
    *, kind: str, region: Region, period: Period, today: datetime.date | None = None, charts: bool = True
) -> Document:
    """The document of a ``kind`` report of ``region`` for ``period``."""
    return report_content(kind=kind, region=region, period=period, today=today, charts=charts).document(
        charts=charts
    )
