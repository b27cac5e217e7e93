/**
 * After a signal the GitHub client sends nothing more, a pending retry included. In a file of its
 * own: the interruption is process-wide and cannot be undone.
 */
import { assert, assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import { fakeClientOptions, startFakeGitHub } from "../../tests/helpers/fake_github.ts";
import { captureLog } from "../../tests/helpers/capture_log.ts";
import { InterruptedError } from "../core/errors.ts";
import { markInterrupted } from "../core/cleanup.ts";
import { GitHubClient } from "./client.ts";

const REPO = { owner: "wandb", name: "weave-sdk" };

Deno.test("a signal during a retry's wait: the retry is not sent, nor is any later request", async () => {
  const fake = startFakeGitHub();
  try {
    fake.addRepo("wandb/weave-sdk");
    fake.inject({ status: 503, body: { message: "unavailable" } });
    const client = new GitHubClient({
      ...fakeClientOptions(fake),
      // The signal comes while the client waits to retry the 503.
      sleep: () => Promise.resolve(markInterrupted("SIGINT", 130)),
    });
    const log = captureLog();
    try {
      const error = await assertRejects(() => client.getRepository(REPO), /interrupted \(SIGINT\)/);
      assert(error instanceof InterruptedError, `an InterruptedError: ${error}`);
    } finally {
      log.restore();
    }
    assert((await assertRejects(() => client.getRepository(REPO))) instanceof InterruptedError);
    assertEquals(fake.requests.map((r) => r.status), [503], "only the first request was sent");
  } finally {
    await fake.close();
  }
});
