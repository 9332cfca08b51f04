import type { AnsiMode, Env } from "../options.js";

/** Whether to write ANSI colours to a stream: --ansi/COMPOSE_ANSI first, then NO_COLOR, then is it a TTY. */
export function useColor(ansi: AnsiMode, env: Env, isTTY: boolean | undefined): boolean {
  if (ansi === "never") return false;
  if (ansi === "always") return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY === true;
}

export type Paint = (text: string) => string;

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    `\x1b[${open}m${text}\x1b[${close}m`;

export const red = sgr(31, 39);
export const yellow = sgr(33, 39);

/** Colours for log prefixes; bright variants after the plain ones, so neighbours differ. */
const PALETTE: Paint[] = [
  sgr(36, 39),
  sgr(33, 39),
  sgr(32, 39),
  sgr(35, 39),
  sgr(34, 39),
  sgr(96, 39),
  sgr(93, 39),
  sgr(92, 39),
  sgr(95, 39),
  sgr(94, 39),
];

/** A colour that depends only on the service name, so a service keeps it across runs and commands. */
export function serviceColor(service: string): Paint {
  let hash = 0;
  for (const ch of service) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}
