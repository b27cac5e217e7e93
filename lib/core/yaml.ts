/**
 * The `yaml` package, for the modules that load it with import() only when there is YAML to
 * read. They import it through this module because in the bundle (code-split, see
 * scripts/bundle.ts) `yaml` is a CommonJS chunk whose named exports exist only behind a static
 * import: loaded dynamically, its module has a default export only.
 */
export { Document, isMap, isScalar, LineCounter, parse, parseDocument } from "yaml";
