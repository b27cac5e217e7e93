/**
 * The `stainless` backend: a build on the hosted Stainless API, polled until every target is
 * done (build_watcher.ts); each target's generated commit is fetched into its clone and becomes
 * local `main`, or (vendoring) fetched into a temporary repository and checked out for the caller.
 *
 * Unlike the `stl` CLI, a failed fetch fails the run, and so do failed lint/build/test steps
 * (those named by `fail_on`).
 *
 * Per target, as its commit step completes: fetch the commit → commit the origin stamp and the
 * spec copy on top of it (../provenance.ts) → review (SDK API report, --fail-on api-removals and
 * warnings; ../review.ts via input.review) → move local main. The build's diagnostics become
 * warnings once the build is done.
 *
 * Endpoint groups: the hosted service builds from the revision it is sent, so with groups the
 * revision holds the spec without the other operations (and the components only they reach) and
 * the config without their methods (lib/inputs/groups.ts). The spec is filtered as committed,
 * not transformed: Stainless applies the config's transformations itself.
 */
import { basename, join } from "../../core/paths.ts";
import { CodegenError } from "../../core/errors.ts";
import { planReview } from "../review.ts";
import { buildOptions, buildRevision, revisionNames } from "./build_options.ts";
import type {
  GenerateInput,
  GenerateOutput,
  GenerationTarget,
  Generator,
  TargetClone,
  TargetResult,
} from "../types.ts";
import { planMainMove, targetResult } from "../types.ts";
import { SDK_TARGETS } from "../../config/structured_keys.ts";
import { log } from "../../core/log.ts";
import { exists, makeTempDir } from "../../core/fs.ts";
import { git, resolveCommit, short, tokenForRemote } from "../../git/git.ts";
import { fetchCommit, MAIN_REF, moveLocalMain, REFLOG_PREFIX } from "../../git/main_branch.ts";
import { type GeneratorIdentity, SPEC_COPY_PATH, STAMP_PATH } from "../../provenance/stamp.ts";
import { hostedIdentity, stampFetchedCommit } from "../provenance.ts";
import { apiCall, checkStainlessEnv, createClient } from "./client.ts";
import { BUILD, BuildWatcher, type GitOutput, type Lander } from "./build_watcher.ts";
import { filteredRevision } from "./groups_revision.ts";

export class StainlessGenerator implements Generator {
  readonly name = "stainless";
  readonly targets = SDK_TARGETS;

  identity(
    _target: GenerationTarget,
    input: GenerateInput<GenerationTarget>,
  ): Promise<GeneratorIdentity> {
    return Promise.resolve(hostedIdentity(input.settings));
  }

  keptPaths(): readonly string[] {
    return [];
  }

  supports(): boolean {
    return true;
  }

  async preflight(input: GenerateInput<GenerationTarget>): Promise<void> {
    checkStainlessEnv(Deno.env.toObject(), input.dryRun);
    buildOptions(input.settings); // fail_on is valid
    // Every build sends the config: a missing one fails now, not after the spec stage.
    if (!(await exists(input.stainlessConfigPath))) {
      throw new CodegenError(`Stainless config not found: ${input.stainlessConfigPath}`, {
        hint: "Pass --stainless-config with the openapi.stainless.yml path.",
      });
    }
  }

  #planBuild(input: GenerateInput<GenerationTarget>): string[] {
    const options = buildOptions(input.settings);
    const [spec, config] = revisionNames(input.specPath, input.stainlessConfigPath);
    const filtered = input.groups ? " filtered to the endpoint groups" : "";
    return [
      `POST /v0/builds: project ${options.project}, branch ${options.branch}, targets ${
        input.targets.map((t) => t.target).join(", ")
      }, allow_empty, revision ${spec} (${input.specPath}) + ${config} (${input.stainlessConfigPath})${filtered}`,
      `poll the build every ${options.pollIntervalMs / 1000} s for up to ${
        options.timeoutMs / 1000
      } s`,
    ];
  }

  plan(input: GenerateInput): Promise<string[]> {
    return Promise.resolve([
      ...this.#planBuild(input),
      ...input.targets.flatMap((t) => [
        `fetch the generated commit of the build's ${t.target} git output into ${t.clone} and ` +
        `commit ${STAMP_PATH} and ${SPEC_COPY_PATH} on top of it`,
        ...planReview(input.settings, t),
        planMainMove(t, "that commit"),
      ]),
    ]);
  }

  planTrees(input: GenerateInput<GenerationTarget>): Promise<string[]> {
    return Promise.resolve([
      ...this.#planBuild(input),
      ...input.targets.map((t) =>
        `fetch the generated commit of the build's ${t.target} git output into a temporary ` +
        "repository and check it out in a temporary directory"
      ),
    ]);
  }

  /** Starts the build; returns the client, its id and its settings. */
  async #startBuild(input: GenerateInput<GenerationTarget>) {
    const options = buildOptions(input.settings);
    const revision = input.groups
      ? await filteredRevision(input.specPath, input.stainlessConfigPath, input.groups)
      : await buildRevision(input.specPath, input.stainlessConfigPath);
    const client = createClient({
      apiKey: Deno.env.get("STAINLESS_API_KEY") ?? "",
      maxRetries: options.maxRetries,
    });
    const build = await apiCall("create a build", () =>
      client.builds.create({
        project: options.project,
        branch: options.branch,
        revision,
        allow_empty: true,
        targets: input.targets.map((t) => t.target),
      }), { project: options.project, retries: options.maxRetries, expect: BUILD });
    log.info(
      `Stainless build ${build.id} started (project ${options.project}, branch ${options.branch}; ${
        basename(input.specPath)
      })`,
    );
    if (input.targets.some((t) => t.spec.postGenerate.length > 0)) {
      input.warnings?.add({
        source: "codegen",
        message:
          "post_generate hooks are not run with the hosted generator (Stainless commits the tree)",
      });
    }
    return { client, buildId: build.id, options };
  }

  async generate(input: GenerateInput): Promise<GenerateOutput> {
    const { client, buildId, options } = await this.#startBuild(input);
    const lander = new CloneLander(input, buildId);
    const targets = await new BuildWatcher(client, buildId, input, options, lander).run();
    return { generator: "stainless", buildId, targets };
  }

  async generateTrees(
    input: GenerateInput<GenerationTarget>,
    use: (target: GenerationTarget, dir: string) => Promise<void>,
  ): Promise<{ buildId?: string }> {
    const { client, buildId, options } = await this.#startBuild(input);
    await new BuildWatcher(client, buildId, input, options, new TreeLander(use)).run();
    return { buildId };
  }
}

/** The commit fetched into the target's clone, stamped, reviewed; local main moved to it. */
class CloneLander implements Lander<TargetClone, string> {
  readonly untouched = "Local main was not changed.";

  constructor(private readonly input: GenerateInput, private readonly buildId: string) {}

  /**
   * No new commit: main's tip is the target's code, reviewed as a new commit would be (as the
   * command generator does when its output is identical to main), so that `--release` with a
   * versionless main stops here, before the merge pushes, not in the pin stage after it.
   */
  async unchanged(target: TargetClone): Promise<TargetResult> {
    const tip = await resolveCommit(target.clone, MAIN_REF);
    if (tip) await this.input.review?.(target, tip);
    return { clone: target.clone, changed: false };
  }

  /** The build's commit fetched into the clone, with the origin stamp committed on top. */
  async fetch(target: TargetClone, output: GitOutput): Promise<string> {
    // The build's temporary token, else GITHUB_TOKEN unless the clone has credentials of its own
    // for that URL; either only ever goes to an https URL (fetchCommit checks).
    const token = output.token ||
      await tokenForRemote(target.clone, output.url, Deno.env.get("GITHUB_TOKEN") || undefined);
    const fetched = await fetchCommit(target.clone, output.url, output.ref, {
      target: target.target,
      token,
    });
    if (fetched !== output.sha) {
      log.verbose(
        `${target.target}: fetched ${short(fetched)} for build commit ${short(output.sha)}`,
      );
    }
    const stamped = await stampFetchedCommit(target, this.input, fetched, this.buildId);
    log.endStatus();
    return stamped;
  }

  /** Reviews the stamped commit (a review may stop the run), then moves local main to it. */
  async land(target: TargetClone, stamped: string): Promise<TargetResult> {
    await this.input.review?.(target, stamped);
    const moved = await moveLocalMain(target.clone, stamped, {
      reason: `${REFLOG_PREFIX}: stainless build ${this.buildId}`,
      target: target.target,
    });
    log.endStatus();
    log.success(
      moved.changed
        ? `${target.target}: main of ${target.clone} is now ${short(moved.current)}`
        : `${target.target}: main of ${target.clone} already at ${short(moved.current)}`,
    );
    return targetResult(target.clone, moved);
  }
}

/**
 * Vendoring: there is no clone, so the commit is fetched into a temporary bare repository and
 * its tree checked out into a temporary directory, handed to `use`, then both are removed.
 */
class TreeLander implements Lander<GenerationTarget, { dir: string; dispose(): Promise<void> }> {
  readonly untouched = "Nothing was vendored.";

  constructor(private readonly use: (target: GenerationTarget, dir: string) => Promise<void>) {}

  unchanged(): Promise<TargetResult> {
    return Promise.resolve({ clone: "", changed: false });
  }

  async fetch(target: GenerationTarget, output: GitOutput) {
    // Removed once, whoever asks first: after `use`, or a signal's clean-up meanwhile.
    const temp = await makeTempDir(`codegen-stainless-${target.target}-`, "the hosted build");
    try {
      const repo = join(temp.path, "repo.git");
      const dir = join(temp.path, "tree");
      await git(temp.path, ["init", "--quiet", "--bare", repo], {
        what: "create a temporary repository",
      });
      const token = output.token || Deno.env.get("GITHUB_TOKEN") || undefined;
      const commit = await fetchCommit(repo, output.url, output.ref, {
        target: target.target,
        token,
      });
      await Deno.mkdir(dir);
      await git(repo, ["read-tree", commit], { what: "read the generated tree" });
      await git(repo, [`--work-tree=${dir}`, "checkout-index", "--all", `--prefix=${dir}/`], {
        what: "check out the generated tree",
      });
      log.endStatus();
      return { dir, dispose: temp.remove };
    } catch (error) {
      await temp.remove();
      throw error;
    }
  }

  async land(
    target: GenerationTarget,
    fetched: { dir: string; dispose(): Promise<void> },
  ): Promise<TargetResult> {
    try {
      await this.use(target, fetched.dir);
    } finally {
      await fetched.dispose();
    }
    return { clone: "", changed: true };
  }
}
