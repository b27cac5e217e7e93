"""A small trace server in the shape of Weave's reference server (for the codegen demo and tests).

Calls: start, end, read, query, stream_query (JSON Lines). Objects: create, read.
Every endpoint requires HTTP Basic credentials (any username; password must be non-empty).
State lives in memory.
"""

import datetime
import json
import uuid
from typing import Any, Iterator, Optional

from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, Field

security = HTTPBasic()


def authenticated(credentials: HTTPBasicCredentials = Depends(security)) -> str:
    if not credentials.password:
        raise HTTPException(status_code=401, detail="missing API key")
    return credentials.username


app = FastAPI(title="Weave Trace (example)", version="0.1.0", dependencies=[Depends(authenticated)])


class StartedCallSchemaForInsert(BaseModel):
    project_id: str
    id: Optional[str] = None
    op_name: str
    trace_id: Optional[str] = None
    parent_id: Optional[str] = None
    started_at: datetime.datetime
    inputs: dict[str, Any] = Field(default_factory=dict)
    attributes: dict[str, Any] = Field(default_factory=dict)


class CallStartReq(BaseModel):
    start: StartedCallSchemaForInsert


class CallStartRes(BaseModel):
    id: str
    trace_id: str


class EndedCallSchemaForInsert(BaseModel):
    project_id: str
    id: str
    ended_at: datetime.datetime
    exception: Optional[str] = None
    output: Optional[Any] = None
    summary: dict[str, Any] = Field(default_factory=dict)


class CallEndReq(BaseModel):
    end: EndedCallSchemaForInsert


class CallEndRes(BaseModel):
    pass


class CallSchema(BaseModel):
    id: str
    project_id: str
    op_name: str
    trace_id: str
    parent_id: Optional[str] = None
    started_at: datetime.datetime
    ended_at: Optional[datetime.datetime] = None
    exception: Optional[str] = None
    inputs: dict[str, Any] = Field(default_factory=dict)
    output: Optional[Any] = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    summary: dict[str, Any] = Field(default_factory=dict)


class CallReadReq(BaseModel):
    project_id: str
    id: str


class CallReadRes(BaseModel):
    call: Optional[CallSchema] = None


class CallsFilter(BaseModel):
    op_names: Optional[list[str]] = None
    trace_ids: Optional[list[str]] = None
    call_ids: Optional[list[str]] = None


class CallsQueryReq(BaseModel):
    project_id: str
    filter: Optional[CallsFilter] = None
    limit: Optional[int] = None
    offset: Optional[int] = None


class CallsQueryRes(BaseModel):
    calls: list[CallSchema]


class ObjSchemaForInsert(BaseModel):
    project_id: str
    object_id: str
    val: Any


class ObjCreateReq(BaseModel):
    obj: ObjSchemaForInsert


class ObjCreateRes(BaseModel):
    digest: str


class ObjSchema(BaseModel):
    project_id: str
    object_id: str
    digest: str
    created_at: datetime.datetime
    val: Any


class ObjReadReq(BaseModel):
    project_id: str
    object_id: str
    digest: str


class ObjReadRes(BaseModel):
    obj: ObjSchema


class HealthRes(BaseModel):
    status: str


CALLS: dict[tuple[str, str], CallSchema] = {}
OBJECTS: dict[tuple[str, str, str], ObjSchema] = {}


@app.get("/health", tags=["Service"])
def health_check() -> HealthRes:
    return HealthRes(status="ok")


@app.post("/call/start", tags=["Calls"])
def call_start(req: CallStartReq) -> CallStartRes:
    start = req.start
    call = CallSchema(
        id=start.id or str(uuid.uuid4()),
        project_id=start.project_id,
        op_name=start.op_name,
        trace_id=start.trace_id or str(uuid.uuid4()),
        parent_id=start.parent_id,
        started_at=start.started_at,
        inputs=start.inputs,
        attributes=start.attributes,
    )
    CALLS[(call.project_id, call.id)] = call
    return CallStartRes(id=call.id, trace_id=call.trace_id)


@app.post("/call/end", tags=["Calls"])
def call_end(req: CallEndReq) -> CallEndRes:
    end = req.end
    call = CALLS.get((end.project_id, end.id))
    if call is None:
        raise HTTPException(status_code=404, detail=f"call {end.id} not found")
    call.ended_at = end.ended_at
    call.exception = end.exception
    call.output = end.output
    call.summary = end.summary
    return CallEndRes()


@app.post("/call/read", tags=["Calls"])
def call_read(req: CallReadReq) -> CallReadRes:
    return CallReadRes(call=CALLS.get((req.project_id, req.id)))


def _query(req: CallsQueryReq) -> list[CallSchema]:
    calls = [c for (project, _), c in CALLS.items() if project == req.project_id]
    f = req.filter
    if f is not None:
        if f.op_names is not None:
            calls = [c for c in calls if c.op_name in f.op_names]
        if f.trace_ids is not None:
            calls = [c for c in calls if c.trace_id in f.trace_ids]
        if f.call_ids is not None:
            calls = [c for c in calls if c.id in f.call_ids]
    calls.sort(key=lambda c: c.started_at)
    start = req.offset or 0
    end = start + req.limit if req.limit is not None else None
    return calls[start:end]


@app.post("/calls/query", tags=["Calls"])
def calls_query(req: CallsQueryReq) -> CallsQueryRes:
    return CallsQueryRes(calls=_query(req))


@app.post(
    "/calls/stream_query",
    tags=["Calls"],
    response_class=StreamingResponse,
    # FastAPI declares the model as application/json; the Stainless config's renameKey
    # transformation (tools/codegen/openapi.stainless.yml) corrects it to application/jsonl.
    responses={200: {"model": CallSchema, "description": "JSON Lines: one call per line"}},
)
def calls_stream_query(req: CallsQueryReq) -> StreamingResponse:
    def lines() -> Iterator[str]:
        for call in _query(req):
            yield json.dumps(call.model_dump(mode="json")) + "\n"

    return StreamingResponse(lines(), media_type="application/jsonl")


@app.post("/obj/create", tags=["Objects"])
def obj_create(req: ObjCreateReq) -> ObjCreateRes:
    payload = json.dumps(req.obj.val, sort_keys=True, default=str)
    digest = uuid.uuid5(uuid.NAMESPACE_URL, payload).hex
    OBJECTS[(req.obj.project_id, req.obj.object_id, digest)] = ObjSchema(
        project_id=req.obj.project_id,
        object_id=req.obj.object_id,
        digest=digest,
        created_at=datetime.datetime.now(datetime.timezone.utc),
        val=req.obj.val,
    )
    return ObjCreateRes(digest=digest)


@app.post("/obj/read", tags=["Objects"])
def obj_read(req: ObjReadReq) -> ObjReadRes:
    obj = OBJECTS.get((req.project_id, req.object_id, req.digest))
    if obj is None:
        raise HTTPException(status_code=404, detail=f"object {req.object_id}:{req.digest} not found")
    return ObjReadRes(obj=obj)
