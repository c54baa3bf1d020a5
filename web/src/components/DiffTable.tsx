// What changed between two manifests, leaf by leaf (GET /v1/renders/{a}/diff/{b}).
import type { ChangeOut } from "../api/client";

function show(v: unknown): string {
  if (v === undefined || v === null) return "—";
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function DiffTable({ changes, caption }: { changes: ChangeOut[]; caption: string }) {
  if (changes.length === 0) return <p className="hint">No differences: the manifests are identical.</p>;
  return (
    <div className="table-wrap">
      <table className="diff">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Change</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.path} className={`diff-${c.kind}`}>
              <td>
                <code>{c.path}</code>
              </td>
              <td>{c.kind}</td>
              <td>{show(c.before)}</td>
              <td>{show(c.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
