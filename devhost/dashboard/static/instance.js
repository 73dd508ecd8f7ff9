// One instance: status, its at-a-glance failure summary, the Gantt timeline, input/output, and
// the management API's actions (each confirmed first).
import { instanceStatus, postInstanceOperation, purgeInstance } from "./api.js";
import { customStatusLine, duration, el, json, statusBadge, time } from "./format.js";
import { gantt } from "./gantt.js";
import { buildTimeline } from "./timeline.js";

const RUNNING = ["Pending", "Running", "ContinuedAsNew", "Suspended"];

function glance(timeline) {
  const failure = timeline.firstFailure;
  if (!failure) return el("p", { "data-testid": "glance" }, "No call failed.");
  const detail = typeof failure.detail === "string" ? failure.detail : failure.detail?.message || failure.detail?.code || "";
  return el("div", { class: "glance", "data-testid": "glance" },
    el("p", {}, "First failed call: ", el("strong", { "data-testid": "failed-step" }, failure.name), ` (${failure.outcome === "failed" ? "raised" : "returned a failure"}${detail ? `: ${detail}` : ""})`),
    el("p", {}, timeline.afterFailure.length ? "Then, in order (a saga's compensations):" : "Nothing ran after it."),
    el("ol", { "data-testid": "after-failure" }, timeline.afterFailure.map((bar) =>
      el("li", { "data-outcome": bar.outcome, "data-name": bar.name, class: `outcome-text-${bar.outcome}` },
        `${bar.name}${bar.attempt > 1 ? ` (attempt ${bar.attempt})` : ""} — ${bar.outcome === "ok" ? "ok" : bar.outcome.replace("-", " ")}`))));
}

async function confirmed(message, action, after) {
  if (!window.confirm(message)) return;
  try {
    await action();
    after();
  } catch (error) {
    window.alert(`Refused: ${error.message}`);
  }
}

function actions(status, reload) {
  const id = status.instanceId;
  const running = RUNNING.includes(status.runtimeStatus);
  const eventName = el("input", { placeholder: "event name", "data-testid": "event-name", size: 14 });
  const eventData = el("input", { placeholder: "JSON data", value: "null", "data-testid": "event-data", size: 18 });
  const raise = () => confirmed(`Raise event "${eventName.value}" on ${id}?`,
    () => postInstanceOperation(id, `raiseEvent/${encodeURIComponent(eventName.value)}`, { body: eventData.value }), reload);
  const op = (name, label) => el("button", { disabled: !running, "data-action": name, onclick: () => confirmed(`${label} ${id}?`, () => postInstanceOperation(id, name), reload) }, label);
  return el("div", { class: "actions" },
    eventName, eventData, el("button", { disabled: !running, "data-action": "raiseEvent", onclick: raise }, "Raise event"),
    status.runtimeStatus === "Suspended" ? op("resume", "Resume") : op("suspend", "Suspend"),
    op("terminate", "Terminate"),
    el("button", { class: "danger", "data-action": "purge", onclick: () => confirmed(`Purge ${id} and its history?`, () => purgeInstance(id), () => { location.hash = "#/instances"; }) }, "Purge"));
}

// The status input is JSON text here (a string holding JSON): show the value it holds.
function asJson(value) {
  if (typeof value !== "string") return value;
  try { return JSON.parse(value); } catch { return value; }
}

function details(status) {
  const failed = status.runtimeStatus === "Failed";
  return el("div", { class: "panels" },
    el("section", {}, el("h3", {}, "Input"), json(asJson(status.input))),
    el("section", {}, el("h3", {}, failed ? "Failure" : "Output"), el("div", { "data-testid": failed ? "failure" : "output" }, json(status.output))),
    el("section", {}, el("h3", {}, "Custom status"), json(status.customStatus)));
}

export async function renderInstance(root, id, state) {
  const status = await instanceStatus(id);
  const timeline = buildTimeline(status.historyEvents, new Date().toISOString());
  const reload = () => renderInstance(root, id, state);
  const unfired = el("input", { type: "checkbox", checked: state.showUnfiredTimers, onchange: (e) => { state.showUnfiredTimers = e.target.checked; reload(); } });
  root.replaceChildren(
    el("p", {}, el("a", { href: "#/instances" }, "← instances")),
    el("h2", {}, status.name, " ", statusBadge(status.runtimeStatus)),
    el("p", { class: "muted" }, el("code", { "data-testid": "instance-id" }, status.instanceId),
      ` · created ${time(status.createdTime)} · updated ${time(status.lastUpdatedTime)} · ${duration(timeline.end - timeline.start)}`),
    el("p", {}, customStatusLine(status.customStatus)),
    actions(status, reload),
    glance(timeline),
    el("h3", {}, "Timeline ", el("label", { class: "muted small" }, unfired, " timers that never fired")),
    gantt(timeline, state),
    details(status));
  return RUNNING.includes(status.runtimeStatus);
}
