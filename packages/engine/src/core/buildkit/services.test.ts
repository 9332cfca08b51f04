import { describe, expect, it } from "vitest";
import { credentialsAnswer, sessionServices } from "./services.js";
import { SessionMethods } from "./session-methods.js";

describe("credentialsAnswer", () => {
  it("answers a user and password, or an identity token alone as the secret, or nothing", () => {
    expect(credentialsAnswer({ username: "u", password: "p", serveraddress: "reg" })).toEqual({
      Username: "u",
      Secret: "p",
    });
    expect(
      credentialsAnswer({ username: "", password: "", serveraddress: "reg", identitytoken: "tok" }),
    ).toEqual({ Secret: "tok" });
    expect(credentialsAnswer(undefined)).toEqual({});
  });
});

describe("SessionMethods", () => {
  it("are the methods the session serves, under the names the engine calls", () => {
    const services = sessionServices({
      secrets: {},
      sshAgents: new Map(),
      dirs: {},
      auth: async () => undefined,
      onTransfer: () => {},
    });
    const served = services.flatMap((s) => Object.values(s.definition).map((m) => m.path));
    expect(served.sort()).toEqual(Object.values(SessionMethods).sort());
    expect(served).toEqual([
      "/grpc.health.v1.Health/Check",
      "/moby.buildkit.secrets.v1.Secrets/GetSecret",
      "/moby.filesync.v1.Auth/Credentials",
      "/moby.filesync.v1.FileSync/DiffCopy",
      "/moby.sshforward.v1.SSH/CheckAgent",
      "/moby.sshforward.v1.SSH/ForwardAgent",
    ]);
  });
});
