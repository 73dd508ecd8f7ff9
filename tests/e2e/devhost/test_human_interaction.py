"""A human-interaction app run as a user runs it: ``python -m devhost --app-dir .`` from its own
folder. An approval that arrives in time is recorded; without one the deadline escalates (virtual
time), and an answer after that finds the instance finished (410)."""

from __future__ import annotations

from devhost.testing.client import WEBHOOK
from devhost.testing.process import DevHostProcess
from tests.devhost_apps.inprocess import APPS_DIR
from tests.e2e.conftest import HostFactory

APP_DIR = APPS_DIR / "human_interaction"


def app_host(factory: HostFactory, virtual: bool = False) -> DevHostProcess:
    """From its own folder, with the default --app (the venv has the project installed)."""
    return factory(app="function_app", app_dir=APP_DIR, cwd=APP_DIR, virtual=virtual)


def ask(host: DevHostProcess, subject: str, minutes: int) -> dict[str, str]:
    reply = host.client.request(
        "POST", "/api/approvals", {"subject": subject, "timeout_minutes": minutes}
    )
    assert reply.status == 202, reply
    return dict(reply.json())


def test_an_approval_in_time_is_recorded(devhost_factory: HostFactory) -> None:
    host = app_host(devhost_factory)
    links = ask(host, "invoice 7", 60)
    host.client.wait_for(links["id"], lambda s: s and s["customStatus"] == "waiting for approval")

    sent = host.client.request(
        "POST",
        links["sendEventPostUri"].replace("{eventName}", "ApprovalEvent"),
        {"approved": True},
    )
    status = host.client.wait(links["id"])

    assert sent.status == 202
    assert (status["runtimeStatus"], status["output"]) == ("Completed", "invoice 7 approved")


def test_without_an_answer_the_deadline_escalates_and_a_late_answer_is_gone(
    devhost_factory: HostFactory,
) -> None:
    host = app_host(devhost_factory, virtual=True)
    links = ask(host, "invoice 8", 24 * 60)

    status = host.client.wait(links["id"])
    late = host.client.raise_event(links["id"], "ApprovalEvent", {"approved": True})

    assert status["output"] == "invoice 8 escalated: no answer in 1440 minutes"
    assert late.status == 410
    assert (
        host.client.request("GET", f"{WEBHOOK}/instances/{links['id']}").json()["customStatus"]
        == "done"
    )
