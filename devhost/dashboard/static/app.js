// The dashboard's router: #/instances, #/instance/{id}, #/events, #/events/{hub}/{key}; live
// refresh re-renders the current view every few seconds while it is live.
import { renderHubs, renderKey } from "./events.js";
import { el } from "./format.js";
import { renderInstance } from "./instance.js";
import { renderInstances } from "./instances.js";

const REFRESH_MS = 2000;
const state = { filters: { status: "", name: "", prefix: "" }, pages: [null], showUnfiredTimers: false, live: true };
let timer = null;

function route() {
  const [, view = "instances", ...rest] = location.hash.split("/");
  const args = rest.map(decodeURIComponent);
  if (view === "instance") return (root) => renderInstance(root, args.join("/"), state);
  if (view === "events" && args.length >= 2) return (root) => renderKey(root, args[0], args.slice(1).join("/"));
  if (view === "events") return (root) => renderHubs(root);
  return (root) => renderInstances(root, state);
}

async function render() {
  clearTimeout(timer);
  const root = document.getElementById("view");
  const view = location.hash.split("/")[1] || "instances";
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("on", view.startsWith(a.dataset.view.slice(0, 8))));
  try {
    const keepRefreshing = await route()(root);
    document.body.dataset.ready = location.hash || "#/instances";
    performance.mark("dashboard-rendered"); // read by tools/dashboard_bench
    if (keepRefreshing && state.live) timer = setTimeout(refresh, REFRESH_MS);
  } catch (error) {
    root.replaceChildren(el("p", { class: "error" }, String(error.message || error)));
  }
}

function liveToggle() {
  const box = el("input", { type: "checkbox", checked: state.live, "data-testid": "live", onchange: (e) => { state.live = e.target.checked; render(); } });
  document.getElementById("banner").replaceChildren(el("label", {}, box, " live refresh"));
}

// A refresh would replace what the user is typing: wait until the field loses focus.
function refresh() {
  if (document.activeElement?.matches("input, select, textarea")) timer = setTimeout(refresh, REFRESH_MS);
  else render();
}

window.addEventListener("hashchange", render);
liveToggle();
render();
