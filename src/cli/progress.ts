// Training progress for humans: a redrawn bar on a TTY (it/s, ETA, loss), plain lines otherwise
// (CI logs and pipes should not fill with carriage returns).
export interface ProgressSink {
  step(iter: number, loss: number): void;
  line(text: string): void;
  done(): void;
}

export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const tty = Boolean(stream.isTTY) && process.env.CI === undefined;
  const started = performance.now();
  let lastDraw = 0;
  let drawn = false;
  const clear = (): void => {
    if (drawn) stream.write("\r\x1b[2K");
    drawn = false;
  };
  return {
    step(iter, loss) {
      if (!tty) return;
      const now = performance.now();
      if (now - lastDraw < 100 && iter + 1 < total) return; // ≤ 10 redraws per second
      lastDraw = now;
      const done = iter + 1;
      const rate = done / ((now - started) / 1000);
      const eta = (total - done) / rate;
      const width = 24;
      const filled = Math.round((done / total) * width);
      stream.write(`\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${rate.toFixed(0)} it/s ETA ${formatSeconds(eta)} loss ${loss.toFixed(4)}`);
      drawn = true;
    },
    line(text) {
      clear();
      process.stdout.write(text + "\n");
    },
    done() {
      clear();
    },
  };
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(0)}s`;
  return `${Math.floor(s / 60)}m${Math.round(s % 60).toString().padStart(2, "0")}s`;
}
