/**
 * Does the generated SDK need a newer Python than the trace repository allows? Compares the SDK's
 * `requires-python` (pyproject.toml `[project]`, else setup.py `python_requires`) at the pinned
 * commit with the trace repository's, and says on which Python the pin would not install.
 */
import { git } from "../git/git.ts";
import { parseToml } from "./pyproject_edit.ts";

/** Python versions tried: 3.0 to 3.40 (a floor below and above anything in use). */
const CANDIDATES = Array.from({ length: 41 }, (_, minor) => `3.${minor}`);

/** The SDK's `requires-python` at `commit`, and the file it comes from; undefined when none. */
async function sdkRequiresPython(
  sdkRepo: string,
  commit: string,
): Promise<{ spec: string; file: string } | undefined> {
  const show = (file: string) => git(sdkRepo, ["show", `${commit}:${file}`], { check: false });
  const pyproject = await show("pyproject.toml");
  if (pyproject.code === 0) {
    const project = parseToml(pyproject.stdout, "pyproject.toml").project as
      | Record<string, unknown>
      | undefined;
    const spec = project?.["requires-python"];
    if (typeof spec === "string" && spec.trim()) {
      return { spec: spec.trim(), file: "pyproject.toml" };
    }
  }
  const setup = await show("setup.py");
  const found = setup.code === 0
    ? /python_requires\s*=\s*["']([^"']+)["']/.exec(setup.stdout)
    : null;
  return found ? { spec: found[1].trim(), file: "setup.py" } : undefined;
}

/**
 * A warning when some Python the trace repository allows (`traceSpec`) cannot install the SDK of
 * `commit`, because the SDK needs a newer one; undefined when both agree or either is unknown.
 */
export async function requiresPythonWarning(
  sdkRepo: string,
  commit: string,
  traceSpec: unknown,
  pyprojectPath: string,
): Promise<string | undefined> {
  if (typeof traceSpec !== "string" || !traceSpec.trim()) return undefined;
  const sdk = await sdkRequiresPython(sdkRepo, commit);
  if (!sdk) return undefined;
  const { satisfies, validRange } = await import("@renovatebot/pep440");
  if (!validRange(sdk.spec) || !validRange(traceSpec)) return undefined;
  const sdkAllows = (v: string) => satisfies(v, sdk.spec);
  const oldest = CANDIDATES.find(sdkAllows);
  const tooOld = CANDIDATES.find((v) => satisfies(v, traceSpec) && !sdkAllows(v));
  if (!oldest || !tooOld || CANDIDATES.indexOf(tooOld) > CANDIDATES.indexOf(oldest)) {
    return undefined;
  }
  return `the generated SDK needs Python ${sdk.spec} (its ${sdk.file}), but ${pyprojectPath} ` +
    `allows ${traceSpec} (requires-python): on Python ${tooOld} it cannot be installed. ` +
    `Raise requires-python, or generate an SDK that supports Python ${tooOld}.`;
}
