#!/usr/bin/env python3
"""Loads a dashboard page in headless Chromium ROUNDS times, each in a fresh browser (cold cache), through
chromedriver's WebDriver HTTP protocol, and prints one line per round:
  <ms to the page's mark> <ms of the API call in the page> <bytes of that answer> <rows>
  <ms to the HTML received> <ms to the API call sent> <ms to the API answer received> <bytes of it decoded>
The mark (stackwarden:stacks-rendered) is set by the page once the list is fetched and its rows are in the DOM;
times count from the start of the navigation (Navigation Timing). Usage: pageload.py DRIVER_URL PAGE_URL ROUNDS"""
import json
import sys
import time
import urllib.request

driver, page, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(driver + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["value"]


def run(session, script):
    return call("POST", f"/session/{session}/execute/sync", {"script": script, "args": []})


capabilities = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
    "binary": "/usr/bin/chromium",
    "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"]}}}}

for _ in range(rounds):
    session = call("POST", "/session", capabilities)["sessionId"]
    try:
        call("POST", f"/session/{session}/url", {"url": page})
        deadline = time.monotonic() + 30
        mark = None
        while mark is None:
            mark = run(session, "const m = performance.getEntriesByName('stackwarden:stacks-rendered')[0];"
                                "return m ? m.startTime : null")
            if mark is None:
                if time.monotonic() > deadline:
                    sys.exit("the page never rendered its list")
                time.sleep(0.02)
        api = run(session, "const r = performance.getEntriesByType('resource')"
                           ".find(e => e.name.includes('/api/v1/stacks'));"
                           "const d = performance.getEntriesByType('navigation')[0];"
                           "return [r.duration, r.encodedBodySize, document.querySelectorAll('#rows tr').length,"
                           "d.responseEnd, r.startTime, r.responseEnd, r.decodedBodySize]")
        print(f"{mark:.1f} {api[0]:.1f} {api[1]} {api[2]} {api[3]:.1f} {api[4]:.1f} {api[5]:.1f} {api[6]}", flush=True)
    finally:
        call("DELETE", f"/session/{session}")
