"""The demo county's organisations and the handlers who work its cases.

郾城区 works "依托区、镇、村三级综治中心" (the seeds), with a 人民调解委员会 in every village (淞江街道: "在每个村
建立人民调解委员会") and a 一站式矛调中心 in the towns (龙城镇); 孟庙镇's 三级过滤网 has "司法所承上启下". So each
village and community gets its 调委会 and 综治中心, each town and street its 矛调中心, 综治中心, 司法所 and 派出所,
and the county its 矛调中心, 综治中心, 信访局 and an office per department: all written through
``organisation_create`` (audited as the demo's).

Three handlers log in to walk a case up the 三级过滤网 (组 → 村 → 镇 → 县): a member of a 孟庙镇 village's
调委会, the 孟庙镇 矛调中心 and the county's 信访局, each a member of their organisation.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from sanling.departments.models import Department
from sanling.organisations.models import Organisation, OrganisationKind
from sanling.organisations.services import organisation_create, organisation_update
from sanling.regions.models import Region

from .county import COUNTY

K = OrganisationKind
# (code suffix, name suffix, kind) of the organisations at each level of the region tree.
VILLAGE_ORGANISATIONS = [
    ("TWH", "人民调解委员会", K.MEDIATION_COMMITTEE),
    ("ZZZX", "综治中心", K.COMPREHENSIVE_CENTRE),
]
TOWN_ORGANISATIONS = [
    ("MTZX", "矛盾纠纷调处化解中心", K.MEDIATION_CENTRE),
    ("ZZZX", "综治中心", K.COMPREHENSIVE_CENTRE),
    ("SFS", "司法所", K.JUSTICE_OFFICE),
    ("PCS", "派出所", K.POLICE_STATION),
]
COUNTY_ORGANISATIONS = [
    ("MTZX", "矛盾纠纷调处化解中心", K.MEDIATION_CENTRE),
    ("ZZZX", "综治中心", K.COMPREHENSIVE_CENTRE),
    ("XFJ", "信访局", K.PETITION_OFFICE),
]

# The town of the 三级过滤网 (孟庙镇) and its first village (its one community is 001, its villages 202…),
# where the walk-through case starts; the 李集-like town of the 72 petitions (李集镇).
MENGMIAO = "411103107000"
MENGMIAO_VILLAGE = "411103107202"
LIJI = "411103104000"


def organisation_code(region_code: str, suffix: str) -> str:
    """The demo's organisation code: the region's code and the kind's short name (411103107201-TWH)."""
    return f"{region_code}-{suffix}"


# (login, name, role, region code, organisation code, description): the handlers, printed with the logins.
DEMO_HANDLERS = [
    (
        "tiaojie",
        "调解员老张",
        "grid_worker",
        MENGMIAO_VILLAGE,
        organisation_code(MENGMIAO_VILLAGE, "TWH"),
        "村调委会调解员：孟庙镇第一个行政村的人民调解委员会，组、村两级调解，上交到镇",
    ),
    (
        "maodiao",
        "孟庙镇矛调中心",
        "town_operator",
        MENGMIAO,
        organisation_code(MENGMIAO, "MTZX"),
        "乡镇矛调中心：孟庙镇，接村里上交的纠纷，化解或转信访",
    ),
    (
        "xinfang",
        "区信访局",
        "county_admin",
        COUNTY[0],
        organisation_code(COUNTY[0], "XFJ"),
        "县信访局：到区的信访件、积案（四定四包）和逾期件",
    ),
]


def _specs() -> list[dict]:
    """Every organisation of the demo county that the region tree and departments call for, in tree order."""
    specs = []
    regions = Region.objects.filter(path__startswith=Region.objects.get(code=COUNTY[0]).path)
    for region in regions.filter(level__in=["county", "town", "village"]).order_by("path"):
        if region.level == "village":
            kinds = VILLAGE_ORGANISATIONS
        elif region.level == "town":
            kinds = TOWN_ORGANISATIONS
        else:
            kinds = COUNTY_ORGANISATIONS
        for suffix, name, kind in kinds:
            specs.append(
                {
                    "code": organisation_code(region.code, suffix),
                    "name": f"{region.name}{name}",
                    "kind": kind,
                    "region": region,
                }
            )
    county = Region.objects.get(code=COUNTY[0])
    for department in Department.objects.order_by("code"):
        specs.append(
            {
                "code": organisation_code(COUNTY[0], department.code),
                "name": department.name,
                "kind": K.DEPARTMENT,
                "region": county,
                "department": department,
            }
        )
    return specs


@transaction.atomic
def demo_organisations_create() -> int:
    """Create the demo county's organisations that do not exist yet (a rerun creates none). Returns how many."""
    existing = set(Organisation.objects.values_list("code", flat=True))
    created = 0
    for spec in _specs():
        if spec["code"] not in existing:
            organisation_create(**spec)
            created += 1
    return created


@transaction.atomic
def demo_memberships_set() -> None:
    """Each handler belongs to their organisation (and heads it, except the village mediator: the 调委会's
    head is its chair); a rerun that finds them there writes nothing."""
    User = get_user_model()
    for username, _name, _role, _region, organisation_code_, _description in DEMO_HANDLERS:
        user = User.objects.filter(username=username).first()
        organisation = Organisation.objects.filter(code=organisation_code_).first()
        if user is None or organisation is None:
            continue
        changes = {}
        if not organisation.members.filter(pk=user.pk).exists():
            changes["members"] = [*organisation.members.all(), user]
        if username != "tiaojie" and organisation.head_id != user.pk:
            changes["head"] = user
        if changes:
            organisation_update(organisation=organisation, version=None, **changes)
