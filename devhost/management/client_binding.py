"""The durable client binding JSON (spec section 8) that points the SDK's
DurableOrchestrationClient at this host's management API."""

from __future__ import annotations

import json

WEBHOOK_PATH = "/runtime/webhooks/durabletask"
# Replaced by the SDK with the instance id in every management URL.
INSTANCE_PLACEHOLDER = "INSTANCEID"


def management_urls(base_url: str, instance_id: str, query: str) -> dict[str, str]:
    """The check-status payload's links for one instance (``query`` e.g. taskHub=...). No
    rewindPostUri: this host does not rewind (see instance_api)."""
    root = f"{base_url}{WEBHOOK_PATH}/instances/{instance_id}"
    return {
        "id": instance_id,
        "statusQueryGetUri": f"{root}?{query}",
        "sendEventPostUri": f"{root}/raiseEvent/{{eventName}}?{query}",
        "terminatePostUri": f"{root}/terminate?reason={{text}}&{query}",
        "purgeHistoryDeleteUri": f"{root}?{query}",
        "restartPostUri": f"{root}/restart?{query}",
        "suspendPostUri": f"{root}/suspend?reason={{text}}&{query}",
        "resumePostUri": f"{root}/resume?reason={{text}}&{query}",
    }


def hub_query(task_hub: str) -> str:
    return f"taskHub={task_hub}&connection=Storage"


def client_binding_json(base_url: str, task_hub: str) -> str:
    base = f"{base_url}{WEBHOOK_PATH}"
    create = f"{base}/orchestrators/{{functionName}}[/{{instanceId}}]"
    return json.dumps(
        {
            "taskHubName": task_hub,
            "connectionName": None,
            "creationUrls": {
                "createNewInstancePostUri": f"{create}?{hub_query(task_hub)}",
                "createAndWaitOnNewInstancePostUri": (
                    f"{create}?timeout={{timeoutInSeconds}}"
                    f"&pollingInterval={{intervalInSeconds}}&{hub_query(task_hub)}"
                ),
            },
            "managementUrls": management_urls(base_url, INSTANCE_PLACEHOLDER, hub_query(task_hub)),
            "baseUrl": base,
            "requiredQueryStringParameters": "",
            "rpcBaseUrl": f"{base}/",
            "httpBaseUrl": None,
        }
    )
