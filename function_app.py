"""Entry point indexed by the Functions host: creates the DFApp and registers every blueprint."""

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)
