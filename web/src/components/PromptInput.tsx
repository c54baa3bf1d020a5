// The shot in words. Ctrl/Cmd+Enter (or the button) translates it into a manifest and renders.
import { useId, useRef, useState, type KeyboardEvent } from "react";

interface Props {
  onSubmit: (prompt: string) => void;
  /** A manifest in the look of a reference image (the text, if any, says what it cannot). */
  onInspire?: (image: File, prompt: string) => void;
  busy: boolean;
  translator: string | null;
  error: string | null;
  initial?: string;
}

export function PromptInput({ onSubmit, onInspire, busy, translator, error, initial = "" }: Props) {
  const id = useId();
  const [text, setText] = useState(initial);
  const file = useRef<HTMLInputElement>(null);
  const submit = () => {
    if (text.trim() && !busy) onSubmit(text.trim());
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };
  return (
    <section className="panel prompt" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Describe the shot</h2>
      <label htmlFor={id} className="visually-hidden">
        Prompt
      </label>
      <textarea
        id={id}
        value={text}
        rows={4}
        placeholder="perfume bottle on white marble, soft window light from the left, 85mm"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={`${id}-hint`}
        aria-invalid={error ? true : undefined}
        aria-errormessage={error ? `${id}-error` : undefined}
      />
      <div className="row">
        <button type="button" className="primary" onClick={submit} disabled={busy || !text.trim()}>
          {busy ? "Translating…" : "Translate and render"}
        </button>
        {onInspire && (
          <>
            <input
              ref={file}
              type="file"
              accept="image/*"
              className="visually-hidden"
              aria-label="Reference image"
              tabIndex={-1}
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) onInspire(f, text.trim());
                e.target.value = "";
              }}
            />
            <button type="button" onClick={() => file.current?.click()} disabled={busy} title="A manifest in the look of a reference image">
              From image…
            </button>
          </>
        )}
        <span id={`${id}-hint`} className="hint">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
        </span>
        <span className="translator" data-testid="translator">
          {translator ? (
            <>
              translator: <strong>{translator}</strong>
            </>
          ) : null}
        </span>
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
