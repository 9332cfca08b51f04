import { afterEach, describe, expect, it } from "vitest";
import { Interrupt, interruptible } from "./interrupt.js";

// process.emit runs the listeners without a real signal, so the test process is never at risk.
const press = () => process.emit("SIGINT", "SIGINT");

describe("Interrupt", () => {
  const listeners = process.listenerCount("SIGINT");
  afterEach(() => expect(process.listenerCount("SIGINT")).toBe(listeners));

  it("aborts its signal on the first press and runs the second-press action on the second", async () => {
    const interrupt = new Interrupt();
    try {
      const killed: number[] = [];
      interrupt.onPress(2, () => killed.push(interrupt.presses));
      expect(interrupt.signal.aborted).toBe(false);
      press();
      await interrupt.first();
      expect(interrupt.signal.aborted).toBe(true);
      expect(killed).toEqual([]);
      press();
      press();
      // Once only, at the second press.
      expect(killed).toEqual([2]);
    } finally {
      interrupt.dispose();
    }
  });

  it("runs an action registered after its press came at once, so a quick second press is not lost", () => {
    const interrupt = new Interrupt();
    try {
      press();
      press();
      let killed = false;
      interrupt.onPress(2, () => {
        killed = true;
      });
      expect(killed).toBe(true);
    } finally {
      interrupt.dispose();
    }
  });

  it("interruptible turns the error of an interrupted operation into 130, and keeps other errors", async () => {
    const aborted = interruptible(
      (signal) =>
        new Promise<number>((_, reject) => signal.addEventListener("abort", () => reject(new Error("x")))),
    );
    press();
    expect(await aborted).toBe(130);
    await expect(interruptible(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await interruptible(async () => 0)).toBe(0);
  });
});
