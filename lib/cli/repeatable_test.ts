/**
 * Repeatable value options (`--label a --label b`): the parser gives every value in order, a
 * config key of type `strings` takes them (each value may itself be a comma-separated list), and
 * the real `open-pr` command declares its `--label` and `--reviewer` that way.
 */
import { assertEquals } from "../../tests/helpers/assert.ts";
import { buildProgram } from "../../main.ts";
import { createContext } from "../config/context.ts";
import { parseArgs } from "./parse.ts";

function parsed(argv: string[]) {
  const invocation = parseArgs(buildProgram(), argv);
  if (invocation.kind !== "run") throw new Error("expected a run");
  return invocation;
}

Deno.test("a repeatable option collects every value; a single-value option keeps the last", () => {
  const run = parsed([
    "open-pr",
    "--label",
    "codegen",
    "--reviewer=alice",
    "--label",
    "sdk,api",
    "--base",
    "one",
    "--base",
    "two",
  ]);
  assertEquals(run.options.labels, ["codegen", "sdk,api"]);
  assertEquals(run.options.reviewers, ["alice"]);
  assertEquals(run.options.base, "two");
  assertEquals(parsed(["open-pr"]).options.labels, undefined);
});

Deno.test("repeated values reach a `strings` key as one list; the config file's list otherwise", async () => {
  const dir = await Deno.makeTempDir({ prefix: "codegen-repeatable-" });
  try {
    await Deno.mkdir(`${dir}/tools/codegen`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/tools/codegen/generate_config.yaml`,
      "pr_labels: [from-config, 'a,b']\npr_reviewers: bob\n",
    );
    const context = async (argv: string[]) =>
      (await createContext(parsed(["--repo-root", dir, ...argv]))).settings;
    const flags = await context(["open-pr", "--label", "codegen", "--label", "sdk, api"]);
    assertEquals(flags.get("pr_labels"), ["codegen", "sdk", "api"]);
    assertEquals(flags.origin("pr_labels"), "--label");
    const file = await context(["open-pr"]);
    assertEquals(file.get("pr_labels"), ["from-config", "a,b"], "YAML list items are kept whole");
    assertEquals(file.get("pr_reviewers"), ["bob"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
