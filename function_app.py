"""Entry point indexed by the Functions host: creates the DFApp and registers every blueprint (the
sagas' orchestrators and activities come from their definitions)."""

import azure.durable_functions as df
import azure.functions as func

from activities import alerts
from activities.order_sagas import SAGAS
from activities.steps import activity_blueprint
from orchestrators.blueprint import orchestration_blueprint
from triggers import choreography_handlers, choreography_http, http, retention, watchdog

app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)

for blueprint in (
    http.bp,
    orchestration_blueprint(SAGAS),
    activity_blueprint(SAGAS),
    alerts.bp,
    choreography_http.bp,
    choreography_handlers.bp,
    watchdog.bp,
    retention.bp,
):
    app.register_functions(blueprint)
