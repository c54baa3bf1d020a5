import { describe, expect, it } from "vitest";
import { applyEvent, parseEvents, type JobProgress } from "./events";

describe("event streams", () => {
  it("splits complete events and keeps the unfinished rest", () => {
    const { events, rest } = parseEvents('retry: 1000\n\nid: 4\nevent: progress\ndata: {"progress":0.5}\n\n: keep-alive\n\nid: 5\nevent: do');
    expect(events).toEqual([{ id: "4", event: "progress", data: '{"progress":0.5}' }]);
    expect(rest).toBe("id: 5\nevent: do");
  });

  it("follows a job to its end", () => {
    let state: JobProgress = { phase: "queued", progress: 0, message: "" };
    const steps = [
      { event: "started", data: '{"attempt":1}' },
      { event: "progress", data: '{"step":2,"total":4,"progress":0.5,"message":"shading"}' },
      { event: "done", data: '{"render_id":"01ABC"}' },
    ];
    const finals = steps.map((ev) => {
      const next = applyEvent(state, ev);
      state = next.state;
      return next.final;
    });
    expect(finals).toEqual([false, false, true]);
    expect(state).toMatchObject({ phase: "succeeded", progress: 1, renderId: "01ABC" });
  });

  it("keeps a failed job's error details", () => {
    const { state, final } = applyEvent(
      { phase: "running", progress: 0.2, message: "" },
      { event: "error", data: '{"code":"engine_error","message":"boom","details":[{"path":"$.render","message":"x"}]}' },
    );
    expect(final).toBe(true);
    expect(state.phase).toBe("failed");
    expect(state.error?.details[0].path).toBe("$.render");
  });
});
