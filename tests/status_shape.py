"""The documented public status shape of every saga kind (orchestrated and choreography)."""

STATUS_FIELDS = frozenset(
    {
        "instance_id",
        "runtime_status",
        "saga_status",
        "current_step",
        "completed_steps",
        "compensated_steps",
        "output",
        "error",
        "created_time",
        "last_updated_time",
    }
)
