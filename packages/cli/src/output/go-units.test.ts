import { describe, expect, it } from "vitest";
import { bytesSize, goFormatG, humanSize } from "./go-units.js";

describe("go-units sizes", () => {
  it("formats like Go's %g: fixed within the precision, exponent beyond it, no trailing zeros", () => {
    expect(goFormatG(0, 3)).toBe("0");
    expect(goFormatG(1.5, 3)).toBe("1.5");
    expect(goFormatG(1.456, 3)).toBe("1.46");
    expect(goFormatG(100, 3)).toBe("100");
    expect(goFormatG(999.7, 3)).toBe("1e+03");
    expect(goFormatG(0.00001234, 3)).toBe("1.23e-05");
    expect(goFormatG(0.0001234, 3)).toBe("0.000123");
  });

  it("BytesSize: binary units, 4 digits, as docker stats shows memory", () => {
    expect(bytesSize(0)).toBe("0B");
    expect(bytesSize(458752)).toBe("448KiB");
    expect(bytesSize(25275052032)).toBe("23.54GiB");
    expect(bytesSize(1023)).toBe("1023B");
  });

  it("HumanSizeWithPrecision: decimal units, as docker stats shows network and block I/O", () => {
    expect(humanSize(1110, 3)).toBe("1.11kB");
    expect(humanSize(916, 3)).toBe("916B");
    expect(humanSize(999_700, 3)).toBe("1e+03kB");
    expect(humanSize(12_345_678)).toBe("12.35MB");
  });
});
