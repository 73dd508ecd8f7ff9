"""Activities: thin shims that parse input, call a saga/ service and return a JSON dict."""
