/** isSameServer: a listener running the configured server command, directly or via its interpreter. */
import { assertEquals } from "../../tests/helpers/assert.ts";
import { isSameServer } from "./ports.ts";

Deno.test("isSameServer: the same command, directly or behind its interpreter; nothing else", () => {
  const server = ["/repo/.venv/bin/uvicorn", "weave.server:app", "--port", "6345"];
  const cases: [string[], boolean][] = [
    [server, true],
    [
      ["/repo/.venv/bin/python3", "/repo/.venv/bin/uvicorn", "weave.server:app", "--port", "6345"],
      true,
    ],
    [["python", "uvicorn", "weave.server:app", "--port", "6345"], true],
    [["/repo/.venv/bin/uvicorn", "weave.server:app", "--port", "6346"], false],
    [["/repo/.venv/bin/uvicorn", "other:app", "--port", "6345"], false],
    [["python3", "-m", "http.server", "6345"], false],
    [["/repo/.venv/bin/uvicorn", "weave.server:app", "--port", "6345", "--reload"], false],
  ];
  for (const [argv, same] of cases) assertEquals(isSameServer(argv, server), same, argv.join(" "));
  assertEquals(isSameServer(["x"], []), false);
});
