/**
 * Shared set-up of the hosted-generator end-to-end tests: the fake Stainless API, a trace
 * repository with spec and config, an SDK clone, `generate_code` run against them, and checks that
 * no secret was printed or persisted.
 */
import { assert, assertEquals, assertNotMatch } from "./assert.ts";
import { join } from "node:path";
import { type CliResult, runCli } from "./cli.ts";
import {
  type FakeFaults,
  type FakeStainless,
  hostedEnv,
  hostedGenerateArgs,
  startFakeStainless,
} from "./fake_stainless.ts";
import { makeClone, makeTraceRepo, removeAll } from "./sdk_clone.ts";
import { gitOutput } from "../../lib/git/git.ts";

export interface Scenario {
  fake: FakeStainless;
  repo: string;
  clone: string;
  run(args?: string[], env?: Record<string, string>): Promise<CliResult>;
  cleanup(): Promise<void>;
}

export async function scenario(faults: FakeFaults = {}): Promise<Scenario> {
  const fake = await startFakeStainless(faults);
  const repo = await makeTraceRepo();
  const clone = await makeClone();
  return {
    fake,
    repo,
    clone,
    run: (args = [], env = {}) =>
      runCli([...hostedGenerateArgs(repo, clone), ...args], {
        env: { ...hostedEnv(fake), ...env },
      }),
    cleanup: async () => {
      await fake.close();
      await removeAll(repo, clone);
    },
  };
}

export function assertNoSecrets(s: Scenario, result: CliResult): void {
  for (const secret of [s.fake.apiKey, s.fake.gitToken, "ghp_userTokenForTests_123456"]) {
    assert(!result.stdout.includes(secret), "secret on stdout");
    assert(!result.stderr.includes(secret), "secret on stderr");
  }
}

export async function assertNothingPersisted(s: Scenario): Promise<void> {
  const config = await Deno.readTextFile(join(s.clone, ".git/config"));
  assertNotMatch(config, /ghs_|ghp_|extraheader|remote "/i);
  assertEquals(await gitOutput(s.clone, ["for-each-ref", "refs/codegen*"]), "");
  assertEquals(await Deno.stat(join(s.clone, ".git/FETCH_HEAD")).catch(() => null), null);
}
