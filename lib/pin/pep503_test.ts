/** Package names (PEP 503) and requirement strings (PEP 508): just what finding an entry needs. */
import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import {
  formatRequirement,
  isValidPackageName,
  normalizeName,
  parseRequirement,
  requirementNames,
} from "./pep503.ts";

Deno.test("PEP 503 names: case, -, _ and . are equivalent", () => {
  assertEquals(normalizeName("Weave_Server.SDK"), "weave-server-sdk");
  assertEquals(normalizeName("  a--b__c..d "), "a-b-c-d");
  assert(requirementNames("Weave-Server-SDK[x]>=1", "weave_server_sdk"));
  assert(requirementNames("weave.server.sdk @ git+https://h/r.git@abc", "weave-server-sdk"));
  assert(!requirementNames("weave_server_sdk_extras", "weave_server_sdk"));
  assert(!requirementNames("weave_server_sdk_extra>=1", "weave_server_sdk"));
  assert(!requirementNames("-e ./sdk", "sdk"), "not a requirement at all");
});

Deno.test("valid distribution names start and end with a letter or digit", () => {
  for (const name of ["weave_server_sdk", "a", "A1", "x.y-z_0"]) {
    assert(isValidPackageName(name), name);
  }
  for (const name of ["", "-x", "x-", "_x", "x y", "x/y", "x@1"]) {
    assert(!isValidPackageName(name), name);
  }
});

Deno.test("parseRequirement: name, extras without spaces, and the marker", () => {
  assertEquals(parseRequirement("pkg[a, b] @ git+https://h/x;y.git@1 ; os_name == 'nt'"), {
    name: "pkg",
    extras: "[a,b]",
    marker: "os_name == 'nt'",
  });
  assertEquals(parseRequirement("pkg>=1;python_version<'3.10'"), {
    name: "pkg",
    extras: "",
    marker: "python_version<'3.10'",
  });
  assertEquals(
    parseRequirement("pkg @ https://h/a;b.whl"),
    { name: "pkg", extras: "", marker: "" },
    "a URL may hold `;`: only `;` after whitespace starts its marker",
  );
  assertEquals(parseRequirement("  pkg"), { name: "pkg", extras: "", marker: "" });
  assertEquals(parseRequirement("[x]"), undefined);
});

Deno.test("formatRequirement keeps the extras and marker of the entry it replaces", () => {
  assertEquals(formatRequirement("sdk", "==1.2.3"), "sdk==1.2.3");
  const previous = parseRequirement("SDK[extra] >= 1 ; python_version >= '3.10'");
  assertEquals(
    formatRequirement("sdk", " @ git+https://h/r.git@abc", previous),
    "sdk[extra] @ git+https://h/r.git@abc ; python_version >= '3.10'",
  );
});
