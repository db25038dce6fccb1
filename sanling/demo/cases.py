"""A year of cases in the demo county, worked through the dispute and petition services.

* The year's 867 disputes (the seeds: "排查各类矛盾纠纷867起，化解率达96%以上") are the demo county's dispute
  rows, each worked up the 三级过滤网 (孟庙镇: 村民组 → 村 → 镇, then the county) to the level the row says it
  was settled at: registered at the 组 by the village's 调委会, mediated, 上交 one level at a time, resolved by
  a method, often visited afterwards (回访). The few that were not settled are still being mediated, wait at the
  level they were handed up to, or failed; of those some went to court (诉讼断后) and some became petitions,
  kept at town level: a petition at county level records a petition event and would change the year's
  达标率, which the demo keeps at the seeds' 90.71% and 97.71%. These 867 are replayed in memory by the
  services' rules and written at once (``disputes.history.dispute_histories_load``): one step at a time
  they took six minutes, together about ten seconds; what happens to them next goes through the services.
* 李集镇 (the seeds: "今年以来，该镇共接待信访案件72件，全部得到有效化解") receives 72 petitions at town and village
  level, all concluded (72/72 = 100%), and runs 9 信访代理 cases (中站区: "共代理案件9起，办结率和满意率均达到
  89%"): 8 concluded, all satisfied, one still being handled (8/9 = 88.89%).
* Today's work (dated after the demo year, so its figures stay as they are): open disputes in 孟庙镇 due in a
  few days and overdue, a case resolved at the town, and the 信访局's petitions — one turned from a 孟庙镇
  dispute, one overdue, one due for acceptance, and one 积案 with its 四定四包 checklist partly ticked.

Everything else goes one step at a time through the services. Everything is deterministic (its own random stream, so the county itself is unchanged) and audited as the
demo's; the steps of the three demo handlers are recorded as theirs, so their timelines read true.
"""

import datetime
import random
from collections import Counter
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import transaction
from stdnum.cn import ric

from sanling.audit.context import Actor, acting, current_actor
from sanling.audit.models import Source
from sanling.disputes.history import DisputeHistory, dispute_histories_load
from sanling.disputes.models import LEVEL_ORDER, Dispute
from sanling.disputes.services import (
    dispute_create,
    dispute_escalate,
    dispute_fail,
    dispute_follow_up,
    dispute_mediate,
    dispute_resolve,
    dispute_to_petition,
)
from sanling.organisations.models import Organisation
from sanling.organisations.selectors import mediator_for
from sanling.petitions.models import Petition
from sanling.petitions.services import (
    agency_advance,
    agency_create,
    backlog_check,
    backlog_flag,
    petition_accept,
    petition_conclude,
    petition_create,
    petition_extend,
    petition_reply,
    petition_review,
)
from sanling.regions.models import Region, codes_in_path
from sanling.subjects.models import Subject
from sanling.work.selectors import rule_set_for

from .county import GIVEN, PETITION_TITLES, SURNAMES, DemoCounty
from .organisations import LIJI, MENGMIAO, MENGMIAO_VILLAGE, organisation_code

CASES_SEED = 17  # the cases' own random stream: the county's draws stay as they were
LIJI_PETITIONS = 72
AGENCY_CASES = 9
AGENCY_CONCLUDED = 8
LIJI_PETITION_TITLES = [
    "土地承包经营权流转纠纷",
    "宅基地界址争议",
    "农村低保评定有异议",
    "拖欠农民工工资",
    "征地补偿款分配",
    "邻里排水纠纷",
    "村务公开不到位",
    "养老保险补缴",
    "危房改造补助",
    "道路修建占地补偿",
]
AGENCY_TITLES = [
    "跨区劳动报酬追索，须提请市人社部门处理",
    "涉法涉诉复查，须提请上级法院",
    "异地征地补偿，须提请市自然资源部门",
    "退役军人待遇认定，须提请市退役军人事务局",
]
AGREEMENTS = [
    "双方自愿达成协议，一次性赔偿并当场履行。",
    "经调解，双方同意按原界址重新确认，互不追究。",
    "双方同意分期支付，由村调委会监督履行。",
    "经释法明理，申请人撤回诉求，双方和好。",
]
WALK_SUMMARY = "邻里宅基地滴水檐纠纷"  # the case the docs walk through as each handler


@transaction.atomic
def demo_cases_load(*, county: DemoCounty, year: int, today: datetime.date) -> Counter:
    """Write the demo's cases (see the module). Returns counts of what was written, by kind."""
    loader = _Loader(county=county, year=year, today=today)
    loader.disputes_of_the_year()
    loader.liji_petitions()
    loader.agency_cases()
    loader.current_cases()
    return loader.counts


class _Loader:
    def __init__(self, *, county: DemoCounty, year: int, today: datetime.date):
        self.county, self.year, self.today = county, year, today
        self.rng = random.Random(CASES_SEED)
        self.counts: Counter = Counter()
        self.subjects = {subject.code: subject for subject in Subject.objects.select_related("region")}
        self.users = {user.username: user for user in get_user_model().objects.all()}
        self.year_end = min(datetime.date(year, 12, 31), today)
        self.mediators: dict = {}
        self.rules = rule_set_for(next(iter(self.subjects.values())))
        paths = dict(
            Region.objects.filter(code__in=[MENGMIAO_VILLAGE, MENGMIAO, LIJI]).values_list("code", "path")
        )

        def within(code: str) -> set[str]:
            return {
                subject.code
                for subject in self.subjects.values()
                if subject.region.path.startswith(paths[code])
            }

        self.in_walk_village, self.in_mengmiao, self.in_liji = (
            within(MENGMIAO_VILLAGE),
            within(MENGMIAO),
            within(LIJI),
        )

    # Who acts -------------------------------------------------------------------------------------------

    @contextmanager
    def by(self, username: str | None):
        """Record the steps inside as ``username``'s (a demo handler) when they took them, else the demo's."""
        user = self.users.get(username) if username else None
        if user is None:
            yield
            return
        with acting(Actor(user=user, name=username, source=current_actor().source or Source.CLI)):
            yield

    def mediator_login(self, subject_code: str, level: str) -> str | None:
        if subject_code in self.in_walk_village and level in ("group", "village"):
            return "tiaojie"
        if subject_code in self.in_mengmiao and level == "town":
            return "maodiao"
        return None

    def handler(self, subject_code: str, level: str):
        login = self.mediator_login(subject_code, level)
        return self.users.get(login) if login else None

    # The year's disputes ----------------------------------------------------------------------------------

    def disputes_of_the_year(self) -> None:
        """The year's disputes, each with its whole path, written at once (``dispute_histories_load``: step by
        step through the services they would take six minutes); those that then became petitions go on
        through the services."""
        histories, to_petition = [], []
        for (
            ref,
            code,
            reported,
            category,
            summary,
            status,
            level,
            resolved_on,
            method,
        ) in self.county.disputes:
            reported = datetime.date.fromisoformat(reported)
            history = DisputeHistory(
                ref=ref,
                subject=self.subjects[code],
                reported_on=reported,
                category=category,
                summary=summary,
                organisation=self.mediator(code, "group"),
                handler=self.handler(code, "group"),
                by=self.handler(code, "group"),
                rule_set=self.rules,
            )
            history.mediate(
                on=reported,
                by=self.handler(code, "group"),
                diagnosis="clinic" if self.rng.random() < 0.3 else "",
            )
            if status == "resolved":
                self.resolved_history(history, level, datetime.date.fromisoformat(resolved_on), method)
            elif self.unresolved_history(history, status):
                to_petition.append(history)
            histories.append(history)
        dispute_histories_load(histories, note="演示数据：全年矛盾纠纷及其办理过程")
        self.counts["disputes"] += len(histories)
        for history in to_petition:
            code, until = history.dispute.subject.code, history.steps[-1].on
            with self.by(self.mediator_login(code, history.level)):
                petition = dispute_to_petition(
                    dispute=Dispute.objects.get(ref=history.dispute.ref),
                    on=until,
                    petition_level="town",
                    channel="visit",
                    visit_mode="open_door",
                    note="调解不成，当事人到镇综治中心信访。",
                )
            self.work_petition(petition, received=until, concluded=True)
            self.counts["petitioned"] += 1

    def mediator(self, code: str, level: str):
        """The organisation that mediates at ``level`` for the subject ``code`` (looked up once per place)."""
        region = self.subjects[code].region
        # The same organisations serve a whole village (its grids too), town or county.
        key = (tuple(codes_in_path(region.path)[: {"county": 3, "town": 4}.get(level, 5)]), level)
        if key not in self.mediators:
            self.mediators[key] = mediator_for(region, level)
        return self.mediators[key]

    def climb_history(self, history, *, to_level: str, first, last, mediate: bool = True) -> None:
        """The history's 上交, one level at a time to ``to_level`` on days between ``first`` and ``last``."""
        code = history.dispute.subject.code
        levels = LEVEL_ORDER[LEVEL_ORDER.index(history.level) + 1 : LEVEL_ORDER.index(to_level) + 1]
        days = sorted(self.rng.randint(0, (last - first).days) for _level in levels)
        for number, (level, day) in enumerate(zip(levels, days, strict=True), start=1):
            on = first + datetime.timedelta(days=day)
            history.escalate(
                on=on,
                to_level=level,
                by=self.handler(code, history.level),
                organisation=self.mediator(code, level),
                handler=self.handler(code, level),
                note="本级调解未果，依三级过滤网上交。",
            )
            if mediate or number < len(levels):
                history.mediate(
                    on=on,
                    by=self.handler(code, level),
                    diagnosis="consultation" if level in ("town", "county") else "",
                )

    def resolved_history(self, history, level, resolved_on, method) -> None:
        reported, code = history.dispute.reported_on, history.dispute.subject.code
        self.climb_history(history, to_level=level, first=reported, last=resolved_on)
        by = self.handler(code, level)
        history.resolve(on=resolved_on, method=method, by=by, agreement=self.rng.choice(AGREEMENTS))
        if self.rng.random() < 0.5:
            visit = min(resolved_on + datetime.timedelta(days=self.rng.randint(3, 15)), self.year_end)
            satisfaction = self.rng.choices(["satisfied", "basically"], weights=[85, 15])[0]
            history.follow_up(on=visit, satisfaction=satisfaction, by=by, note="电话回访")
        self.counts["resolved"] += 1

    def unresolved_history(self, history, status) -> bool:
        """The path of a dispute that was not settled in the year; True if it is to become a petition."""
        reported, code = history.dispute.reported_on, history.dispute.subject.code
        until = min(reported + datetime.timedelta(days=20), self.year_end)
        if status == "mediating":
            if self.rng.random() < 0.5:
                self.climb_history(history, to_level="village", first=reported, last=until)
            return False
        if status == "escalated":
            to_level = self.rng.choice(["village", "town"])
            self.climb_history(history, to_level=to_level, first=reported, last=until, mediate=False)
            return False
        # Failed, then perhaps to court or to the town's 信访 (never in 李集镇: its 72 petitions stand alone).
        self.climb_history(history, to_level="village", first=reported, last=until)
        by = self.handler(code, "village")
        history.fail(on=until, by=by, note="双方分歧较大，调解不成。")
        roll = self.rng.random()
        if roll < 0.35:
            history.to_litigation(on=until, by=by, note="告知当事人依法起诉。")
            self.counts["litigated"] += 1
            return False
        return roll < 0.7 and code not in self.in_liji

    def register(self, fields: dict, on: datetime.date):
        code = fields["subject"].code
        with self.by(self.mediator_login(code, "group")):
            dispute = dispute_create(
                reported_on=on, level="group", handler=self.handler(code, "group"), **fields
            )
            return dispute_mediate(
                dispute=dispute, on=on, diagnosis="clinic" if self.rng.random() < 0.3 else ""
            )

    def climb(
        self, dispute, *, to_level: str, first: datetime.date, last: datetime.date, mediate: bool = True
    ):
        """上交 one level at a time from where the dispute is to ``to_level``, on days between ``first`` and
        ``last``, each level taking it up (mediating) the day it arrives unless ``mediate`` is off for the last."""
        code = dispute.subject.code
        levels = LEVEL_ORDER[LEVEL_ORDER.index(dispute.level) + 1 : LEVEL_ORDER.index(to_level) + 1]
        span = (last - first).days
        days = sorted(self.rng.randint(0, span) for _level in levels)
        for number, (level, day) in enumerate(zip(levels, days, strict=True), start=1):
            on = first + datetime.timedelta(days=day)
            with self.by(self.mediator_login(code, dispute.level)):
                dispute = dispute_escalate(
                    dispute=dispute,
                    on=on,
                    to_level=level,
                    handler=self.handler(code, level),
                    note="本级调解未果，依三级过滤网上交。",
                )
            if mediate or number < len(levels):
                with self.by(self.mediator_login(code, level)):
                    dispute = dispute_mediate(
                        dispute=dispute,
                        on=on,
                        diagnosis="consultation" if level in ("town", "county") else "",
                    )
        return dispute

    # Petitions --------------------------------------------------------------------------------------------

    def work_petition(
        self, petition, *, received, concluded: bool, review: bool = False, by: str | None = None
    ):
        """受理 → 办理 → 答复 (→ 复查) → 终结 within the year, at the pace the rule set allows."""
        last = self.year_end
        accept = min(received + datetime.timedelta(days=self.rng.randint(0, 5)), last)
        reply = min(accept + datetime.timedelta(days=self.rng.randint(7, 50)), last)
        conclude = min(reply + datetime.timedelta(days=self.rng.randint(0, 20)), last)
        with self.by(by):
            petition = petition_accept(petition=petition, on=accept, note="已受理并书面告知信访人。")
            petition = petition_reply(petition=petition, on=reply, note="已书面答复办理意见。")
            if review:
                petition = petition_review(petition=petition, on=reply, note="信访人不服，申请复查。")
            if concluded:
                satisfaction = self.rng.choices(["satisfied", "basically"], weights=[88, 12])[0]
                petition = petition_conclude(
                    petition=petition, on=conclude, satisfaction=satisfaction, note="回访满意，事项终结。"
                )
        return petition

    def petitioner(self) -> dict:
        """A petitioner with a valid 居民身份证号码: born 1986–2003 in what was then 郾城县 (411123; the number
        keeps the code of the place and year of issue, and 411103 郾城区 dates from 2004)."""
        born = datetime.date(1986, 1, 1) + datetime.timedelta(days=self.rng.randrange(365 * 18))
        body = f"411123{born:%Y%m%d}{self.rng.randint(0, 999):03d}"
        return {
            "petitioner_name": self.rng.choice(SURNAMES)
            + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2))),
            "petitioner_id_number": body + ric.calc_check_digit(body + "0"),  # it takes a full number
            "petitioner_phone": f"1{self.rng.choice('3589')}{self.rng.randint(0, 999_999_999):09d}",
        }

    def liji_petitions(self) -> None:
        """李集镇: 72 petitions received at town (most) and village level over the year, all concluded."""
        villages = [
            code for code in sorted(self.in_liji) if self.subjects[code].kind in ("village", "community")
        ]
        last_day = min(datetime.date(self.year, 11, 15), self.year_end)
        span = (last_day - datetime.date(self.year, 1, 1)).days
        days = sorted(self.rng.randrange(span + 1) for _ in range(LIJI_PETITIONS))
        self.liji = []
        for number, day in enumerate(days, start=1):
            received = datetime.date(self.year, 1, 1) + datetime.timedelta(days=day)
            channel = self.rng.choices(["visit", "letter", "phone", "online"], weights=[60, 15, 15, 10])[0]
            collective = number in (23, 51)
            petition = petition_create(
                ref=f"P{self.year}LJ{number:03d}",
                subject=self.subjects[self.rng.choice(villages)],
                received_on=received,
                level=self.rng.choices(["town", "village"], weights=[75, 25])[0],
                channel=channel,
                visit_mode=self.rng.choice(["open_door", "appointment", "home_visit"])
                if channel == "visit"
                else "",
                summary=self.rng.choice(LIJI_PETITION_TITLES),
                repeat=self.rng.random() < 0.1,
                collective=collective,
                people_count=self.rng.randint(5, 12) if collective else 1,
                claim=self.rng.choices(["reasonable", "unreasonable"], weights=[80, 20])[0],
                **self.petitioner(),
            )
            self.liji.append(
                self.work_petition(petition, received=received, concluded=True, review=number % 12 == 0)
            )
            self.counts["liji_petitions"] += 1

    def agency_cases(self) -> None:
        """李集镇's 信访代理: 9 matters beyond the town's power carried by an agent; 8 concluded."""
        linked = self.rng.sample(self.liji[:-6], AGENCY_CASES)
        linked.sort(key=lambda petition: petition.received_on)
        organisation = Organisation.objects.get(code=organisation_code(LIJI, "ZZZX"))
        steps = ["agent_assigned", "filed", "handling", "feedback", "concluded"]
        for number, petition in enumerate(linked, start=1):
            applied = petition.received_on + datetime.timedelta(days=self.rng.randint(1, 5))
            agency = agency_create(
                ref=f"A{self.year}LJ{number:02d}",
                subject=petition.subject,
                applied_on=applied,
                summary=self.rng.choice(AGENCY_TITLES),
                organisation=organisation,
                petition=petition,
                applicant_name=petition.petitioner_name,
            )
            concluded = number <= AGENCY_CONCLUDED
            last = self.year_end if concluded else min(applied + datetime.timedelta(days=12), self.year_end)
            span = (last - applied).days
            days = sorted(self.rng.randint(0, span) for _step in steps)
            for step, day in zip(steps, days, strict=True):
                if step in ("feedback", "concluded") and not concluded:
                    break
                agency = agency_advance(
                    agency=agency,
                    on=applied + datetime.timedelta(days=day),
                    agent_name=f"{self.rng.choice(SURNAMES)}{self.rng.choice(GIVEN)}（镇信访代理员）"
                    if step == "agent_assigned"
                    else "",
                    higher_authority_required=True if step == "filed" else None,
                    satisfaction="satisfied" if step == "concluded" else "",
                )
            self.counts["agency"] += 1

    # Today's work -----------------------------------------------------------------------------------------

    def ago(self, days: int) -> datetime.date:
        """``days`` before today, but never inside the demo year (whose figures are the seeds')."""
        return max(self.today - datetime.timedelta(days=days), datetime.date(self.year + 1, 1, 1))

    def current_cases(self) -> None:
        village_subject = next(
            code
            for code in sorted(self.in_walk_village)
            if self.subjects[code].kind in ("village", "community")
        )
        other_villages = sorted(
            code
            for code in self.in_mengmiao - self.in_walk_village
            if self.subjects[code].kind in ("village", "community")
        )
        ref_number = 0

        def fields(summary: str, subject_code: str = village_subject) -> dict:
            nonlocal ref_number
            ref_number += 1
            return {
                "ref": f"D{self.year + 1}MM{ref_number:03d}",
                "subject": self.subjects[subject_code],
                "category": "邻里纠纷",
                "summary": summary,
            }

        # With the village's 调委会 (tiaojie): one just registered, one due in four days, one overdue.
        with self.by("tiaojie"):
            dispute_create(
                reported_on=self.ago(2),
                level="group",
                handler=self.users.get("tiaojie"),
                **fields("相邻通道堆放杂物纠纷"),
            )
        self.register(fields("承包地边界纠纷"), self.ago(26))
        self.register(fields("赡养老人费用分担纠纷"), self.ago(41))
        # With the town's 矛调中心 (maodiao): one overdue there, one handed up waiting and due in three days.
        dispute = self.register(fields("宅基地通行权纠纷"), self.ago(50))
        self.climb(dispute, to_level="town", first=self.ago(45), last=self.ago(37))
        dispute = self.register(fields("养殖异味扰邻纠纷"), self.ago(33))
        self.climb(dispute, to_level="town", first=self.ago(27), last=self.ago(27), mediate=False)
        # The walk-through: registered at the 组, mediated at the 村, handed up, resolved at the 镇, visited.
        dispute = self.register(fields(WALK_SUMMARY), self.ago(20))
        dispute = self.climb(dispute, to_level="town", first=self.ago(16), last=self.ago(9))
        with self.by("maodiao"):
            dispute = dispute_resolve(
                dispute=dispute,
                on=self.ago(5),
                method="people",
                agreement=AGREEMENTS[1],
                note="镇矛调中心会诊化解。",
            )
            dispute_follow_up(dispute=dispute, on=self.ago(2), satisfaction="satisfied", note="上门回访")
        # A 孟庙镇 dispute the town could not settle, now a petition at the county's 信访局 (records its event).
        dispute = self.register(fields("土地流转租金纠纷", other_villages[0]), self.ago(70))
        dispute = self.climb(dispute, to_level="town", first=self.ago(66), last=self.ago(60))
        with self.by("maodiao"):
            dispute = dispute_fail(dispute=dispute, on=self.ago(35), note="当事人不接受调解方案。")
            petition = dispute_to_petition(
                dispute=dispute,
                on=self.ago(30),
                petition_level="county",
                channel="visit",
                visit_mode="open_door",
                **self.petitioner(),
            )
        with self.by("xinfang"):
            petition_accept(petition=petition, on=self.ago(28), note="已受理并告知信访人。")
        self.counts["current_disputes"] += 8
        self.county_petitions()

    def county_petitions(self) -> None:
        """The 信访局's queue: petitions at county level on villages that already petitioned the county in
        the demo year (repeat petitioners), one overdue, one due for acceptance, one a 积案."""
        repeat_villages = sorted(
            {
                row[2]
                for row in self.county.events
                if row[1] == "petition" and row[5] == "county" and row[6] != "是"
            }
        ) or sorted(self.in_walk_village)  # another seed may have none: the walk's village then
        xinfang = self.users.get("xinfang")
        county_office = Organisation.objects.get(code=organisation_code("411103000000", "XFJ"))

        def create(number: int, received: datetime.date, channel: str, summary: str, **extra) -> Petition:
            return petition_create(
                ref=f"P{self.year + 1}XF{number:03d}",
                subject=self.subjects[repeat_villages[number % len(repeat_villages)]],
                received_on=received,
                level="county",
                channel=channel,
                summary=summary,
                organisation=county_office,
                handler=xinfang,
                repeat=True,
                claim="reasonable",
                **self.petitioner(),
                **extra,
            )

        with self.by("xinfang"):
            overdue = create(1, self.ago(95), "letter", PETITION_TITLES[0])
            petition_accept(petition=overdue, on=self.ago(85), note="已受理并告知信访人。")
            create(2, self.ago(12), "online", PETITION_TITLES[4])  # due for 受理告知 in three days
            backlog = create(
                3,
                self.ago(200),
                "visit",
                PETITION_TITLES[2],
                visit_mode="appointment",
                collective=True,
                people_count=7,
            )
            backlog = petition_accept(petition=backlog, on=self.ago(190), note="已受理并告知信访人。")
            backlog = petition_extend(
                petition=backlog, on=self.ago(135), note="涉及多个部门，延期三十日办理。"
            )
            backlog = petition_reply(petition=backlog, on=self.ago(110), note="答复：督促建设单位分期支付。")
            backlog = petition_review(petition=backlog, on=self.ago(95), note="信访人不服，申请复查。")
            entry = backlog_flag(
                item=backlog.case,
                on=self.ago(90),
                responsible_organisation=county_office,
                responsible_person="王建军（区信访局副局长）",
                leader="刘志强（区委常委、政法委书记）",
                deadline=self.today + datetime.timedelta(days=30),
            )
            for code, days in (
                ("fix_leader", 90),
                ("fix_staff", 90),
                ("fix_plan", 80),
                ("own_investigation", 60),
            ):
                entry = backlog_check(backlog=entry, code=code, done_on=self.ago(days))
        self.counts["county_petitions"] += 3
