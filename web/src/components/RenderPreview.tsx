// The renders: running jobs with live progress, the selected render with its engine badge,
// actions (open, download, export, refine, re-render), before/after against its parent with
// the JSON diff, and a gallery of this session's renders.
import { useEffect, useId, useState, type FormEvent } from "react";
import type { ChangeOut, RenderOut } from "../api/client";
import { ApiError } from "../api/client";
import { download, exportUrl, getDiff, getRender } from "../api/studio";
import { describeError } from "../lib/errors";
import { EXPORT_FORMATS, shortId, type JobEntry } from "../lib/jobs";
import { BeforeAfter } from "./BeforeAfter";
import { DiffTable } from "./DiffTable";
import { AuthImg } from "./AuthImg";

interface Props {
  renders: RenderOut[];
  selected: RenderOut | null;
  jobs: JobEntry[];
  onSelect: (render: RenderOut) => void;
  onRefine: (render: RenderOut, instruction: string) => Promise<void>;
  onRerender: (render: RenderOut, newSeed: boolean) => Promise<void>;
  onCancel: (jobId: string) => void;
  onDismiss: (jobId: string) => void;
}

export function EngineBadge({ render }: { render: Pick<RenderOut, "engine" | "engine_label"> }) {
  if (render.engine === "preview") {
    return (
      <span className="badge badge-preview" title="Lighting preview: a quick CPU sketch of the set, not a FIBO image">
        PREVIEW
      </span>
    );
  }
  return <span className="badge">{render.engine_label || render.engine}</span>;
}

function JobRow({ job, onCancel, onDismiss }: { job: JobEntry; onCancel: () => void; onDismiss: () => void }) {
  const p = job.progress;
  const running = p.phase === "queued" || p.phase === "running";
  return (
    <li className={`job job-${p.phase}`}>
      <div className="job-head">
        <span className="job-kind">{job.kind}</span> <span className="job-label">{job.label}</span>
      </div>
      {running ? (
        <>
          <progress max={1} value={p.progress} aria-label={`Progress of ${job.kind}: ${job.label}`} />
          <span className="hint">{p.message}</span>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </>
      ) : (
        <>
          <span role={p.phase === "failed" ? "alert" : undefined} className={p.phase === "failed" ? "field-error" : "hint"}>
            {p.phase === "failed" ? `Failed: ${p.error?.message ?? p.message}` : p.phase}
            {p.error?.details?.map((d) => (
              <span key={d.path} className="detail">
                {" "}
                <code>{d.path}</code> {d.message}
              </span>
            ))}
          </span>
          <button type="button" onClick={onDismiss}>
            Dismiss
          </button>
        </>
      )}
    </li>
  );
}

function RefineBox({ render, onRefine }: { render: RenderOut; onRefine: Props["onRefine"] }) {
  const id = useId();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await onRefine(render, text.trim());
      setText("");
    } catch (exc) {
      setError(exc instanceof ApiError ? exc.message + exc.details.map((d) => ` (${d.path}: ${d.message})`).join("") : String(exc));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="refine row" onSubmit={submit}>
      <label htmlFor={id}>Refine instruction</label>
      <input
        id={id}
        value={text}
        placeholder="make the key light come from the right"
        onChange={(e) => setText(e.target.value)}
        aria-invalid={error ? true : undefined}
      />
      <button type="submit" disabled={busy || !text.trim()}>
        Refine
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function ExportControl({ render }: { render: RenderOut }) {
  const [format, setFormat] = useState("png");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await download(exportUrl(render.id, format), `${render.id}.${format}`);
    } catch (exc) {
      setError(describeError(exc));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="export">
      <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value)}>
        {EXPORT_FORMATS.map((f) => (
          <option key={f.value} value={f.value}>
            {f.label}
          </option>
        ))}
      </select>
      <button type="button" onClick={run} disabled={busy}>
        {busy ? "Exporting…" : "Export"}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

function Compare({ render }: { render: RenderOut }) {
  const [parent, setParent] = useState<RenderOut | null>(null);
  const [changes, setChanges] = useState<ChangeOut[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const parentId = render.parent_id;
  useEffect(() => {
    if (!parentId) return;
    let live = true;
    setParent(null);
    setChanges(null);
    setError(null);
    Promise.all([getRender(parentId), getDiff(parentId, render.id)])
      .then(([p, c]) => {
        if (live) {
          setParent(p);
          setChanges(c);
        }
      })
      .catch((exc) => live && setError(exc instanceof Error ? exc.message : String(exc)));
    return () => {
      live = false;
    };
  }, [parentId, render.id]);
  if (!parentId) return null;
  if (error) return <p className="field-error" role="alert">{error}</p>;
  if (!parent || !changes) return <p className="hint">Loading the parent…</p>;
  return (
    <section className="compare" aria-label="Compare with parent">
      <h3>
        Before / after <span className="hint">parent {shortId(parent.id)} → {shortId(render.id)}</span>
      </h3>
      {parent.images[0] && render.images[0] && (
        <BeforeAfter
          before={{ src: parent.images[0].url, label: `render ${shortId(parent.id)}` }}
          after={{ src: render.images[0].url, label: `render ${shortId(render.id)}` }}
        />
      )}
      <DiffTable changes={changes} caption={`Manifest changes from ${shortId(parent.id)} to ${shortId(render.id)}`} />
    </section>
  );
}

function Selected({ render, onRefine, onRerender }: { render: RenderOut; onRefine: Props["onRefine"]; onRerender: Props["onRerender"] }) {
  const image = render.images[0];
  const [error, setError] = useState<string | null>(null);
  const again = (newSeed: boolean) => {
    setError(null);
    onRerender(render, newSeed).catch((exc) => setError(exc instanceof Error ? exc.message : String(exc)));
  };
  return (
    <article className="selected" aria-label={`Render ${shortId(render.id)}`}>
      <figure className="stage">
        {image ? (
          <AuthImg src={image.url} alt={`Render ${shortId(render.id)}: ${render.prompt ?? render.instruction ?? "manifest"}`} width={image.width} height={image.height} />
        ) : (
          <p>No image</p>
        )}
        <EngineBadge render={render} />
        <figcaption>
          <code title={render.id}>{shortId(render.id)}</code> · seed {render.seed} · {render.width}×{render.height} ·{" "}
          {(render.duration_ms / 1000).toFixed(1)} s{render.translator ? ` · ${render.translator}` : ""}
          {render.instruction && <span className="instruction"> · “{render.instruction}”</span>}
        </figcaption>
      </figure>
      <div className="actions row">
        {image && (
          <>
            <a className="button" href={image.url} target="_blank" rel="noreferrer">
              Open
            </a>
            <button type="button" onClick={() => download(image.url, `${render.id}.png`).catch((exc) => setError(describeError(exc)))}>
              Download
            </button>
          </>
        )}
        <ExportControl render={render} />
        <button type="button" onClick={() => again(false)}>
          Re-render (same seed)
        </button>
        <button type="button" onClick={() => again(true)}>
          Re-render (new seed)
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <RefineBox render={render} onRefine={onRefine} />
      <Compare render={render} />
    </article>
  );
}

export function RenderPreview({ renders, selected, jobs, onSelect, onRefine, onRerender, onCancel, onDismiss }: Props) {
  return (
    <section className="panel preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Renders</h2>
      {jobs.length > 0 && (
        <ul className="jobs" aria-label="Jobs">
          {jobs.map((j) => (
            <JobRow key={j.id} job={j} onCancel={() => onCancel(j.id)} onDismiss={() => onDismiss(j.id)} />
          ))}
        </ul>
      )}
      {selected ? (
        <Selected key={selected.id} render={selected} onRefine={onRefine} onRerender={onRerender} />
      ) : (
        <p className="empty">Describe a shot and press Ctrl+Enter, or edit the manifest and render it.</p>
      )}
      {renders.length > 0 && (
        <ul className="gallery" aria-label="Gallery">
          {renders.map((r) => (
            <li key={r.id}>
              <button type="button" aria-pressed={selected?.id === r.id} aria-label={`Show render ${shortId(r.id)}`} onClick={() => onSelect(r)}>
                {r.images[0] && <AuthImg src={r.images[0].url} alt="" loading="lazy" />}
                <EngineBadge render={r} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
