"""Benchmark: `tenderkit ui` pages and the review through the browser's path (target: pages under 0.5 s).

    .venv/bin/python bench/bench_ui.py [N_VENDORS]

Serves the sample tender in-process (Starlette's test client, no network), builds the DCE through the
form, uploads N filled questionnaires in one form and waits for the background review; then times the
pages a buyer opens: home, tender (182 questions selected), ranking, the vendor page (every answer).
"""

from __future__ import annotations

import io
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

from tenderkit.generate import output_names
from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import fill_xlsx, make_plan
from tenderkit.web.app import create_app
from tenderkit.web.security import csrf_token

BASE = "http://127.0.0.1:1"


def timed(client: TestClient, path: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times)


def main(vendors: int = 10) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        folder = root / "demo"
        folder.mkdir()
        shutil.copyfile(samples_dir() / "demo" / "tender.yaml", folder / "tender.yaml")
        client = TestClient(create_app(root, "t"), base_url=BASE)
        client.cookies.set("tenderkit", "t")
        form, origin = {"csrf": csrf_token("t")}, {"origin": BASE}
        start = time.perf_counter()
        assert client.post("/t/demo/build", data=form, headers=origin).status_code == 200
        print(f"Générer le DCE (form → documents):       {time.perf_counter() - start:6.2f} s")
        loaded = load_tender(folder)
        questionnaire = folder / "out" / output_names(loaded.tender.reference)["questionnaire"]
        files = []
        for index in range(vendors):
            plan = make_plan(f"Vendor {index:02d}", loaded.selection.questions, "risky", seed=index)
            path = fill_xlsx(questionnaire, plan, root / "upload" / f"vendor-{index:02d}.xlsx")
            files.append(("files", (path.name, io.BytesIO(path.read_bytes()), "application/octet-stream")))
        start = time.perf_counter()
        client.post("/t/demo/returns", data=form, headers=origin, files=files, follow_redirects=False)
        uploaded = time.perf_counter() - start
        while client.get("/t/demo/review.json").json()["state"] == "running":
            time.sleep(0.05)
        print(f"Upload of {vendors} returns (checked, stored): {uploaded:6.2f} s")
        print(f"Upload + review until the ranking:        {time.perf_counter() - start:6.2f} s")
        first = re.search(r'href="(/t/demo/vendor/[^"]+)"', client.get("/t/demo").text)   # the best-ranked
        assert first, "no vendor in the ranking"
        pages = (("home", "/"), ("tender + ranking", "/t/demo"), ("vendor (every answer)", first.group(1)),
                 ("progress JSON", "/t/demo/review.json"))
        for label, path in pages:
            print(f"  page {label:28} median {timed(client, path) * 1000:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
