import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { FormatFieldError, alignColumns, renderFormat } from "./docker-format.js";

const HEADERS = { Name: "NAME", Driver: "DRIVER", Size: "SIZE" };
const TABLE = "table {{.Driver}}\t{{.Name}}";
const rows = [
  { Name: "shop_data", Driver: "local", Size: "N/A" },
  { Name: "shop_a-much-longer-volume-name", Driver: "nfs", Size: "1.2kB" },
];

describe("renderFormat", () => {
  it("table: docker's default columns, at least 10 wide and 3 apart", () => {
    expect(renderFormat("table", rows, HEADERS, TABLE)).toBe(
      "DRIVER    NAME\nlocal     shop_data\nnfs       shop_a-much-longer-volume-name\n",
    );
  });

  it("json: one object per line, keys sorted as Go marshals a map, values untouched", () => {
    const odd = [{ Name: 'a "quoted" <name> & more', Driver: "local", Size: "N/A" }];
    expect(renderFormat("json", odd, HEADERS, TABLE)).toBe(
      '{"Driver":"local","Name":"a \\"quoted\\" <name> & more","Size":"N/A"}\n',
    );
  });

  it("table TEMPLATE: a header line from the template, \\t as docker reads it", () => {
    expect(renderFormat("table {{.Name}}\\t{{ .Size }}", rows, HEADERS, TABLE)).toBe(
      // The widest name (30) plus the padding of 3.
      `${"NAME".padEnd(33)}SIZE\n${"shop_data".padEnd(33)}N/A\nshop_a-much-longer-volume-name   1.2kB\n`,
    );
  });

  it("TEMPLATE: one line per row, no header; {{json .Field}} quotes a value", () => {
    expect(renderFormat("{{.Name}}={{json .Size}}", rows, HEADERS, TABLE)).toBe(
      'shop_data="N/A"\nshop_a-much-longer-volume-name="1.2kB"\n',
    );
    expect(renderFormat("{{json .}}", rows.slice(0, 1), HEADERS, TABLE)).toBe(
      '{"Driver":"local","Name":"shop_data","Size":"N/A"}\n',
    );
  });

  it("an unknown field fails with exit 1 naming the fields; an unsupported action is a usage error", () => {
    const unknown = () => renderFormat("{{.Nope}}", rows, HEADERS, TABLE);
    expect(unknown).toThrow(FormatFieldError);
    expect(unknown).toThrow('no field "Nope"; the fields are Name, Driver, Size');
    expect(unknown).toThrow(expect.objectContaining({ code: "FORMAT_UNKNOWN_FIELD", exitCode: 1 }));
    expect(() => renderFormat("{{range .}}x{{end}}", rows, HEADERS, TABLE)).toThrow(UsageError);
  });

  it("checks a template even when there are no rows", () => {
    expect(() => renderFormat("table {{.Nope}}", [], HEADERS, TABLE)).toThrow(FormatFieldError);
    expect(renderFormat("json", [], HEADERS, TABLE)).toBe("");
  });
});

describe("alignColumns", () => {
  it("pads every tab-terminated cell to its column and leaves the last cell as it is", () => {
    expect(alignColumns(["a\tbb\tc", "aaaaaaaaaaaa\tb\t"])).toBe(
      "a              bb        c\naaaaaaaaaaaa   b         \n",
    );
  });
});
