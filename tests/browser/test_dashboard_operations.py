"""The dashboard's paging, filters and write actions in headless Chromium, over the dev host's
test app with a seeded state file; and what it must never do: show a secret, or take a write
from another site's page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from devhost.testing.process import DevHostProcess
from tests.browser.conftest import SAGAS, SECRETS, SEEDED

PAGE_SIZE = 50


def ids_on_page(page: Page) -> list[str]:
    return [
        r.get_attribute("data-instance-id") or "" for r in page.get_by_test_id("instance-row").all()
    ]


def test_pages_come_from_the_server_newest_first_and_filters_narrow_them(
    page: Page, test_app_host: DevHostProcess
) -> None:
    page.goto(f"{test_app_host.base_url}/dashboard/")
    expect(page.get_by_test_id("instance-row")).to_have_count(PAGE_SIZE)
    first = ids_on_page(page)
    page.get_by_test_id("next-page").click()
    expect(page.get_by_test_id("page-number")).to_contain_text("page 2")
    second = ids_on_page(page)
    page.get_by_test_id("next-page").click()
    expect(page.get_by_test_id("instance-row")).to_have_count(SEEDED - 2 * PAGE_SIZE)
    expect(page.get_by_test_id("next-page")).to_be_disabled()

    assert first[0] == f"seeded-{SEEDED - 1:06d}"
    assert first + second == sorted(first + second, reverse=True)
    page.get_by_test_id("filter-prefix").fill("seeded-00001")
    page.get_by_test_id("filter-prefix").press("Enter")
    expect(page.get_by_test_id("instance-row")).to_have_count(10)
    page.get_by_test_id("filter-prefix").fill("")
    page.get_by_test_id("filter-status").select_option("Failed")
    expect(page.get_by_test_id("instance-row")).to_have_count(2)  # seeded-000000 and -000097
    page.get_by_test_id("filter-status").select_option("")
    page.get_by_test_id("filter-name").select_option("parallel_saga")
    names = page.locator("[data-testid=instance-row] td:first-child")
    expect(names.filter(has_text="sequential_saga")).to_have_count(0)
    expect(page.get_by_test_id("instance-row")).to_have_count(PAGE_SIZE)
    assert all(int(i[-6:]) % 2 == 1 for i in ids_on_page(page))


def test_the_list_refreshes_by_itself_when_an_instance_starts(
    page: Page, test_app_host: DevHostProcess
) -> None:
    page.goto(f"{test_app_host.base_url}/dashboard/")
    expect(page.get_by_test_id("instance-row")).to_have_count(PAGE_SIZE)
    test_app_host.client.start("status_then_wait", instance_id="live-1")

    row = page.locator('[data-testid=instance-row][data-instance-id="live-1"]')
    expect(row).to_have_attribute("data-status", "Running", timeout=10_000)
    expect(row.locator("td.custom")).to_have_text("stage: waiting")
    assert test_app_host.client.raise_event("live-1", "go", "now").status == 202
    expect(row).to_have_attribute("data-status", "Completed", timeout=10_000)


def open_waiting_instance(page: Page, host: DevHostProcess, instance_id: str) -> None:
    host.client.start("status_then_wait", instance_id=instance_id)
    host.client.wait_for(instance_id, lambda s: s and s["customStatus"] == {"stage": "waiting"})
    page.goto(f"{host.base_url}/dashboard/#/instance/{instance_id}")
    expect(page.get_by_test_id("instance-id")).to_have_text(instance_id)


def test_suspend_resume_and_raise_event_go_through_the_management_api_after_confirmation(
    page: Page, test_app_host: DevHostProcess
) -> None:
    open_waiting_instance(page, test_app_host, "waiting-1")
    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.accept() if len(dialogs) > 1 else dialog.dismiss()

    page.on("dialog", answer)
    page.locator("[data-action=suspend]").click()  # dismissed: nothing happens
    assert test_app_host.client.status("waiting-1")["runtimeStatus"] == "Running"
    page.locator("[data-action=suspend]").click()
    expect(page.locator("h2 .badge")).to_have_text("Suspended")
    page.locator("[data-action=resume]").click()
    expect(page.locator("h2 .badge")).to_have_text("Running")
    page.get_by_test_id("event-name").fill("go")
    page.get_by_test_id("event-data").fill('{"approved": true}')
    page.locator("[data-action=raiseEvent]").click()
    expect(page.locator("h2 .badge")).to_have_text("Completed")
    expect(page.get_by_test_id("output")).to_contain_text('"approved": true')
    assert dialogs[0].startswith("Suspend waiting-1")
    expect(page.locator('[data-testid=timeline-marker][data-name="go"]')).to_have_count(1)


def test_terminate_and_purge_after_confirmation(page: Page, test_app_host: DevHostProcess) -> None:
    open_waiting_instance(page, test_app_host, "waiting-2")
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("[data-action=terminate]").click()
    expect(page.locator("h2 .badge")).to_have_text("Terminated")
    page.locator("[data-action=purge]").click()
    expect(page).to_have_url(f"{test_app_host.base_url}/dashboard/#/instances")
    assert test_app_host.client.status("waiting-2") is None


def test_a_write_from_another_sites_page_is_refused(test_app_host: DevHostProcess) -> None:
    host = test_app_host
    host.client.start("status_then_wait", instance_id="waiting-3")
    url = "/runtime/webhooks/durabletask/instances/waiting-3/terminate"
    foreign = host.client.request("POST", url, headers={"Origin": "http://evil.example"})
    own = host.client.request("POST", url, headers={"Origin": host.base_url})

    assert foreign.status == 403 and "evil.example" in foreign.json()["message"]
    assert own.status == 202


def test_no_setting_secret_reaches_any_page_or_response(
    page: Page, saga_host: DevHostProcess
) -> None:
    bodies: list[str] = []
    page.on("response", lambda r: bodies.append(r.text()) if r.ok else None)
    views = ["#/instances", "#/events", "#/events/saga-events/ch-1"]
    views += [f"#/instance/{instance_id}" for _, _, instance_id in SAGAS.values()]
    for view in views:
        page.goto(f"{saga_host.base_url}/dashboard/{view}")
        expect(page.locator("body")).to_have_attribute("data-ready", view)
        bodies.append(page.content())

    assert len(bodies) > 2 * len(views)
    for name, secret in SECRETS.items():
        assert not any(secret in body for body in bodies), f"{name} reached a page"
