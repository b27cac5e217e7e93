/** SHA-256 as lowercase hex, of UTF-8 text and of bytes (known digests). */
import { assertEquals } from "../../tests/helpers/assert.ts";
import { sha256Hex } from "./sha256.ts";

Deno.test("sha256Hex matches the known digests of text and bytes", async () => {
  const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  assertEquals(await sha256Hex(""), empty);
  assertEquals(
    await sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assertEquals(await sha256Hex(new Uint8Array([0x61, 0x62, 0x63])), await sha256Hex("abc"));
  // Text is hashed as UTF-8: "é" is the bytes c3 a9.
  assertEquals(await sha256Hex("é"), await sha256Hex(new Uint8Array([0xc3, 0xa9])));
});
