"""The dev host's dashboard at /dashboard: instances, one instance's timeline, the local Event Hubs.
Static pages (plain ES modules, no build step) over the management API's JSON, plus a few
read-only dev-host endpoints under /devhost/ for what that API lacks."""
