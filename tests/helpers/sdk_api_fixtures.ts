/**
 * A small synthetic SDK in the shape of hosted Stainless' Python output (src/<pkg>/_client.py,
 * resources/ with a subresource folder, types/__init__.py re-exports), written for these tests:
 * no generated code is copied. Its expected API is spelled out in extract_test.ts.
 */
import { join } from "node:path";

const HEADER = "# File generated from our OpenAPI spec by Stainless. (synthetic test fixture)\n";

const WIDGETS = `${HEADER}from __future__ import annotations

from typing import Literal, overload

import httpx

from ..types import widget_create_params
from .._types import Body, Omit, Query, Headers, NotGiven, omit, not_given
from .._compat import cached_property
from .._resource import SyncAPIResource, AsyncAPIResource
from ..types.widget import Widget

__all__ = ["WidgetsResource", "AsyncWidgetsResource"]


class WidgetsResource(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> WidgetsResourceWithRawResponse:
        return WidgetsResourceWithRawResponse(self)

    def create(
        self,
        *,
        name: str,
        size: widget_create_params.Size | Omit = omit,
        # Per-request options: not part of the operation's API.
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = not_given,
    ) -> Widget:
        return self._post("/widgets", body={"name": name, "size": size}, cast_to=Widget)

    def retrieve(self, widget_id: str, *, expand: bool | Omit = omit) -> "Widget":
        return self._get(f"/widgets/{widget_id}", cast_to=Widget)

    @overload
    def watch(self, *, stream: Literal[True]) -> bytes: ...

    @overload
    def watch(self, *, stream: Literal[False] = False) -> Widget: ...

    def watch(self, *, stream: bool = False) -> Widget | bytes:
        return self._get("/widgets/watch", cast_to=Widget, stream=stream)

    def _path(self, widget_id: str) -> str:
        return f"/widgets/{widget_id}"


class AsyncWidgetsResource(AsyncAPIResource):
    async def create(
        self,
        *,
        name: str,
        size: widget_create_params.Size | Omit = omit,
        extra_headers: Headers | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = not_given,
    ) -> Widget:
        return await self._post("/widgets", body={"name": name, "size": size}, cast_to=Widget)

    async def retrieve(self, widget_id: str, *, expand: bool | Omit = omit) -> "Widget":
        return await self._get(f"/widgets/{widget_id}", cast_to=Widget)


class WidgetsResourceWithRawResponse:
    def __init__(self, widgets: WidgetsResource) -> None:
        self.create = widgets.create
`;

const GADGETS = `${HEADER}from .._resource import SyncAPIResource, AsyncAPIResource
from .parts import PartsResource


class GadgetsResource(SyncAPIResource):
    @property
    def parts(self) -> PartsResource:
        return PartsResource(self._client)

    def list(self) -> object:
        return self._get("/gadgets", cast_to=object)


class AsyncGadgetsResource(AsyncAPIResource):
    async def list(self) -> object:
        return await self._get("/gadgets", cast_to=object)
`;

// Only a sync class (an async variant is missing), and every kind of parameter.
const PARTS = `${HEADER}from ..._resource import SyncAPIResource


class PartsResource(SyncAPIResource):
    def count(self, gadget_id, /, color: str = "red", *colors: str, exact: bool, **filters) -> int:
        return 0

    @staticmethod
    def unit(kind: str) -> str:
        return kind
`;

const CLIENT = `${HEADER}from __future__ import annotations

from ._compat import cached_property
from ._base_client import SyncAPIClient, AsyncAPIClient


class Acme(SyncAPIClient):
    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        _strict_response_validation: bool = False,
    ) -> None:
        super().__init__(base_url=base_url)

    @cached_property
    def widgets(self) -> WidgetsResource:
        from .resources.widgets import WidgetsResource

        return WidgetsResource(self)


class AsyncAcme(AsyncAPIClient):
    pass


class AcmeWithRawResponse:
    pass
`;

const TYPES_INIT = `${HEADER}from __future__ import annotations

from . import shared
from .. import _compat
from .shared import Color as Color, Size as Size
from .widget import Widget as Widget
from .widget_create_params import WidgetCreateParams as WidgetCreateParams
from ._internal import _Hidden as _Hidden

if _compat.PYDANTIC_V1:
    pass
else:
    shared.color.Color.model_rebuild(_parent_namespace_depth=0)
`;

/** Files of the fixture, relative to the repository root. */
export const HOSTED_STAINLESS_FIXTURE: Record<string, string> = {
  "README.md": "# Acme Python API library (synthetic)\n",
  "pyproject.toml": '[project]\nname = "acme_sdk"\nversion = "0.1.0"\n',
  "src/acme_sdk/__init__.py": `${HEADER}from ._client import Acme, AsyncAcme\n`,
  "src/acme_sdk/_client.py": CLIENT,
  "src/acme_sdk/resources/__init__.py":
    `${HEADER}from .widgets import WidgetsResource, AsyncWidgetsResource\n`,
  "src/acme_sdk/resources/widgets.py": WIDGETS,
  "src/acme_sdk/resources/gadgets/__init__.py": `${HEADER}from .gadgets import GadgetsResource\n`,
  "src/acme_sdk/resources/gadgets/gadgets.py": GADGETS,
  "src/acme_sdk/resources/gadgets/parts.py": PARTS,
  "src/acme_sdk/types/__init__.py": TYPES_INIT,
  "src/acme_sdk/types/widget.py": "class Widget:\n    id: str\n",
  "src/acme_sdk/types/widget_create_params.py": "class WidgetCreateParams:\n    name: str\n",
  "src/acme_sdk/types/shared/__init__.py":
    "from .color import Color as Color\nfrom .size import Size as Size\n",
  "tests/api_resources/test_widgets.py": "def test_create(client):\n    client.widgets.create()\n",
};

/** Writes `files` under `dir`. */
export async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), content);
  }
}
