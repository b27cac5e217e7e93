/**
 * The configuration keys: each declaration is consistent (flag spelling, defaults of the key's
 * type and within its bounds) and the names derived from keys are right. (That the README and
 * the command-line options follow CONFIG_KEYS is tests/project/readme_test.ts.)
 */
import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import { CONFIG_KEYS, type ConfigKey, envVarName, type KeySpec, LEGACY_KEYS } from "./keys.ts";
import { splitCommandLine } from "../core/shell_words.ts";

const entries = Object.entries(CONFIG_KEYS) as [ConfigKey, KeySpec][];

Deno.test("every key has a distinct --kebab-case flag and a description", () => {
  const flags = entries.map(([, spec]) => spec.flag);
  assertEquals(new Set(flags).size, flags.length, "no two keys share a flag");
  for (const [key, spec] of entries) {
    assert(/^--[a-z][a-z0-9-]*$/.test(spec.flag), `${key}: ${spec.flag}`);
    assert(spec.description.length > 10, `${key} is described`);
  }
});

Deno.test("defaults have the key's type and lie within its bounds", () => {
  for (const [key, spec] of entries) {
    if (spec.default === undefined) continue;
    const value = spec.default;
    switch (spec.type) {
      case "boolean":
        assertEquals(typeof value, "boolean", key);
        break;
      case "integer":
      case "number": {
        assertEquals(typeof value, "number", key);
        if (spec.type === "integer") assert(Number.isInteger(value), key);
        const n = value as number;
        assert(spec.min === undefined || n >= spec.min, `${key} >= min`);
        assert(spec.max === undefined || n <= spec.max, `${key} <= max`);
        break;
      }
      case "argv":
        assert(splitCommandLine(value as string, key).length > 0, key);
        break;
      default: // string, path, strings (comma-separated)
        assertEquals(typeof value, "string", key);
    }
  }
  assertEquals(CONFIG_KEYS.port.default, 6345);
  assert(CONFIG_KEYS.server_command.default.includes("{port}"), "the server gets the port");
});

Deno.test("environment variable names and legacy keys", () => {
  assertEquals(envVarName("python_output"), "CODEGEN_PYTHON_OUTPUT");
  assertEquals(envVarName("stainless_project"), "CODEGEN_STAINLESS_PROJECT");
  for (const [legacy, key] of Object.entries(LEGACY_KEYS)) {
    assert(key in CONFIG_KEYS, `${legacy} maps to a real key`);
    assert(!(legacy in CONFIG_KEYS), `${legacy} is not a current key`);
  }
  assertEquals(LEGACY_KEYS.repo_path, "python_output");
});
