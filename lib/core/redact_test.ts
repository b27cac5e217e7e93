/** Secrets out of everything printed or written: URL credentials and registered secrets. */
import { assertEquals } from "../../tests/helpers/assert.ts";
import { redact, registerSecret, stripUrlCredentials } from "./redact.ts";

Deno.test("redaction: http userinfo, passwords, registered secrets; ssh users stay", () => {
  assertEquals(redact("https://x-access-token:abc@github.com/o/r"), "https://***@github.com/o/r");
  assertEquals(
    redact("see http://tok@host/x and HTTPS://u:p@h/y"),
    "see http://***@host/x and HTTPS://***@h/y",
  );
  assertEquals(redact("ssh://git@github.com/o/r.git"), "ssh://git@github.com/o/r.git");
  assertEquals(redact("ftp://me:pw@host"), "ftp://me:***@host");
  assertEquals(redact("git@github.com:o/r.git"), "git@github.com:o/r.git");
});

Deno.test("stripUrlCredentials removes userinfo of http(s) URLs and passwords of others", () => {
  assertEquals(stripUrlCredentials("https://user:tok@host/o/r.git"), "https://host/o/r.git");
  assertEquals(stripUrlCredentials("https://tok@host/o/r.git"), "https://host/o/r.git");
  assertEquals(stripUrlCredentials("ssh://git@host/o/r.git"), "ssh://git@host/o/r.git");
  assertEquals(stripUrlCredentials("ssh://git:pw@host/o/r.git"), "ssh://git@host/o/r.git");
  assertEquals(stripUrlCredentials("/local/path"), "/local/path");
});

Deno.test("registered secrets are hidden anywhere in the text, the longest first", () => {
  registerSecret("redact-test-token");
  registerSecret("redact-test-token-extended");
  assertEquals(
    redact("a redact-test-token-extended b redact-test-token c"),
    "a *** b *** c",
    "the longer secret is not left half-shown",
  );
});

Deno.test("values too short to be secrets (and empty ones) are not registered", () => {
  registerSecret("abc");
  registerSecret("");
  registerSecret(undefined);
  registerSecret(null);
  assertEquals(redact("abc def"), "abc def");
});
