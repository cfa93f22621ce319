// A strict little XML reader for the SVG figures the library writes: it parses the whole
// document into elements (failing on a mismatched or unclosed tag, an unquoted or repeated
// attribute, a bad entity, text outside the root, a second root) so tests can count series,
// markers, panels and images instead of grepping strings. The browser test parses the same files
// with Chromium's DOMParser too.

export interface SvgElement {
  name: string;
  attrs: Record<string, string>;
  children: SvgElement[];
  text: string;
  parent: SvgElement | null;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

function decodeEntities(s: string, where: string): string {
  for (let i = s.indexOf("&"); i >= 0; i = s.indexOf("&", i + 1)) {
    ENTITY.lastIndex = i;
    if (!ENTITY.test(s)) throw new Error(`${where}: bad entity at "${s.slice(i, i + 12)}"`);
  }
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, "&");
}

/** Parse a standalone SVG document; throws with a position on anything malformed. */
export function parseSvg(text: string, file = "svg"): SvgElement {
  let i = 0;
  let root: SvgElement | null = null;
  let current: SvgElement | null = null;
  const fail = (msg: string): never => { throw new Error(`${file}: ${msg} at offset ${i} ("${text.slice(i, i + 30)}")`); };
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (chunk.trim()) {
      if (!current) fail("text outside the root element");
      else current.text += decodeEntities(chunk, file);
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith("<!--", i)) { const end = text.indexOf("-->", i); if (end < 0) fail("unclosed comment"); i = end + 3; continue; }
    if (text.startsWith("</", i)) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(i));
      if (!m) fail("bad end tag");
      if (!current || current.name !== m![1]) fail(`</${m![1]}> closes <${current?.name ?? "nothing"}>`);
      current = current!.parent;
      i += m![0].length;
      continue;
    }
    i++;
    const name = NAME.exec(text.slice(i))?.[0];
    if (!name) fail("bad tag name");
    i += name!.length;
    const el: SvgElement = { name: name!, attrs: {}, children: [], text: "", parent: current };
    for (;;) {
      const ws = /^\s*/.exec(text.slice(i))![0];
      i += ws.length;
      if (text.startsWith("/>", i)) { i += 2; break; }
      if (text[i] === ">") { i++; break; }
      if (!ws) fail("attributes must be separated by white space");
      const a = /^([A-Za-z_][\w.:-]*)="([^"<]*)"/.exec(text.slice(i));
      if (!a) fail("bad attribute (unquoted, or no value)");
      if (a![1] in el.attrs) fail(`attribute ${a![1]} repeated`);
      el.attrs[a![1]] = decodeEntities(a![2], file);
      i += a![0].length;
    }
    if (current) current.children.push(el);
    else if (root) fail("a second root element");
    else root = el;
    if (text[i - 2] !== "/") current = el;
  }
  if (current) throw new Error(`${file}: <${current.name}> is never closed`);
  if (!root) throw new Error(`${file}: no root element`);
  if (root.name !== "svg" || root.attrs.xmlns !== "http://www.w3.org/2000/svg") throw new Error(`${file}: the root is not an <svg> in the SVG namespace`);
  return root;
}

/** Every element below `el` (depth first, `el` included) matching the predicate. */
export function findAll(el: SvgElement, match: (e: SvgElement) => boolean): SvgElement[] {
  const out: SvgElement[] = [];
  const walk = (e: SvgElement): void => { if (match(e)) out.push(e); e.children.forEach(walk); };
  walk(el);
  return out;
}

/** Elements whose class list contains `cls`. */
export const byClass = (el: SvgElement, cls: string): SvgElement[] => findAll(el, (e) => (e.attrs.class ?? "").split(/\s+/).includes(cls));

/** Number of subpaths ("M" commands) in a path's d attribute. */
export const subpaths = (e: SvgElement): number => (e.attrs.d?.match(/M/g) ?? []).length;

/** [x, y] pairs of a path made of M/L commands with absolute coordinates. */
export const pathPoints = (e: SvgElement): [number, number][] =>
  [...(e.attrs.d ?? "").matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

/** Texts of a group's <text> children (tick labels, legend entries, titles). */
export const texts = (el: SvgElement): string[] => findAll(el, (e) => e.name === "text").map((e) => e.text);
