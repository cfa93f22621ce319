// How much of a dataset file Node handles at a time: the pieces a file is read in
// (load-mnist.node.ts) and the pieces node:zlib inflates it into (inflate.node.ts, and
// cache-verify.node.ts's checked loads).
//
// 256 KiB. Much smaller pieces cost per piece (the web stream's 16 KiB ones took loadMnist twice
// as long, 64 KiB read pieces were slower too); bigger ones cost in fresh memory: every piece is
// a new buffer, and on the VMs this runs on a page touched for the first time costs ~10 µs. At
// 128–512 KiB the buffers of pieces already used are reused for later ones. Measured 2026-12-02,
// `train --dataset fashion-mnist --iters 1`, alternating runs (docs/performance.md, "Loading the data"):
// - inflating into 256 KiB pieces instead of 1 MiB: 0.86 against 0.95 s (paired median 0.895×,
//   12–15 rounds; 128 and 512 KiB within 1 %), 38 100 against 43 100 minor page faults;
// - then reading the file in 256 KiB pieces instead of whole: 0.87 against 0.915 s (0.94×, 20
//   rounds, 19 faster), 31 100 against 38 000 faults, peak RSS 161 against 182 MB.
export const FILE_PIECE_BYTES = 1 << 18;
