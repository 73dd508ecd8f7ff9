"""Developer tools: Cosmos test server launcher, benchmarks, soak (never deployed)."""
