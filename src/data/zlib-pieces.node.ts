// How much output node:zlib hands over at a time when a dataset file is inflated in Node
// (inflate.node.ts, and cache-verify.node.ts's checked loads).
//
// 256 KiB. Much smaller pieces cost per piece (the web stream's 16 KiB ones took loadMnist
// twice as long); 1 MiB pieces, used until 2026-12-02, cost in fresh memory: each piece is a new
// buffer, and on the VMs this runs on a page touched for the first time costs ~10 µs. With
// 128–512 KiB pieces the buffers zlib leaves behind are reused, and the load touches ~5 000
// fewer pages (`/usr/bin/time` %R of `train --dataset fashion-mnist --iters 1`: 38 100 against
// 43 100 minor faults). Measured 2026-12-02, alternating runs: that command 0.86 against 0.95 s
// (paired median 0.895×; 128 KiB and 512 KiB the same within 1 %), the whole book run 4.42
// against 4.53 s (6 pairs, each faster; 0.975×), with byte-identical outputs.
export const ZLIB_PIECE_BYTES = 1 << 18;
