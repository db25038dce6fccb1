from django.db import migrations


def create_open_placements(apps, schema_editor):
    Subject = apps.get_model("subjects", "Subject")
    SubjectPlacement = apps.get_model("subjects", "SubjectPlacement")
    placed = set(SubjectPlacement.objects.values_list("subject_id", flat=True))
    SubjectPlacement.objects.bulk_create(
        SubjectPlacement(subject_id=subject_id, region_id=region_id, department_id=department_id)
        for subject_id, region_id, department_id in Subject.objects.values_list("id", "region_id", "department_id")
        if subject_id not in placed
    )


class Migration(migrations.Migration):
    dependencies = [("subjects", "0002_subjectplacement")]
    operations = [migrations.RunPython(create_open_placements, migrations.RunPython.noop)]
