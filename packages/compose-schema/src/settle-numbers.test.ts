import { describe, expect, it } from "vitest";
import { ExactNumber } from "./scalars.js";
import { settleNumbers } from "./settle-numbers.js";
import { OverrideTag } from "./tags.js";

const big = new ExactNumber(2 ** 63, "9223372036854775807");
const at = { file: "compose.yaml", line: 1, column: 1 };

/** The settled data, when there was nothing to report. */
function settle(data: unknown): unknown {
  const { data: settled, errors } = settleNumbers(data, () => at);
  expect(errors).toEqual([]);
  return settled;
}

describe("settleNumbers", () => {
  it("gives compose's text where it wants a string, the number elsewhere", () => {
    const settled = settle({
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
    const settled = settle({ services: { web: { environment: new OverrideTag({ BIG: big }) } } });
    expect(settled).toStrictEqual({
      services: { web: { environment: new OverrideTag({ BIG: "9223372036854775807" }) } },
    });
    const plain = { services: { web: { environment: { A: 1 }, command: ["a"] } } };
    expect(settle(plain)).toBe(plain);
  });

  it("refuses infinite and NaN numbers wherever they are, as compose does, with their text", () => {
    const { errors } = settleNumbers(
      {
        services: { web: { environment: { A: new ExactNumber(Number.POSITIVE_INFINITY, ".inf") } } },
        "x-a": [new ExactNumber(Number.NaN, ".NaN")],
      },
      () => at,
    );
    expect(errors.map((e) => e.message)).toEqual([
      'compose.yaml:1:1: services.web.environment.A: .inf is not a number compose accepts (it checks files as JSON, which has no infinite or NaN numbers); quote it, ".inf", to mean the text',
      'compose.yaml:1:1: x-a[0]: .NaN is not a number compose accepts (it checks files as JSON, which has no infinite or NaN numbers); quote it, ".NaN", to mean the text',
    ]);
    expect(errors[0]?.location).toEqual(at);
  });
});
