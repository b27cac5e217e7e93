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
  for (
    const bad of ["1.2", "v1.2.3", "01.2.3", "1.2.3 beta", "", "1.0.0-01", "1.3.0.post1", "1.3.0rc"]
  ) {
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

const sorted = (texts: string[]) => texts.map(v).sort(compareVersions).map(formatVersion);

Deno.test("SemVer precedence: identifier by identifier, numbers as numbers, numeric below alphanumeric", () => {
  assertEquals(
    sorted([
      "3.0.0",
      "3.0.0-beta.10",
      "3.0.0-rc.2",
      "3.0.0-beta.9",
      "3.0.0-alpha.beta",
      "3.0.0-rc.1",
      "3.0.0-alpha.1",
      "3.0.0-alpha",
      "3.0.0-1",
      "3.0.0-beta.2.1",
      "3.0.0-beta.2",
    ]),
    [
      "3.0.0-1",
      "3.0.0-alpha",
      "3.0.0-alpha.1",
      "3.0.0-alpha.beta",
      "3.0.0-beta.2",
      "3.0.0-beta.2.1",
      "3.0.0-beta.9",
      "3.0.0-beta.10",
      "3.0.0-rc.1",
      "3.0.0-rc.2",
      "3.0.0",
    ],
  );
  // Identifiers compare as SemVer says: alphanumeric ones as text, so `rc10` is below `rc9`.
  assert(compareVersions(v("1.0.0-rc10"), v("1.0.0-rc9")) < 0);
});

Deno.test("PEP 440 pre-releases order as PEP 440 does: a < b < rc, rc9 < rc10, all below the release", () => {
  assertEquals(
    sorted(["2.0.0", "2.0.0rc10", "2.0.0rc9", "2.0.0b1", "2.0.0a2", "1.9.9"]),
    ["1.9.9", "2.0.0a2", "2.0.0b1", "2.0.0rc9", "2.0.0rc10", "2.0.0"],
  );
  assertEquals([v("2.0.0rc1").prerelease, v("2.0.0rc1").semver], [true, "2.0.0-rc.1"]);
});

Deno.test("build metadata: kept as written, ignored by precedence, not a pre-release", () => {
  const built = v("1.2.3+build.5");
  assertEquals([formatVersion(built), built.prerelease], ["1.2.3+build.5", false]);
  assertEquals(compareVersions(built, v("1.2.3+build.6")), 0);
  assertEquals(compareVersions(built, v("1.2.3")), 0);
  assert(compareVersions(v("1.2.3-rc.1+build.9"), built) < 0);
  assertEquals(formatVersion(bumpVersion(built, "patch")), "1.2.4");
  assertEquals(formatVersion(bumpVersion(v("1.2.3-rc.1+build.9"), "patch")), "1.2.3");
});
