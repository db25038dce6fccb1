"""Take the README's screenshots from a running demo (`make demo`) with Debian's Chromium.

.venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]


def login(page, username: str) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "sanling-demo")
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/dashboard/**")


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    desk = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    login(desk, "county")
    desk.goto(f"{BASE}/dashboard/411103000000/?period=2025")
    desk.wait_for_selector("#map[data-ready=true] canvas")
    desk.wait_for_timeout(800)
    desk.screenshot(path=OUT / "dashboard.png", full_page=False)
    phone = browser.new_page(viewport={"width": 375, "height": 760}, device_scale_factor=2, locale="zh-CN")
    login(phone, "grid")
    phone.goto(f"{BASE}/events/new/?subject=V411103001001")
    phone.select_option("#id_type", "petition")
    phone.screenshot(path=OUT / "phone-report.png", full_page=True)
    # 我的待办 of the 孟庙镇 矛调中心 on a phone, and the first of its cases (issue 17).
    worker = browser.new_page(viewport={"width": 375, "height": 760}, device_scale_factor=2, locale="zh-CN")
    login(worker, "maodiao")
    worker.goto(f"{BASE}/work/")
    worker.screenshot(path=OUT / "my-work.png", full_page=False)
    case_page = worker.locator(".work-list .work-card a.button.big").first.get_attribute("href")
    desk.goto(f"{BASE}{case_page}")
    desk.screenshot(path=OUT / "case-page.png", full_page=True)
    browser.close()
print(f"written to {OUT}")
