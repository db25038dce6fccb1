"""The daily reminders on fixed dates: handlers hear of cases due within 3 days and of overdue ones, the
organisation's head once a case is 3 days overdue; once a day each, in the app, by e-mail and by text."""

import datetime
import io
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from sanling.work.models import Notification
from sanling.work.reminders import remind
from sanling.work.services import work_item_open
from sanling.work.sms import HttpSmsBackend, LogSmsBackend, SmsError, SmsMessage

pytestmark = pytest.mark.django_db

# The seed's deadline: received 2025-03-01, reply due within 7 days (2025-03-08).
RECEIVED = datetime.date(2025, 3, 1)
DUE = datetime.date(2025, 3, 8)


@pytest.fixture
def cases(casework, settings):
    """Two open cases due 2025-03-08 (a petition of 金牛 with grid_a as handler, held by the 金牛 调委会; a
    dispute of 沙北 without a handler, held by the 沙北 矛调中心, whose member and head is town_a) and one
    closed case."""
    settings.SANLING_REMIND_DUE_DAYS = 3
    settings.SANLING_REMIND_HEAD_AFTER_DAYS = 3
    settings.SANLING_REMIND_EMAIL = True
    settings.SANLING_SMS_BACKEND = "sanling.work.sms.LogSmsBackend"
    world = dict(casework)
    common = {"opened_on": RECEIVED, "due_on": DUE, "subject": casework["jinniu_village"]}
    world["petition"] = work_item_open(
        ref="JN-XF-2025-001",
        kind="petition",
        title="来信反映路灯不亮",
        step="received",
        organisation=casework["org_jinniu"],
        handler=casework["grid_a"],
        **common,
    )
    world["dispute"] = work_item_open(
        ref="SB-TJ-2025-007",
        kind="dispute",
        title="邻里宅基地纠纷",
        step="mediating",
        organisation=casework["org_shabei"],
        **common,
    )
    world["closed"] = work_item_open(
        ref="SB-TJ-2025-001",
        kind="dispute",
        title="已化解",
        step="resolved",
        organisation=casework["org_shabei"],
        closed_on=RECEIVED,
        **common,
    )
    for key, email in (("grid_a", "grid_a@example.cn"), ("town_a", "")):
        casework[key].email = email
        casework[key].save()
    return world


def told(on: datetime.date) -> set[tuple[str, str, str]]:
    return {
        (n.user.username, n.item.ref, n.kind)
        for n in Notification.objects.filter(on=on).select_related("user", "item")
    }


def test_nothing_is_said_four_days_before_the_due_date(cases):
    remind(on=DUE - datetime.timedelta(days=4))
    assert not Notification.objects.exists()


def test_the_handler_hears_three_days_before_the_due_date(cases):
    on = datetime.date(2025, 3, 5)
    summary = remind(on=on)
    assert ("grid_a", "JN-XF-2025-001", "due_soon") in told(on)
    assert (
        Notification.objects.get(user=cases["grid_a"]).message
        == "案件 JN-XF-2025-001（来信反映路灯不亮）将于 2025-03-08 到期。"
    )
    assert summary.due_soon == 2  # grid_a for the petition, town_a (the 矛调中心's member) for the dispute


def test_the_members_are_told_when_there_is_no_handler(cases):
    on = datetime.date(2025, 3, 8)
    remind(on=on)
    assert ("town_a", "SB-TJ-2025-007", "due_soon") in told(on)


def test_an_overdue_case_is_told_every_day_until_closed(cases):
    for on in (datetime.date(2025, 3, 9), datetime.date(2025, 3, 10)):
        remind(on=on)
        assert ("grid_a", "JN-XF-2025-001", "overdue") in told(on)
    message = Notification.objects.get(user=cases["grid_a"], on=datetime.date(2025, 3, 10)).message
    assert message == "案件 JN-XF-2025-001（来信反映路灯不亮）已超期 2 天（期限 2025-03-08）。"


def test_the_head_hears_only_after_three_days_overdue(cases):
    remind(on=datetime.date(2025, 3, 10))  # 2 days overdue
    assert not Notification.objects.filter(kind="overdue_head").exists()
    on = datetime.date(2025, 3, 11)  # 3 days overdue
    summary = remind(on=on)
    assert ("town_a", "SB-TJ-2025-007", "overdue_head") in told(on)
    assert summary.overdue_head == 1  # the 金牛 调委会 has no head
    head = Notification.objects.get(kind="overdue_head")
    assert (
        head.message
        == "沙北街道矛调中心 承办的案件 SB-TJ-2025-007（邻里宅基地纠纷）已超期 3 天（期限 2025-03-08）。"
    )


def test_a_closed_case_is_never_reminded(cases):
    remind(on=datetime.date(2025, 3, 20))
    assert not Notification.objects.filter(item=cases["closed"]).exists()


def test_running_twice_on_one_day_sends_nothing_twice(cases):
    on = datetime.date(2025, 3, 11)
    first = remind(on=on)
    count, emails = Notification.objects.count(), len(mail.outbox)
    second = remind(on=on)
    assert Notification.objects.count() == count and len(mail.outbox) == emails
    assert (second.notifications, second.emails, second.sms) == (0, 0, 0)
    assert second.already_sent == first.notifications


def test_a_dry_run_writes_and_sends_nothing(cases):
    summary = remind(on=datetime.date(2025, 3, 11), dry_run=True)
    assert summary.notifications == 3 and summary.users == 2
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_users_with_an_address_get_one_email(cases):
    summary = remind(on=datetime.date(2025, 3, 11))
    assert summary.emails == 1  # town_a has no address
    assert [message.to for message in mail.outbox] == [["grid_a@example.cn"]]
    assert "JN-XF-2025-001" in mail.outbox[0].body
    assert mail.outbox[0].subject == "【三零】2025-03-11 待办提醒 1 条"


def test_no_email_when_email_is_not_configured(cases, settings):
    settings.SANLING_REMIND_EMAIL = False
    assert remind(on=datetime.date(2025, 3, 11)).emails == 0
    assert mail.outbox == []


class FakeGateway(BaseHTTPRequestHandler):
    """A provider-shaped SMS gateway: records each POST and answers 200 (or ``status``)."""

    received: list = []
    status = 200

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).received.append(
            {"headers": dict(self.headers), "body": json.loads(self.rfile.read(length))}
        )
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"code":"OK"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    FakeGateway.received = []
    FakeGateway.status = 200
    server = HTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sms/send", FakeGateway
    server.shutdown()
    server.server_close()


def test_the_http_backend_posts_phone_template_and_params_with_the_key(cases, settings, gateway):
    url, fake = gateway
    settings.SANLING_SMS_BACKEND = "sanling.work.sms.HttpSmsBackend"
    settings.SANLING_SMS_URL = url
    settings.SANLING_SMS_KEY = "test-key-123"
    settings.SANLING_SMS_TEMPLATE = "SMS_0001"
    profile = cases["grid_a"].profile
    profile.phone = "13812345678"
    profile.save()
    summary = remind(on=datetime.date(2025, 3, 9))
    assert summary.sms == 1
    [request] = fake.received
    assert request["headers"]["X-Api-Key"] == "test-key-123"
    assert request["body"] == {
        "phone": "13812345678",
        "template": "SMS_0001",
        "params": {"count": 1, "overdue": 1, "refs": "JN-XF-2025-001", "date": "2025-03-09"},
    }


def test_a_gateway_error_is_counted_and_keeps_the_notifications(cases, settings, gateway):
    url, fake = gateway
    fake.status = 500
    settings.SANLING_SMS_BACKEND = "sanling.work.sms.HttpSmsBackend"
    settings.SANLING_SMS_URL = url
    profile = cases["grid_a"].profile
    profile.phone = "13812345678"
    profile.save()
    summary = remind(on=datetime.date(2025, 3, 9))
    assert summary.sms == 0 and summary.failures == [f"sms:{cases['grid_a'].pk}"]
    assert Notification.objects.filter(user=cases["grid_a"]).exists()


def test_the_http_backend_refuses_an_address_that_is_not_http(settings):
    settings.SANLING_SMS_URL = "file:///etc/passwd"
    with pytest.raises(SmsError):
        HttpSmsBackend()


def test_the_log_backend_masks_the_phone(caplog):
    with caplog.at_level(logging.INFO, logger="sanling.sms"):
        LogSmsBackend().send(SmsMessage(phone="13812345678", template="SMS_0001", params={"count": 2}))
    assert "138****5678" in caplog.text
    assert "13812345678" not in caplog.text


def test_the_command_prints_a_summary_in_chinese(cases):
    out = io.StringIO()
    call_command("remind", "--on", "2025-03-11", stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0] == "待办提醒 2025-03-11"
    assert "已超期（已告知负责人）" in text and "通知人数" in text
    assert Notification.objects.count() == 3


def test_the_command_dry_run_writes_nothing(cases):
    out = io.StringIO()
    call_command("remind", "--on", "2025-03-11", "--dry-run", stdout=out)
    assert "试运行" in out.getvalue()
    assert not Notification.objects.exists()


def test_the_command_refuses_a_bad_date(cases):
    with pytest.raises(CommandError, match="日期“2025-13-01”无效"):
        call_command("remind", "--on", "2025-13-01")


def test_the_daily_job_runs_at_seven_in_the_morning():
    from huey.contrib.djhuey import HUEY

    from sanling.work.tasks import daily_reminders

    task = daily_reminders.task_class()
    # huey compares naive local times
    seven, eight = (datetime.datetime(2025, 3, 11, hour, 0) for hour in (7, 8))  # noqa: DTZ001
    assert task.validate_datetime(seven)
    assert not task.validate_datetime(eight)
    assert HUEY.utc is False  # 07:00 in the county's time (Asia/Shanghai), not UTC


def test_the_daily_job_reminds_for_today(cases):
    from sanling.work.tasks import daily_reminders

    summary = daily_reminders.call_local()
    assert summary.dry_run is False


def test_the_notifications_page_marks_read(client, cases):
    remind(on=datetime.date(2025, 3, 11))
    client.force_login(cases["grid_a"])
    page = client.get(reverse("work:notifications")).content.decode()
    assert "JN-XF-2025-001" in page and "标为已读" in page
    notification = Notification.objects.get(user=cases["grid_a"])
    response = client.post(reverse("work:notification_read", kwargs={"pk": notification.pk}))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_touches_only_ones_own(client, cases):
    remind(on=datetime.date(2025, 3, 11))
    client.force_login(cases["town_a"])
    client.post(reverse("work:notifications"))
    assert not Notification.objects.filter(user=cases["town_a"], read_at__isnull=True).exists()
    assert Notification.objects.filter(user=cases["grid_a"], read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found(client, cases):
    remind(on=datetime.date(2025, 3, 11))
    notification = Notification.objects.get(user=cases["grid_a"])
    client.force_login(cases["town_a"])
    assert client.post(reverse("work:notification_read", kwargs={"pk": notification.pk})).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_handler_outside_the_cases_scope_hears_nothing_of_it(cases):
    # 东湾 lies in 商桥镇: the 金牛 grid worker named as its handler by mistake cannot open it.
    work_item_open(
        ref="DW-TJ-2025-003",
        kind="dispute",
        subject=cases["dongwan_village"],
        title="东湾土地承包",
        step="mediating",
        opened_on=RECEIVED,
        due_on=DUE,
        organisation=cases["org_shangqiao"],
        handler=cases["grid_a"],
    )
    remind(on=datetime.date(2025, 3, 11))
    assert not Notification.objects.filter(user=cases["grid_a"], item__ref="DW-TJ-2025-003").exists()
    assert Notification.objects.filter(
        user=cases["town_b"], item__ref="DW-TJ-2025-003", kind="overdue_head"
    ).exists()
