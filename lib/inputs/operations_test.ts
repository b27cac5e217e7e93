import { assert, assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import { CodegenError } from "../core/errors.ts";
import { listOperations, readSpecFile, schemaNames } from "./operations.ts";

Deno.test("listOperations: every verb of every path, named like the Stainless config", () => {
  const spec = {
    openapi: "3.1.0",
    paths: {
      "/a/{id}": {
        parameters: [{ name: "id", in: "path" }],
        delete: { operationId: "a_delete", tags: ["A"] },
        get: {},
      },
    },
  };
  assertEquals(listOperations(spec), [
    { verb: "get", path: "/a/{id}", endpoint: "get /a/{id}", operationId: undefined, tags: [] },
    {
      verb: "delete",
      path: "/a/{id}",
      endpoint: "delete /a/{id}",
      operationId: "a_delete",
      tags: ["A"],
    },
  ]);
  assertEquals(schemaNames(spec), []);
  assertEquals(schemaNames({ ...spec, components: { schemas: { A: {} } } }), ["A"]);
});

Deno.test("readSpecFile names the file that is missing, not JSON, or not a spec", async () => {
  const dir = await Deno.makeTempDir({ prefix: "codegen-inputs-" });
  try {
    const write = async (name: string, text: string) => {
      await Deno.writeTextFile(`${dir}/${name}`, text);
      return `${dir}/${name}`;
    };
    const notJson = await assertRejects(() => readSpecFile(`${dir}/missing.json`));
    assertEquals(notJson.message, `OpenAPI spec not found: ${dir}/missing.json`);
    const bad = await assertRejects(async () => readSpecFile(await write("bad.json", "{")));
    assert(bad instanceof CodegenError && bad.exitCode === 2);
    assert(bad.message.startsWith(`${dir}/bad.json is not valid JSON: `), bad.message);
    const swagger = await assertRejects(async () =>
      readSpecFile(await write("s.json", '{"swagger": "2.0", "paths": {}}'))
    );
    assertEquals(
      swagger.message,
      `${dir}/s.json is not an OpenAPI 3 document: no \`openapi\` version field`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
