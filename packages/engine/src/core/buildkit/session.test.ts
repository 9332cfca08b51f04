import { describe, expect, it } from "vitest";
import { headerSafe, sessionBuildQuery } from "./session.js";

describe("sessionBuildQuery", () => {
  it("names the session, and the session as the context's source when it serves the context", () => {
    expect(sessionBuildQuery({ id: "abc" }, false)).toEqual({ session: "abc" });
    expect(sessionBuildQuery({ id: "abc" }, true)).toEqual({ session: "abc", remote: "client-session" });
  });
});

describe("headerSafe", () => {
  it("keeps printable ASCII and replaces what an HTTP header cannot carry", () => {
    expect(headerSafe("my-app 2")).toBe("my-app 2");
    expect(headerSafe("café\n")).toBe("caf__");
    expect(headerSafe("日本-app")).toBe("__-app");
  });
});
