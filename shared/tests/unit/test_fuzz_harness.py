"""The fuzz harness the services' test_fuzz.py use finds what it should: a 500 (answered or raised) and an
answer the document does not describe; and a sound API passes."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from shared.http.conventions import install_conventions
from shared.http.problems import install_problem_handlers
from shared.testing.fuzz import fuzz_app


def broken_app() -> FastAPI:
    """Two defects beside a sound route, with the shared conventions."""
    app = FastAPI()
    install_problem_handlers(app)
    install_conventions(app)

    @app.get("/fine/{n}")
    async def fine(n: int, q: str | None = None) -> dict[str, int]:
        return {"n": n}

    @app.get("/crash")
    async def crash() -> dict[str, str]:
        raise RuntimeError("a defect")

    @app.get("/teapot")
    async def teapot() -> JSONResponse:
        return JSONResponse({"short": "and stout"}, status_code=418)

    return app


async def test_the_harness_reports_server_errors_and_undocumented_answers() -> None:
    report = await fuzz_app(broken_app(), examples=2, stateful_examples=1)
    titles = {(label, title) for label, title in report.failures}
    assert ("GET /crash", "Server error") in titles, report.describe()
    assert ("GET /teapot", "Undocumented status code") in titles, report.describe()
    assert not {label for label, _ in titles} - {"GET /crash", "GET /teapot"}, report.describe()


async def test_a_sound_api_passes_and_known_defects_can_be_expected() -> None:
    report = await fuzz_app(
        broken_app(),
        examples=3,
        stateful_examples=1,
        expected=lambda label, title: label in ("GET /crash", "GET /teapot"),
    )
    assert report.failures == {} and report.cases["GET /fine/{n}"] > 10, report.describe()
