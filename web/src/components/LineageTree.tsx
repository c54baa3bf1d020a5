// A render's family tree (GET /v1/renders/{id}/lineage): every node is a button, so the tree
// can be walked with the keyboard; the current render is marked.
import type { LineageOut } from "../api/client";
import { shortId } from "../lib/jobs";
import { AuthImg } from "./AuthImg";

interface Props {
  root: LineageOut;
  currentId: string;
  onPick: (id: string) => void;
}

function Node({ node, currentId, onPick, depth }: Props & { node: LineageOut; depth: number }) {
  const current = node.id === currentId;
  const what = node.instruction ? `“${node.instruction}”` : node.prompt ?? "manifest";
  return (
    <li>
      <button
        type="button"
        className={`lineage-node${current ? " current" : ""}`}
        aria-current={current ? "true" : undefined}
        aria-label={`Render ${shortId(node.id)}, generation ${depth + 1}: ${what}`}
        onClick={() => onPick(node.id)}
      >
        {node.image_url && <AuthImg src={node.image_url} alt="" loading="lazy" />}
        <span>
          <code>{shortId(node.id)}</code> {what}
        </span>
      </button>
      {node.children.length > 0 && (
        <ul>
          {node.children.map((c) => (
            <Node key={c.id} root={c} node={c} currentId={currentId} onPick={onPick} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function LineageTree({ root, currentId, onPick }: Props) {
  return (
    <ul className="lineage" aria-label="Lineage">
      <Node root={root} node={root} currentId={currentId} onPick={onPick} depth={0} />
    </ul>
  );
}
