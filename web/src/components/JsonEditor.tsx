// The manifest editor. CodeMirror and the schema tooling are loaded on demand, so the
// prompt box is interactive before they arrive; until then the JSON is shown read-only.
import { lazy, Suspense } from "react";
import type { EditorProps } from "./JsonEditorCore";

const Core = lazy(() => import("./JsonEditorCore"));

export type { EditorProps };

export function JsonEditor(props: EditorProps) {
  return (
    <section className="panel editor" aria-labelledby="editor-title">
      <h2 id="editor-title">Manifest</h2>
      <Suspense
        fallback={
          <pre className="editor-loading" aria-busy="true">
            {props.value || "Loading the editor…"}
          </pre>
        }
      >
        <Core {...props} />
      </Suspense>
    </section>
  );
}
