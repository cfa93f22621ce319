#!/usr/bin/env node
// scratchnet's command line: train | eval | gradcheck. Usage errors exit with 2.
import "../core/node-loading.js";
import { trainCommand } from "./commands/train.js";
import { evalCommand } from "./commands/eval.js";
import { gradcheckCommand } from "./commands/gradcheck.js";
import { UsageError } from "./usage-error.js";
import { stopQuietlyWhenStdoutCloses } from "./closed-stdout.js";
import { exitCleanlyOnSignals } from "./signals.js";
import { VERSION } from "../version.js";
import { getThreads, isCoreReady, setThreads } from "../core/core.js";

const USAGE = `Usage: scratchnet <command> [options]

Commands:
  train       train a net (the book's train_neuralnet.py)     scratchnet train --help
  eval        accuracy of a saved model                        scratchnet eval --help
  gradcheck   backprop vs numerical gradients                  scratchnet gradcheck --help

Options:
  -h, --help      show this help
  -v, --version   print the version
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  train: trainCommand,
  eval: evalCommand,
  gradcheck: gradcheckCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === "-v" || command === "--version") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`scratchnet: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`scratchnet ${command}: ${error.message}\n\n${error.usage ?? USAGE}`);
      return 2;
    }
    process.stderr.write(`scratchnet ${command}: ${(error as Error).message}\n`);
    return 1;
  }
}

stopQuietlyWhenStdoutCloses();
exitCleanlyOnSignals();
main(process.argv.slice(2)).then(async (code) => {
  // stop thread-pool workers so nothing keeps the process alive after the work is done
  if (isCoreReady() && getThreads() > 1) await setThreads(1);
  process.exitCode = code;
});
