// Following a job through its server-sent events (GET /v1/jobs/{id}/events). Read with
// fetch rather than EventSource so that an API key can be sent; a dropped connection
// resumes after the last event id (?after=), and a job whose stream cannot be read is
// looked up once, so a finished job is never left "running".
import { authHeaders } from "./auth";
import type { ErrorDetail } from "./client";
import { getJob } from "./studio";

export type JobPhase = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface JobProgress {
  phase: JobPhase;
  progress: number; // 0..1
  message: string;
  renderId?: string;
  error?: { code: string; message: string; details: ErrorDetail[] };
}

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Split an event-stream buffer into complete events and the unfinished rest. */
export function parseEvents(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = buffer.replace(/\r\n?/g, "\n").split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    const ev: SseEvent = { event: "message", data: "" };
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const i = line.indexOf(":");
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
      if (field === "event") ev.event = value;
      else if (field === "data") data.push(value);
      else if (field === "id") ev.id = value;
    }
    ev.data = data.join("\n");
    if (data.length || ev.event !== "message") events.push(ev);
  }
  return { events, rest };
}

/** The job state after one event, and whether the stream is over. */
export function applyEvent(state: JobProgress, ev: SseEvent): { state: JobProgress; final: boolean } {
  const d = ev.data ? (JSON.parse(ev.data) as Record<string, unknown>) : {};
  switch (ev.event) {
    case "queued":
      return { state: { ...state, phase: "queued", message: d.reason ? `queued again: ${d.reason}` : "queued" }, final: false };
    case "started":
      return { state: { ...state, phase: "running", message: "started" }, final: false };
    case "progress":
      return { state: { ...state, phase: "running", progress: Number(d.progress) || 0, message: String(d.message ?? "") }, final: false };
    case "done":
      return { state: { ...state, phase: "succeeded", progress: 1, message: "done", renderId: String(d.render_id) }, final: true };
    case "error": {
      const error = { code: String(d.code ?? "error"), message: String(d.message ?? "failed"), details: (d.details as ErrorDetail[]) ?? [] };
      return { state: { ...state, phase: "failed", message: error.message, error }, final: true };
    }
    case "cancelled":
      return { state: { ...state, phase: "cancelled", message: "cancelled" }, final: true };
    default:
      return { state, final: false };
  }
}

const RETRIES = 5;

/** Read an event stream until ``onEvent`` says the last event came (true). A dropped
 * connection resumes after the last event id (?after=); after RETRIES failures in a row
 * ``onGiveUp`` is called. Returns a function that stops reading. */
export function streamEvents(path: string, onEvent: (ev: SseEvent) => boolean, onGiveUp: () => void): () => void {
  const abort = new AbortController();
  let after = "0";

  const read = async (): Promise<boolean> => {
    const sep = path.includes("?") ? "&" : "?";
    const res = await fetch(`${path}${sep}after=${after}`, {
      headers: { Accept: "text/event-stream", ...authHeaders() },
      signal: abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`events answered ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      const parsed = parseEvents(buffer + value);
      buffer = parsed.rest;
      for (const ev of parsed.events) {
        if (ev.id) after = ev.id;
        if (onEvent(ev)) {
          abort.abort();
          return true;
        }
      }
    }
  };

  void (async () => {
    let failures = 0;
    while (!abort.signal.aborted && failures < RETRIES) {
      try {
        if (await read()) return;
        failures = 0; // the server closed a healthy stream: read on from where it stopped
      } catch {
        if (abort.signal.aborted) return;
        failures++;
      }
      await new Promise((r) => setTimeout(r, 300 * (failures + 1)));
    }
    if (!abort.signal.aborted) onGiveUp();
  })();
  return () => abort.abort();
}

/** Subscribe to a job; ``listener`` gets every change. Returns an unsubscribe. */
export function followJob(jobId: string, listener: (update: JobProgress) => void): () => void {
  let state: JobProgress = { phase: "queued", progress: 0, message: "queued" };
  const settle = async () => {
    try {
      const job = await getJob(jobId);
      const phase = job.status as JobPhase;
      const error = job.error ? { code: job.error.code, message: job.error.message, details: job.error.details ?? [] } : undefined;
      state = { ...state, phase, progress: job.progress, renderId: job.render_id ?? undefined, error,
        message: phase === "running" || phase === "queued" ? "lost the connection; reload to follow" : phase };
    } catch (exc) {
      state = { ...state, message: `lost the connection to the server (${String(exc)})` };
    }
    listener(state);
  };
  return streamEvents(
    `/v1/jobs/${encodeURIComponent(jobId)}/events`,
    (ev) => {
      const next = applyEvent(state, ev);
      state = next.state;
      listener(state);
      return next.final;
    },
    () => void settle(),
  );
}
