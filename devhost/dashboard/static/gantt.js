// Draws a timeline (timeline.js) as a Gantt chart: a label column and a track per bar.
import { duration, el } from "./format.js";

const LABELS = { ok: "completed", failed: "failed", "returned-failure": "returned a failure", running: "running", fired: "fired", "not-fired": "never fired" };

function percent(at, timeline) {
  return ((at - timeline.start) / Math.max(timeline.end - timeline.start, 1)) * 100;
}

function place(start, end, timeline) {
  const left = percent(start, timeline);
  const width = Math.max(percent(end, timeline) - left, 0.4);
  return `left:${left.toFixed(3)}%;width:${Math.min(width, 100 - left).toFixed(3)}%`;
}

// The note goes right of its bar, or left of it when the bar ends near the right edge.
function notePlace(bar, timeline) {
  const end = percent(bar.end, timeline);
  if (end < 75) return `left:${end.toFixed(3)}%`;
  return `right:${(100 - percent(bar.start, timeline)).toFixed(3)}%;margin-right:6px`;
}

function barLabel(bar) {
  const attempt = bar.attempt > 1 ? ` (attempt ${bar.attempt})` : "";
  return `${bar.name}${attempt}`;
}

function barRow(bar, timeline) {
  const title = `${barLabel(bar)}: ${LABELS[bar.outcome]}, ${duration(bar.end - bar.start)}, at +${duration(bar.start - timeline.start)}`
    + (bar.detail !== undefined ? `\n${typeof bar.detail === "string" ? bar.detail : JSON.stringify(bar.detail)}` : "");
  return el("div", { class: `row kind-${bar.kind}`, "data-testid": "timeline-row", "data-kind": bar.kind, "data-name": bar.name, "data-outcome": bar.outcome, "data-attempt": bar.attempt ?? "" },
    el("div", { class: "label", title }, bar.retry ? el("span", { class: "retry" }, "↻ ") : "", barLabel(bar)),
    el("div", { class: "track" },
      el("div", { class: `bar outcome-${bar.outcome}`, style: place(bar.start, bar.end, timeline), title }),
      el("span", { class: "bar-note", style: notePlace(bar, timeline) }, `${LABELS[bar.outcome]} · ${duration(bar.end - bar.start)}`)));
}

function markerRow(marker, timeline) {
  const title = `${marker.kind} ${marker.name} at +${duration(marker.at - timeline.start)}`;
  return el("div", { class: "row kind-marker", "data-testid": "timeline-marker", "data-kind": marker.kind, "data-name": marker.name },
    el("div", { class: "label", title }, marker.kind === "EventRaised" ? `event: ${marker.name}` : marker.kind.replace("Execution", "")),
    el("div", { class: "track" }, el("div", { class: "marker", style: place(marker.at, marker.at, timeline), title }, "◆")));
}

export function gantt(timeline, { showUnfiredTimers }) {
  const bars = timeline.bars.filter((b) => showUnfiredTimers || b.outcome !== "not-fired");
  const rows = [
    ...bars.map((bar) => ({ at: bar.start, node: barRow(bar, timeline) })),
    ...timeline.markers.map((marker) => ({ at: marker.at, marker: true, node: markerRow(marker, timeline) })),
  ].sort((a, b) => a.at - b.at || (a.marker ? -1 : 0));
  const axis = el("div", { class: "row axis" }, el("div", { class: "label" }, ""),
    el("div", { class: "track" }, el("span", { style: "left:0" }, "0"), el("span", { style: "right:0" }, duration(timeline.end - timeline.start))));
  return el("div", { class: "gantt", "data-testid": "timeline" }, axis, rows.map((r) => r.node));
}
