/** Version parsing, ordering and the bump table (auto: breaking → major, minor while 0.x). */
import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import type { ChangeLevel } from "../github/changes.ts";
import {
  autoBump,
  bumpVersion,
  compareVersions,
  formatVersion,
  parseVersion,
  requireVersion,
} from "./semver.ts";

const v = (text: string) => requireVersion(text, "test");

Deno.test("bump table: each kind from final and pre-release versions", () => {
  const table: [string, "major" | "minor" | "patch", string][] = [
    ["1.2.3", "patch", "1.2.4"],
    ["1.2.3", "minor", "1.3.0"],
    ["1.2.3", "major", "2.0.0"],
    ["0.4.1", "major", "1.0.0"],
    ["1.3.0-beta.1", "patch", "1.3.0"],
    ["1.3.0-beta.1", "minor", "1.3.0"],
    ["1.3.1rc1", "minor", "1.4.0"],
    ["2.0.0rc1", "major", "2.0.0"],
  ];
  for (const [from, kind, to] of table) {
    assertEquals(formatVersion(bumpVersion(v(from), kind)), to, `${from} ${kind}`);
  }
});

Deno.test("auto bump: breaking → major (minor while 0.x), features → minor, else patch", () => {
  const table: [string, ChangeLevel, string][] = [
    ["1.2.3", "breaking", "major"],
    ["0.9.0", "breaking", "minor"],
    ["1.2.3", "feature", "minor"],
    ["0.9.0", "feature", "minor"],
    ["1.2.3", "fix", "patch"],
    ["1.2.3", "chore", "patch"],
  ];
  for (const [from, level, kind] of table) {
    assertEquals(autoBump(v(from), level), kind, `${from} ${level}`);
  }
});

Deno.test("versions: parsed strictly, ordered with pre-releases below their release", () => {
  for (const bad of ["1.2", "v1.2.3", "01.2.3", "1.2.3 beta", ""]) {
    assertEquals(parseVersion(bad), undefined, bad);
  }
  const sorted = ["1.10.0", "1.2.0", "1.2.0-rc.1", "0.9.9", "2.0.0"].map(v)
    .sort(compareVersions).map(formatVersion);
  assertEquals(sorted, ["0.9.9", "1.2.0-rc.1", "1.2.0", "1.10.0", "2.0.0"]);
  let message = "";
  try {
    requireVersion("1.2", "--version");
  } catch (error) {
    message = (error as Error).message;
  }
  assert(message.startsWith('--version "1.2" is not a version of the form X.Y.Z'), message);
});
