"""Scheduled work of the work items (huey): the daily reminders at 07:00 local time.

The consumer (``sanling run_huey``) runs it; ``sanling remind`` runs the same by hand. Both call
``reminders.remind``, whose notifications are once a day per user and item, so a missed or repeated run is
harmless.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sanling.audit.context import acting, command_actor

from .reminders import RemindSummary, remind


@db_periodic_task(crontab(hour="7", minute="0"))
def daily_reminders() -> RemindSummary:
    from django.utils import timezone

    with acting(command_actor()):
        return remind(on=timezone.localdate())
