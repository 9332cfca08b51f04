import { describe, expect, it } from "vitest";
import { goMarshal } from "./go-json.js";

describe("goMarshal", () => {
  it("escapes what Go's json.Marshal escapes, and reads back the same", () => {
    const value = { Ports: "0.0.0.0:80->80/tcp", Labels: "a=<b>&c", Line: "x\u2028y" };
    const text = goMarshal(value);
    expect(text).toBe(
      '{"Ports":"0.0.0.0:80-\\u003e80/tcp","Labels":"a=\\u003cb\\u003e\\u0026c","Line":"x\\u2028y"}',
    );
    expect(JSON.parse(text)).toEqual(value);
  });
});
