/**
 * The `targets` map for vendored targets: a clone (`output`, a shorthand, its flag) beside
 * `vendor_dir` is an error in one target's own fields and a warning (left unused) otherwise.
 */
import { assert, assertEquals, assertThrows } from "../../tests/helpers/assert.ts";
import { withSettings } from "../../tests/helpers/target_settings.ts";
import type { CodegenError } from "../core/errors.ts";
import { Settings } from "./settings.ts";
import { loadConfigFile } from "./config_file.ts";
import { resolveTargets } from "./targets.ts";

Deno.test("a clone path typed for a vendored target is a usage error naming the flag", async () => {
  const file = "targets:\n  node:\n    vendor_dir: weave/vendor/node_sdk\n";
  const flagged = new Settings({
    repoRoot: "/r",
    cwd: "/cwd",
    configFile: await loadConfigFile("/nonexistent.yaml"),
    flags: { node_output: "/nonexist", targets: ["node.vendor_dir=weave/vendor/node_sdk"] },
    flagOrigins: { node_output: "--node-path", targets: "--vendor-dir" },
    env: {},
  });
  const error = assertThrows(
    () => resolveTargets(flagged),
    /^--node-path: the node target has no SDK clone to point at: it is vendored \(targets\.node\.vendor_dir, from --vendor-dir /,
  );
  assertEquals((error as CodegenError).exitCode, 2);
  await withSettings({ file, flags: { node_output: "/nonexist" } }, (s) => {
    assertThrows(() => resolveTargets(s), /^--node-output: the node target has no SDK clone/);
  });
  // From the environment, a shorthand is not this run's request: left unused, with a warning.
  await withSettings({ file, env: { CODEGEN_NODE_OUTPUT: "/nonexist" } }, (s) => {
    const [node] = resolveTargets(s);
    assertEquals(node.vendorDir, "weave/vendor/node_sdk");
    assertEquals(node.unused?.length, 1);
    assert(
      node.unused![0].startsWith(
        "node_output (CODEGEN_NODE_OUTPUT) is not used: the node target is vendored " +
          "(targets.node.vendor_dir, from ",
      ),
      node.unused![0],
    );
  });
});

Deno.test("a clone and vendor_dir in the config: an error in one target, a warning from a shorthand", async () => {
  // Both in the target's own fields: a configuration error naming both, with file:line.
  const both = "targets:\n  python:\n    output: ../sdk\n    vendor_dir: weave/vendor/sdk\n";
  await withSettings({ file: both }, (s, dir) => {
    const error = assertThrows(() => resolveTargets(s)) as CodegenError;
    assertEquals(error.exitCode, 2);
    assertEquals(
      error.message,
      `${dir}/generate_config.yaml:3: targets.python.output and targets.python.vendor_dir ` +
        `(${dir}/generate_config.yaml:4) are both set: a vendored target has no SDK clone, so ` +
        "the clone would be left unused and its pin stale",
    );
    assert(error.hint?.startsWith("Remove one of them: output to vendor"), error.hint);
  });
  // The template's python_output (every first-run config has it) beside vendor_dir: a warning.
  const template = "python_output: ../sdk\ntargets:\n  python:\n    vendor_dir: weave/vendor/sdk\n";
  await withSettings({ file: template }, (s, dir) => {
    const [python] = resolveTargets(s);
    assertEquals(python.vendorDir, "weave/vendor/sdk");
    assertEquals(python.unused, [
      `python_output (${dir}/generate_config.yaml:1) is not used: the python target is ` +
      `vendored (targets.python.vendor_dir, from ${dir}/generate_config.yaml:4), so that clone ` +
      "is not generated into, and its pin is neither updated nor checked by `codegen check`; " +
      "remove python_output while the target is vendored, or vendor_dir to use the clone",
    ]);
  });
  // This run's --vendor-dir over the file's clone: a warning too.
  await withSettings({
    file: "targets:\n  python:\n    output: ../sdk\n",
    flags: { targets: ["python.vendor_dir=weave/vendor/sdk"] },
  }, (s) => {
    const [python] = resolveTargets(s);
    assertEquals(python.vendorDir, "weave/vendor/sdk");
    assert(python.unused?.[0].startsWith("targets.python.output ("), python.unused?.[0]);
  });
});
