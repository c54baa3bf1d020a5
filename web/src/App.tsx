// The shell: header with navigation, the API key when the server asks for one, and the pages.
import { lazy, Suspense, useEffect, useState, type MouseEvent } from "react";
import { setApiKey } from "./api/auth";
import { ApiError, type EngineOut } from "./api/client";
import * as api from "./api/studio";
import { useApiKey } from "./components/AuthImg";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { StudioPage } from "./components/StudioPage";
import { describeError } from "./lib/errors";
import { navigate, routePath, useRoute, type Route } from "./lib/router";
import type { Schema } from "./lib/schema";

const History = lazy(() => import("./components/History").then((m) => ({ default: m.History })));
const BatchUploader = lazy(() => import("./components/BatchUploader").then((m) => ({ default: m.BatchUploader })));

function NavLink({ to, label, current }: { to: Route; label: string; current: boolean }) {
  const go = (e: MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={routePath(to)} onClick={go} aria-current={current ? "page" : undefined}>
      {label}
    </a>
  );
}

function KeyForm({ reason }: { reason: string }) {
  const [value, setValue] = useState("");
  return (
    <form
      className="panel key-form row"
      onSubmit={(e) => {
        e.preventDefault();
        setApiKey(value.trim() || null);
        window.location.reload();
      }}
    >
      <label>
        API key <input type="password" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" />
      </label>
      <button type="submit" className="primary">
        Use key
      </button>
      <span className="field-error" role="alert">
        {reason}
      </span>
    </form>
  );
}

export function App() {
  const route = useRoute();
  const key = useApiKey();
  const [schema, setSchema] = useState<Schema | null>(null);
  const [engines, setEngines] = useState<EngineOut[]>([]);
  const [loadError, setLoadError] = useState<{ message: string; needsKey: boolean } | null>(null);
  const [visited, setVisited] = useState<Set<string>>(() => new Set([route.page]));

  useEffect(() => {
    setVisited((old) => (old.has(route.page) ? old : new Set([...old, route.page])));
  }, [route.page]);

  useEffect(() => {
    api.getSchema().then(
      (s) => setSchema(s as Schema),
      (exc) => setLoadError({ message: describeError(exc), needsKey: exc instanceof ApiError && (exc.status === 401 || exc.status === 403) }),
    );
    api.getEngines().then(setEngines, () => undefined);
  }, []);

  const engine = engines.find((e) => e.default);

  return (
    <div className="app">
      <header className="topbar">
        <h1>
          <span className="logo" aria-hidden="true" /> StudioFlow
        </h1>
        <nav aria-label="Main">
          <NavLink to={{ page: "studio" }} label="Studio" current={route.page === "studio"} />
          <NavLink to={{ page: "history" }} label="History" current={route.page === "history"} />
          <NavLink to={{ page: "batches" }} label="Batches" current={route.page === "batches"} />
        </nav>
        <span className="engine" title={engine?.reason ?? undefined}>
          {engine ? (
            <>
              engine <strong>{engine.name}</strong>
              {!engine.available && <span className="field-error"> (unavailable)</span>}
            </>
          ) : null}
        </span>
        {key && (
          <button type="button" className="link" onClick={() => { setApiKey(null); window.location.reload(); }}>
            Forget API key
          </button>
        )}
      </header>
      {loadError && (loadError.needsKey ? <KeyForm reason={loadError.message} /> : <p className="panel field-error" role="alert">{loadError.message}</p>)}
      <main>
        <div hidden={route.page !== "studio"}>
          <ErrorBoundary area="studio">
            <StudioPage schema={schema} renderId={route.page === "studio" ? route.renderId : undefined} />
          </ErrorBoundary>
        </div>
        <Suspense fallback={<p className="hint">Loading…</p>}>
          {visited.has("history") && (
            <div hidden={route.page !== "history"}>
              <ErrorBoundary area="history">
                <History active={route.page === "history"} onOpen={(r) => navigate({ page: "studio", renderId: r.id })} />
              </ErrorBoundary>
            </div>
          )}
          {visited.has("batches") && (
            <div hidden={route.page !== "batches"}>
              <ErrorBoundary area="batches">
                <BatchUploader batchId={route.page === "batches" ? route.batchId : undefined} />
              </ErrorBoundary>
            </div>
          )}
        </Suspense>
      </main>
    </div>
  );
}
