// The local Event Hubs: hubs, partitions, consumer groups with checkpoint and lag; and for one
// partition key the events in order, who published each and who handled it (a sequence diagram).
import { getJson } from "./api.js";
import { duration, el, time } from "./format.js";

function hubSection(hub) {
  const partitions = el("table", {}, el("tr", {}, ["Partition", "Events", "Last sequence", "Last enqueued (UTC)"].map((h) => el("th", {}, h))),
    hub.partitions.map((p) => el("tr", {}, el("td", {}, p.id), el("td", {}, p.events), el("td", {}, p.last_sequence), el("td", {}, time(p.last_enqueued)))));
  const groups = el("table", { "data-testid": "consumer-groups" },
    el("tr", {}, ["Consumer group", "Function", ...hub.partitions.map((p) => `#${p.id} checkpoint / lag`), "Lag"].map((h) => el("th", {}, h))),
    hub.consumer_groups.map((g) => el("tr", { "data-group": g.name },
      el("td", {}, g.name), el("td", {}, g.functions.join(", ")),
      g.partitions.map((p) => el("td", {}, `${p.checkpoint} / ${p.lag}`)),
      el("td", { class: g.lag ? "lagging" : "" }, g.lag))));
  const key = el("input", { placeholder: "partition key (an order id)", "data-testid": "partition-key", size: 28 });
  const open = (event) => { event.preventDefault(); location.hash = `#/events/${encodeURIComponent(hub.name)}/${encodeURIComponent(key.value)}`; };
  return el("section", { "data-hub": hub.name }, el("h2", {}, `Hub ${hub.name}`), partitions, groups,
    el("form", { onsubmit: open }, key, el("button", {}, "Show events")));
}

export async function renderHubs(root) {
  const overview = await getJson("/devhost/eventhubs");
  root.replaceChildren(overview.hubs.length ? el("div", {}, overview.hubs.map(hubSection)) : el("p", { class: "muted" }, "No events yet."));
  return true;
}

const COLUMN = 150;
const ROW = 44;

function svg(tag, attributes, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  node.append(...children.map((c) => (typeof c === "string" ? document.createTextNode(c) : c)));
  return node;
}

// Lanes in the order the flow first reaches them, then the groups that only listened.
function laneOrder(data) {
  const seen = ["(outside)"];
  for (const event of data.events) {
    for (const group of [...event.published_by.map((p) => p.consumer_group), ...event.handled_by]) {
      if (!seen.includes(group)) seen.push(group);
    }
  }
  return [...seen, ...data.consumer_groups.filter((g) => !seen.includes(g))];
}

function sequenceDiagram(data) {
  const lanes = laneOrder(data);
  const x = (lane) => COLUMN / 2 + lanes.indexOf(lane) * COLUMN;
  const height = 40 + data.events.length * ROW;
  const chart = svg("svg", { width: lanes.length * COLUMN, height, class: "sequence", "data-testid": "sequence-diagram" },
    svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto" }, svg("path", { d: "M0,0 L10,5 L0,10 z" }))));
  for (const lane of lanes) {
    chart.append(svg("text", { x: x(lane), y: 16, "text-anchor": "middle", class: "lane" }, lane),
      svg("line", { x1: x(lane), y1: 24, x2: x(lane), y2: height, class: "lifeline" }));
  }
  data.events.forEach((event, i) => {
    const y = 48 + i * ROW;
    const from = event.published_by[0]?.consumer_group ?? "(outside)";
    for (const d of event.deliveries) chart.append(svg("circle", { cx: x(d.consumer_group), cy: y, r: 3, class: d.error ? "delivery failed" : "delivery" }));
    const targets = event.handled_by.length ? event.handled_by : [null];
    for (const target of targets) {
      const to = target ? x(target) : x(from) + COLUMN * 0.45;
      chart.append(svg("line", { x1: x(from), y1: y, x2: to, y2: y, class: target ? "message" : "message unhandled", "marker-end": "url(#arrow)" }));
    }
    const left = Math.min(x(from), ...event.handled_by.map(x));
    chart.append(svg("text", { x: left + 6, y: y - 6, class: "message-label" }, `${event.type} +${duration(event.offset_ms)}`));
  });
  return chart;
}

function eventTable(data) {
  return el("table", { "data-testid": "key-events" },
    el("tr", {}, ["#", "Enqueued (UTC)", "Type", "Published by", "Handled by", "Delivered to"].map((h) => el("th", {}, h))),
    data.events.map((e) => el("tr", { "data-testid": "key-event", "data-type": e.type, "data-handled-by": e.handled_by.join(",") },
      el("td", {}, `${e.partition}:${e.sequence_number}`), el("td", {}, time(e.enqueued_time)), el("td", { title: e.body_text }, e.type),
      el("td", {}, e.published_by.map((p) => p.consumer_group).join(", ") || "(outside a consumer)"),
      el("td", {}, e.handled_by.join(", ") || "–"),
      el("td", {}, e.deliveries.map((d) => `${d.consumer_group}${d.error ? " (raised)" : ""}`).join(", ")))));
}

export async function renderKey(root, hub, key) {
  const data = await getJson(`/devhost/eventhubs/${encodeURIComponent(hub)}/keys/${encodeURIComponent(key)}`);
  root.replaceChildren(el("p", {}, el("a", { href: "#/events" }, "← event hubs")),
    el("h2", {}, `${hub} · partition key ${key}`),
    data.events.length ? el("div", {}, sequenceDiagram(data), eventTable(data)) : el("p", { class: "muted" }, "No events with this partition key."));
  return true;
}
