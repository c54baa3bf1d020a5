// The history: search by text or SKU (cursor pages, newest first), and a render's lineage.
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import type { LineageOut, RenderOut } from "../api/client";
import { getLineage, getRender, listRenders } from "../api/studio";
import { shortId } from "../lib/jobs";
import { LineageTree } from "./LineageTree";
import { EngineBadge } from "./RenderPreview";
import { AuthImg } from "./AuthImg";

interface Props {
  /** shown: the list is refreshed each time the page is shown again */
  active: boolean;
  onOpen: (render: RenderOut) => void;
}

const PAGE = 24;

export function History({ active, onOpen }: Props) {
  const [q, setQ] = useState("");
  const [sku, setSku] = useState("");
  const [items, setItems] = useState<RenderOut[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [loading, setLoading] = useState(false);
  const [current, setCurrent] = useState<RenderOut | null>(null);
  const [lineage, setLineage] = useState<LineageOut | null>(null);

  const load = useCallback(async (query: { q: string; sku: string }, after: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await listRenders({ ...query, cursor: after, limit: PAGE });
      setItems((old) => (after ? [...old, ...page.items] : page.items));
      setCursor(page.next_cursor ?? null);
    } catch (exc) {
      const detail = (exc as { details?: { path: string; message: string }[] }).details?.[0];
      setError({ message: exc instanceof Error ? exc.message : String(exc), field: detail?.path });
    } finally {
      setLoading(false);
    }
  }, []);

  const query = useRef({ q: "", sku: "" });
  useEffect(() => {
    if (active) void load(query.current, null);
  }, [active, load]);

  const pick = async (id: string) => {
    try {
      const [render, tree] = await Promise.all([getRender(id), getLineage(id)]);
      setCurrent(render);
      setLineage(tree);
    } catch (exc) {
      setError({ message: exc instanceof Error ? exc.message : String(exc) });
    }
  };

  const search = (e: FormEvent) => {
    e.preventDefault();
    query.current = { q, sku };
    void load(query.current, null);
  };

  return (
    <div className="history-page">
      <section className="panel history" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <form className="row search" onSubmit={search} role="search">
          <label>
            Search
            <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="marble, velvet…" aria-invalid={error?.field === "query.q" || undefined} />
          </label>
          <label>
            SKU
            <input value={sku} onChange={(e) => setSku(e.target.value)} placeholder="SKU-123" aria-invalid={error?.field === "query.sku" || undefined} />
          </label>
          <button type="submit" className="primary">
            Search
          </button>
        </form>
        {error && (
          <p className="field-error" role="alert">
            {error.field ? <code>{error.field}</code> : null} {error.message}
          </p>
        )}
        <ul className="history-list" aria-label="Renders found" aria-busy={loading}>
          {items.map((r) => (
            <li key={r.id}>
              <button type="button" aria-pressed={current?.id === r.id} onClick={() => void pick(r.id)} aria-label={`Select render ${shortId(r.id)}`}>
                {r.images[0] && <AuthImg src={r.images[0].url} alt="" loading="lazy" />}
                <span className="history-text">
                  <code>{shortId(r.id)}</code> {r.instruction ? `“${r.instruction}”` : r.prompt ?? "manifest"}
                  {r.sku && <span className="sku"> · {r.sku}</span>}
                  <span className="hint"> · {new Date(r.created_at).toLocaleString()}</span>
                </span>
                <EngineBadge render={r} />
              </button>
            </li>
          ))}
        </ul>
        {!loading && items.length === 0 && !error && <p className="empty">No renders match.</p>}
        {cursor && (
          <button type="button" onClick={() => void load(query.current, cursor)} disabled={loading}>
            Load more
          </button>
        )}
      </section>
      <section className="panel lineage-panel" aria-labelledby="lineage-title">
        <h2 id="lineage-title">Lineage</h2>
        {current && lineage ? (
          <>
            <figure className="stage small">
              {current.images[0] && <AuthImg src={current.images[0].url} alt={`Render ${shortId(current.id)}`} />}
              <EngineBadge render={current} />
            </figure>
            <div className="row">
              <button type="button" className="primary" onClick={() => onOpen(current)}>
                Open in studio
              </button>
            </div>
            <LineageTree root={lineage} currentId={current.id} onPick={(id) => void pick(id)} />
          </>
        ) : (
          <p className="empty">Select a render to see where it came from and what was made from it.</p>
        )}
      </section>
    </div>
  );
}
