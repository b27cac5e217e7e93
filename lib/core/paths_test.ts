import { assertEquals } from "../../tests/helpers/assert.ts";
import posix from "node:path";
import * as paths from "./paths.ts";

const samples = [
  "",
  ".",
  "..",
  "/",
  "//",
  "a",
  "a/",
  "/a",
  "/a/",
  "a/b",
  "/a/b/c",
  "a//b",
  "a/./b",
  "a/../b",
  "../a",
  "../../a/b",
  "/../a",
  "/a/b/../../..",
  "a/b/c.json",
  ".hidden",
  "a/.hidden",
  "file.tar.gz",
  "/x/y.z/",
  "a/b/..",
  "./a",
];

Deno.test("lib/paths agrees with node:path (posix) on dirname, basename, extname, isAbsolute", () => {
  for (const p of samples) {
    assertEquals(paths.dirname(p), posix.dirname(p), `dirname(${p})`);
    assertEquals(paths.basename(p), posix.basename(p), `basename(${p})`);
    assertEquals(paths.extname(p), posix.extname(p), `extname(${p})`);
    assertEquals(paths.isAbsolute(p), posix.isAbsolute(p), `isAbsolute(${p})`);
  }
  assertEquals(paths.basename("/a/b.json", ".json"), posix.basename("/a/b.json", ".json"));
});

Deno.test("lib/paths agrees with node:path (posix) on join, resolve, relative", () => {
  for (const a of samples) {
    for (const b of samples) {
      assertEquals(paths.join(a, b), posix.join(a, b), `join(${a}, ${b})`);
      assertEquals(paths.resolve(a, b), posix.resolve(a, b), `resolve(${a}, ${b})`);
      assertEquals(paths.relative(a, b), posix.relative(a, b), `relative(${a}, ${b})`);
    }
  }
  assertEquals(paths.join(), posix.join());
  assertEquals(paths.resolve(), posix.resolve());
});

Deno.test("fromFileUrl decodes file URLs and rejects others", () => {
  assertEquals(paths.fromFileUrl(new URL("file:///a%20b/c.ts")), "/a b/c.ts");
  let threw = false;
  try {
    paths.fromFileUrl(new URL("https://x/y"));
  } catch (error) {
    threw = error instanceof TypeError;
  }
  assertEquals(threw, true);
});

Deno.test("displayPath: relative inside the directory, absolute outside", () => {
  assertEquals(
    paths.displayPath("/r/tools/codegen/openapi.json", "/r"),
    "tools/codegen/openapi.json",
  );
  assertEquals(paths.displayPath("/elsewhere/x.json", "/r"), "/elsewhere/x.json");
  assertEquals(paths.displayPath("/r", "/r"), ".");
});
