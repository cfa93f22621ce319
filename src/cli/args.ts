// Flag parsing on node:util parseArgs, with value checks that name the flag. parseArgs' own
// messages are replaced by one-line ones: they suggest `--` positionals (which no command
// takes) and call `--lr -1` "ambiguous"; a negative number is a value, checked by the flag.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./usage-error.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** `-1`, `-0.5`, `-.5`, `-1e3`, `-Infinity`: a value for the option before it, not an option. */
const NEGATIVE_NUMBER = /^-(\d|\.\d|Infinity$|inf$)/i;

export function parseFlags(argv: string[], options: Options, usage: string): Record<string, string | boolean | undefined> {
  const all: Options = { ...options, help: { type: "boolean", short: "h" } };
  const args = joinNegativeValues(argv, all);
  try {
    const { values, positionals } = parseArgs({ args, options: all, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, usage);
    return values as Record<string, string | boolean | undefined>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(cleanMessage(error as Error & { code?: string }, all), usage);
  }
}

/** `--lr -1` → `--lr=-1` when --lr takes a value and the next word is a negative number. */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === "string" && i + 1 < argv.length && NEGATIVE_NUMBER.test(argv[i + 1])) {
      out.push(`${arg}=${argv[++i]}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

function cleanMessage(error: Error & { code?: string }, options: Options): string {
  const message = error.message;
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /Unknown option '([^']+)'/.exec(message)?.[1] ?? "?";
    const near = closestFlag(flag.replace(/^-+/, ""), Object.keys(options));
    return `unknown option '${flag}'${near ? ` (did you mean --${near}?)` : ""}`;
  }
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const flag = /'(?:-\w, )?(--[\w-]+)/.exec(message)?.[1] ?? "an option";
    if (/does not take an argument/.test(message)) return `${flag} takes no value`;
    if (/ambiguous/.test(message)) return `${flag} needs a value (for one that starts with '-', write ${flag}=VALUE)`;
    return `${flag} needs a value`;
  }
  return message.split("\n")[0];
}

/** The known flag within edit distance 2 of `name` (a typo), if there is exactly one best. */
function closestFlag(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

export function intFlag(values: Record<string, unknown>, name: string, fallback: number, usage: string, min = 1): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (String(raw).trim() === "" || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got '${String(raw)}'`, usage);
  }
  return n;
}

export function numberFlag(values: Record<string, unknown>, name: string, fallback: number, usage: string): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (String(raw).trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${name} must be a positive number, got '${String(raw)}'`, usage);
  }
  return n;
}

export function choiceFlag<T extends string>(values: Record<string, unknown>, name: string, choices: readonly T[], fallback: T, usage: string): T {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!choices.includes(raw as T)) throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got '${String(raw)}'`, usage);
  return raw as T;
}
