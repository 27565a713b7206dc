"""Services as real processes for end-to-end tests: started with their console scripts, stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def console_script(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


class ServiceProcess:
    """One role of one service (``directory api``) with its environment; output goes to ``log``."""

    def __init__(self, service: str, role: str, env: dict[str, str], log: Path) -> None:
        self.service, self.role, self.env, self.log = service, role, env, log
        self.process: asyncio.subprocess.Process | None = None

    async def run_once(self) -> int:
        """For roles that finish, like ``migrate``."""
        await self.start()
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), 120)

    async def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                console_script(self.service), self.role, env=os.environ | self.env, stdout=out, stderr=out
            )

    async def stop(self, timeout: float = 30) -> int:
        """SIGTERM and wait: a clean exit code shows the role shut down gracefully."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None


async def wait_ready(base_url: str, timeout: float = 120) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    async with httpx.AsyncClient(base_url=base_url) as client:
        while True:
            try:
                if (await client.get("/health/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{base_url} did not become ready")
            await asyncio.sleep(0.2)
