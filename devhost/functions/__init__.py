"""The Functions host and Python worker: index the app, read host.json and app settings, invoke
functions, serve HTTP functions."""
