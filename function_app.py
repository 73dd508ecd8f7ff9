"""Entry point indexed by the Functions host: creates the DFApp and registers every blueprint."""

import azure.durable_functions as df
import azure.functions as func

from activities import alerts, inventory, orders, payments, shipping
from orchestrators import parallel, sequential
from triggers import choreography_handlers, choreography_http, http, retention, watchdog

app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)

for blueprint_module in (
    http,
    sequential,
    parallel,
    orders,
    inventory,
    payments,
    shipping,
    alerts,
    choreography_http,
    choreography_handlers,
    watchdog,
    retention,
):
    app.register_functions(blueprint_module.bp)
