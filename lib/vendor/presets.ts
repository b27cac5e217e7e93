/**
 * Where each generator puts the package in its output, and which exact rewrites make a Python
 * package import under a vendored path (`weave.vendor.weave_server_sdk`) without its own
 * top-level name (`weave_server_sdk`) ever being imported. Data only; measured on real output:
 *
 * - openapi-python-client 0.29.1 (`--meta setup`): `<out>/<package>/`; every import inside the
 *   package is relative, so it needs no rewrite.
 * - stainful 0.6.0 `generate`: `<out>/<package>/`; its resource modules import the package by
 *   its absolute name (`from weave_server_sdk._core._resource import ...`, 6 to 8 per resource
 *   module), the rest is relative: the "absolute imports" rewrite.
 * - hosted Stainless (and stlc, which writes the same SDK): `src/<package>/` of the SDK
 *   repository; two self-references, rewritten as the Weave repository's vendoring script does
 *   (checked against wandb/weave-stainless): the lazy resources proxy and the `__module__` loop.
 * - TypeScript: stainful `generate-ts` writes `<out>/<dir>/{package.json,tsconfig.json,src/}`,
 *   `<dir>` named after `targets.python.package_name` (not the TypeScript package name), so the
 *   subtree is "the src/ of the one top-level directory"; hosted Stainless' TypeScript repository
 *   has `src/` at its root. Both are copied without rewrites (as the Weave Node SDK vendors
 *   `typescript/src/`: the rest would be pulled into the Node SDK's compile).
 */
import { usageError } from "../core/errors.ts";

export type VendorTarget = "python" | "typescript";

/** Replace `from` by `to` in `file` (relative to the package); it must occur exactly `count` times. */
export interface ExactRewrite {
  kind: "exact";
  file: string;
  from: string;
  to: string;
  count: number;
}

/**
 * Every `from <package>.x import ...` / `from <package> import ...` statement in every .py file
 * becomes `from <import path>...`. At least one is expected (the generator is known to write
 * them; none means its output changed); their number grows with the API, so no exact count.
 */
export interface AbsoluteImportsRewrite {
  kind: "absolute-imports";
}

export type Rewrite = ExactRewrite | AbsoluteImportsRewrite;

export interface VendorLayout {
  generator: string;
  target: VendorTarget;
  /** The package's directory in the generator's output: a relative path; `*` is one directory. */
  subtree: string;
  rewrites: Rewrite[];
}

/** `{package}` and `{import_path}` are filled in by `vendorLayout`. */
type Template = Omit<VendorLayout, "generator" | "target">;

const HOSTED_PYTHON: Template = {
  subtree: "src/{package}",
  rewrites: [
    {
      kind: "exact",
      file: "_utils/_resources_proxy.py",
      from: 'importlib.import_module("{package}.resources")',
      to: 'importlib.import_module("{import_path}.resources")',
      count: 1,
    },
    {
      kind: "exact",
      file: "__init__.py",
      from: '__locals[__name].__module__ = "{package}"',
      to: '__locals[__name].__module__ = "{import_path}"',
      count: 1,
    },
  ],
};
const HOSTED_TYPESCRIPT: Template = { subtree: "src", rewrites: [] };

export const VENDOR_PRESETS: Record<string, Partial<Record<VendorTarget, Template>>> = {
  "openapi-python-client": { python: { subtree: "{package}", rewrites: [] } },
  stainful: {
    python: { subtree: "{package}", rewrites: [{ kind: "absolute-imports" }] },
    typescript: { subtree: "*/src", rewrites: [] },
  },
  stainless: { python: HOSTED_PYTHON, typescript: HOSTED_TYPESCRIPT },
  stlc: { python: HOSTED_PYTHON, typescript: HOSTED_TYPESCRIPT },
};

/** `node` is an alias of `typescript` (as in the generators' targets). */
export function vendorTarget(target: string): VendorTarget {
  if (target === "python") return "python";
  if (target === "typescript" || target === "node") return "typescript";
  throw usageError(
    `cannot vendor target \`${target}\``,
    "Vendoring supports the python and typescript (node) targets.",
  );
}

/**
 * The layout of `generator`'s output for `target`, with the package name and (Python) the
 * vendored import path filled in. A generator without a preset (`command`) or a target it cannot
 * produce is a usage error naming both.
 */
export function vendorLayout(
  generator: string,
  target: string,
  names: { packageName: string; importPath?: string },
): VendorLayout {
  const vendor = vendorTarget(target);
  const presets = VENDOR_PRESETS[generator];
  if (!presets) {
    throw usageError(
      `generator \`${generator}\` has no vendoring preset (where its package lands, what to rewrite)`,
      `Vendor the output of one of: ${Object.keys(VENDOR_PRESETS).join(", ")}.`,
    );
  }
  const template = presets[vendor];
  if (!template) {
    const can = Object.keys(presets).join(", ");
    throw usageError(
      `generator \`${generator}\` does not produce a ${vendor} SDK (target \`${target}\`)`,
      `It produces: ${can}. Choose another generator for this target.`,
    );
  }
  const fill = (text: string) =>
    text.replaceAll("{package}", names.packageName).replaceAll(
      "{import_path}",
      names.importPath ?? names.packageName,
    );
  return {
    generator,
    target: vendor,
    subtree: fill(template.subtree),
    rewrites: template.rewrites.map((rewrite) =>
      rewrite.kind === "exact"
        ? { ...rewrite, file: fill(rewrite.file), from: fill(rewrite.from), to: fill(rewrite.to) }
        : rewrite
    ),
  };
}
