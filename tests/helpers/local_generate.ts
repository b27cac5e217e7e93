/**
 * Shared set-up of the local-generator end-to-end tests: a trace repository, an SDK clone with
 * stale, custom and README files, a private TMPDIR, and `generate_code` run against them with
 * `--fake ARGS` standing for tests/fixtures/fake_generator.py.
 */
import { type CliResult, PROJECT_ROOT, PYTHON, runCli } from "./cli.ts";
import { makeClone, makeTraceRepo, removeAll } from "./sdk_clone.ts";

const FAKE_GENERATOR = `${PROJECT_ROOT}/tests/fixtures/fake_generator.py`;

export interface Local {
  repo: string;
  clone: string;
  tmp: string;
  run(args: string[]): Promise<CliResult>;
}

async function local(): Promise<Local> {
  const repo = await makeTraceRepo();
  const clone = await makeClone({
    "stale.py": "old\n",
    "src/custom/keep.py": "mine\n",
    "README.md": "readme\n",
  });
  const tmp = await Deno.makeTempDir({ prefix: "gen-tmpdir-" });
  const fake = (extra: string) =>
    `${PYTHON} ${FAKE_GENERATOR} --spec {oas} --out {out} --package {package} ${extra}`;
  return {
    repo,
    clone,
    tmp,
    run: (args) => {
      const i = args.indexOf("--fake");
      const argv = i < 0 ? args : [
        ...args.slice(0, i),
        "--generator",
        "command",
        "--generator-command",
        fake(args[i + 1]),
        ...args.slice(i + 2),
      ];
      // TMPDIR: the generator's temporary directory must be gone afterwards.
      return runCli(["--repo-root", repo, "generate_code", "--python-path", clone, ...argv], {
        env: { TMPDIR: tmp },
      });
    },
  };
}

export async function isEmptyDir(dir: string): Promise<boolean> {
  for await (const _ of Deno.readDir(dir)) return false;
  return true;
}

/** Runs `fn` with a fresh set-up, removed afterwards. */
export async function withLocal(fn: (l: Local) => Promise<void>): Promise<void> {
  const l = await local();
  try {
    await fn(l);
  } finally {
    await removeAll(l.repo, l.clone, l.tmp);
  }
}
