// A signal that ends the CLI ends it through process.exit, not by Node's default of dying on
// the spot: process.exit runs the "exit" hooks, so a file being written at that moment is not
// left behind as a temp file (io/atomic-write), and the status is the one a shell reports for a
// tool the signal killed (128 + its number: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
// Ctrl-C while training is the exception: the first one stops training gracefully (the run so
// far is still written); a second one, for a user who will not wait, exits at once.
import { constants } from "node:os";

type EndingSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

let onInterrupt: (() => void) | undefined;

function statusOf(signal: EndingSignal): number {
  return 128 + constants.signals[signal];
}

export function exitCleanlyOnSignals(): void {
  process.on("SIGTERM", () => process.exit(statusOf("SIGTERM")));
  process.on("SIGHUP", () => process.exit(statusOf("SIGHUP")));
  process.on("SIGINT", () => {
    const handler = onInterrupt;
    onInterrupt = undefined; // so the next Ctrl-C exits
    if (handler) handler();
    else process.exit(statusOf("SIGINT"));
  });
}

/** While `work` runs, the first Ctrl-C calls `handler` (which should make the work stop soon) instead of exiting. */
export async function interruptibly<T>(handler: () => void, work: () => Promise<T>): Promise<T> {
  onInterrupt = handler;
  try {
    return await work();
  } finally {
    if (onInterrupt === handler) onInterrupt = undefined;
  }
}
