"""The dashboard in headless Chromium over the real app: each saga outcome listed with its status,
a compensated saga's timeline, a failed compensation, the parallel saga, and the choreography
order's events as a sequence."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from devhost.testing.process import DevHostProcess
from tests.browser.conftest import CHOREOGRAPHY_ORDER, SAGAS


def open_instance(page: Page, host: DevHostProcess, instance_id: str) -> None:
    page.goto(f"{host.base_url}/dashboard/#/instance/{instance_id}")
    expect(page.get_by_test_id("instance-id")).to_have_text(instance_id)


def after_failure(page: Page) -> list[tuple[str, str]]:
    items = page.get_by_test_id("after-failure").locator("li")
    return [
        (i.get_attribute("data-name") or "", i.get_attribute("data-outcome") or "")
        for i in items.all()
    ]


def test_every_saga_is_listed_with_its_runtime_and_saga_status(
    page: Page, saga_host: DevHostProcess, screenshots: Path
) -> None:
    page.goto(f"{saga_host.base_url}/dashboard")
    rows = page.get_by_test_id("instance-row")
    expect(rows).to_have_count(len(SAGAS))

    for outcome, (_, _, instance_id) in SAGAS.items():
        row = page.locator(f'[data-testid=instance-row][data-instance-id="{instance_id}"]')
        expect(row).to_have_attribute("data-status", "Completed")
        saga_status = "compensated" if outcome == "parallel_failed_branch" else outcome
        expect(row.locator("td.custom")).to_contain_text(f"saga_status: {saga_status}")
    expect(page.get_by_test_id("counts")).to_contain_text(f"All {len(SAGAS)}")
    expect(page.get_by_test_id("histogram").locator(".bucket")).to_have_count(7)
    page.screenshot(path=str(screenshots / "dashboard-instances.png"))


def test_the_compensated_saga_shows_the_failed_step_and_its_compensations_in_order(
    page: Page, saga_host: DevHostProcess, screenshots: Path
) -> None:
    open_instance(page, saga_host, "sequential-big-1")

    expect(page.get_by_test_id("failed-step")).to_have_text("charge_payment")
    assert after_failure(page) == [("release_inventory", "ok"), ("cancel_order", "ok")]
    bars = page.locator("[data-testid=timeline-row][data-kind=activity]")
    names = [b.get_attribute("data-name") for b in bars.all()]
    assert names == [
        "create_order",
        "reserve_inventory",
        "charge_payment",
        "release_inventory",
        "cancel_order",
    ]
    failed = page.locator('[data-testid=timeline-row][data-name="charge_payment"]')
    expect(failed).to_have_attribute("data-outcome", "returned-failure")
    expect(page.get_by_test_id("output")).to_contain_text('"status": "compensated"')
    page.screenshot(path=str(screenshots / "dashboard-timeline.png"), full_page=True)


def test_a_failed_compensation_shows_each_retry_as_its_own_failed_bar(
    page: Page, saga_host: DevHostProcess
) -> None:
    open_instance(page, saga_host, "sequential-f-4")

    expect(page.get_by_test_id("failed-step")).to_have_text("ship_order")
    refunds = page.locator('[data-testid=timeline-row][data-name="refund_payment"]')
    expect(refunds).to_have_count(3)
    assert [r.get_attribute("data-attempt") for r in refunds.all()] == ["1", "2", "3"]
    assert {r.get_attribute("data-outcome") for r in refunds.all()} == {"returned-failure"}
    steps = [name for name, _ in after_failure(page)]
    assert steps[:3] == ["refund_payment"] * 3
    assert steps[3:] == ["release_inventory", "cancel_order", "report_compensation_failure"]
    expect(page.locator("[data-testid=timeline-row][data-kind=timer]").first).to_be_visible()


def test_the_parallel_saga_shows_its_branches_side_by_side_and_the_failing_one(
    page: Page, saga_host: DevHostProcess
) -> None:
    open_instance(page, saga_host, "parallel-p-oos")

    expect(page.get_by_test_id("failed-step")).to_have_text("reserve_inventory")
    reserves = page.locator('[data-testid=timeline-row][data-name="reserve_inventory"]')
    outcomes = sorted(r.get_attribute("data-outcome") or "" for r in reserves.all())
    assert outcomes == ["ok", "ok", "returned-failure"]
    undone = [name for name, outcome in after_failure(page) if outcome == "ok"]
    assert undone.count("release_inventory") == 2 and "cancel_order" in undone


def test_the_choreography_order_shows_its_events_in_order_with_who_handled_each(
    page: Page, saga_host: DevHostProcess, screenshots: Path
) -> None:
    page.goto(f"{saga_host.base_url}/dashboard/#/events")
    groups = page.get_by_test_id("consumer-groups")
    for group in ("inventory", "payment", "shipping", "orders", "projector"):
        expect(groups.locator(f'tr[data-group="{group}"] td').last).to_have_text("0")

    page.get_by_test_id("partition-key").fill(CHOREOGRAPHY_ORDER)
    page.get_by_role("button", name="Show events").click()
    events = page.get_by_test_id("key-event")
    expect(events).to_have_count(5)
    sequence = [
        (e.get_attribute("data-type"), e.get_attribute("data-handled-by")) for e in events.all()
    ]
    assert sequence == [
        ("OrderCreated", "inventory"),
        ("InventoryReserved", "payment"),
        ("PaymentCompleted", "shipping"),
        ("OrderShipped", "orders"),
        ("OrderCompleted", ""),
    ]
    expect(page.get_by_test_id("sequence-diagram")).to_be_visible()
    page.screenshot(path=str(screenshots / "dashboard-events.png"))
