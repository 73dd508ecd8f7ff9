"""Builds of one app for the replay check: ``app`` reserves then charges, ``swapped`` charges then
reserves (a reordered step), ``without_checkout`` no longer has the orchestrator. Each checkout
waits for a "ship" event, so a test can keep an instance running or let it complete."""

from __future__ import annotations

import azure.durable_functions as df
import azure.functions as func

CHECKOUT = "checkout"


def build(first: str, second: str, with_checkout: bool = True) -> df.DFApp:
    app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)

    @app.activity_trigger(input_name="order")
    def reserve(order: dict) -> str:
        return f"reserved {order}"

    @app.activity_trigger(input_name="order")
    def charge(order: dict) -> str:
        return f"charged {order}"

    if with_checkout:

        @app.orchestration_trigger(context_name="context", orchestration=CHECKOUT)
        def checkout(context: df.DurableOrchestrationContext):
            order = context.get_input()
            done = [(yield context.call_activity(first, order))]
            done.append((yield context.call_activity(second, order)))
            context.set_custom_status("waiting for ship")
            done.append((yield context.wait_for_external_event("ship")))
            return done

    return app


app = build("reserve", "charge")
swapped = build("charge", "reserve")
without_checkout = build("reserve", "charge", with_checkout=False)
