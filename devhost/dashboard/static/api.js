// The JSON the dashboard reads: the Durable management API (as documented) and the dev host's
// read-only endpoints under /devhost/. Every write goes through the management API.
export const MANAGEMENT = "/runtime/webhooks/durabletask";
export const CONTINUATION = "x-ms-continuation-token";

async function request(method, url, { headers = {}, body } = {}) {
  const reply = await fetch(url, { method, headers: { Accept: "application/json", ...headers }, body });
  const text = await reply.text();
  const json = text ? JSON.parse(text) : null;
  if (!reply.ok) {
    const message = typeof json === "string" ? json : json?.Message || json?.error || text;
    throw new Error(`${reply.status}: ${message || reply.statusText}`);
  }
  return { json, headers: reply.headers };
}

export function getJson(url) {
  return request("GET", url).then((r) => r.json);
}

// One page of the instance query: top, the continuation token, and the filters.
export async function queryInstances({ top, token, status, name, prefix }) {
  const query = new URLSearchParams({ top: String(top), showInput: "false", newestFirst: "true" });
  if (status) query.set("runtimeStatus", status);
  if (name) query.set("name", name);
  if (prefix) query.set("instanceIdPrefix", prefix);
  const headers = token ? { [CONTINUATION]: token } : {};
  const reply = await request("GET", `${MANAGEMENT}/instances?${query}`, { headers });
  return { instances: reply.json, next: reply.headers.get(CONTINUATION) };
}

export function instanceStatus(id) {
  const query = "showHistory=true&showHistoryOutput=true&showInput=true";
  return getJson(`${instanceUrl(id)}?${query}`);
}

function instanceUrl(id) {
  return `${MANAGEMENT}/instances/${encodeURIComponent(id)}`;
}

// raiseEvent/{name}, terminate, suspend, resume: POST, as the management API documents them.
export function postInstanceOperation(id, operation, { query = "", body } = {}) {
  const headers = body === undefined ? {} : { "Content-Type": "application/json" };
  return request("POST", `${instanceUrl(id)}/${operation}${query}`, { headers, body });
}

export function purgeInstance(id) {
  return request("DELETE", instanceUrl(id));
}
