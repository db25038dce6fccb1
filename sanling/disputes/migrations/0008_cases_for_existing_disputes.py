"""Every dispute recorded before casework gets its case (work item) under its own ref, with the level it
reached (a resolved one: at least where it was resolved) and closed if its status is a closed one."""

from django.db import migrations

LEVELS = ("group", "village", "town", "county")
CLOSED = {"resolved", "failed", "petitioned", "litigated"}
BATCH = 2000


def open_cases(apps, schema_editor):
    Dispute = apps.get_model("disputes", "Dispute")
    WorkItem = apps.get_model("work", "WorkItem")
    pending = Dispute.objects.filter(case__isnull=True).order_by("pk")
    while True:
        batch = list(pending[:BATCH])
        if not batch:
            return
        items = []
        for dispute in batch:
            if dispute.resolved_level and LEVELS.index(dispute.resolved_level) > LEVELS.index(dispute.level):
                dispute.level = dispute.resolved_level
            closed = dispute.status in CLOSED
            items.append(
                WorkItem(
                    ref=dispute.ref,
                    kind="dispute",
                    subject_id=dispute.subject_id,
                    title=dispute.summary[:200],
                    step=dispute.status,
                    opened_on=dispute.reported_on,
                    closed_on=(dispute.resolved_on or dispute.reported_on) if closed else None,
                )
            )
        WorkItem.objects.bulk_create(items)
        by_ref = dict(WorkItem.objects.filter(ref__in=[d.ref for d in batch]).values_list("ref", "pk"))
        for dispute in batch:
            dispute.case_id = by_ref[dispute.ref]
        Dispute.objects.bulk_update(batch, ["case", "level"])


class Migration(migrations.Migration):
    dependencies = [("disputes", "0007_dispute_case_dispute_diagnosis_dispute_follow_up_on_and_more"), ("work", "0002_deadline_presets")]
    operations = [migrations.RunPython(open_cases, migrations.RunPython.noop)]
