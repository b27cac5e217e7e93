/** Temporary directories for tests, removed however the test ends (assertion failures included). */
import { removeIfExists } from "../../lib/core/fs.ts";

/**
 * Runs `fn` with a new temporary directory (its real path: no symlinked /tmp in comparisons)
 * and removes the directory afterwards, also when `fn` throws.
 */
export async function withTempDir<T>(
  prefix: string,
  fn: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix }));
  try {
    return await fn(dir);
  } finally {
    await removeIfExists(dir);
  }
}
