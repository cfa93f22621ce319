// The gallery page of `npm run book`: one section per script of the book, with its figures (the
// SVG files next to the page) and what the example printed. Plain HTML, no scripts.

const MAX_LINES = 40; // long outputs (per-epoch lines) are cut in the middle

/** rows: BOOK_SCRIPTS entries, each with `result` ({ code, ms, stdout, figures, args }) when it ran. */
export function galleryHtml(rows, { totalMs, mode }) {
  const ran = rows.filter((r) => r.result);
  const sections = rows.map(section).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Deep Learning from Scratch, chapters 3–8, with scratchnet</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1320px; padding: 0 20px 40px; color: #222; }
  h1 { font-size: 24px; margin: 24px 0 4px; }
  section { border-top: 1px solid #ddd; padding: 14px 0 18px; }
  h2 { font: 600 18px/1.3 ui-monospace, monospace; margin: 0 0 6px; }
  .meta { color: #555; margin: 0 0 10px; }
  .meta code { background: #f3f3f3; padding: 1px 4px; border-radius: 3px; }
  .figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
  .figures img { max-width: 100%; height: auto; border: 1px solid #e3e3e3; background: #fff; }
  pre { background: #f7f7f7; border: 1px solid #e6e6e6; padding: 8px 10px; overflow-x: auto; font-size: 12.5px; margin: 6px 0 0; max-height: 420px; }
  .failed h2 { color: #b00020; }
  .pending, .module, .placeholder { color: #666; }
</style>
</head>
<body>
<h1>Deep Learning from Scratch, chapters 3–8, with scratchnet</h1>
<p class="meta">The example of every script in the book's repository (oreilly-japan/deep-learning-from-scratch), run in
${mode === "quick" ? "quick mode (<code>--quick</code>: short runs, offline, on the 10 000 MNIST test digits bundled with scratchnet)" : "full mode (the book's epochs and data sizes)"}:
${ran.length} examples in ${(totalMs / 1000).toFixed(0)} s. The table with the book's numbers is docs/book-scripts.md.</p>
${sections}
</body>
</html>
`;
}

function section(row) {
  const id = row.script.replace(/[^a-z0-9]+/gi, "-");
  const title = `<h2>${esc(row.script)}</h2>`;
  if (row.placeholder) return `<section id="${id}" class="placeholder">${title}<p class="meta">An empty placeholder in the book ("Create your awesome net!!").</p></section>`;
  if (row.module && row.pending) return `<section id="${id}" class="pending">${title}<p class="meta">Defines the class <code>${esc(row.module)}</code>: to come with ${esc(row.pending)}.</p></section>`;
  if (row.module) return `<section id="${id}" class="module">${title}<p class="meta">Defines a class, no output: scratchnet's <code>${esc(row.module)}</code>.</p></section>`;
  if (row.pending) return `<section id="${id}" class="pending">${title}<p class="meta"><code>examples/${esc(row.example)}.mjs</code>: to be written once ${esc(row.pending)} lands.</p></section>`;
  const r = row.result;
  if (!r) return `<section id="${id}">${title}<p class="meta"><code>examples/${esc(row.example)}.mjs</code> (not run this time)</p></section>`;
  const command = `node examples/${row.example}.mjs${r.args.length ? " " + r.args.join(" ") : ""}`;
  const status = r.code === 0 ? `${(r.ms / 1000).toFixed(1)} s` : `FAILED with exit code ${r.code}${r.timedOut ? " (deadline)" : ""}`;
  const figures = r.figures.map((f) => `<img src="${esc(f)}" alt="${esc(`${row.script}: ${f}`)}" loading="lazy">`).join("\n");
  const output = r.code === 0 ? r.stdout : `${r.stdout}\n${r.stderr}`;
  return `<section id="${id}" class="${r.code === 0 ? "ok" : "failed"}" data-example="${esc(row.example)}">${title}
<p class="meta"><code>${esc(command)}</code> · ${status}</p>
${figures ? `<div class="figures">\n${figures}\n</div>` : ""}
<pre>${esc(shorten(output.trimEnd()))}</pre>
</section>`;
}

/** Keep the first and last lines of a long output. */
function shorten(text) {
  const lines = text.split("\n");
  if (lines.length <= MAX_LINES) return text;
  const head = lines.slice(0, MAX_LINES / 2), tail = lines.slice(-MAX_LINES / 2);
  return [...head, `… ${lines.length - MAX_LINES} more lines …`, ...tail].join("\n");
}

function esc(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
