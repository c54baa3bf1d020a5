// CodeMirror 6 on the manifest: JSON-schema validation as you type, completion and hover help
// from the schema (codemirror-json-schema), the server's /v1/validate errors at their JSON
// paths, format, undo and redo.
import { redo, undo } from "@codemirror/commands";
import { json, jsonLanguage, jsonParseLinter } from "@codemirror/lang-json";
import { forceLinting, linter, type Diagnostic } from "@codemirror/lint";
import { EditorSelection, StateEffect, StateField, type EditorState } from "@codemirror/state";
import { oneDark } from "@codemirror/theme-one-dark";
import { EditorView, hoverTooltip } from "@codemirror/view";
import { disableErrorLogging } from "best-effort-json-parser";
import { basicSetup } from "codemirror";
import { handleRefresh, jsonCompletion, jsonSchemaHover, jsonSchemaLinter, stateExtensions } from "codemirror-json-schema";
import { useEffect, useRef } from "react";
import type { ErrorDetail } from "../api/client";
import { locate, markRange } from "../lib/jsonpath";

export interface EditorProps {
  value: string;
  onChange: (text: string) => void;
  schema: Record<string, unknown> | null;
  /** Problems the server found, at JSON paths ($.render.width). */
  serverErrors: ErrorDetail[];
  onRender: () => void;
  busy?: boolean;
}

// the schema tools parse half-typed JSON on purpose; the parser would log each attempt
disableErrorLogging();

export const setServerErrors = StateEffect.define<ErrorDetail[]>();
export const serverErrorsField = StateField.define<ErrorDetail[]>({
  create: () => [],
  update: (value, tr) => tr.effects.reduce((v, e) => (e.is(setServerErrors) ? e.value : v), value),
});

/** The server's errors placed in the current text by their paths. */
export function serverDiagnostics(state: EditorState): Diagnostic[] {
  const text = state.doc.toString();
  const out: Diagnostic[] = [];
  for (const err of state.field(serverErrorsField)) {
    const span = locate(text, err.path);
    if (!span) continue;
    const { from, to } = markRange(text, span);
    out.push({ from, to, severity: "error", source: "server", message: `${err.path}: ${err.message}` });
  }
  return out;
}

function jumpTo(view: EditorView, path: string) {
  const text = view.state.doc.toString();
  const span = locate(text, path);
  if (!span) return;
  const { from, to } = markRange(text, span);
  view.dispatch({ selection: EditorSelection.range(from, to), scrollIntoView: true });
  view.focus();
}

export default function JsonEditorCore({ value, onChange, schema, serverErrors, onRender, busy }: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const extensions = [
      basicSetup,
      oneDark,
      json(),
      linter(jsonParseLinter(), { delay: 300 }),
      serverErrorsField,
      linter((v) => serverDiagnostics(v.state), {
        delay: 0,
        needsRefresh: (u) => u.transactions.some((tr) => tr.effects.some((e) => e.is(setServerErrors))),
      }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) changed.current(u.state.doc.toString());
      }),
      EditorView.contentAttributes.of({ "aria-label": "Manifest JSON" }),
      EditorView.lineWrapping,
    ];
    if (schema) {
      extensions.push(
        linter(jsonSchemaLinter(), { needsRefresh: handleRefresh, delay: 300 }),
        jsonLanguage.data.of({ autocomplete: jsonCompletion() }),
        hoverTooltip(jsonSchemaHover()),
        stateExtensions(schema as never),
      );
    }
    const v = new EditorView({ doc: value, extensions, parent: host.current! });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // the editor is made once per schema; the text is synchronised below
  }, [schema]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      // a replacement, not a new state: undo brings the previous text back
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch({ effects: setServerErrors.of(serverErrors) });
    forceLinting(v);
  }, [serverErrors, schema]);

  const format = () => {
    const v = view.current;
    if (!v) return;
    try {
      const pretty = JSON.stringify(JSON.parse(v.state.doc.toString()), null, 2);
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: pretty } });
    } catch {
      forceLinting(v); // broken JSON: the parse error is shown where it is
    }
  };

  return (
    <>
      <div className="toolbar" role="toolbar" aria-label="Manifest editor">
        <button type="button" onClick={format}>
          Format
        </button>
        <button type="button" onClick={() => view.current && undo(view.current)}>
          Undo
        </button>
        <button type="button" onClick={() => view.current && redo(view.current)}>
          Redo
        </button>
        <button type="button" className="primary" onClick={onRender} disabled={busy}>
          Render manifest
        </button>
      </div>
      <div ref={host} className="cm-host" data-testid="json-editor" />
      {serverErrors.length > 0 && (
        <ul className="errors" aria-label="Manifest errors">
          {serverErrors.map((e, i) => (
            <li key={`${e.path}-${i}`}>
              <button type="button" className="link" onClick={() => view.current && jumpTo(view.current, e.path)}>
                <code>{e.path}</code>
              </button>{" "}
              {e.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
