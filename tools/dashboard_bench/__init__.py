"""``python -m tools.dashboard_bench``: how fast the dashboard's first page renders over a state
file with many instances, measured in headless Chromium."""
