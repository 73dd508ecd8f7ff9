"""The Cosmos-protocol test server (Node, launch.js) and its Python launcher."""
