#!/usr/bin/env node
// Compiles src/schema/compose-spec.schema.json into standalone validation code, so that the CLI does not
// pay ajv's compile time (~200 ms) on every start. Run after editing the schema:
//   node packages/compose-schema/scripts/generate-validator.mjs
// validate.test.ts fails when the checked-in module is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { generateValidatorModule } from "./validator-module.mjs";

const schemaPath = fileURLToPath(new URL("../src/schema/compose-spec.schema.json", import.meta.url));
const outPath = fileURLToPath(new URL("../src/schema/compose-spec.validator.ts", import.meta.url));

writeFileSync(outPath, generateValidatorModule(JSON.parse(readFileSync(schemaPath, "utf8"))));
console.log(`wrote ${outPath}`);
