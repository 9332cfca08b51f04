import { describe, expect, it } from "vitest";
import { dependenciesFromLabels } from "./order.js";

describe("dependenciesFromLabels", () => {
  it("reads compose's depends_on label", () => {
    expect(
      dependenciesFromLabels({
        "com.docker.compose.depends_on": "db:service_healthy:false,cache:service_started:true",
      }),
    ).toEqual(["db", "cache"]);
    expect(dependenciesFromLabels({ "com.docker.compose.depends_on": "" })).toEqual([]);
    expect(dependenciesFromLabels({})).toEqual([]);
  });
});
