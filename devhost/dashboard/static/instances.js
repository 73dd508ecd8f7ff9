// The instance list: counts by status, a histogram of durations, filters, and server-side pages
// of the management API's query (top + continuation token).
import { getJson, queryInstances } from "./api.js";
import { customStatusLine, duration, el, statusBadge, time } from "./format.js";

const PAGE_SIZE = 50;
const STATUSES = ["Pending", "Running", "Suspended", "Completed", "Failed", "Terminated", "ContinuedAsNew"];

function rowDuration(instance) {
  const end = ["Pending", "Running", "Suspended", "ContinuedAsNew"].includes(instance.runtimeStatus) ? Date.now() : Date.parse(instance.lastUpdatedTime);
  const ms = end - Date.parse(instance.createdTime);
  return ms < 1000 ? "< 1 s" : duration(ms); // the API's times have whole seconds
}

function instanceRow(instance) {
  return el("tr", { "data-testid": "instance-row", "data-instance-id": instance.instanceId, "data-status": instance.runtimeStatus },
    el("td", {}, instance.name),
    el("td", {}, el("a", { href: `#/instance/${encodeURIComponent(instance.instanceId)}` }, instance.instanceId)),
    el("td", {}, statusBadge(instance.runtimeStatus)),
    el("td", { class: "custom" }, customStatusLine(instance.customStatus)),
    el("td", {}, time(instance.createdTime)),
    el("td", {}, rowDuration(instance)));
}

function counts(summary, filters, apply) {
  return el("div", { class: "counts", "data-testid": "counts" },
    el("button", { class: filters.status ? "" : "on", onclick: () => apply({ status: "" }) }, `All ${summary.total}`),
    Object.entries(summary.counts).map(([status, n]) =>
      el("button", { class: filters.status === status ? "on" : "", "data-count-status": status, onclick: () => apply({ status }) }, statusBadge(status), ` ${n}`)));
}

function histogram(summary) {
  const max = Math.max(1, ...summary.durations.map((b) => b.count));
  return el("div", { class: "histogram", "data-testid": "histogram", title: "durations of finished instances" },
    summary.durations.map((bucket) => el("div", { class: "bucket", title: `${bucket.label}: ${bucket.count}` },
      el("div", { class: "fill", style: `height:${Math.round((bucket.count / max) * 100)}%` }),
      el("span", {}, bucket.label), el("span", { class: "n" }, bucket.count))));
}

function filterForm(summary, filters, apply) {
  const status = el("select", { name: "status", "data-testid": "filter-status" }, el("option", { value: "" }, "any status"),
    STATUSES.map((s) => el("option", { value: s, selected: filters.status === s }, s)));
  const name = el("select", { name: "name", "data-testid": "filter-name" }, el("option", { value: "" }, "any name"),
    Object.keys(summary.names).map((n) => el("option", { value: n, selected: filters.name === n }, n)));
  const prefix = el("input", { name: "prefix", placeholder: "instance id prefix", value: filters.prefix, "data-testid": "filter-prefix" });
  const submit = (event) => { event.preventDefault(); apply({ status: status.value, name: name.value, prefix: prefix.value }); };
  return el("form", { class: "filters", onsubmit: submit, onchange: submit }, status, name, prefix, el("button", {}, "Search"));
}

export async function renderInstances(root, state) {
  const filters = state.filters;
  const apply = (changes) => { Object.assign(filters, changes); state.pages = [null]; renderInstances(root, state); };
  const [summary, page] = await Promise.all([
    getJson("/devhost/instances/summary"),
    queryInstances({ top: PAGE_SIZE, token: state.pages.at(-1), ...filters }),
  ]);
  const turn = (delta) => { if (delta > 0) state.pages.push(page.next); else state.pages.pop(); renderInstances(root, state); };
  root.replaceChildren(
    el("div", { class: "overview" }, counts(summary, filters, apply), histogram(summary)),
    filterForm(summary, filters, apply),
    el("table", { class: "instances" },
      el("thead", {}, el("tr", {}, ["Name", "Instance id", "Status", "Custom status", "Created (UTC)", "Duration"].map((h) => el("th", {}, h)))),
      el("tbody", {}, page.instances.map(instanceRow))),
    el("div", { class: "pager" },
      el("button", { disabled: state.pages.length < 2, onclick: () => turn(-1), "data-testid": "previous-page" }, "← previous"),
      el("span", { "data-testid": "page-number" }, ` page ${state.pages.length} `),
      el("button", { disabled: !page.next, onclick: () => turn(1), "data-testid": "next-page" }, "next →")));
  document.body.dataset.rendered = "instances";
  return true;
}
