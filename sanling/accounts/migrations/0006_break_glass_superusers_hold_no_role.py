"""Separation of duties for the accounts already there.

County administrators keep their role: it still means the county's business data (imports included); only
account management moved to the new system administrator, which no account holds yet (the operator makes
the first with ``sanling createadmin``, docs/operations.md). Two things an older deployment may hold would
combine duties, and are taken apart here:

- a superuser who also has a role: the superuser is now a break-glass account that holds no role, so the
  account keeps its role and loses the superuser and staff flags (the operator makes a dedicated
  break-glass account with ``sanling createsuperuser``);
- a staff flag on anyone else: the admin site is for superusers only, the flag gives nothing but a way in.

Reversing leaves the flags off: which accounts had them is not recorded, and putting them back by guess
would combine the duties again.
"""

from django.db import migrations


def take_duties_apart(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Profile = apps.get_model("accounts", "Profile")
    with_role = Profile.objects.exclude(role="").values("user_id")
    User.objects.filter(is_superuser=True, pk__in=with_role).update(is_superuser=False, is_staff=False)
    User.objects.filter(is_superuser=False, is_staff=True).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_roles_separation_of_duties"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(take_duties_apart, migrations.RunPython.noop)]
