// The timeline of one instance, built from the condensed history (historyEvents) alone: one bar
// per activity attempt, sub-orchestration and timer; markers for raised events and the start/end.
const ms = (stamp) => Date.parse(stamp);

// An activity result such as {"ok": false} or {"success": false} is drawn as a returned failure:
// the call worked, the step did not (a saga's business failures are results, not exceptions).
export function returnedFailure(result) {
  return !!result && typeof result === "object" && !Array.isArray(result)
    && (result.ok === false || result.success === false);
}

function callBar(event) {
  const failed = event.EventType.endsWith("Failed");
  const kind = event.EventType.startsWith("Task") ? "activity" : "suborchestration";
  let outcome = failed ? "failed" : "ok";
  if (!failed && returnedFailure(event.Result)) outcome = "returned-failure";
  const detail = failed ? event.Reason : event.Result;
  return { kind, name: event.FunctionName, start: ms(event.ScheduledTime), end: ms(event.Timestamp), outcome, detail, input: event.Input };
}

function runningBar(event, now) {
  const kind = event.EventType === "TaskScheduled" ? "activity" : "suborchestration";
  return { kind, name: event.Name, start: ms(event.Timestamp), end: now, outcome: "running", input: event.Input };
}

function timerBars(events, end) {
  const created = events.filter((e) => e.EventType === "TimerCreated");
  const fired = events.filter((e) => e.EventType === "TimerFired");
  return created.map((timer) => {
    const index = fired.findIndex((f) => f.FireAt === timer.FireAt);
    const match = index >= 0 ? fired.splice(index, 1)[0] : null;
    const stop = match ? ms(match.Timestamp) : Math.min(ms(timer.FireAt), end);
    return { kind: "timer", name: "timer", start: ms(timer.Timestamp), end: stop, outcome: match ? "fired" : "not-fired", detail: `fires at ${timer.FireAt}` };
  });
}

// Attempts of the same function after a failed one are retries: numbered, each its own bar.
function numberAttempts(bars) {
  const seen = new Map();
  for (const bar of bars) {
    if (bar.kind === "timer") continue;
    const previous = seen.get(bar.name);
    bar.attempt = previous ? previous.attempt + 1 : 1;
    bar.retry = !!previous && previous.outcome !== "ok";
    seen.set(bar.name, bar);
  }
}

export function buildTimeline(historyEvents, nowStamp) {
  const events = historyEvents || [];
  const started = events.find((e) => e.EventType === "ExecutionStarted");
  const finished = events.find((e) => ["ExecutionCompleted", "ExecutionTerminated"].includes(e.EventType));
  const stamps = events.map((e) => ms(e.Timestamp)).filter((t) => !Number.isNaN(t));
  const start = started ? ms(started.Timestamp) : Math.min(...stamps);
  const end = finished ? ms(finished.Timestamp) : Math.max(ms(nowStamp), ...stamps);
  const bars = [];
  for (const event of events) {
    if (/^(Task|SubOrchestrationInstance)(Completed|Failed)$/.test(event.EventType)) bars.push(callBar(event));
    else if (["TaskScheduled", "SubOrchestrationInstanceCreated"].includes(event.EventType)) bars.push(runningBar(event, end));
  }
  bars.push(...timerBars(events, end));
  bars.sort((a, b) => a.start - b.start || a.end - b.end);
  const first = Math.min(start, ...bars.map((b) => b.start));
  numberAttempts(bars);
  const markers = events
    .filter((e) => ["EventRaised", "ExecutionStarted", "ExecutionCompleted", "ExecutionTerminated"].includes(e.EventType))
    .map((e) => ({ kind: e.EventType, name: e.Name || e.OrchestrationStatus || e.EventType, at: ms(e.Timestamp), detail: e.Input ?? e.Result }));
  return { start: first, end, bars, markers, ...firstFailureAndAfter(bars) };
}

// The first failed call, and every call that started once it had ended, in order: for a saga, the failed
// step and its compensations (a compensation that failed is marked like any failed call).
export function firstFailureAndAfter(bars) {
  const calls = bars.filter((b) => b.kind !== "timer");
  const index = calls.findIndex((b) => b.outcome === "failed" || b.outcome === "returned-failure");
  if (index < 0) return { firstFailure: null, afterFailure: [] };
  const failure = calls[index];
  const after = calls.slice(index + 1).filter((b) => b.start >= failure.end);
  return { firstFailure: failure, afterFailure: after };
}
