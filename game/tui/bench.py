"""`compute-race bench --ui`: how long from pressing `e` until the new turn is on screen (a benchmark).

The app runs headless at 80x24 against an AI opponent. Each sample is the time from the `e` key
reaching the app until the turn report has been composed and painted, then from Enter until the next
quarter's planning screen (with its forecast) is painted. Waiting is on the screen having processed
everything, not on a fixed delay.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import numpy as np
from textual import events


async def _measure(turns: int, difficulty: str, content_dir: str | None) -> dict[str, list[float]]:
    import tempfile

    from game.tui.app import ComputeRaceApp, Launch
    from game.tui.screens.planning import PlanningScreen
    from game.tui.screens.report import ReportScreen

    saves = tempfile.TemporaryDirectory()  # the autosaves of a benchmark are not the player's
    app = ComputeRaceApp(Launch(mode="solo", difficulty=difficulty, content_dir=content_dir, saves_dir=saves.name),
                         cursor_blink=False)
    report_ms: list[float] = []
    planning_ms: list[float] = []

    async def until(pilot, kind) -> None:
        while not (isinstance(app.screen, kind) and app.screen.is_mounted):
            thinking = [w for w in app.workers if w.group == "opponent" and w.is_running]
            if thinking:  # not a busy loop beside the thinking thread (only it: a replaced forecast is cancelled)
                await app.workers.wait_for_complete(thinking)
            await pilot.pause(0)
        await pilot.pause(0)  # the screen's messages processed: it has been laid out and painted

    def key(name: str, char: str | None) -> None:
        event = events.Key(name, char)
        event.set_sender(app)
        app._driver.send_message(event)

    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, PlanningScreen)
        for _ in range(turns):
            if app.session.over:
                break
            t0 = time.perf_counter()
            key("e", "e")
            await until(pilot, ReportScreen)
            t1 = time.perf_counter()
            key("enter", "\r")
            await until(pilot, PlanningScreen)
            t2 = time.perf_counter()
            report_ms.append((t1 - t0) * 1e3)
            planning_ms.append((t2 - t1) * 1e3)
        await pilot.press("ctrl+q")
        if app.screen_stack and app.return_code is None:
            app.exit()
    saves.cleanup()
    return {"report": report_ms, "planning": planning_ms}


def run_ui_bench(turns: int = 20, difficulty: str = "normal", content_dir: str | None = None) -> dict[str, Any]:
    samples = asyncio.run(_measure(turns, difficulty, content_dir))
    out: dict[str, Any] = {"ui_opponent": difficulty, "ui_turns": len(samples["report"])}
    for name, values in samples.items():
        out[f"ui_{name}_ms_median"] = statistics.median(values)
        out[f"ui_{name}_ms_p90"] = float(np.percentile(values, 90))
    return out


def format_ui_bench(r: dict[str, Any]) -> str:
    return "\n".join([
        f"Compute Race interface benchmark (80x24, headless, against {r['ui_opponent']}, {r['ui_turns']} turns)",
        f"  e pressed -> turn report on screen     {r['ui_report_ms_median']:7.1f} ms median, "
        f"{r['ui_report_ms_p90']:.1f} ms p90   target < 300 ms",
        f"  Enter -> next quarter's planning ready {r['ui_planning_ms_median']:7.1f} ms median, "
        f"{r['ui_planning_ms_p90']:.1f} ms p90",
    ])
