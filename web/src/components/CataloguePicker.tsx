// A labelled <select> of things the server knows by name (templates, marketplace presets):
// "none" first, then the server's list; loading and failure are shown in place, with a way
// to ask again, and an error the server gave for the field stays at the field.
import { useCallback, useEffect, useState } from "react";
import { describeError } from "../lib/errors";

export type Catalogue<T> =
  | { state: "loading" }
  | { state: "ready"; items: T[] }
  | { state: "error"; message: string };

/** The list ``load`` fetches (again when ``load`` changes), and a function to retry. */
export function useCatalogue<T>(load: () => Promise<T[]>): [Catalogue<T>, () => void] {
  const [value, setValue] = useState<Catalogue<T>>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setValue({ state: "loading" });
    load().then(
      (items) => live && setValue({ state: "ready", items }),
      (exc) => live && setValue({ state: "error", message: describeError(exc) }),
    );
    return () => {
      live = false;
    };
  }, [load, attempt]);
  return [value, useCallback(() => setAttempt((n) => n + 1), [])];
}

export interface Choice {
  value: string;
  label: string;
  /** Shown under the picker while this choice is selected. */
  hint?: string;
}

export function CataloguePicker({ id, label, noun, catalogue, choices, value, error, empty, onChange, onRetry }: {
  id: string;
  label: string;
  /** What the list holds, plural: "templates". */
  noun: string;
  catalogue: Catalogue<unknown>;
  choices: Choice[];
  value: string;
  error?: string;
  /** What to say when the server has none. */
  empty: string;
  onChange: (value: string) => void;
  onRetry: () => void;
}) {
  const selected = choices.find((c) => c.value === value);
  const notes = [
    catalogue.state !== "ready" && `${id}-status`,
    catalogue.state === "ready" && choices.length === 0 && `${id}-status`,
    selected?.hint && `${id}-hint`,
    error && `${id}-error`,
  ].filter(Boolean).join(" ");
  return (
    <div className="picker">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined}
        aria-describedby={notes || undefined} aria-busy={catalogue.state === "loading" || undefined}>
        <option value="">none</option>
        {choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
        {/* a choice the list no longer has (deleted meanwhile) stays visible as what is chosen */}
        {value && !selected && <option value={value}>{value} (not in the list)</option>}
      </select>
      {catalogue.state === "loading" && <span id={`${id}-status`} className="hint" role="status">Loading {noun}…</span>}
      {catalogue.state === "error" && (
        <span id={`${id}-status`} className="field-error" role="alert">
          Cannot load the {noun}: {catalogue.message}{" "}
          <button type="button" className="link" onClick={onRetry} aria-label={`Try loading the ${noun} again`}>Try again</button>
        </span>
      )}
      {catalogue.state === "ready" && choices.length === 0 && <span id={`${id}-status`} className="hint">{empty}</span>}
      {selected?.hint && <span id={`${id}-hint`} className="hint">{selected.hint}</span>}
      {error && <span id={`${id}-error`} className="field-error" role="alert">{error}</span>}
    </div>
  );
}
