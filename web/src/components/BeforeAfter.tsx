// Before/after: the parent render under the child, revealed up to a slider's position.
import { useState } from "react";
import { AuthImg } from "./AuthImg";

interface Props {
  before: { src: string; label: string };
  after: { src: string; label: string };
}

export function BeforeAfter({ before, after }: Props) {
  const [pos, setPos] = useState(50);
  return (
    <div className="before-after" data-testid="before-after">
      <AuthImg src={after.src} alt={`After: ${after.label}`} draggable={false} />
      <AuthImg
        src={before.src}
        alt={`Before: ${before.label}`}
        className="before"
        style={{ clipPath: `inset(0 ${100 - pos}% 0 0)` }}
        draggable={false}
      />
      <div className="divider" style={{ left: `${pos}%` }} aria-hidden="true" />
      <span className="tag tag-left" aria-hidden="true">before</span>
      <span className="tag tag-right" aria-hidden="true">after</span>
      <input
        type="range"
        min={0}
        max={100}
        value={pos}
        aria-label="Before/after position"
        aria-valuetext={`${pos}% before`}
        onChange={(e) => setPos(Number(e.target.value))}
      />
    </div>
  );
}
