// The two colour maps the book's figures use: viridis (matplotlib's default, for contour
// levels) and grey scales (imshow with cmap=plt.cm.gray_r for filters and digits).

/** viridis at 0, 0.1, …, 1 (matplotlib's table, sampled); in between, linear interpolation. */
const VIRIDIS = [
  [0x44, 0x01, 0x54], [0x48, 0x24, 0x75], [0x41, 0x44, 0x87], [0x35, 0x5f, 0x8d], [0x2a, 0x78, 0x8e], [0x21, 0x91, 0x8c],
  [0x22, 0xa8, 0x84], [0x44, 0xbf, 0x70], [0x7a, 0xd1, 0x51], [0xbd, 0xdf, 0x26], [0xfd, 0xe7, 0x25],
];

/** The viridis colour at t ∈ [0, 1] (clamped) as #rrggbb. */
export function viridis(t: number): string {
  const c = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = c * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(pos));
  const f = pos - i;
  return hex(VIRIDIS[i].map((a, k) => a + (VIRIDIS[i + 1][k] - a) * f));
}

export type GrayMap = "gray" | "gray_r";

/**
 * A grey level 0–255 for value v on [vmin, vmax], as imshow normalises: "gray" maps vmin to
 * black, "gray_r" (the book's choice for filters and digits) maps vmin to white.
 */
export function grayLevel(v: number, vmin: number, vmax: number, cmap: GrayMap): number {
  const t = vmax > vmin ? Math.min(1, Math.max(0, (v - vmin) / (vmax - vmin))) : 0;
  const level = Math.round((cmap === "gray" ? t : 1 - t) * 255);
  return Number.isFinite(level) ? level : 0;
}

function hex(rgb: number[]): string {
  return "#" + rgb.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
}
