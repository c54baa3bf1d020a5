// JSON paths as the API writes them ($.render.width, $.fibo.objects[0].description) and
// where they are in a JSON text, so a server error can be shown at its place in the editor.

export type Segment = string | number;

/** "$.fibo.objects[0].description" -> ["fibo", "objects", 0, "description"]. */
export function parsePath(path: string): Segment[] {
  const segs: Segment[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/g;
  const body = path.startsWith("$") ? path.slice(1) : path;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) {
    if (m[1] !== undefined) segs.push(m[1]);
    else if (m[2] !== undefined) segs.push(Number(m[2]));
    else segs.push(m[3] ?? m[4]);
  }
  return segs;
}

export function formatPath(segs: Segment[]): string {
  return "$" + segs.map((s) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_][\w-]*$/.test(s) ? `.${s}` : `['${s}']`)).join("");
}

/** A value's place in the text; for a property also its key's. */
export interface Span {
  from: number;
  to: number;
  keyFrom?: number;
  keyTo?: number;
  /** true when the exact path was not there and this is its deepest existing parent */
  partial?: boolean;
}

interface Node {
  from: number;
  to: number;
  children?: Map<Segment, { node: Node; keyFrom?: number; keyTo?: number }>;
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  fail(): never {
    throw new SyntaxError(`invalid JSON at ${this.pos}`);
  }

  value(): Node {
    this.ws();
    const from = this.pos;
    const ch = this.text[this.pos];
    if (ch === "{") return this.object(from);
    if (ch === "[") return this.array(from);
    if (ch === '"') {
      this.string();
      return { from, to: this.pos };
    }
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!m) this.fail();
    this.pos += m[0].length;
    return { from, to: this.pos };
  }

  string(): string {
    const from = this.pos;
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') {
      this.pos += this.text[this.pos] === "\\" ? 2 : 1;
    }
    if (this.pos >= this.text.length) this.fail();
    this.pos++;
    return JSON.parse(this.text.slice(from, this.pos)) as string;
  }

  object(from: number): Node {
    const children: Node["children"] = new Map();
    this.pos++;
    this.ws();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return { from, to: this.pos, children };
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail();
      const keyFrom = this.pos;
      const key = this.string();
      const keyTo = this.pos;
      this.ws();
      if (this.text[this.pos] !== ":") this.fail();
      this.pos++;
      children.set(key, { node: this.value(), keyFrom, keyTo });
      this.ws();
      const sep = this.text[this.pos++];
      if (sep === "}") return { from, to: this.pos, children };
      if (sep !== ",") this.fail();
    }
  }

  array(from: number): Node {
    const children: Node["children"] = new Map();
    this.pos++;
    this.ws();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return { from, to: this.pos, children };
    }
    for (let i = 0; ; i++) {
      children.set(i, { node: this.value() });
      this.ws();
      const sep = this.text[this.pos++];
      if (sep === "]") return { from, to: this.pos, children };
      if (sep !== ",") this.fail();
    }
  }
}

/** Where ``path`` is in ``text``: its value (and key), or its deepest existing parent
 * (``partial``). null when the text is not JSON. */
export function locate(text: string, path: string | Segment[]): Span | null {
  const segs = typeof path === "string" ? parsePath(path) : path;
  let root: Node;
  try {
    root = new Scanner(text).value();
  } catch {
    return null;
  }
  let span: Span = { from: root.from, to: root.to };
  let node = root;
  for (const seg of segs) {
    const child = node.children?.get(seg);
    if (!child) return { ...span, partial: true };
    node = child.node;
    span = { from: node.from, to: node.to, keyFrom: child.keyFrom, keyTo: child.keyTo };
  }
  return span;
}

/** The part of a span to underline: a scalar value, or the key of an object/array value. */
export function markRange(text: string, span: Span): { from: number; to: number } {
  const opens = text[span.from] === "{" || text[span.from] === "[";
  if (opens && span.keyFrom !== undefined && span.keyTo !== undefined) {
    return { from: span.keyFrom, to: span.keyTo };
  }
  if (opens) return { from: span.from, to: span.from + 1 };
  return { from: span.from, to: span.to };
}

export function getIn(value: unknown, segs: Segment[]): unknown {
  let cur = value;
  for (const seg of segs) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** A copy of ``value`` with ``segs`` set to ``v`` (missing objects are created). */
export function setIn<T>(value: T, segs: Segment[], v: unknown): T {
  if (segs.length === 0) return v as T;
  const [head, ...rest] = segs;
  const base: Record<string | number, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : { ...((value ?? {}) as Record<string, unknown>) };
  (base as Record<string | number, unknown>)[head] = setIn((base as Record<string | number, unknown>)[head], rest, v);
  return base as T;
}
