"""The reference for ``bench_intake``: the same stack (Starlette on uvicorn) with one
route that answers 201 and does nothing else. ``python -m tests.bench.bare_endpoint``
prints its URL, then serves until Ctrl-C."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from prospector.intake import server


async def leads(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse({"leads": []}, status_code=201)


def main() -> None:
    app = Starlette(routes=[Route("/leads", leads, methods=["POST"])])
    listener = server.listen("127.0.0.1", 0)
    server.run(app, listener, lambda url: print(f"bare endpoint on {url}/leads", flush=True))


if __name__ == "__main__":
    main()
