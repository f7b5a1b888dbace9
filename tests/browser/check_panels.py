"""Real-browser check of the notebook panels.

Executes a notebook with the panels in a real Jupyter kernel (nbclient, widget state kept), renders it to HTML with
the widget state embedded (nbconvert's lab template), serves the page and the widget renderer on 127.0.0.1, opens it
in headless Chromium (Playwright driving Debian's /usr/bin/chromium), takes a full-page screenshot and fails when the
panels are not drawn, when the browser logs a JavaScript error, or when the page asks for anything off this machine.

nbconvert's pages load the widget renderer (@jupyter-widgets/html-manager) and RequireJS from CDNs; here they come
from the npm registry once (`npm install` in this folder, versions pinned in package.json) and are served locally.
MathJax (also a CDN script) is left out of the page: the panels' notebook has no mathematics.

    python tests/browser/check_panels.py [NOTEBOOK] [--out DIR]     # default: tutorials/04_studio.ipynb

Needs: `pip install -e ".[browser]"` (nbclient, nbconvert, ipykernel, playwright), `apt-get install chromium`, npm.
"""
from __future__ import annotations
import argparse, functools, http.server, json, os, shutil, subprocess, sys, threading, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NODE_MODULES = HERE / "node_modules"
RENDERER = "@jupyter-widgets/html-manager/dist/embed-amd.js"
REQUIREJS = "requirejs/require.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

def missing_prerequisites() -> list[str]:
    "What this machine lacks to run the check (empty: ready)"
    out = []
    for mod, pkg in (("nbclient", "nbclient"), ("nbconvert", "nbconvert"), ("ipykernel", "ipykernel"),
                     ("playwright", "playwright")):
        try: __import__(mod)
        except ImportError: out.append(f"python package {pkg} (pip install -e '.[browser]')")
    if not Path(CHROMIUM).exists(): out.append(f"{CHROMIUM} (apt-get install chromium)")
    if not (NODE_MODULES / RENDERER).exists() and shutil.which("npm") is None:
        out.append("npm, to fetch @jupyter-widgets/html-manager (apt-get install npm)")
    return out

def ensure_renderer():
    "Install the pinned widget renderer and RequireJS into tests/browser/node_modules (once)"
    if (NODE_MODULES / RENDERER).exists() and (NODE_MODULES / REQUIREJS).exists(): return
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--no-package-lock"], cwd=HERE, check=True)

def execute(notebook:Path, timeout:int=600):
    "Run every cell in a fresh python3 kernel, keeping the widget state in the notebook's metadata"
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(notebook, as_version=4)
    env_path = {"metadata": {"path": str(notebook.parent)}}
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources=env_path, store_widget_state=True).execute()
    if "widgets" not in nb.metadata: raise AssertionError(f"{notebook} stored no widget state")
    return nb

TEMPLATE = "{%- extends 'lab/index.html.j2' -%}\n{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"

def render(nb, out:Path) -> Path:
    "HTML with the widget state embedded, loading the renderer from nm/ beside it (served by `serve`)"
    from nbconvert import HTMLExporter
    (out / "offline.html.j2").write_text(TEMPLATE)
    exporter = HTMLExporter(template_file=str(out / "offline.html.j2"), extra_template_basedirs=[str(out)])
    exporter.require_js_url = f"nm/{REQUIREJS}"
    exporter.widget_renderer_url = f"nm/{RENDERER}"
    body, _ = exporter.from_notebook_node(nb)
    page = out / "panels.html"
    page.write_text(body)
    return page

class _Handler(http.server.SimpleHTTPRequestHandler):
    "Serves `directory`, /nm/... from tests/browser/node_modules, and the renderer's fonts where its bundles ask for them"
    def translate_path(self, path):
        path = path.split("?")[0]
        if path.startswith("/nm/"): return str(NODE_MODULES / path[4:])
        if path.startswith("/@jupyter-widgets/"):    # webpack public paths of the AMD bundles: the page's folder
            return str(NODE_MODULES / "@jupyter-widgets/html-manager/dist" / Path(path).name)
        return super().translate_path(path)
    def do_GET(self):
        if self.path == "/favicon.ico":                # the browser asks for one; the page has none
            self.send_response(204)
            self.end_headers()
        else: super().do_GET()
    def log_message(self, *args): pass

def serve(directory:Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"

# what a drawn studio shows once the renderer has run (counted in the page)
PROBE = """() => ({
  widgets: document.querySelectorAll('.jupyter-widgets').length,
  buttons: [...document.querySelectorAll('button.jupyter-button')].map(b => b.textContent.trim()).filter(t => t),
  audio: document.querySelectorAll('audio').length,
  images: [...document.querySelectorAll('.jupyter-widgets img')].filter(i => i.complete && i.naturalWidth > 0).length,
  leftover: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
  errors_shown: document.querySelectorAll('.jupyter-widgets .widget-html-content div[style*="c62828"]').length,
})"""

def browse(url:str, screenshot:Path, width:int=1280) -> dict:
    "Open `url` in headless Chromium; screenshot; return what the page drew and every error it logged"
    from playwright.sync_api import sync_playwright
    console, page_errors, failed, foreign = [], [], [], []
    host = url.split("/")[2]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.on("requestfailed", lambda r: None if r.url.startswith("blob:") else failed.append(f"{r.url} ({r.failure})"))
            page.on("response", lambda r: failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)
            # (media elements abort their blob: loads once they have what they need; that is not a failure)
            page.on("request", lambda r: foreign.append(r.url) if r.url.split("/")[2:3] != [host] and
                    not r.url.startswith(("data:", "blob:")) else None)
            page.goto(url, wait_until="load")
            page.wait_for_function("() => document.querySelectorAll('button.jupyter-button').length > 0", timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)                      # let images decode and layout settle
            drawn = page.evaluate(PROBE)
            page.screenshot(path=str(screenshot), full_page=True)
        finally: browser.close()
    return dict(drawn=drawn, console=console, page_errors=page_errors, failed=failed, foreign=foreign)

def check(notebook:Path, out:Path) -> dict:
    "Execute, render, browse; raise AssertionError naming what is wrong; return the report"
    out.mkdir(parents=True, exist_ok=True)
    ensure_renderer()
    t0 = time.perf_counter()
    nb = execute(notebook)
    t1 = time.perf_counter()
    server, base = serve(out)
    try:
        page = render(nb, out)
        report = browse(f"{base}/{page.name}", out / "panels.png")
    finally: server.shutdown()
    report.update(html=str(page), screenshot=str(out / "panels.png"), execute_s=round(t1 - t0, 1),
                  html_mb=round(page.stat().st_size / 1e6, 2))
    (out / "report.json").write_text(json.dumps(report, indent=2))
    errors = [c for c in report["console"] if c.startswith("error")] + report["page_errors"]
    problems = []
    if errors: problems.append(f"JavaScript errors: {errors}")
    if report["failed"]: problems.append(f"failed requests: {report['failed']}")
    if report["foreign"]: problems.append(f"requests off this machine: {report['foreign']}")
    d = report["drawn"]
    for label in ("Generate", "Stop", "Save", "use as source", "variation", "inspect", "repaint selection"):
        if label not in d["buttons"]: problems.append(f"no {label!r} button drawn (buttons: {sorted(set(d['buttons']))})")
    if d["audio"] < 2: problems.append(f"{d['audio']} audio players drawn, expected the takes' players")
    if d["images"] < 3: problems.append(f"{d['images']} figures drawn, expected the takes' spectrograms and the inspector")
    if d["leftover"] and d["widgets"] == 0: problems.append("the widget views were not rendered")
    if problems: raise AssertionError(f"{notebook.name} in Chromium: " + "; ".join(problems) + f" (report: {out/'report.json'})")
    return report

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebook", nargs="?", default=str(ROOT / "tutorials" / "04_studio.ipynb"))
    ap.add_argument("--out", default="/tmp/acestep-browser-check", help="folder for the page, screenshot and report")
    a = ap.parse_args(argv)
    if missing := missing_prerequisites(): sys.exit("missing: " + "; ".join(missing))
    r = check(Path(a.notebook).resolve(), Path(a.out))
    print(json.dumps({k: r[k] for k in ("drawn", "execute_s", "html_mb", "screenshot", "html")}, indent=1))
    print(f"console: {len(r['console'])} messages, no errors")

if __name__ == "__main__": main()
