// The studio: prompt, controls, renders and the manifest editor around one current manifest
// (the editor's text). Jobs are followed live; a finished render is selected and its
// manifest becomes the current one.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ErrorDetail, JobAccepted, Manifest, RenderOut } from "../api/client";
import { followJob } from "../api/events";
import * as api from "../api/studio";
import { describeError, manifestDetails, parseManifest, pretty } from "../lib/errors";
import { randomSeed, shortId, type JobEntry } from "../lib/jobs";
import { navigate } from "../lib/router";
import type { Schema } from "../lib/schema";
import { ErrorBoundary } from "./ErrorBoundary";
import { JsonEditor } from "./JsonEditor";
import { ParamControls } from "./ParamControls";
import { PromptInput } from "./PromptInput";
import { RenderPreview } from "./RenderPreview";

const VALIDATE_DELAY_MS = 400;
const COMPILE_DELAY_MS = 200;
// releases this close together (arrow keys held down, quick drags) make one render
const COMMIT_DELAY_MS = 350;

interface Props {
  schema: Schema | null;
  renderId?: string;
}

export function StudioPage({ schema, renderId }: Props) {
  const [text, setText] = useState("");
  const manifest = useMemo(() => parseManifest(text), [text]);
  // while the text is broken the controls show (disabled) the last manifest that parsed
  const lastManifest = useRef<Manifest | null>(null);
  if (manifest) lastManifest.current = manifest;
  const [serverErrors, setServerErrors] = useState<ErrorDetail[]>([]);
  const [renders, setRenders] = useState<RenderOut[]>([]);
  const [selected, setSelected] = useState<RenderOut | null>(null);
  const [jobs, setJobs] = useState<JobEntry[]>([]);
  const [translator, setTranslator] = useState<string | null>(null);
  const [promptBusy, setPromptBusy] = useState(false);
  const [promptError, setPromptError] = useState<string | null>(null);
  const [controlsError, setControlsError] = useState<string | null>(null);
  const [editorError, setEditorError] = useState<string | null>(null);
  const [renderOnRelease, setRenderOnRelease] = useState(true);
  const unsubscribers = useRef(new Map<string, () => void>());
  const compileSeq = useRef(0);

  const show = useCallback((render: RenderOut, load = true) => {
    setRenders((old) => [render, ...old.filter((r) => r.id !== render.id)]);
    setSelected(render);
    if (load) {
      setText(pretty(render.manifest));
      setServerErrors([]);
    }
    if (render.translator) setTranslator(render.translator);
    navigate({ page: "studio", renderId: render.id }, true);
  }, []);

  // the render in the address (also when it changes, e.g. "Open in studio" from the
  // history), else on arrival the latest renders from the history
  const selectedId = useRef<string | null>(null);
  selectedId.current = selected?.id ?? null;
  const booted = useRef(false);
  useEffect(() => {
    const first = !booted.current;
    booted.current = true;
    if (renderId && renderId !== selectedId.current) {
      api.getRender(renderId).then(show, (exc) => setEditorError(describeError(exc)));
    } else if (!renderId && first) {
      api.listRenders({ limit: 12 }).then(
        (page) => {
          if (page.items.length === 0 || selectedId.current) return;
          setRenders(page.items);
          setSelected(page.items[0]);
          setText(pretty(page.items[0].manifest));
        },
        () => undefined, // an empty studio still works
      );
    }
  }, [renderId, show]);

  useEffect(() => () => unsubscribers.current.forEach((stop) => stop()), []);

  // server-side validation as the text changes (the editor checks the schema itself too)
  useEffect(() => {
    if (!manifest) {
      setServerErrors([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api.validate(manifest).then(
        (res) => live && setServerErrors(res.errors),
        () => undefined, // the server will say it again on render
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [manifest]);

  const track = useCallback(
    (accepted: JobAccepted, label: string) => {
      const entry: JobEntry = { id: accepted.job_id, kind: accepted.kind, label, progress: { phase: "queued", progress: 0, message: "queued" } };
      setJobs((old) => [entry, ...old]);
      const stop = followJob(accepted.job_id, (progress) => {
        setJobs((old) => old.map((j) => (j.id === accepted.job_id ? { ...j, progress } : j)));
        if (progress.phase === "succeeded" && progress.renderId) {
          unsubscribers.current.delete(accepted.job_id);
          api.getRender(progress.renderId).then(
            (render) => {
              show(render);
              setJobs((old) => old.filter((j) => j.id !== accepted.job_id));
            },
            (exc) => setEditorError(describeError(exc)),
          );
        }
      });
      unsubscribers.current.set(accepted.job_id, stop);
    },
    [show],
  );

  const onPrompt = async (prompt: string) => {
    setPromptBusy(true);
    setPromptError(null);
    try {
      const translated = await api.translate(prompt);
      setText(pretty(translated));
      setServerErrors([]);
      setTranslator(null);
      track(await api.submitRender({ prompt }), prompt);
    } catch (exc) {
      setPromptError(describeError(exc));
    } finally {
      setPromptBusy(false);
    }
  };

  const onInspire = async (image: File, prompt: string) => {
    setPromptBusy(true);
    setPromptError(null);
    try {
      setText(pretty(await api.inspire(image, prompt || undefined)));
      setServerErrors([]);
    } catch (exc) {
      setPromptError(describeError(exc));
    } finally {
      setPromptBusy(false);
    }
  };

  const renderManifest = async (m: Manifest | null, label: string, seed?: number) => {
    setEditorError(null);
    if (!m) {
      setEditorError("the manifest is not a JSON object: fix the marked error first");
      return;
    }
    try {
      track(await api.submitRender({ manifest: m, seed: seed ?? null }), label);
    } catch (exc) {
      const details = manifestDetails(exc);
      if (details.length) setServerErrors(details);
      setEditorError(describeError(exc));
    }
  };

  const onControlsChange = (next: Manifest) => {
    setText(pretty(next));
    setControlsError(null);
    const seq = ++compileSeq.current;
    setTimeout(() => {
      if (seq !== compileSeq.current) return; // a newer change is on its way
      api.compile(next).then(
        (compiled) => seq === compileSeq.current && setText(pretty(compiled)),
        (exc) => seq === compileSeq.current && setControlsError(describeError(exc)),
      );
    }, COMPILE_DELAY_MS);
  };

  const commitTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onControlsCommit = (next: Manifest) => {
    clearTimeout(commitTimer.current);
    if (!renderOnRelease) return;
    commitTimer.current = setTimeout(() => void renderManifest(next, "studio controls"), COMMIT_DELAY_MS);
  };

  const onRefine = async (render: RenderOut, instruction: string) => {
    track(await api.refine(render.id, instruction), `${instruction} (from ${shortId(render.id)})`);
  };

  const onRerender = async (render: RenderOut, newSeed: boolean) => {
    if (newSeed) {
      track(await api.submitRender({ manifest: render.manifest, seed: randomSeed() }), `new seed for ${shortId(render.id)}`);
    } else {
      track(await api.rerender(render.id), `re-render of ${shortId(render.id)}`);
    }
  };

  const onCancel = (jobId: string) => {
    api.cancelJob(jobId).catch((exc) => setEditorError(describeError(exc)));
  };

  return (
    <div className="studio">
      <div className="col col-left">
        <ErrorBoundary area="prompt">
          <PromptInput onSubmit={onPrompt} onInspire={onInspire} busy={promptBusy} translator={translator} error={promptError} />
        </ErrorBoundary>
        <ErrorBoundary area="studio controls">
          {schema ? (
            <ParamControls
              manifest={manifest ?? lastManifest.current}
              disabled={!manifest}
              schema={schema}
              onChange={onControlsChange}
              onCommit={onControlsCommit}
              renderOnRelease={renderOnRelease}
              onRenderOnReleaseChange={setRenderOnRelease}
              error={controlsError}
            />
          ) : (
            <section className="panel controls">
              <h2>Studio controls</h2>
              <p className="hint">Loading the schema…</p>
            </section>
          )}
        </ErrorBoundary>
      </div>
      <div className="col col-main">
        <ErrorBoundary area="render preview">
          <RenderPreview
            renders={renders}
            selected={selected}
            jobs={jobs}
            onSelect={(r) => show(r)}
            onRefine={onRefine}
            onRerender={onRerender}
            onCancel={onCancel}
            onDismiss={(id) => setJobs((old) => old.filter((j) => j.id !== id))}
          />
        </ErrorBoundary>
      </div>
      <div className="col col-right">
        <ErrorBoundary area="manifest editor">
          <JsonEditor
            value={text}
            onChange={setText}
            schema={schema}
            serverErrors={serverErrors}
            onRender={() => void renderManifest(manifest, "manifest")}
          />
          {editorError && (
            <p className="field-error" role="alert" data-testid="editor-error">
              {editorError}
            </p>
          )}
        </ErrorBoundary>
      </div>
    </div>
  );
}
