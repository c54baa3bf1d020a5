// Batches: drop a catalogue CSV, pick a template and preset, see every row's problems (a dry
// run) before starting, follow the batch live, then the results, the CSV and the ZIP.
import { useCallback, useEffect, useRef, useState, type DragEvent, type FormEvent, type InputHTMLAttributes } from "react";
import { ApiError, type BatchOut, type DryRunOut, type PresetOut, type ResultsOut, type RowIssue, type TemplateOut } from "../api/client";
import { streamEvents } from "../api/events";
import * as api from "../api/studio";
import { describeError } from "../lib/errors";
import { shortId } from "../lib/jobs";
import { navigate } from "../lib/router";
import { AuthImg } from "./AuthImg";
import { CataloguePicker, useCatalogue, type Choice } from "./CataloguePicker";

type FieldErrors = Partial<Record<"file" | "template" | "preset" | "engine" | "seed" | "variants" | "width" | "height", string>>;

interface Options {
  template: string;
  preset: string;
  engine: string;
  seed: string;
  variants: string;
  width: string;
  height: string;
}

const EMPTY: Options = { template: "", preset: "", engine: "", seed: "", variants: "1", width: "", height: "" };

function toApiOptions(o: Options): Partial<api.BatchOptions> {
  const n = (v: string) => (v.trim() === "" ? undefined : Number(v));
  return {
    template: o.template || undefined,
    preset: o.preset || undefined,
    engine: o.engine || undefined,
    seed: n(o.seed),
    variants: n(o.variants),
    width: n(o.width),
    height: n(o.height),
  };
}

function templateChoice(t: TemplateOut): Choice {
  return { value: t.name, label: t.name, hint: t.summary };
}

function presetChoice(p: PresetOut): Choice {
  return { value: p.name, label: `${p.name} · ${p.width}×${p.height}`, hint: `${p.title}: ${p.rules.join("; ")}` };
}

/** The API's option errors ($.preset, $.seed …) by field; the rest as one message. */
function splitErrors(exc: unknown): { fields: FieldErrors; message: string } {
  const fields: FieldErrors = {};
  if (exc instanceof ApiError) {
    for (const d of exc.details) {
      const name = d.path.replace(/^\$\./, "") as keyof FieldErrors;
      if (["template", "preset", "engine", "seed", "variants", "width", "height"].includes(name)) fields[name] = d.message;
      else if (exc.code === "invalid_csv" || d.path === "$.file") fields.file = `${d.path}: ${d.message}`;
    }
  }
  return { fields, message: describeError(exc) };
}

export function IssueTable({ issues, caption }: { issues: RowIssue[]; caption: string }) {
  if (issues.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="issues">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Column</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((i, n) => (
            <tr key={`${i.row}-${i.column}-${n}`} className="row-error">
              <td>{i.row}</td>
              <td>{i.column ?? "—"}</td>
              <td>{i.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Field({ name, label, value, error, onChange, ...rest }: {
  name: keyof Options; label: string; value: string; error?: string; onChange: (v: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value">) {
  const id = `batch-${name}`;
  return (
    <label htmlFor={id}>
      {label}
      <input id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined} {...rest} />
      {error && <span id={`${id}-error`} className="field-error" role="alert">{error}</span>}
    </label>
  );
}

function Upload({ engines, onStarted }: { engines: string[]; onStarted: (batch: BatchOut) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState<Options>(EMPTY);
  const [check, setCheck] = useState<DryRunOut | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const [templates, retryTemplates] = useCatalogue(api.getTemplates);
  // preset sizes are on the chosen engine's size grid
  const loadPresets = useCallback(() => api.getPresets(options.engine || undefined), [options.engine]);
  const [presets, retryPresets] = useCatalogue(loadPresets);

  // one request at a time; its errors go to their fields, the rest to the message line
  const send = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (exc) {
      const split = splitErrors(exc);
      setFields(split.fields);
      setMessage(split.message);
    } finally {
      setBusy(false);
    }
  }, []);

  const dryRun = useCallback(async (f: File, o: Options) => {
    setFields({});
    setMessage(null);
    setCheck(null);
    await send(async () => setCheck(await api.checkBatch(f, toApiOptions(o))));
  }, [send]);

  const pick = (f: File | undefined) => {
    if (!f) return;
    setFile(f);
    void dryRun(f, options);
  };
  const set = (name: keyof Options) => (v: string) => {
    setOptions((o) => ({ ...o, [name]: v }));
    setCheck(null); // the check was for the old options
  };
  const start = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setMessage(null);
    await send(async () => onStarted(await api.startBatch(file, toApiOptions(options))));
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    pick(e.dataTransfer.files[0]);
  };

  return (
    <form onSubmit={start} className="batch-upload">
      <div
        className={`dropzone${over ? " over" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <p>Drop a catalogue CSV here (columns: sku, prompt or manifest, template, preset, …)</p>
        <input ref={input} id="batch-file" type="file" accept=".csv,text/csv" className="visually-hidden"
          onChange={(e) => pick(e.target.files?.[0])} aria-label="Catalogue CSV file" />
        <button type="button" onClick={() => input.current?.click()}>
          Choose a CSV file
        </button>
        {file && <p className="hint" data-testid="batch-file-name">{file.name} · {(file.size / 1024).toFixed(1)} KB</p>}
        {fields.file && <p className="field-error" role="alert">{fields.file}</p>}
      </div>
      <fieldset className="batch-options row" disabled={busy}>
        <legend className="visually-hidden">Batch options</legend>
        <CataloguePicker id="batch-template" label="Template" noun="templates" catalogue={templates}
          choices={templates.state === "ready" ? templates.items.map(templateChoice) : []} value={options.template}
          error={fields.template} onChange={set("template")} onRetry={retryTemplates}
          empty="No templates yet: save one from a render with `studioflow template save ID NAME`." />
        <CataloguePicker id="batch-preset" label="Preset" noun="presets" catalogue={presets}
          choices={presets.state === "ready" ? presets.items.map(presetChoice) : []} value={options.preset}
          error={fields.preset} onChange={set("preset")} onRetry={retryPresets} empty="The server has no presets." />
        <label htmlFor="batch-engine">
          Engine
          <select id="batch-engine" value={options.engine} onChange={(e) => set("engine")(e.target.value)} aria-invalid={fields.engine ? true : undefined}>
            <option value="">default</option>
            {engines.map((e) => <option key={e} value={e}>{e}</option>)}
          </select>
          {fields.engine && <span className="field-error" role="alert">{fields.engine}</span>}
        </label>
        <Field name="seed" label="Seed" value={options.seed} error={fields.seed} onChange={set("seed")} type="number" min={0} placeholder="0" />
        <Field name="variants" label="Variants" value={options.variants} error={fields.variants} onChange={set("variants")} type="number" min={1} max={16} />
        <Field name="width" label="Width" value={options.width} error={fields.width} onChange={set("width")} type="number" min={16} placeholder="auto" />
        <Field name="height" label="Height" value={options.height} error={fields.height} onChange={set("height")} type="number" min={16} placeholder="auto" />
      </fieldset>
      <div className="row">
        <button type="button" disabled={!file || busy} onClick={() => file && void dryRun(file, options)}>
          Check rows (dry run)
        </button>
        <button type="submit" className="primary" disabled={!file || busy || !check || check.valid_rows === 0}>
          Start batch
        </button>
        {busy && <span className="hint">Working…</span>}
      </div>
      {message && <p className="field-error" role="alert">{message}</p>}
      {check && (
        <section aria-label="Dry run" className="dry-run">
          <p data-testid="dry-run-summary">
            {check.rows} rows: <strong>{check.valid_rows} ready</strong> ({check.items} images),{" "}
            <strong className={check.errors.length ? "field-error" : undefined}>{check.rows - check.valid_rows} with errors</strong>
            {check.errors.length > 0 && " — they are skipped; the others render."}
          </p>
          <IssueTable issues={check.errors} caption="Rows with errors" />
          <IssueTable issues={check.warnings} caption="Warnings" />
        </section>
      )}
    </form>
  );
}

function Progress({ batchId, onStatus }: { batchId: string; onStatus: (status: string) => void }) {
  const [batch, setBatch] = useState<BatchOut | null>(null);
  const [results, setResults] = useState<ResultsOut | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setBatch(null);
    setResults(null);
    const refresh = () =>
      api.getBatch(batchId).then(
        (b) => {
          if (!live) return;
          setBatch(b);
          onStatus(b.status);
          if (b.status !== "running") api.batchResults(batchId).then((r) => live && setResults(r), () => undefined);
        },
        (exc) => live && setError(describeError(exc)),
      );
    void refresh();
    // events say something changed; the batch record says what (fetched at most ~4 times a second)
    const stop = streamEvents(
      `/v1/batches/${encodeURIComponent(batchId)}/events`,
      (ev) => {
        clearTimeout(timer);
        timer = setTimeout(refresh, 250);
        return ev.event === "done" || ev.event === "cancelled";
      },
      () => void refresh(),
    );
    return () => {
      live = false;
      clearTimeout(timer);
      stop();
    };
  }, [batchId]);

  if (error) return <p className="field-error" role="alert">{error}</p>;
  if (!batch) return <p className="hint">Loading the batch…</p>;
  const finished = batch.counts.done + batch.counts.failed + (batch.counts.cancelled ?? 0);
  const base = `/v1/batches/${encodeURIComponent(batch.id)}`;
  const fail = (exc: unknown) => setError(describeError(exc));
  return (
    <section className="batch-progress" aria-label={`Batch ${shortId(batch.id)}`}>
      <h3>
        Batch <code>{shortId(batch.id)}</code> {batch.source && <span className="hint">{batch.source}</span>} ·{" "}
        <span data-testid="batch-status">{batch.status}</span>
      </h3>
      <progress max={Math.max(1, batch.total_items)} value={finished} aria-label="Batch progress" />
      <p className="hint" data-testid="batch-counts">
        {batch.rendered} rendered · {batch.failed} failed · {batch.counts.pending + batch.counts.queued + batch.counts.running} to go
        {batch.rejected_rows > 0 && ` · ${batch.rejected_rows} rows rejected`}
      </p>
      <div className="row">
        {batch.status === "running" && (
          <button type="button" onClick={() => api.cancelBatch(batch.id).then(setBatch, fail)}>
            Cancel batch
          </button>
        )}
        <button type="button" onClick={() => api.download(`${base}/results.csv`, `batch-${batch.id}.csv`).catch(fail)}>
          Results CSV
        </button>
        <button type="button" onClick={() => api.download(`${base}/results.zip`, `batch-${batch.id}.zip`).catch(fail)} disabled={batch.rendered === 0}>
          Download ZIP
        </button>
      </div>
      <IssueTable issues={batch.errors} caption="Errors" />
      {results && results.results.length > 0 && (
        <div className="table-wrap">
          <table className="results">
            <caption>Results</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">SKU</th>
                <th scope="col">Variant</th>
                <th scope="col">Status</th>
                <th scope="col">Image</th>
              </tr>
            </thead>
            <tbody>
              {results.results.map((r) => (
                <tr key={`${r.row}-${r.variant}`} className={r.error ? "row-error" : undefined}>
                  <td>{r.row}</td>
                  <td>{r.sku ?? "—"}</td>
                  <td>{r.variant ?? "—"}</td>
                  <td>{r.error ? `${r.status}: ${r.error}` : r.status}</td>
                  <td>
                    {r.render_id && r.image ? (
                      <a href={`/renders/${r.render_id}`} onClick={(e) => { e.preventDefault(); navigate({ page: "studio", renderId: r.render_id! }); }}
                        aria-label={`Open render of ${r.sku ?? `row ${r.row}`}`}>
                        <AuthImg src={r.image} alt="" className="thumb" loading="lazy" />
                      </a>
                    ) : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function BatchUploader({ batchId }: { batchId?: string }) {
  const [engines, setEngines] = useState<string[]>([]);
  const [recent, setRecent] = useState<BatchOut[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    api.getEngines().then((list) => setEngines(list.filter((e) => e.available).map((e) => e.name)), () => undefined);
  }, []);
  useEffect(() => {
    api.listBatches(10).then((page) => setRecent(page.items), () => undefined);
  }, [batchId, status]);
  return (
    <div className="batches-page">
      <section className="panel batches" aria-labelledby="batches-title">
        <h2 id="batches-title">New batch</h2>
        <Upload engines={engines} onStarted={(b) => navigate({ page: "batches", batchId: b.id })} />
      </section>
      <section className="panel" aria-labelledby="batch-run-title">
        <h2 id="batch-run-title">Progress and results</h2>
        {batchId ? <Progress batchId={batchId} onStatus={setStatus} /> : <p className="empty">Start a batch, or pick one below.</p>}
        {recent.length > 0 && (
          <ul className="recent-batches" aria-label="Recent batches">
            {recent.map((b) => (
              <li key={b.id}>
                <a href={`/batches/${b.id}`} aria-current={b.id === batchId ? "true" : undefined}
                  onClick={(e) => { e.preventDefault(); navigate({ page: "batches", batchId: b.id }); }}>
                  {shortId(b.id)} · {b.source ?? "batch"} · {b.status} · {b.rendered}/{b.total_items}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
