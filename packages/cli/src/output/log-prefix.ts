import { serviceColor } from "./colors.js";

export interface PrefixOptions {
  color: boolean;
  /** --no-log-prefix */
  prefix: boolean;
}

/**
 * Turns log lines of many containers into `web-1  | line`, with names padded to the widest seen so the
 * bars line up, and one colour per service.
 */
export class LogPrefixer {
  private width = 0;

  constructor(private readonly options: PrefixOptions) {}

  format(name: string, service: string, line: string): string {
    if (!this.options.prefix) return line;
    this.width = Math.max(this.width, name.length);
    const label = `${name.padEnd(this.width)}  | `;
    return (this.options.color ? serviceColor(service)(label) : label) + line;
  }
}
