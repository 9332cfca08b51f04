import { describe, expect, it } from "vitest";
import { ExactNumber } from "./scalars.js";
import { settleNumbers } from "./settle-numbers.js";
import { OverrideTag } from "./tags.js";

const big = new ExactNumber(2 ** 63, "9223372036854775807");

describe("settleNumbers", () => {
  it("gives compose's text where it wants a string, the number elsewhere", () => {
    const settled = settleNumbers({
      services: {
        web: {
          environment: { BIG: big },
          labels: { big },
          build: { args: { BIG: big } },
          logging: { options: { big } },
          pids_limit: big,
          "x-big": big,
        },
      },
      networks: { back: { driver_opts: { big }, labels: { big } } },
    });
    expect(settled).toStrictEqual({
      services: {
        web: {
          environment: { BIG: "9223372036854775807" },
          labels: { big: "9223372036854775807" },
          build: { args: { BIG: "9223372036854775807" } },
          logging: { options: { big: "9223372036854775807" } },
          pids_limit: 2 ** 63,
          "x-big": 2 ** 63,
        },
      },
      networks: {
        back: { driver_opts: { big: "9223372036854775807" }, labels: { big: "9223372036854775807" } },
      },
    });
  });

  it("looks inside !override, and returns what holds no such number as it is", () => {
    const settled = settleNumbers({ services: { web: { environment: new OverrideTag({ BIG: big }) } } });
    expect(settled).toStrictEqual({
      services: { web: { environment: new OverrideTag({ BIG: "9223372036854775807" }) } },
    });
    const plain = { services: { web: { environment: { A: 1 }, command: ["a"] } } };
    expect(settleNumbers(plain)).toBe(plain);
  });
});
