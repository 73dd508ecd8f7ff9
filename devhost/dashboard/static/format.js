// Small formatting helpers shared by the views.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function time(stamp) {
  return stamp ? new Date(stamp).toISOString().replace("T", " ").replace(/(\.000)?Z$/, "") : "";
}

export function statusBadge(status) {
  return el("span", { class: `badge status-${status}`, "data-status": status }, status);
}

// A custom status in one line: its scalar fields (a saga's saga_status and current_step, say).
export function customStatusLine(value) {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return String(value);
  const scalars = Object.entries(value).filter(([, v]) => v === null || typeof v !== "object");
  return scalars.slice(0, 3).map(([k, v]) => `${k}: ${v}`).join(" · ");
}

export function json(value) {
  return el("pre", { class: "json" }, value === undefined ? "" : JSON.stringify(value, null, 2));
}
