import { EventEmitter } from "node:events";
import type { EngineEvent } from "../base/events.js";

/**
 * The engine events of a stack: kept (`all`, or `for await` over what was recorded so far) and
 * emitted as `"event"` as they happen, so a test can print what `up` and `down` did.
 */
export class TestStackEvents extends EventEmitter<{ event: [EngineEvent] }> {
  private readonly recorded: EngineEvent[] = [];

  get all(): readonly EngineEvent[] {
    return this.recorded;
  }

  record = (event: EngineEvent): void => {
    this.recorded.push(event);
    this.emit("event", event);
  };

  async *[Symbol.asyncIterator](): AsyncGenerator<EngineEvent> {
    yield* this.recorded.slice();
  }
}
