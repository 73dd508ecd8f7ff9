"""A human-interaction app (external event with a timeout), run from its own folder."""
