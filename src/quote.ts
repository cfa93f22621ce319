// User data quoted in error messages — shapes, values, keys, configs — always short. A file or
// a caller controls that data: a shape of a million dimensions made a 3-million-character
// message, and an array nested 10 000 deep overflowed the stack inside String()/JSON.stringify
// before any message existed. quote() renders at most `max` characters, descends at most a few
// levels, and looks at no more elements than it prints, so its cost is bounded whatever it gets.

/** Longest rendering of one quoted value. */
export const QUOTE_MAX = 120;
/** Longest error message (a backstop in `fail`; the parts should already be short). */
export const MESSAGE_MAX = 2000;
const DEPTH_MAX = 4;

/** `value` as short JSON-like text: `[1, 2, …]`, `"abc…"`, `{a: 1, …}`, `a Map`. */
export function quote(value: unknown, max = QUOTE_MAX): string {
  const budget = { left: max + 1 };
  const text = render(value, 0, budget);
  return text.length > max ? `${text.slice(0, Math.max(max - 1, 0))}…` : text;
}

/** Like String(value) for a string (no quotes), like quote() for anything else; always short. */
export function show(value: unknown, max = QUOTE_MAX): string {
  return typeof value === "string" ? (value.length > max ? `${value.slice(0, Math.max(max - 1, 0))}…` : value) : quote(value, max);
}

/** `text`, cut to `max` characters with a note of how much was left out. */
export function clip(text: string, max = MESSAGE_MAX): string {
  if (typeof text !== "string") return quote(text, max);
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Up to `max` names, then how many there are in all: `W1, b1, W2, … (12 in all)`. */
export function listNames(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).map((n) => clip(n, 60));
  return names.length > max ? `${shown.join(", ")}, … (${names.length} in all)` : shown.join(", ");
}

function render(value: unknown, depth: number, budget: { left: number }): string {
  if (budget.left <= 0) return "";
  let out: string;
  try {
    out = renderValue(value, depth, budget);
  } catch {
    out = "?"; // a throwing getter or proxy: say nothing rather than fail while failing
  }
  budget.left -= out.length;
  return out;
}

function renderValue(value: unknown, depth: number, budget: { left: number }): string {
  switch (typeof value) {
    case "number": return Object.is(value, -0) ? "-0" : String(value);
    case "string": {
      const room = Math.max(budget.left - 3, 1); // the quotes and the ellipsis
      return JSON.stringify(value.length > room ? `${value.slice(0, room - 1)}…` : value);
    }
    case "bigint": return `${value}n`;
    case "boolean": case "undefined": return String(value);
    case "symbol": return clipPlain(value.toString(), budget.left);
    case "function": return "a function";
  }
  if (value === null) return "null";
  if (ArrayBuffer.isView(value)) return `${value.constructor?.name ?? "TypedArray"}(${(value as { length?: number }).length ?? value.byteLength})`;
  if (Array.isArray(value)) {
    if (depth >= DEPTH_MAX) return value.length === 0 ? "[]" : "[…]";
    const parts: string[] = [];
    let used = 2;
    for (let i = 0; i < value.length; i++) {
      if (used >= budget.left) { parts.push("…"); break; }
      const part = render(value[i], depth + 1, { left: budget.left - used });
      parts.push(part);
      used += part.length + 2;
    }
    return `[${parts.join(", ")}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `a ${clipPlain((value as object).constructor?.name ?? "object", 40)}`;
  if (depth >= DEPTH_MAX) return "{…}";
  const parts: string[] = [];
  let used = 2;
  for (const key in value as Record<string, unknown>) {
    if (used >= budget.left) { parts.push("…"); break; }
    const k = clipPlain(key, 40);
    const part = `${k}: ${render((value as Record<string, unknown>)[key], depth + 1, { left: budget.left - used - k.length - 2 })}`;
    parts.push(part);
    used += part.length + 2;
  }
  return `{${parts.join(", ")}}`;
}

function clipPlain(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(max, 1))}…` : text;
}
