// When whoever reads our output goes away (`scratchnet train | head -3`), the next write to
// stdout fails with EPIPE, and Node, which ignores SIGPIPE, turns an unhandled stream error
// into a crash with a stack trace. We do what a Unix tool does when SIGPIPE kills it: stop at
// once and quietly, with the status a shell gives such a tool (128 + 13). No file is left
// half-written: every output is written to a temporary name and renamed (io/atomic-write).
const SIGPIPE_STATUS = 128 + 13;

export function stopQuietlyWhenStdoutCloses(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(SIGPIPE_STATUS);
    throw error; // anything else is a real failure: let it surface as before
  });
}
